// The check-in page: one state (state.js) changed by events, drawn by the view (view.js);
// this module wires the elements, the microphone, the websocket and the captions to it, and
// carries out what a change of state asks for (send a commit, stop the reply, close the
// microphone). Its other parts: page.js (the elements and URL options), messages.js (the
// words), preferences.js (settings), talk.js (push to talk), reply-audio.js,
// server-events.js, help.js, meter.js, debug.js (window.voiceDebug), consent-panel.js and
// pairing-panel.js. "My space" (the person's kept check-ins, trends, safety plan, what is
// kept, export and erase) is my-space.js and the section modules it shows, over the
// person's API (api.js).

import { personApi } from "./api.js";
import { AudioEngine, MicrophoneError } from "./audio.js";
import { CheckinConnection, checkinUrl } from "./connection.js";
import { ConsentPanel } from "./consent-panel.js";
import { installDebug } from "./debug.js";
import { rememberedLines, rememberLines } from "./help.js";
import { levelMeter } from "./meter.js";
import { createMySpace } from "./my-space.js";
import { byId, el, options } from "./page.js";
import { PairingPanel } from "./pairing-panel.js";
import { loadPreferences, savePreference } from "./preferences.js";
import { ReplyAudio } from "./reply-audio.js";
import { serverEvents } from "./server-events.js";
import { initialState, isLive, reduce, sendsVoice } from "./state.js";
import { talkButton } from "./talk.js";
import { Transcript } from "./transcript.js";
import { checkinView } from "./view.js";

const transcript = new Transcript(el.log, el.conversation);
const { debug, record } = installDebug(options);
const view = checkinView(el);
const audioPath = new ReplyAudio();
const prefs = loadPreferences();

let state = initialState(prefs);
state = { ...state, help: { ...state.help, lines: rememberedLines() } };
let audio = null; // AudioEngine, kept across check-ins
let mic = null; // the open microphone
let conn = null; // the CheckinConnection of this check-in
let level = 0; // the microphone's latest level, for the meter
let countdown = null; // redraws the reconnect countdown every second
let consentSent = null; // the saved choice this check-in's hello carries, until ready

/** Change the state by `event`, carry out what the change asks for, and redraw. */
function dispatch(event) {
  const prev = state;
  state = reduce(state, event);
  if (state !== prev) follow(prev, state, event);
  view.render(state, Date.now());
  mySpace.render();
  el.signOut.hidden = !pairing.paired;
}

/** The effects of a change of state. */
function follow(prev, next, event) {
  if (!prev.talking && next.talking) {
    audioPath.interrupt(); // talking interrupts the reply
    stopPlayback("talk");
    record("page", "talk_pressed");
  } else if (prev.talking && !next.talking) {
    record("page", "talk_released");
    if (event.type === "talk_up" && conn && conn.send({ type: "commit" })) record("out", "commit");
  }
  if (event.type === "stop_reply") {
    audioPath.interrupt();
    stopPlayback("stop_reply");
  }
  if (prev.mic !== next.mic && mic) mic.setEnabled(next.mic === "on");
  if (next.connection === "ready" && prev.connection !== "ready" && next.outbox.length) {
    const waiting = next.outbox;
    queueMicrotask(() => {
      for (const text of waiting) sendText(text);
      dispatch({ type: "outbox_sent" });
    });
  }
  if (isLive(prev) && !isLive(next)) closeMicrophone();
  if (next.help.lines !== prev.help.lines) rememberLines(next.help.lines);
  if (next.cues !== prev.cues) {
    savePreference("cues", next.cues);
    if (conn) conn.cues = next.cues; // the replies follow from the next hello (a reconnect)
  }
  if (next.cuesAsked !== prev.cuesAsked) savePreference("cuesAsked", next.cuesAsked);
  if (next.pushToTalk !== prev.pushToTalk) savePreference("pushToTalk", next.pushToTalk);
  if ((next.connection === "retrying") !== (countdown !== null)) {
    if (countdown === null) {
      countdown = setInterval(() => view.render(state, Date.now()), 1000);
    } else {
      clearInterval(countdown);
      countdown = null;
    }
  }
  if (next.connection === "ready" && prev.connection !== "ready") {
    // Without a microphone the person types: put them in the box (unless help has focus).
    const typing = !["on", "muted", "opening"].includes(next.mic);
    if (typing && !el.help.contains(document.activeElement)) el.textInput.focus();
  }
}

// ---- the parts that live beside the check-in ----------------------------------------------

