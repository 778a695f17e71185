// The listening room's HTTP API (/api/v1/...): same origin, the session cookie goes along.
// Every failure becomes a RoomError with a sentence to show. Nothing here logs: what these
// requests carry is health data.

export const API_PREFIX = "/api/v1";

const UNREACHABLE = "Can't reach the server. Check the connection, then try again.";
const FAILED = "Something went wrong on the server. Please try again in a moment.";
const MESSAGES = {
  unauthorized: "Please sign in.",
  not_found: "Not shared with you (any more).",
  too_many_attempts: "Too many sign-in attempts. Please wait a little, then try again.",
  bad_request: "That could not be saved. Please check it and try again.",
};

/** A request that did not succeed: `message` is for the reader, `code` and `status` for us. */
export class RoomError extends Error {
  constructor(message, { code = "failed", status = 0 } = {}) {
    super(message);
    this.name = "RoomError";
    this.code = code;
    this.status = status;
  }
}

/**
 * `path` under /api/v1; `as`: "json" (default), "text" or "none"; `body`: sent as JSON.
 * Resolves to the answer, or rejects with a RoomError.
 */
export async function request(path, { method = "GET", body, as = "json" } = {}) {
  const init = { method, cache: "no-store", credentials: "same-origin", headers: {} };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(`${API_PREFIX}${path}`, init);
  } catch {
    throw new RoomError(UNREACHABLE, { code: "unreachable" });
  }
  if (!response.ok) throw await failure(response);
  try {
    if (as === "none") return null;
    if (as === "text") return await response.text();
    return await response.json();
  } catch {
    throw new RoomError(UNREACHABLE, { code: "unreachable", status: response.status });
  }
}

async function failure(response) {
  let code = response.status === 401 ? "unauthorized" : "failed";
  try {
    const answer = await response.json();
    if (answer && answer.error && typeof answer.error.code === "string") code = answer.error.code;
  } catch {
    // Not our JSON (a proxy's page): the status says enough.
  }
  if (response.status === 404) code = "not_found";
  return new RoomError(MESSAGES[code] || FAILED, { code, status: response.status });
}

/** The path of a person's records: "/people/ana", with the name escaped. */
export function personPath(name) {
  return `/people/${encodeURIComponent(name)}`;
}

/** The path of one of their check-ins. */
export function checkinPath(name, id) {
  return `${personPath(name)}/checkins/${encodeURIComponent(id)}`;
}

export const room = {
  me: () => request("/me"),
  signIn: (name, password) => request("/session", { method: "POST", body: { name, password } }),
  signOut: () => request("/session", { method: "DELETE", as: "none" }),
  people: () => request("/people"),
  checkins: (name) => request(`${personPath(name)}/checkins`),
  /** A person's records as the trends panel reads them: `get("/trends?…", as)`. */
  recordsOf: (name) => ({ get: (path, as) => request(`${personPath(name)}${path}`, { as }) }),
  checkin: (name, id) => request(checkinPath(name, id)),
  addNote: (name, id, text) =>
    request(`${checkinPath(name, id)}/notes`, { method: "POST", body: { text } }),
  /** URLs the browser fetches itself (the player, the download link). */
  audioUrl: (name, id) => `${API_PREFIX}${checkinPath(name, id)}/audio`,
  downloadUrl: (name, id) => `${API_PREFIX}${checkinPath(name, id)}/download`,
};
