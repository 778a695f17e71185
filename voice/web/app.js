// The check-in page: wires the microphone, the websocket and the captions together, and runs
// the check-in's lifecycle and controls. Its parts live in their own modules: messages.js
// (the words), storage.js, debug.js (window.voiceDebug), status-lines.js, meter.js,
// talk.js, consent-panel.js, pairing-panel.js and server-events.js. "My space" (the person's
// kept check-ins, trends, safety plan, what is kept, export and erase) is my-space.js and the
// section modules it shows, over the person's API (api.js).

import { personApi } from "./api.js";
import { AudioEngine, MicrophoneError } from "./audio.js";
import { CheckinConnection, checkinUrl } from "./connection.js";
import { ConsentPanel } from "./consent-panel.js";
import { installDebug } from "./debug.js";
import { levelMeter } from "./meter.js";
import { MIC_MESSAGES } from "./messages.js";
import { createMySpace } from "./my-space.js";
import { PairingPanel } from "./pairing-panel.js";
import { preferences } from "./preferences.js";
import { serverEvents } from "./server-events.js";
import { statusLines } from "./status-lines.js";
import { holdToTalk } from "./talk.js";
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
};

const transcript = new Transcript(el.log, el.conversation);
const { debug, record } = installDebug(options);
const { setStatus, setActivity, showError, clearError } = statusLines(el);

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

const isLive = () => session.phase === "starting" || session.phase === "live";

// A 401 means the server no longer accepts this device's token (revoked, or everything was
// erased from elsewhere): forget it, as a refused check-in does; the caller shows why.
const api = personApi(() => pairing.token, {
  onUnauthorized: () => {
    pairing.forget();
    renderControls();
  },
});

const consent = new ConsentPanel({
  isPaired: () => pairing.paired,
  isLive,
  record,
  api,
});

const pairing = new PairingPanel(el.signOut, {
  record,
  showError,
  clearError,
  setStatus,
  isLive,
  forgetConsent: () => consent.forget(),
  endForSignOut,
  onChange: renderControls,
});

const mySpace = createMySpace({
  api,
  consent,
  record,
  token: () => pairing.token,
  isLive,
  onErased: erased,
});

const meter = levelMeter(el.meterFill, {
  level: () => session.level,
  micOn: () => Boolean(session.mic),
});

const talk = holdToTalk(el.talk, {
  session,
  pushToTalk: el.pushToTalk,
  stopPlayback,
  record,
  setActivity,
  listeningText,
});

const server = serverEvents({
  session,
  transcript,
  debug,
  record,
  el,
  pairing,
  consent,
  setStatus,
  setActivity,
  showError,
  clearError,
  finish,
  renderControls,
  stopPlayback,
  stopTalking: talk.stop,
  listeningText,
});

/** Sign-out's part in the check-in: end it and clear what it showed (pairing-panel.js). */
function endForSignOut() {
  const conn = session.conn;
  session.conn = null;
  if (conn) conn.detach(); // ends the server session; nothing more from it is shown
  stopPlayback("sign_out");
  if (isLive()) finish("Signed out", "idle");
  transcript.clear(); // nothing of the person's words stays on a shared screen
  consent.close();
  mySpace.close();
  session.typed = [];
  el.retry.hidden = true;
  clearError("connection");
  setActivity("Not connected");
  el.start.focus();
}

/** Everything was erased (my-data.js): the token no longer works, so forget it and say so. */
function erased() {
  mySpace.showErased();
  transcript.clear();
  pairing.forget();
  setStatus("idle", "Everything was erased: this device is no longer paired");
  renderControls();
}

// ---- settings --------------------------------------------------------------------------

preferences(el.pushToTalk, el.showCues, () => {
  if (!el.pushToTalk.checked && session.talkHeld) talk.stop();
  renderControls();
});

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
  el.signOut.hidden = !pairing.paired;
  mySpace.render();
  const usable = live && session.ready;
  el.done.disabled = !usable;
  el.talk.disabled = !usable;
  el.textInput.disabled = !usable;
  document.getElementById("send").disabled = !usable;
  document.body.dataset.phase = session.phase;
}

function listeningText() {
  if (!session.mic) return "Type your message below";
  return el.pushToTalk.checked ? "Hold Talk while you speak" : "Listening";
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
  consent.hideSummary(); // until this check-in's ready says what is in force
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
  session.consentSent = pairing.paired ? consent.pending : null;
  session.conn = new CheckinConnection({
    url: checkinUrl(window.location),
    user: options.user,
    token: pairing.token,
    consent: session.consentSent,
    onState: server.onState,
    onMessage: server.onMessage,
    onAudio: server.onAudio,
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
  meter.start();
  return true;
}

/** The device went away (unplugged, or taken by the system) in the middle of a check-in. */
function microphoneLost() {
  if (!session.mic) return;
  session.mic.stop();
  session.mic = null;
  session.level = 0;
  talk.stop(false);
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
  talk.stop(false);
  session.phase = "ended";
  session.ready = false;
  session.level = 0;
  el.retry.hidden = true;
  setStatus(state, statusText);
  renderControls();
  el.start.focus();
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

pairing.load();
consent.load();
pairing.fromLink();
renderControls();