// A 401 means the server no longer accepts this device's token (revoked, or everything was
// erased from elsewhere): forget it, as a refused check-in does; the caller shows why.
const api = personApi(() => pairing.token, {
  onUnauthorized: () => {
    pairing.forget();
    dispatch({ type: "redraw" });
  },
});

const consent = new ConsentPanel({
  isPaired: () => pairing.paired,
  isLive: () => isLive(state),
  record,
  api,
});

const pairing = new PairingPanel(el.signOut, {
  record,
  showError: (text, kind) => dispatch({ type: "notice", kind, text }),
  clearError: (kind) => dispatch({ type: "notice_clear", kind }),
  setStatus: (_state, text) => dispatch({ type: "idle_status", text }),
  isLive: () => isLive(state),
  forgetConsent: () => consent.forget(),
  endForSignOut,
  onChange: () => dispatch({ type: "redraw" }),
});

const mySpace = createMySpace({
  api,
  consent,
  record,
  token: () => pairing.token,
  isLive: () => isLive(state),
  onErased: erased,
});

const meter = levelMeter(el.meterFill, {
  level: () => level,
  micOn: () => state.mic === "on",
});

const server = serverEvents({
  dispatch,
  state: () => state,
  connection: () => conn,
  plumbing: audioPath,
  transcript,
  debug,
  record,
  pairing,
  consentInForce: (inForce) => {
    consent.onInForce(inForce, consentSent);
    consentSent = null;
  },
  textInput: el.textInput,
  showText: (kind, text) => dispatch({ type: "notice", kind, text }),
  playback: {
    play: (pcm, rateHz) => audio && audio.play(pcm, rateHz),
    end: () => audio && audio.endOfStream(),
    stop: stopPlayback,
  },
});

/** Sign-out's part in the check-in: end it and clear what it showed (pairing-panel.js). */
function endForSignOut() {
  const old = conn;
  conn = null;
  if (old) old.detach(); // ends the server session; nothing more from it is shown
  stopPlayback("sign_out");
  dispatch({ type: "ended", reason: "sign_out" });
  clearScreen();
  consent.close();
  mySpace.close();
  el.start.focus();
}

/** Everything was erased (my-data.js): the token no longer works, so forget it and say so. */
function erased() {
  mySpace.showErased();
  transcript.clear();
  pairing.forget();
  dispatch({ type: "idle_status", text: "Everything was erased: this device is no longer paired" });
}

// ---- controls -------------------------------------------------------------------------------

el.start.addEventListener("click", start);
el.done.addEventListener("click", () => {
  if (conn && conn.send({ type: "commit" })) record("out", "commit");
});
el.end.addEventListener("click", endCheckin);
el.retry.addEventListener("click", () => conn && conn.retryNow());
el.micRetry.addEventListener("click", async () => {
  if (audio) await openMicrophone();
});
el.stopReply.addEventListener("click", () => dispatch({ type: "stop_reply" }));
el.replay.addEventListener("click", replay);
el.mute.addEventListener("click", () =>
  dispatch({ type: state.mic === "muted" ? "unmute" : "mute" }),
);
el.typing.addEventListener("submit", (event) => {
  event.preventDefault();
  typed();
});
el.helpNow.addEventListener("click", () =>
  dispatch({ type: state.help.open ? "help_close" : "help_open" }),
);
el.helpClose.addEventListener("click", () => dispatch({ type: "help_close" }));
el.pushToTalk.addEventListener("change", () =>
  dispatch({ type: "push_to_talk", on: el.pushToTalk.checked }),
);
el.showCues.addEventListener("change", () => dispatch({ type: "cues", on: el.showCues.checked }));
byId("cues-yes").addEventListener("click", () => dispatch({ type: "cues", on: true }));
byId("cues-no").addEventListener("click", () => dispatch({ type: "cues", on: false }));
el.clearScreen.addEventListener("click", () => {
  clearScreen();
  record("page", "screen_cleared");
});
talkButton(el.talk, dispatch);
window.addEventListener("online", () => conn && conn.retryNow());

/** Remove the conversation from the screen (a shared device); the check-in goes on. */
function clearScreen() {
  transcript.clear();
  el.textInput.value = "";
}

// ---- check-in lifecycle ---------------------------------------------------------------------

