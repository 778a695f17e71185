// What the connection and the server tell the page during a check-in: the connection's state
// changes, the server's messages (captions, replies, errors) and the reply audio.

import { showHelp } from "./help.js";
import { PAIRING_MESSAGES, RETRY_MESSAGES, TOO_FAST_MESSAGES } from "./messages.js";

/**
 * The handlers a CheckinConnection calls: `{ onState, onMessage, onAudio }`. `ctx` holds what
 * they act on: `session` (the page's check-in state), `transcript`, `debug`, `record`,
 * `el` (help, retry, textInput), `pairing`, `consent`, the page's lines (`setStatus`,
 * `setActivity`, `showError`, `clearError`) and its actions (`finish`, `renderControls`,
 * `stopPlayback`, `stopTalking`, `listeningText`).
 */
export function serverEvents(ctx) {
  const { session, transcript, debug, record, el } = ctx;
  const { setStatus, setActivity, showError, clearError } = ctx;

  function onState(change) {
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
        setActivity(ctx.listeningText());
        ctx.renderControls();
        if (!session.mic) el.textInput.focus();
        break;
      }
      case "retrying": {
        session.ready = false;
        ctx.stopPlayback("disconnected");
        ctx.stopTalking(false);
        const seconds = Math.max(1, Math.round(change.inMs / 1000));
        const message = RETRY_MESSAGES[change.reason] || RETRY_MESSAGES.lost;
        setStatus("retrying", `Reconnecting in ${seconds} s`);
        showError(
          `${message} Trying again in ${seconds} second${seconds === 1 ? "" : "s"}.`,
          "connection",
        );
        el.retry.hidden = false;
        setActivity("Waiting for the server");
        ctx.renderControls();
        break;
      }
      case "ended":
        if (change.reason === "idle") {
          transcript.note("The check-in closed after a long silence.");
          ctx.finish("Ended after a long silence");
        } else {
          transcript.note("Check-in ended. Take care.");
          ctx.finish("Check-in ended");
        }
        setActivity("Take care");
        break;
      case "failed":
        if (change.code === "unauthorized") {
          // The token it sent (if any) was revoked or replaced: forget it, unless another
          // pairing link has been opened since.
          const sent = session.conn ? session.conn.token : null;
          if (sent !== null && sent === ctx.pairing.token) ctx.pairing.forget();
          showError(PAIRING_MESSAGES.unauthorized, "connection");
          ctx.finish("Not paired", "failed");
        } else if (change.code === "too_fast") {
          showError(TOO_FAST_MESSAGES.closed, "connection");
          ctx.finish("Check-in stopped", "failed");
        } else {
          showError(
            "The server did not accept this page's connection. Reload the page and try again.",
            "connection",
          );
          ctx.finish("Could not connect", "failed");
        }
        setActivity("Not connected");
        break;
      default:
        break;
    }
  }

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
        ctx.stopPlayback("speech_started");
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
          setActivity(message.text.trim() ? "Thinking…" : ctx.listeningText());
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
            ctx.stopPlayback("audio_end_interrupted");
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
        ctx.consent.onInForce(message.consent, session.consentSent);
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
      if (session.ready) setActivity(ctx.listeningText());
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

  return { onState, onMessage, onAudio };
}
