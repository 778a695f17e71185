// The person's HTTP API (/api/v1/my/...): one fetch helper that sends the pairing token and
// turns every failure into an ApiError with a sentence to show. Nothing here logs: what
// these requests carry is health data.

import { PAIRING_MESSAGES } from "./messages.js";

export const API_PREFIX = "/api/v1/my";

const UNREACHABLE =
  "Can't reach the check-in server. Check that it is running and that this device is on " +
  "the same network, then try again.";
const FAILED = "Something went wrong on the server. Please try again in a moment.";

/** A request that did not succeed: `message` is for the person, `code` and `status` for us. */
export class ApiError extends Error {
  constructor(message, { code = "failed", status = 0 } = {}) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = status;
  }
}

/**
 * A client for the person's API with the token `token()` returns (null: not paired).
 * `onUnauthorized()` is told when the server no longer accepts the token.
 */
export function personApi(token, { onUnauthorized = () => {} } = {}) {
  /**
   * `path` under /api/v1/my ("" is /api/v1/my itself); `as`: "json" (default), "text" or
   * "blob"; `body`: sent as JSON. Resolves to the answer, or rejects with an ApiError.
   */
  async function request(path, { method = "GET", body, as = "json" } = {}) {
    const current = token();
    if (current === null) {
      throw new ApiError(PAIRING_MESSAGES.unauthorized, { code: "unauthorized", status: 401 });
    }
    const headers = { Authorization: `Bearer ${current}` };
    const init = { method, headers, cache: "no-store", credentials: "same-origin" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(`${API_PREFIX}${path}`, init);
    } catch {
      throw new ApiError(UNREACHABLE, { code: "unreachable" });
    }
    if (!response.ok) throw await failure(response);
    try {
      if (as === "blob") return await response.blob();
      if (as === "text") return await response.text();
      return await response.json();
    } catch {
      throw new ApiError(UNREACHABLE, { code: "unreachable", status: response.status });
    }
  }

  async function failure(response) {
    let code = "failed";
    let message = null;
    try {
      const answer = await response.json();
      if (answer && answer.error && typeof answer.error === "object") {
        if (typeof answer.error.code === "string") code = answer.error.code;
        if (typeof answer.error.message === "string") message = answer.error.message;
      }
    } catch {
      // not JSON: a proxy's page, or an older server without this API
    }
    if (response.status === 401) {
      onUnauthorized();
      return new ApiError(PAIRING_MESSAGES.unauthorized, { code, status: 401 });
    }
    if (response.status >= 500) message = message || FAILED;
    return new ApiError(sentence(message || FAILED), { code, status: response.status });
  }

  return {
    get: (path, as) => request(path, { as }),
    put: (path, body) => request(path, { method: "PUT", body }),
    post: (path, body, as) => request(path, { method: "POST", body, as }),
  };
}

/** The server's message as a sentence: a capital first letter and a full stop. */
function sentence(text) {
  const trimmed = String(text).trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** "2026-12-07" for `date` in this device's time zone. */
export function isoDay(date = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
