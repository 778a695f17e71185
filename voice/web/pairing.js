// Pairing by link: `voice user add NAME` prints http://HOST:PORT/#pair=TOKEN. The page keeps
// the token in localStorage, sends it in every hello, and takes it out of the address bar
// at once. The fragment never reaches the server (browsers do not send it), and replacing
// the history entry keeps it out of the back button, bookmarks and shared screenshots.
// No DOM here apart from `location` and `history`, which the page passes in.

export const TOKEN_KEY = "voice.token";

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{20,256}$/;

/** A pairing token as the server issues them: 20-256 URL-safe base64 characters. */
export function isValidToken(token) {
  return typeof token === "string" && TOKEN_PATTERN.test(token);
}

/**
 * The pairing in a URL fragment (`location.hash`): null when it has none, otherwise
 * `{ token }`, where `token` is null when the link is malformed (empty, wrong characters,
 * too short or long, or `pair` given more than once).
 */
export function pairingFromHash(hash) {
  const fragment = typeof hash === "string" && hash.startsWith("#") ? hash.slice(1) : hash;
  if (!fragment) return null;
  const values = [];
  for (const part of fragment.split("&")) {
    const eq = part.indexOf("=");
    const key = eq < 0 ? part : part.slice(0, eq);
    if (key === "pair") values.push(eq < 0 ? "" : part.slice(eq + 1));
  }
  if (values.length === 0) return null;
  const token = values.length === 1 && isValidToken(values[0]) ? values[0] : null;
  return { token };
}

/** Drop the fragment from the address bar without reloading or adding a history entry. */
export function removeFragment(location, history) {
  history.replaceState(history.state, "", location.pathname + location.search);
}
