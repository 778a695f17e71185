// The words the page shows when something goes wrong: microphone, connection, pairing and pace.

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
    "This browser only allows the microphone on secure (https) pages or on this computer " +
    "itself (localhost). You can still type below.",
  unsupported:
    "This browser can't record or play audio here. A recent Chrome, Edge, Firefox or Safari " +
    "can. You can still type below.",
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
};

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
  closed: "Your voice was reaching the server faster than it could take it, so the check-in " +
    "was stopped. Press Start a new check-in to continue.",
};
