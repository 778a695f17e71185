// The page's words: what goes wrong (microphone, connection, pairing, pace), and the status
// and activity lines picked from the page's state (state.js). Pure: no DOM, so the choice
// of words is tested with node --test.

export const MIC_MESSAGES = {
  refused:
    "Microphone access was refused, so I can't hear you. To talk, allow the microphone for " +
    "this page in your browser's site settings, then press Turn on microphone. " +
    "You can still type below.",
  missing:
    "No microphone was found. Plug one in or switch it on, then press Turn on microphone. " +
    "You can still type below.",
  busy:
    "The microphone is being used by another app or could not start. Close that app, then " +
    "press Turn on microphone. You can still type below.",
  insecure:
    "This page was opened over plain http from another device, and browsers allow the " +
    "microphone and spoken replies only on secure (https) pages or on the computer that " +
    "runs the server. Nothing is wrong with your device: ask whoever runs the server to " +
    "turn on https (its guide: docs/deploy.md), then open the https address. You can " +
    "still type below, and read the replies.",
  unsupported:
    "This browser can't record or play audio here. A recent Chrome, Edge, Firefox or Safari " +
    "can. You can still type below.",
  lost:
    "The microphone stopped working. Check that it is connected, then press Turn on " +
    "microphone. You can still type below.",
  failed:
    "The microphone could not be started. Press Turn on microphone to try again, " +
    "or type below.",
};

export const RETRY_MESSAGES = {
  unreachable: "Can't reach the check-in server. Check that it is running and that this device " +
    "is on the same network.",
  lost: "The connection to the server was lost.",
  busy: "The server is busy with other check-ins right now.",
  starting: "The server is still starting up.",
  server_error: "Something went wrong on the server.",
  stalled: "The connection stopped answering.",
  no_answer: "The server did not answer.",
};

/** Why a check-in could not go on at all (the connection failed: no retry). */
export const FAILED_MESSAGES = {
  too_fast:
    "Your voice was reaching the server faster than it could take it, so the check-in " +
    "was stopped. Press Start a new check-in to continue.",
  rejected: "The server did not accept this page's connection. Reload the page and try again.",
};

/** Problems with a single turn, shown near the controls. */
export const TURN_MESSAGES = {
  too_large: "That message is too long to send. Please shorten it.",
  unknown:
    "Something went wrong with that turn on the server, so there is no reply to it. " +
    "Please say it again, or type it.",
  queued: "Not connected right now: your message will be sent as soon as the server is back.",
};

/** The status line: [data-state, words] for the connection (`now`: clock ms, for the
 * countdown to the next attempt). */
export function statusLine(state, now) {
  switch (state.connection) {
    case "connecting":
      return ["connecting", "Connecting…"];
    case "ready": {
      const mic = { on: "Connected", muted: "Connected, microphone muted" };
      return ["ready", mic[state.mic] || "Connected, microphone off"];
    }
    case "retrying": {
      const seconds = Math.max(1, Math.round(((state.retryAt || now) - now) / 1000));
      return ["retrying", `Reconnecting in ${seconds} s`];
    }
    case "ended":
      if (state.reason === "idle") return ["ended", "Ended after a long silence"];
      if (state.reason === "sign_out") return ["idle", "Signed out"];
      return ["ended", "Check-in ended"];
    case "failed":
      if (state.reason === "unauthorized") return ["failed", "Not paired"];
      if (state.reason === "too_fast") return ["failed", "Check-in stopped"];
      return ["failed", "Could not connect"];
    default:
      return ["idle", state.idleText || "Not connected"];
  }
}

/** The activity line under the meter: what is happening now, and what the person can do. */
export function activityLine(state) {
  switch (state.connection) {
    case "idle":
      return "Ready when you are";
    case "connecting":
      return state.sessions > 0 ? "Reconnecting…" : "Getting ready…";
    case "retrying":
      return "Waiting for the server. You can still type.";
    case "ended":
      return "Take care";
    case "failed":
      return "Not connected";
    default:
      break;
  }
  switch (state.turn) {
    case "hearing":
      return "Hearing you…";
    case "thinking":
      return "Thinking…";
    case "writing":
      return "Writing a reply…";
    case "speaking":
      return state.pushToTalk
        ? "Speaking. To interrupt, press Talk or Stop reply"
        : "Speaking. To interrupt, talk any time or press Stop reply";
    default:
      return listeningLine(state);
  }
}

function listeningLine(state) {
  if (state.mic === "muted") return "Microphone muted. Unmute to talk, or type below";
  if (state.mic !== "on") return "Type your message below";
  if (!state.pushToTalk) return "Listening";
  if (state.talking) return state.talking.latched ? "Listening. Tap Talk when done" : "Listening while you hold";
  return "Hold Talk while you speak, or tap it to start and stop";
}

/** The words for a notice ({kind, code}) near the controls, or "" for none. */
export function noticeText(notice, { retryAt = null, now = 0 } = {}) {
  if (!notice) return "";
  if (notice.text) return notice.text;
  switch (notice.kind) {
    case "microphone":
      return MIC_MESSAGES[notice.code] || MIC_MESSAGES.failed;
    case "connection": {
      if (notice.code === "unauthorized") return PAIRING_MESSAGES.unauthorized;
      if (FAILED_MESSAGES[notice.code]) return FAILED_MESSAGES[notice.code];
      const why = RETRY_MESSAGES[notice.code] || RETRY_MESSAGES.lost;
      if (retryAt === null) return why;
      const seconds = Math.max(1, Math.round((retryAt - now) / 1000));
      return `${why} Trying again in ${seconds} second${seconds === 1 ? "" : "s"}.`;
    }
    case "text":
    case "turn":
      return TURN_MESSAGES[notice.code] || TURN_MESSAGES.unknown;
    default:
      return "";
  }
}

export const PAIRING_MESSAGES = {
  invalid:
    "That pairing link is not valid, so this device was not paired. Open the link exactly as " +
    "you were given it, or ask for a new one.",
  unauthorized:
    "This device is not paired with the check-in server, or its pairing was withdrawn. Open " +
    "the pairing link you were given to pair it again.",
  notRemembered:
    "This browser could not remember the pairing, so it only lasts until this page is closed.",
};

export const TOO_FAST_MESSAGES = {
  text: "That was sent too quickly, so it was not answered. It is back in the box: please " +
    "wait a moment, then send it again.",
  audio: "Your voice reached the server faster than it could take it, so a moment of it was " +
    "skipped. If something you said was missed, please say it again.",
};
