// The check-in page: wires the microphone, the websocket and the captions together.

import { AudioEngine, MicrophoneError } from "./audio.js";
import { CheckinConnection, checkinUrl } from "./connection.js";
import {
  CONSENT_KEY,
  asChoice,
  describeChoice,
  describeConsent,
  parseShare,
  parseStoredChoice,
} from "./consent.js";
import { showHelp } from "./help.js";
import { TOKEN_KEY, isValidToken, pairingFromHash, removeFragment } from "./pairing.js";
import { Transcript } from "./transcript.js";

const params = new URLSearchParams(window.location.search);
/** Page options from the URL (docs/web-client.md). */
const options = {
  // ?voiceProcessing=0 turns off echo cancellation, noise suppression and auto gain
  // (for tests with a fake microphone; with a real speaker it lets the assistant hear itself).
  voiceProcessing: params.get("voiceProcessing") !== "0",
  // ?user=ID: who is checking in (the server keeps per-person history under this id).
  user: params.get("user"),
};

const MIC_MESSAGES = {
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

const RETRY_MESSAGES = {
  unreachable: "Can't reach the check-in server. Check that it is running and that this device " +
    "is on the same network.",
  lost: "The connection to the server was lost.",
  busy: "The server is busy with other check-ins right now.",
  starting: "The server is still starting up.",
  server_error: "Something went wrong on the server.",
};

const PAIRING_MESSAGES = {
  invalid:
    "That pairing link is not valid, so this device was not paired. Open the link exactly as " +
    "you were given it, or ask for a new one.",
  unauthorized:
    "This device is not paired with the check-in server, or its pairing was withdrawn. Open " +
    "the pairing link you were given to pair it again.",
  notRemembered:
    "This browser could not remember the pairing, so it only lasts until this page is closed.",
};

const TOO_FAST_MESSAGES = {
  text: "That was sent too quickly, so it was not answered. It is back in the box: please " +
    "wait a moment, then send it again.",
  audio: "Your voice reached the server faster than it could take it, so a moment of it was " +
    "skipped. If something you said was missed, please say it again.",
  closed: "Your voice was reaching the server faster than it could take it, so the check-in " +
    "was stopped. Press Start a new check-in to continue.",
};

const el = {
  status: document.querySelector('[data-testid="status"]'),
  conversation: document.getElementById("conversation"),
  intro: document.getElementById("intro"),
  error: document.getElementById("error"),
  log: document.getElementById("log"),
  meterFill: document.getElementById("meter-fill"),
  activity: document.getElementById("activity"),
  start: document.getElementById("start"),
  talk: document.getElementById("talk"),
  done: document.getElementById("done"),
  end: document.getElementById("end"),
  retry: document.getElementById("retry"),
  micRetry: document.getElementById("mic-retry"),
  typing: document.getElementById("typing"),
  textInput: document.getElementById("text-input"),
  pushToTalk: document.getElementById("push-to-talk"),
  showCues: document.getElementById("show-cues"),
  help: document.getElementById("help"),
  signOut: document.getElementById("sign-out"),
  consentOpen: document.getElementById("consent-open"),
  consentPanel: document.getElementById("consent-panel"),
  consentUnpaired: document.getElementById("consent-unpaired"),
  consentForm: document.getElementById("consent-form"),
  consentAudio: document.getElementById("consent-audio"),
  consentTranscript: document.getElementById("consent-transcript"),
  consentShare: document.getElementById("consent-share"),
  consentInForce: document.getElementById("consent-in-force"),
  consentMessage: document.getElementById("consent-message"),
  consentClose: document.getElementById("consent-close"),
  consentSummary: document.getElementById("consent-summary"),
};

const transcript = new Transcript(el.log, el.conversation);

/**
 * Test and automation hooks (documented in docs/web-client.md). Counts and event types
 * only, never words: what people say is health data.
 */
const debug = {
  options,
  contextRateHz: null,
  micSettings: null,
  sentFrames: 0,
  receivedSamples: {}, // reply audio per turn, at the reply's rate
  playback: { sampleRateHz: null, playedFrames: 0, sumSquares: 0, peak: 0 },
  events: [],
};
window.voiceDebug = debug;

function record(dir, type, extra = {}) {
  debug.events.push({
    t: Math.round(performance.now()),
    dir,
    type,
    ...extra,
    played: debug.playback.playedFrames,
    energy: debug.playback.sumSquares,
  });
  if (debug.events.length > 5000) debug.events.splice(0, 1000);
}

const session = {
  phase: "idle", // idle | starting | live | ended
  audio: null, // AudioEngine, kept across check-ins
  mic: null,
  conn: null,
  ready: false,
  sessions: 0, // server sessions in this check-in (more than one after a reconnect)
  lastTurn: 0, // highest turn number seen in the current server session
  audioTurn: null, // turn whose audio is arriving
  audioRateHz: 22050,
  minAudioTurn: 0, // audio of earlier turns is dropped: it was interrupted
  talkHeld: false,
  level: 0,
  typed: [], // typed turns sent and not yet echoed: a too_fast error refers to the first
  consentSent: null, // the saved choice this check-in's hello carries, until ready
};

// ---- settings --------------------------------------------------------------------------

/** Remembered choices; storage can be unavailable (private modes), which only forgets. */
const stored = {
  get(key) {
    try {
      return window.localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  set(key, value) {
    try {
      window.localStorage.setItem(key, value);
      return true;
    } catch {
      return false; // not remembered; still applied
    }
  },
  remove(key) {
    try {
      window.localStorage.removeItem(key);
    } catch {
      // nothing stored to remove
    }
  },
};

// ---- pairing -----------------------------------------------------------------------------

/** This device's pairing token (docs/web-client.md): from a pairing link, kept in storage. */
const pairing = { token: null };

function loadPairing() {
  const saved = stored.get(TOKEN_KEY);
  if (isValidToken(saved)) {
    pairing.token = saved;
  } else if (saved !== null) {
    stored.remove(TOKEN_KEY); // not a token we could have stored
  }
}

/** Take a pairing link's token out of the address bar and keep it; true if there was one. */
function pairFromLink() {
  const found = pairingFromHash(window.location.hash);
  if (found === null) return false;
  // First, before anything else: the token must not stay in the URL.
  removeFragment(window.location, window.history);
  if (found.token === null) {
    record("page", "pairing_invalid");
    showError(PAIRING_MESSAGES.invalid, "pairing");
  } else {
    if (pairing.token !== null && pairing.token !== found.token) forgetConsent();
    pairing.token = found.token;
    const remembered = stored.set(TOKEN_KEY, found.token);
    record("page", "paired", { remembered });
    if (remembered) {
      clearError("pairing");
    } else {
      showError(PAIRING_MESSAGES.notRemembered, "pairing");
    }
    if (session.phase !== "starting" && session.phase !== "live") {
      setStatus("idle", "Paired with the check-in server");
    }
  }
  renderControls();
  return true;
}

function forgetPairing() {
  pairing.token = null;
  stored.remove(TOKEN_KEY);
  forgetConsent(); // a choice saved here was this person's
}

/** Sign out: end any check-in, forget the token, say the device is no longer paired. */
function signOut() {
  if (pairing.token === null) return;
  record("page", "sign_out");
  const conn = session.conn;
  session.conn = null;
  if (conn) conn.detach(); // ends the server session; nothing more from it is shown
  stopPlayback("sign_out");
  forgetPairing();
  const live = session.phase === "starting" || session.phase === "live";
  if (live) finish("Signed out", "idle");
  transcript.clear(); // nothing of the person's words stays on a shared screen
  el.consentSummary.hidden = true;
  if (el.consentPanel.open) el.consentPanel.close();
  session.typed = [];
  el.retry.hidden = true;
  clearError("connection");
  clearError("pairing");
  setStatus("idle", "Signed out: this device is no longer paired");
  setActivity("Not connected");
  renderControls();
  el.start.focus();
}

el.pushToTalk.checked = stored.get("voice.pushToTalk") === "1";
el.showCues.checked = stored.get("voice.showCues") !== "0";
applySettings();
el.pushToTalk.addEventListener("change", () => {
  stored.set("voice.pushToTalk", el.pushToTalk.checked ? "1" : "0");
  applySettings();
});
el.showCues.addEventListener("change", () => {
  stored.set("voice.showCues", el.showCues.checked ? "1" : "0");
  applySettings();
});

el.signOut.addEventListener("click", signOut);
// A pairing link opened in a tab that already shows the page changes only the fragment.
window.addEventListener("hashchange", pairFromLink);
// Paired or signed out in another tab of this page.
window.addEventListener("storage", (event) => {
  if (event.key !== TOKEN_KEY && event.key !== null) return;
  pairing.token = null;
  loadPairing();
  renderControls();
});

function applySettings() {
  document.body.classList.toggle("hide-cues", !el.showCues.checked);
  if (!el.pushToTalk.checked && session.talkHeld) stopTalking();
  renderControls();
}

// ---- what is kept ----------------------------------------------------------------------

/**
 * The person's choice of what is kept (docs/web-client.md). `pending`: saved on this device
 * (voice.consent) and sent in the next check-in's hello; cleared once a ready reports the
 * consent in force. `inForce`: the last ready's consent, in this page only.
 */
const consent = { pending: null, inForce: null };

function loadConsent() {
  const saved = stored.get(CONSENT_KEY);
  consent.pending = parseStoredChoice(saved);
  if (consent.pending === null && saved !== null) stored.remove(CONSENT_KEY);
}

function forgetConsent() {
  consent.pending = null;
  consent.inForce = null;
  stored.remove(CONSENT_KEY);
}

function openConsent() {
  const paired = pairing.token !== null;
  el.consentUnpaired.hidden = paired;
  el.consentForm.hidden = !paired;
  el.consentMessage.textContent = "";
  if (paired) {
    const shown = consent.pending || asChoice(consent.inForce) || {
      audio: false,
      transcript: false,
      share: [],
    };
    el.consentAudio.checked = shown.audio;
    el.consentTranscript.checked = shown.transcript;
    el.consentShare.value = shown.share.join(", ");
    renderConsentState();
  }
  if (!el.consentPanel.open) el.consentPanel.showModal();
  (paired ? el.consentAudio : el.consentClose).focus();
}

/** The panel's line on what holds now and what is waiting for the next check-in. */
function renderConsentState() {
  const parts = [];
  if (consent.inForce) {
    parts.push(
      "In force at your last check-in. " +
        describeConsent(consent.inForce, { lead: "Kept", nothing: "Nothing is kept." }),
    );
  }
  if (consent.pending) {
    parts.push(
      `Saved on this device: ${describeChoice(consent.pending)}. It is recorded when your ` +
        "next check-in starts.",
    );
  }
  if (parts.length === 0) {
    parts.push("What is in force is shown here and at the start of each check-in.");
  }
  el.consentInForce.textContent = parts.join(" ");
}

function saveConsent(event) {
  event.preventDefault();
  if (pairing.token === null) return;
  const share = parseShare(el.consentShare.value);
  if (share.problem) {
    el.consentMessage.textContent = share.problem;
    el.consentShare.setAttribute("aria-invalid", "true");
    el.consentShare.focus();
    return;
  }
  el.consentShare.removeAttribute("aria-invalid");
  const choice = {
    audio: el.consentAudio.checked,
    transcript: el.consentTranscript.checked,
    share: share.names,
  };
  consent.pending = choice;
  const remembered = stored.set(CONSENT_KEY, JSON.stringify(choice));
  record("page", "consent_saved", { remembered });
  const live = session.phase === "starting" || session.phase === "live";
  let message = live
    ? "Saved. This check-in goes on as it started; your choice applies from your next one."
    : "Saved. Your choice applies from your next check-in.";
  if (!remembered) message += " This browser could not store it, so keep this page open.";
  el.consentMessage.textContent = message;
  renderConsentState();
}

/** A ready's consent: what is in force now, shown at the start of the check-in. */
function onConsentInForce(inForce, sent) {
  if (!inForce || typeof inForce !== "object") {
    el.consentSummary.hidden = true;
    return;
  }
  consent.inForce = inForce;
  // Recorded by the server: the saved choice is done with, unless it changed meanwhile.
  if (sent !== null && JSON.stringify(sent) === JSON.stringify(consent.pending)) {
    consent.pending = null;
    stored.remove(CONSENT_KEY);
  }
  el.consentSummary.textContent = describeConsent(inForce);
  el.consentSummary.hidden = false;
  if (el.consentPanel.open) renderConsentState();
}

el.consentOpen.addEventListener("click", openConsent);
el.consentForm.addEventListener("submit", saveConsent);
el.consentClose.addEventListener("click", () => el.consentPanel.close());
el.consentPanel.addEventListener("close", () => el.consentOpen.focus());

// ---- controls --------------------------------------------------------------------------

el.start.addEventListener("click", start);
el.done.addEventListener("click", () => {
  if (session.conn && session.conn.send({ type: "commit" })) record("out", "commit");
});
el.end.addEventListener("click", endCheckin);
el.retry.addEventListener("click", () => session.conn && session.conn.retryNow());
el.micRetry.addEventListener("click", async () => {
  if (await openMicrophone()) {
    if (session.ready) {
      setStatus("ready", "Connected");
      setActivity(listeningText());
    }
  }
  renderControls();
});
el.typing.addEventListener("submit", (event) => {
  event.preventDefault();
  sendText();
});

el.talk.addEventListener("pointerdown", (event) => {
  if (event.button !== 0) return;
  el.talk.setPointerCapture(event.pointerId);
  startTalking();
});
for (const type of ["pointerup", "pointercancel", "lostpointercapture"]) {
  el.talk.addEventListener(type, () => stopTalking());
}
el.talk.addEventListener("keydown", (event) => {
  if (event.key !== " " && event.key !== "Enter") return;
  event.preventDefault();
  if (!event.repeat) startTalking();
});
el.talk.addEventListener("keyup", (event) => {
  if (event.key !== " " && event.key !== "Enter") return;
  event.preventDefault();
  stopTalking();
});
el.talk.addEventListener("blur", () => stopTalking());
el.talk.addEventListener("contextmenu", (event) => event.preventDefault());
window.addEventListener("online", () => session.conn && session.conn.retryNow());

function renderControls() {
  const live = session.phase === "starting" || session.phase === "live";
  const ptt = el.pushToTalk.checked;
  el.start.hidden = live;
  el.start.textContent = session.phase === "ended" ? "Start a new check-in" : "Start check-in";
  el.end.hidden = !live;
  el.done.hidden = !live || ptt || !session.mic;
  el.talk.hidden = !live || !ptt || !session.mic;
  el.micRetry.hidden = !live || Boolean(session.mic) || !session.audio;
  el.typing.hidden = !live;
  el.signOut.hidden = pairing.token === null;
  const usable = live && session.ready;
  el.done.disabled = !usable;
  el.talk.disabled = !usable;
  el.textInput.disabled = !usable;
  document.getElementById("send").disabled = !usable;
  document.body.dataset.phase = session.phase;
}

function setActivity(text) {
  el.activity.textContent = text;
}

function listeningText() {
  if (!session.mic) return "Type your message below";
  return el.pushToTalk.checked ? "Hold Talk while you speak" : "Listening";
}

/** Show a problem in plain words (or clear it). `kind` lets one cause clear only its own. */
function showError(text, kind = "other") {
  el.error.textContent = text;
  el.error.hidden = !text;
  el.error.dataset.kind = text ? kind : "";
}

function clearError(kind) {
  if (el.error.dataset.kind === kind) showError("");
}

function setStatus(state, text) {
  el.status.dataset.state = state;
  el.status.textContent = text;
}

// ---- check-in lifecycle ----------------------------------------------------------------

async function start() {
  if (session.phase === "starting" || session.phase === "live") return;
  session.phase = "starting";
  session.sessions = 0;
  session.conn = null;
  session.typed = [];
  showError("");
  el.intro.hidden = true;
  el.consentSummary.hidden = true; // until this check-in's ready says what is in force
  if (el.log.children.length > 0) transcript.note("New check-in");
  renderControls();
  setStatus("connecting", "Connecting…");
  setActivity("Getting ready…");

  try {
    if (!session.audio) {
      session.audio = await AudioEngine.create({ onPlayback, onTap });
      debug.contextRateHz = session.audio.sampleRateHz;
      debug.playback.sampleRateHz = session.audio.sampleRateHz;
    } else {
      await session.audio.context.resume();
    }
  } catch (error) {
    session.audio = null;
    console.warn("audio could not start:", error);
    showError(MIC_MESSAGES.unsupported, "microphone");
    record("page", "mic_failed", { code: "unsupported" });
  }
  if (session.audio) await openMicrophone();
  if (session.phase !== "starting") {
    // Ended while the microphone was opening.
    if (session.mic) session.mic.stop();
    session.mic = null;
    return;
  }

  session.phase = "live";
  // The choice saved now is what this check-in asks for; one saved later waits for the next.
  session.consentSent = pairing.token !== null ? consent.pending : null;
  session.conn = new CheckinConnection({
    url: checkinUrl(window.location),
    user: options.user,
    token: pairing.token,
    consent: session.consentSent,
    onState: onConnectionState,
    onMessage,
    onAudio,
    onSent: (type) => record("out", type),
  });
  renderControls();
  session.conn.start();
}

/** Open the microphone; on failure explain why in plain words. True when it is on. */
async function openMicrophone() {
  try {
    session.mic = await session.audio.openMicrophone({
      voiceProcessing: options.voiceProcessing,
      onFrame,
      onEnded: microphoneLost,
    });
  } catch (error) {
    const code = error instanceof MicrophoneError ? error.code : "failed";
    record("page", "mic_failed", { code });
    showError(MIC_MESSAGES[code], "microphone");
    return false;
  }
  debug.micSettings = session.mic.settings;
  record("page", "mic_started");
  clearError("microphone");
  startMeter();
  return true;
}

/** The device went away (unplugged, or taken by the system) in the middle of a check-in. */
function microphoneLost() {
  if (!session.mic) return;
  session.mic.stop();
  session.mic = null;
  session.level = 0;
  stopTalking(false);
  record("page", "mic_lost");
  showError(
    "The microphone stopped working. Check that it is connected, then press Turn on " +
      "microphone. You can still type below.",
    "microphone",
  );
  if (session.ready) {
    setStatus("ready", "Connected, microphone off");
    setActivity(listeningText());
  }
  renderControls();
}

function endCheckin() {
  if (session.phase !== "live" && session.phase !== "starting") return;
  record("page", "end_pressed");
  stopPlayback("end");
  if (session.conn) {
    session.conn.end();
  } else {
    finish("Check-in ended");
  }
}

function finish(statusText, state = "ended") {
  if (session.mic) {
    session.mic.stop();
    session.mic = null;
  }
  stopTalking(false);
  session.phase = "ended";
  session.ready = false;
  session.level = 0;
  el.retry.hidden = true;
  setStatus(state, statusText);
  renderControls();
  el.start.focus();
}

function onConnectionState(change) {
  record("page", `connection_${change.state}`, change.reason ? { reason: change.reason } : {});
  switch (change.state) {
    case "connecting":
      setStatus("connecting", "Connecting…");
      break;
    case "ready": {
      session.ready = true;
      session.sessions += 1;
      transcript.newSession(); // the server numbers this session's turns from 0
      if (session.sessions > 1) {
        transcript.note("Reconnected. The conversation starts again from here.");
      }
      session.lastTurn = 0;
      session.typed = [];
      session.audioTurn = null;
      session.minAudioTurn = 0;
      el.retry.hidden = true;
      clearError("connection");
      setStatus("ready", session.mic ? "Connected" : "Connected, microphone off");
      setActivity(listeningText());
      renderControls();
      if (!session.mic) el.textInput.focus();
      break;
    }
    case "retrying": {
      session.ready = false;
      stopPlayback("disconnected");
      stopTalking(false);
      const seconds = Math.max(1, Math.round(change.inMs / 1000));
      const message = RETRY_MESSAGES[change.reason] || RETRY_MESSAGES.lost;
      setStatus("retrying", `Reconnecting in ${seconds} s`);
      showError(
        `${message} Trying again in ${seconds} second${seconds === 1 ? "" : "s"}.`,
        "connection",
      );
      el.retry.hidden = false;
      setActivity("Waiting for the server");
      renderControls();
      break;
    }
    case "ended":
      if (change.reason === "idle") {
        transcript.note("The check-in closed after a long silence.");
        finish("Ended after a long silence");
      } else {
        transcript.note("Check-in ended. Take care.");
        finish("Check-in ended");
      }
      setActivity("Take care");
      break;
    case "failed":
      if (change.code === "unauthorized") {
        // The token it sent (if any) was revoked or replaced: forget it, unless another
        // pairing link has been opened since.
        const sent = session.conn ? session.conn.token : null;
        if (sent !== null && sent === pairing.token) forgetPairing();
        showError(PAIRING_MESSAGES.unauthorized, "connection");
        finish("Not paired", "failed");
      } else if (change.code === "too_fast") {
        showError(TOO_FAST_MESSAGES.closed, "connection");
        finish("Check-in stopped", "failed");
      } else {
        showError(
          "The server did not accept this page's connection. Reload the page and try again.",
          "connection",
        );
        finish("Could not connect", "failed");
      }
      setActivity("Not connected");
      break;
    default:
      break;
  }
}

// ---- messages from the server ------------------------------------------------------------

function onMessage(message) {
  const turn = Number.isInteger(message.turn) ? message.turn : null;
  const extra = {};
  if (turn !== null) extra.turn = turn;
  if (typeof message.final === "boolean") extra.final = message.final;
  if (typeof message.interrupted === "boolean") extra.interrupted = message.interrupted;
  if (typeof message.code === "string") extra.code = message.code;
  record("in", message.type, extra);
  if (turn !== null && turn > session.lastTurn) session.lastTurn = turn;

  switch (message.type) {
    case "speech_started":
      // Barge-in: the person is talking; stop the reply at once, even audio already here.
      session.minAudioTurn = Math.max(session.minAudioTurn, turn);
      stopPlayback("speech_started");
      setActivity("Hearing you…");
      break;
    case "speech_stopped":
      setActivity("Thinking…");
      break;
    case "transcript":
      if (typeof message.text !== "string") break;
      if (message.final) {
        if (session.typed.length > 0 && session.typed[0] === message.text) {
          session.typed.shift(); // the server took the typed turn
        }
        transcript.userFinal(turn, message.text);
        clearError("pace");
        setActivity(message.text.trim() ? "Thinking…" : listeningText());
      } else {
        transcript.userPartial(turn, message.text);
      }
      break;
    case "reply_delta":
      if (typeof message.text === "string") transcript.replyDelta(turn, message.text);
      if (!(session.audio && session.audio.playing)) setActivity("Writing a reply…");
      break;
    case "reply":
      if (typeof message.text === "string") {
        transcript.replyFinal(turn, message.text, message.interrupted === true);
      }
      break;
    case "audio_start":
      session.audioTurn = turn;
      session.audioRateHz = message.sample_rate || 22050;
      break;
    case "audio_end":
      if (turn === session.audioTurn) {
        if (message.interrupted) {
          session.minAudioTurn = Math.max(session.minAudioTurn, turn + 1);
          stopPlayback("audio_end_interrupted");
        } else if (session.audio && turn >= session.minAudioTurn) {
          session.audio.endOfStream();
        }
        session.audioTurn = null;
      }
      break;
    case "safety":
      // Shown in full before the scripted reply is spoken; stays until dismissed.
      if (Array.isArray(message.resources)) showHelp(el.help, message.level, message.resources);
      break;
    case "summary":
      if (typeof message.text === "string" && message.text.trim()) {
        transcript.summary(message.text);
      }
      break;
    case "cues":
      if (typeof message.summary === "string" && message.summary.trim() && turn !== null) {
        transcript.cue(turn, message.summary);
      }
      break;
    case "ready":
      onConsentInForce(message.consent, session.consentSent);
      session.consentSent = null;
      break;
    case "error":
      onServerError(message);
      break;
    default:
      break; // metrics, bye, and message types added later
  }
}

function onServerError(message) {
  switch (message.code) {
    case "too_large":
      showError("That message is too long to send. Please shorten it.", "text");
      break;
    case "too_fast":
      onTooFast();
      break;
    case "unauthorized": // the connection fails; the page explains it then
    case "bad_message":
    case "timeout":
    case "not_ready":
    case "overloaded":
    case "internal":
      break; // the connection handles these (retry or end); nothing to ask of the person
    default:
      if (typeof message.message === "string") console.warn("server:", message.code);
  }
}

/** Sent faster than the server takes it: calm words, and a typed turn back in the box. */
function onTooFast() {
  if (session.typed.length > 0) {
    const text = session.typed.shift();
    if (!el.textInput.value.trim()) el.textInput.value = text;
    showError(TOO_FAST_MESSAGES.text, "text");
    if (session.ready) setActivity(listeningText());
  } else {
    showError(TOO_FAST_MESSAGES.audio, "pace");
  }
}

function onAudio(buffer) {
  const turn = session.audioTurn;
  if (turn === null || turn < session.minAudioTurn || !session.audio) return;
  if (buffer.byteLength < 2) return;
  const pcm = new Int16Array(buffer, 0, buffer.byteLength >> 1);
  debug.receivedSamples[turn] = (debug.receivedSamples[turn] || 0) + pcm.length;
  session.audio.play(pcm, session.audioRateHz);
}

// ---- audio --------------------------------------------------------------------------------

function onPlayback(event) {
  const extra = event.type === "stopped" ? { droppedFrames: event.droppedFrames } : {};
  record("page", `playback_${event.type}`, extra);
  if (!session.ready) return;
  if (event.type === "playing") {
    const how = el.pushToTalk.checked ? "hold Talk" : "talk any time";
    setActivity(`Speaking. To interrupt, ${how}`);
  } else if (event.type === "drained") {
    setActivity(listeningText());
  }
}

function onTap(stats) {
  Object.assign(debug.playback, stats);
}

function stopPlayback(reason) {
  if (!session.audio) return;
  record("page", "playback_stop", { reason });
  session.audio.stop();
}

function onFrame(pcm, level) {
  session.level = level;
  const conn = session.conn;
  if (!conn || !session.ready) return;
  const silent = el.pushToTalk.checked && !session.talkHeld;
  // Push to talk: keep the stream flowing (the protocol expects continuous audio), silent.
  if (conn.sendAudio(silent ? new Int16Array(pcm.length) : pcm)) debug.sentFrames += 1;
}

function startTalking() {
  if (session.talkHeld || !session.ready || !el.pushToTalk.checked) return;
  session.talkHeld = true;
  el.talk.setAttribute("aria-pressed", "true");
  el.talk.textContent = "Release when done";
  session.minAudioTurn = Math.max(session.minAudioTurn, session.lastTurn + 1);
  stopPlayback("talk");
  record("page", "talk_pressed");
  setActivity("Listening while you hold");
}

function stopTalking(commit = true) {
  if (!session.talkHeld) return;
  session.talkHeld = false;
  el.talk.setAttribute("aria-pressed", "false");
  el.talk.textContent = "Hold to talk";
  record("page", "talk_released");
  if (commit && session.conn && session.conn.send({ type: "commit" })) record("out", "commit");
  if (session.ready) setActivity(listeningText()); // speech_stopped follows if you spoke
}

function sendText() {
  const text = el.textInput.value.trim();
  if (!text || !session.conn) return;
  if (!session.conn.send({ type: "text", text })) {
    showError("Not connected right now, so that was not sent. It is still in the box.", "text");
    return;
  }
  session.typed.push(text);
  if (session.typed.length > 20) session.typed.shift();
  // A typed turn interrupts the reply, like speech.
  session.minAudioTurn = Math.max(session.minAudioTurn, session.lastTurn + 1);
  stopPlayback("text");
  clearError("text");
  el.textInput.value = "";
  setActivity("Thinking…");
}

// The level meter: fast rise, slow fall, drawn once per frame while the microphone is on.
let shownLevel = 0;
let meterRunning = false;

function startMeter() {
  if (!meterRunning) {
    meterRunning = true;
    requestAnimationFrame(drawMeter);
  }
}

function drawMeter() {
  const db = session.level > 0 ? 20 * Math.log10(session.level) : -100;
  const target = Math.min(1, Math.max(0, (db + 60) / 55));
  shownLevel = target > shownLevel ? target : shownLevel * 0.9 + target * 0.1;
  el.meterFill.style.transform = `scaleX(${shownLevel.toFixed(3)})`;
  document.body.classList.toggle("mic-on", Boolean(session.mic));
  meterRunning = Boolean(session.mic) || shownLevel > 0.001;
  if (meterRunning) requestAnimationFrame(drawMeter);
}

loadPairing();
loadConsent();
pairFromLink();
renderControls();