async function start() {
  if (isLive(state)) return;
  dispatch({ type: "start" });
  audioPath.typed = [];
  el.intro.hidden = true;
  consent.hideSummary(); // until this check-in's ready says what is in force
  if (el.log.children.length > 0) transcript.note("New check-in");

  try {
    if (!window.isSecureContext) throw new MicrophoneError("insecure");
    if (!audio) {
      audio = await AudioEngine.create({ onPlayback, onTap });
      debug.contextRateHz = audio.sampleRateHz;
      debug.playback.sampleRateHz = audio.sampleRateHz;
    } else {
      await audio.context.resume();
    }
  } catch (error) {
    audio = null;
    const code = error instanceof MicrophoneError ? error.code : "unsupported";
    record("page", "mic_failed", { code });
    dispatch({ type: "audio_failed", code });
  }
  if (audio) await openMicrophone();
  if (!isLive(state)) {
    closeMicrophone(); // ended while the microphone was opening
    return;
  }

  // The choice saved now is what this check-in asks for; one saved later waits for the next.
  consentSent = pairing.paired ? consent.pending : null;
  conn = new CheckinConnection({
    url: checkinUrl(window.location),
    user: options.user,
    token: pairing.token,
    consent: consentSent,
    cues: state.cues,
    onState: server.onState,
    onMessage: server.onMessage,
    onAudio: server.onAudio,
    onSent: (type) => record("out", type),
  });
  conn.start();
}

/** Open the microphone; on failure the state says why, in plain words. */
async function openMicrophone() {
  try {
    mic = await audio.openMicrophone({
      voiceProcessing: options.voiceProcessing,
      onFrame,
      onEnded: microphoneLost,
    });
  } catch (error) {
    const code = error instanceof MicrophoneError ? error.code : "failed";
    record("page", "mic_failed", { code });
    dispatch({ type: "mic_failed", code });
    return;
  }
  debug.micSettings = mic.settings;
  record("page", "mic_started");
  dispatch({ type: "mic_opened" });
  meter.start();
}

function closeMicrophone() {
  if (mic) mic.stop();
  mic = null;
  level = 0;
}

/** The device went away (unplugged, or taken by the system) in the middle of a check-in. */
function microphoneLost() {
  if (!mic) return;
  closeMicrophone();
  record("page", "mic_lost");
  dispatch({ type: "mic_lost" });
}

function endCheckin() {
  if (!isLive(state)) return;
  record("page", "end_pressed");
  stopPlayback("end");
  if (conn) conn.end();
  else dispatch({ type: "ended", reason: "closed" });
}

// ---- audio ----------------------------------------------------------------------------------

function onPlayback(event) {
  const extra = event.type === "stopped" ? { droppedFrames: event.droppedFrames } : {};
  record("page", `playback_${event.type}`, extra);
  if (event.type === "playing") dispatch({ type: "playing" });
  else if (event.type === "drained") dispatch({ type: "drained" });
}

function onTap(stats) {
  Object.assign(debug.playback, stats);
}

function stopPlayback(reason) {
  if (!audio) return;
  record("page", "playback_stop", { reason });
  audio.stop();
}

function replay() {
  const kept = audioPath.replay();
  if (!kept || !audio) return;
  record("page", "replay");
  dispatch({ type: "replay" });
  for (const chunk of kept.chunks) audio.play(chunk, kept.rateHz);
  audio.endOfStream();
}

function onFrame(pcm, frameLevel) {
  level = state.mic === "on" ? frameLevel : 0;
  if (!conn || state.connection !== "ready") return;
  // Muted, or push to talk while not talking: keep the stream flowing (the protocol expects
  // continuous audio), silent.
  if (conn.sendAudio(sendsVoice(state) ? pcm : new Int16Array(pcm.length))) debug.sentFrames += 1;
}

/** The text box's words: sent now, or kept until the server is back. */
function typed() {
  const text = el.textInput.value.trim();
  if (!text || !isLive(state)) return;
  el.textInput.value = "";
  if (state.connection === "ready" && sendText(text)) return;
  dispatch({ type: "text_queued", text });
}

function sendText(text) {
  if (!conn || !conn.send({ type: "text", text })) return false;
  audioPath.typed.push(text);
  if (audioPath.typed.length > 20) audioPath.typed.shift();
  // A typed turn interrupts the reply, like speech.
  audioPath.interrupt();
  stopPlayback("text");
  dispatch({ type: "notice_clear", kind: "text" });
  dispatch({ type: "text_sent" });
  return true;
}

pairing.load();
consent.load();
pairing.fromLink();
dispatch({ type: "redraw" });
