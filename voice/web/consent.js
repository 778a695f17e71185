// What is kept (docs/web-client.md): the person's choice, saved on this device until the
// next hello carries it (`hello.consent`), and the words for what is in force
// (`ready.consent`). No DOM here: the page renders the strings.

export const CONSENT_KEY = "voice.consent";

/** The wording the server records choices under (voice/accounts/consent.py). */
export const WORDING_VERSION = "2026-12-06";
export const WORDING = {
  audio: "Keep my recordings: my voice and the assistant's, for me to listen to again.",
  transcript: "Keep my words: transcripts, check-in answers and how my voice sounded.",
  share: "Share what is kept with this therapist, until I stop sharing.",
};

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/; // a therapist's name, as the server
const MAX_SHARED = 16;

export const MONTHS = [
  "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December",
];

/**
 * Therapist names typed as "dr-b, dr-c": `{ names }` (trimmed, empty parts and repeats
 * dropped) or `{ problem }` in plain words when one is not a name the server accepts.
 */
export function parseShare(text) {
  const names = [];
  for (const part of String(text).split(",")) {
    const name = part.trim();
    if (!name) continue;
    if (!NAME_PATTERN.test(name)) {
      return {
        problem: `"${name}" is not a therapist's name: names are letters, digits and - _ . ` +
          "(for example dr-b), separated by commas.",
      };
    }
    if (!names.includes(name)) names.push(name);
  }
  if (names.length > MAX_SHARED) {
    return { problem: `You can share with at most ${MAX_SHARED} therapists.` };
  }
  return { names };
}

/** A choice as `hello.consent` carries it, or null when `value` is not one. */
export function asChoice(value) {
  if (!value || typeof value !== "object") return null;
  if (typeof value.audio !== "boolean" || typeof value.transcript !== "boolean") return null;
  const share = value.share === undefined ? [] : value.share;
  if (!Array.isArray(share) || share.length > MAX_SHARED) return null;
  if (!share.every((name) => typeof name === "string" && NAME_PATTERN.test(name))) return null;
  return { audio: value.audio, transcript: value.transcript, share: [...share] };
}

/** A saved choice from storage (JSON), or null when there is none or it is malformed. */
export function parseStoredChoice(text) {
  if (typeof text !== "string") return null;
  try {
    return asChoice(JSON.parse(text));
  } catch {
    return null;
  }
}

/** "6 December 2026": the day in this device's time zone, or null if not a date. */
export function formatDay(iso) {
  if (typeof iso !== "string") return null;
  // The server sends UTC with an offset; a bare date-time is UTC too.
  const zoned = /(Z|[+-]\d\d:?\d\d)$/.test(iso) ? iso : `${iso}Z`;
  const date = new Date(zoned);
  if (Number.isNaN(date.getTime())) return null;
  return `${date.getDate()} ${MONTHS[date.getMonth()]} ${date.getFullYear()}`;
}

function listNames(names) {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/**
 * What `ready.consent` keeps, in plain sentences (no colour needed to read it):
 * "Kept from this check-in: your words. Recordings: not kept. Shared with: no one. You
 * agreed on 6 December 2026 (wording of 2026-12-06)." or "Nothing from this check-in is
 * kept." `lead` replaces "Kept from this check-in" and `nothing` the last sentence.
 */
export function describeConsent(
  inForce,
  { lead = "Kept from this check-in", nothing = "Nothing from this check-in is kept." } = {},
) {
  const choice = asChoice(inForce);
  const version = inForce && typeof inForce.version === "string" ? inForce.version : null;
  if (choice === null || version === null || !(choice.audio || choice.transcript)) {
    return nothing;
  }
  const kept = [];
  if (choice.audio) kept.push("your recordings");
  if (choice.transcript) kept.push("your words");
  const parts = [`${lead}: ${listNames(kept)}.`];
  if (!choice.audio) parts.push("Recordings: not kept.");
  if (!choice.transcript) parts.push("Words: not kept.");
  parts.push(`Shared with: ${choice.share.length ? listNames(choice.share) : "no one"}.`);
  const day = formatDay(inForce.agreed_at);
  parts.push(
    day ? `You agreed on ${day} (wording of ${version}).` : `Wording of ${version}.`,
  );
  return parts.join(" ");
}

/** A saved choice in plain words, for the panel. */
export function describeChoice(choice) {
  if (!(choice.audio || choice.transcript)) return "keep nothing";
  const kept = [];
  if (choice.audio) kept.push("your recordings");
  if (choice.transcript) kept.push("your words");
  const shared = choice.share.length ? listNames(choice.share) : "no one";
  return `keep ${listNames(kept)}, shared with ${shared}`;
}
