// What the connection and the server tell the page during a check-in: each state change and
// message becomes an event for the page's state (state.js), and the captions and reply audio
// follow it.

import { TOO_FAST_MESSAGES } from "./messages.js";

/**
 * The handlers a CheckinConnection calls: `{ onState, onMessage, onAudio }`. `ctx`:
 * `dispatch` (an event for the state), `state()` (the state now), `plumbing` (which
 * turn's audio plays: audioTurn, minAudioTurn, lastTurn, typed, replies), `transcript`,
 * `debug`, `record`, `pairing`, `consentInForce` (what `ready` says is kept), `textInput`,
 * `showText` (a notice in the page's own words) and `playback` ({play, end, stop}).
 */
export function serverEvents(ctx) {
  const { dispatch, plumbing, transcript, debug, record } = ctx;

  function onState(change) {
    record("page", `connection_${change.state}`, change.reason ? { reason: change.reason } : {});
    switch (change.state) {
      case "connecting":
        dispatch({ type: "connecting" });
        break;
      case "ready":
        transcript.newSession(); // the server numbers this session's turns from 0
        if (ctx.state().sessions > 0) {
          transcript.note("Reconnected. The conversation starts again from here.");
        }
        plumbing.newSession();
        dispatch({ type: "ready", resources: change.resources });
        break;
      case "retrying":
        ctx.playback.stop("disconnected");
        transcript.settle();
        dispatch({ type: "retrying", reason: change.reason, inMs: change.inMs, now: Date.now() });
        break;
      case "ended":
        ctx.playback.stop("ended");
        transcript.settle();
        transcript.note(
          change.reason === "idle"
            ? "The check-in closed after a long silence."
            : "Check-in ended. Take care.",
        );
        dispatch({ type: "ended", reason: change.reason });
        break;
      case "failed": {
        ctx.playback.stop("failed");
        transcript.settle();
        if (change.code === "unauthorized") {
          // The token it sent (if any) was revoked or replaced: forget it, unless another
          // pairing link has been opened since.
          const sent = ctx.connection() ? ctx.connection().token : null;
          if (sent !== null && sent === ctx.pairing.token) ctx.pairing.forget();
        }
        dispatch({ type: "failed", code: change.code || "rejected" });
        break;
      }
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
    if (message.type !== "pong") record("in", message.type, extra);
    if (turn !== null && turn > plumbing.lastTurn) plumbing.lastTurn = turn;

    switch (message.type) {
      case "speech_started":
        // Barge-in: the person is talking; stop the reply at once, even audio already here.
        plumbing.minAudioTurn = Math.max(plumbing.minAudioTurn, turn);
        ctx.playback.stop("speech_started");
        dispatch({ type: "speech_started" });
        break;
      case "speech_stopped":
        dispatch({ type: "speech_stopped" });
        break;
      case "transcript":
        if (typeof message.text !== "string") break;
        if (message.final) {
          if (plumbing.typed.length > 0 && plumbing.typed[0] === message.text) {
            plumbing.typed.shift(); // the server took the typed turn
          }
          transcript.userFinal(turn, message.text);
        } else {
          transcript.userPartial(turn, message.text);
        }
        dispatch({ type: "transcript", final: message.final === true, text: message.text });
        break;
      case "reply_delta":
        if (typeof message.text === "string") transcript.replyDelta(turn, message.text);
        dispatch({ type: "reply_delta", turn });
        break;
      case "reply":
        if (typeof message.text === "string") {
          transcript.replyFinal(turn, message.text, message.interrupted === true);
        }
        dispatch({ type: "reply", turn, interrupted: message.interrupted === true });
        break;
      case "audio_start":
        plumbing.startAudio(turn, message.sample_rate || 22050);
        if (turn >= plumbing.minAudioTurn) dispatch({ type: "audio_start", turn });
        break;
      case "audio_end":
        onAudioEnd(turn, message.interrupted === true);
        break;
      case "safety":
        dispatch({ type: "safety", level: message.level, resources: message.resources });
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
        ctx.consentInForce(message.consent);
        break;
      case "error":
        if (message.code === "too_fast") onTooFast();
        dispatch({ type: "error", code: message.code });
        break;
      default:
        break; // metrics, pong, bye, and message types added later
    }
  }

  function onAudioEnd(turn, interrupted) {
    if (turn !== plumbing.audioTurn) return;
    const received = plumbing.endAudio(turn);
    if (interrupted) {
      plumbing.minAudioTurn = Math.max(plumbing.minAudioTurn, turn + 1);
      ctx.playback.stop("audio_end_interrupted");
    } else if (received && turn >= plumbing.minAudioTurn) {
      ctx.playback.end();
    }
    dispatch({ type: "audio_end", turn, interrupted, received });
  }

  /** Sent faster than the server takes it: calm words, and a typed turn back in the box. */
  function onTooFast() {
    if (plumbing.typed.length > 0) {
      const text = plumbing.typed.shift();
      if (!ctx.textInput.value.trim()) ctx.textInput.value = text;
      ctx.showText("text", TOO_FAST_MESSAGES.text);
      dispatch({ type: "transcript", final: true, text: "" }); // nothing to wait for
    } else {
      ctx.showText("pace", TOO_FAST_MESSAGES.audio);
    }
  }

  function onAudio(buffer) {
    const turn = plumbing.audioTurn;
    if (turn === null || turn < plumbing.minAudioTurn) return;
    if (buffer.byteLength < 2) return;
    const pcm = new Int16Array(buffer, 0, buffer.byteLength >> 1);
    debug.receivedSamples[turn] = (debug.receivedSamples[turn] || 0) + pcm.length;
    plumbing.keep(turn, pcm);
    ctx.playback.play(pcm, plumbing.audioRateHz);
  }

  return { onState, onMessage, onAudio };
}
