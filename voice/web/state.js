// The check-in page's state: one object, changed only by `reduce(state, event)`. Pure: no
// DOM, no clock, no sockets (times arrive inside events), so every transition is tested
// with `node --test` (tests/web/js/state.test.mjs). The view (view.js) renders from it; the
// page (app.js) turns what happens into events and carries out what the state asks for.

/** Where the link to the server is. */
export const CONNECTION = ["idle", "connecting", "ready", "retrying", "ended", "failed"];
/** Where the current turn is, while connected. */
export const TURN = ["listening", "hearing", "thinking", "writing", "speaking"];
/** The microphone. `denied` covers every reason it could not open (see `micError`). */
export const MIC = ["off", "opening", "on", "muted", "denied", "lost"];

/** How long a press of Talk may last and still be a tap (it toggles instead of holding). */
export const TAP_MS = 350;

/** The state of a page that has not started a check-in. */
export function initialState({ pushToTalk = false, cues = false, cuesAsked = false } = {}) {
  return {
    connection: "idle",
    retryAt: null, // clock ms of the next attempt, while retrying
    reason: null, // why it is retrying, ended or failed (a stable code)
    sessions: 0, // server sessions in this check-in (more than one after a reconnect)
    turn: "listening",
    reply: null, // the reply being written or spoken: {turn, final, audio, played}
    stoppedTurn: null, // the reply the person stopped: the rest of it is not waited for
    lastReplyTurn: null, // the last reply that finished with audio (it can be replayed)
    mic: "off",
    micError: null, // refused | missing | busy | insecure | unsupported | failed
    audioOut: true, // false when this browser cannot play the replies here
    pushToTalk,
    talking: null, // while talking with push to talk: {since, latched}
    cues, // voice notes shown (asked first: off until the person turns them on)
    cuesAsked, // whether the person has answered the offer of voice notes
    help: { open: false, level: null, lines: [], focus: 0 },
    outbox: [], // typed turns waiting for the connection
    notice: null, // a problem to show near the controls: {kind, code} or {kind, text}
    idleText: null, // the status line's words when no check-in is on (pairing news)
  };
}

const LIVE = new Set(["connecting", "ready", "retrying"]);

/** True while a check-in is going on (connected or trying to be). */
export function isLive(state) {
  return LIVE.has(state.connection);
}

/** Levels the help panel shows; anything else the server sends is shown as a crisis. */
const LEVELS = new Set(["crisis", "concern"]);

/** Errors the connection or the server handles itself: nothing to tell the person. */
const QUIET_ERRORS = new Set([
  "unauthorized",
  "bad_message",
  "timeout",
  "not_ready",
  "overloaded",
  "internal",
]);

/**
 * The state after `event` ({type, ...}). Unknown events leave it as it is. Events:
 *   start, mic_opened, mic_failed {code}, mic_lost, mute, unmute, audio_failed {code}
 *   connecting, ready {resources}, retrying {reason, inMs, now}, ended {reason},
 *   failed {code}
 *   speech_started, speech_stopped, transcript {final, text}, reply_delta {turn},
 *   audio_start {turn}, audio_end {turn, interrupted, received}, reply {turn, interrupted},
 *   playing, drained, stop_reply, replay
 *   text_sent, text_queued {text}, outbox_sent, error {code}, notice {kind, text}
 *   talk_down {now}, talk_up {now}, talk_cancel, push_to_talk {on}, cues {on}
 *   safety {level, resources}, help_open, help_close, notice_clear {kind},
 *   idle_status {text}
 */
export function reduce(state, event) {
  const handler = HANDLERS[event.type];
  return handler ? handler(state, event) : state;
}

const HANDLERS = {
  // ---- the check-in and its link ------------------------------------------------------
  start: (s) =>
    isLive(s)
      ? s
      : {
          ...s,
          connection: "connecting",
          retryAt: null,
          reason: null,
          sessions: 0,
          turn: "listening",
          reply: null,
          mic: s.mic === "on" || s.mic === "muted" ? s.mic : "opening",
          micError: null,
          talking: null,
          outbox: [],
          notice: null,
        },
  connecting: (s) => (isLive(s) ? { ...s, connection: "connecting", retryAt: null } : s),
  ready: (s, e) => {
    if (!isLive(s)) return s;
    const lines = validLines(e.resources);
    return {
      ...s,
      connection: "ready",
      retryAt: null,
      reason: null,
      sessions: s.sessions + 1,
      turn: "listening",
      reply: null,
      stoppedTurn: null, // a new server session numbers its turns from 0 again
      lastReplyTurn: null, // a new server session: its audio is gone
      help: lines.length ? { ...s.help, lines } : s.help,
      notice: s.notice && s.notice.kind === "connection" ? null : s.notice,
    };
  },
  retrying: (s, e) =>
    isLive(s)
      ? {
          ...s,
          connection: "retrying",
          retryAt: e.now + e.inMs,
          reason: e.reason,
          turn: "listening",
          reply: null,
          talking: null,
          notice: { kind: "connection", code: e.reason },
        }
      : s,
  ended: (s, e) =>
    isLive(s) ? { ...closed(s), connection: "ended", reason: e.reason || "closed" } : s,
  failed: (s, e) =>
    isLive(s)
      ? {
          ...closed(s),
          connection: "failed",
          reason: e.code || "rejected",
          notice: { kind: "connection", code: e.code || "rejected" },
        }
      : s,

  // ---- the microphone -----------------------------------------------------------------
  mic_opened: (s) => ({ ...s, mic: "on", micError: null, notice: clearKind(s, "microphone") }),
  mic_failed: (s, e) => ({
    ...s,
    mic: "denied",
    micError: e.code,
    talking: null,
    notice: { kind: "microphone", code: e.code },
  }),
  mic_lost: (s) =>
    s.mic === "on" || s.mic === "muted"
      ? { ...s, mic: "lost", talking: null, notice: { kind: "microphone", code: "lost" } }
      : s,
  mute: (s) => (s.mic === "on" ? { ...s, mic: "muted", talking: null } : s),
  unmute: (s) => (s.mic === "muted" ? { ...s, mic: "on" } : s),
  audio_failed: (s, e) => ({
    ...s,
    audioOut: false,
    mic: "denied",
    micError: e.code,
    notice: { kind: "microphone", code: e.code },
  }),

  // ---- a turn -------------------------------------------------------------------------
  speech_started: (s) => (ready(s) ? { ...s, turn: "hearing", reply: null } : s),
  speech_stopped: (s) => (ready(s) && s.turn === "hearing" ? { ...s, turn: "thinking" } : s),
  transcript: (s, e) => {
    if (!ready(s) || !e.final) return s;
    if (String(e.text || "").trim()) {
      return { ...s, turn: "thinking", notice: clearKind(s, "pace") };
    }
    // Nothing was said after all (a cough, a door): back to listening, unless a reply is on.
    return s.turn === "hearing" || s.turn === "thinking" ? { ...s, turn: "listening" } : s;
  },
  reply_delta: (s, e) => {
    if (!ready(s) || e.turn === s.stoppedTurn) return s;
    const reply = s.reply && s.reply.turn === e.turn ? s.reply : newReply(e.turn);
    return { ...s, reply, turn: s.turn === "speaking" ? "speaking" : "writing" };
  },
  audio_start: (s, e) => {
    if (!ready(s) || !s.audioOut || e.turn === s.stoppedTurn) return s;
    const reply = s.reply && s.reply.turn === e.turn ? s.reply : newReply(e.turn);
    return { ...s, reply: { ...reply, audio: "coming" } };
  },
  audio_end: (s, e) => {
    if (!s.reply || s.reply.turn !== e.turn) return s;
    if (e.interrupted || !e.received) {
      // Nothing (more) will play: a reply already written is over.
      const reply = { ...s.reply, audio: "none" };
      return settle({ ...s, reply });
    }
    return s;
  },
  reply: (s, e) => {
    if (!ready(s) || e.turn === s.stoppedTurn) return s;
    const reply = { ...(s.reply && s.reply.turn === e.turn ? s.reply : newReply(e.turn)) };
    reply.final = true;
    if (e.interrupted) reply.audio = "none";
    return settle({ ...s, reply });
  },
  playing: (s) =>
    ready(s) && s.reply && s.reply.audio !== "none"
      ? { ...s, turn: "speaking", reply: { ...s.reply, audio: "playing", played: true } }
      : s,
  drained: (s) => {
    if (!s.reply) return s.turn === "speaking" ? { ...s, turn: "listening" } : s;
    return settle({ ...s, reply: { ...s.reply, audio: "none" } });
  },
  replay: (s) =>
    ready(s) && s.turn === "listening" && s.lastReplyTurn !== null
      ? { ...s, reply: { turn: s.lastReplyTurn, final: true, audio: "coming", played: false } }
      : s,
  stop_reply: (s) =>
    s.turn === "speaking" || s.turn === "writing"
      ? {
          ...s,
          turn: "listening",
          reply: null,
          stoppedTurn: s.reply ? s.reply.turn : s.stoppedTurn,
          lastReplyTurn: s.reply && s.reply.played ? s.reply.turn : s.lastReplyTurn,
        }
      : s,

  // ---- typing -------------------------------------------------------------------------
  text_sent: (s) => (ready(s) ? { ...s, turn: "thinking", reply: null } : s),
  text_queued: (s, e) =>
    isLive(s)
      ? { ...s, outbox: [...s.outbox, e.text].slice(-5), notice: { kind: "text", code: "queued" } }
      : s,
  outbox_sent: (s) => ({ ...s, outbox: [] }),
  error: (s, e) => {
    if (e.code === "too_large") return { ...s, notice: { kind: "text", code: "too_large" } };
    if (e.code === "too_fast") return s; // the page answers it (text back in the box)
    if (QUIET_ERRORS.has(e.code)) return s;
    // An error we do not know: the turn is over; say so rather than wait for ever.
    const waiting = s.turn === "thinking" || s.turn === "hearing" || s.turn === "writing";
    return {
      ...s,
      turn: waiting && ready(s) ? "listening" : s.turn,
      reply: waiting ? null : s.reply,
      notice: { kind: "turn", code: "unknown" },
    };
  },

  // ---- push to talk ---------------------------------------------------------------------
  talk_down: (s, e) => {
    if (!ready(s) || !s.pushToTalk || s.mic !== "on") return s;
    if (s.talking) return { ...s, talking: { ...s.talking, ending: true } };
    return {
      ...s,
      talking: { since: e.now, latched: false, ending: false },
      turn: "listening",
      reply: null,
    };
  },
  talk_up: (s, e) => {
    if (!s.talking) return s;
    if (s.talking.ending) return { ...s, talking: null }; // the second tap of a toggle
    if (e.now - s.talking.since < TAP_MS && !s.talking.latched) {
      return { ...s, talking: { ...s.talking, latched: true } }; // a tap: keep talking
    }
    return { ...s, talking: null };
  },
  talk_cancel: (s) => (s.talking ? { ...s, talking: null } : s),
  push_to_talk: (s, e) => ({ ...s, pushToTalk: Boolean(e.on), talking: null }),
  cues: (s, e) => ({ ...s, cues: Boolean(e.on), cuesAsked: true }),

  // ---- help -----------------------------------------------------------------------------
  safety: (s, e) => {
    const lines = validLines(e.resources);
    const level = LEVELS.has(e.level) ? e.level : "crisis";
    const stronger = s.help.level === "crisis" && s.help.open ? "crisis" : level;
    return {
      ...s,
      help: {
        open: true,
        level: stronger,
        lines: lines.length ? lines : s.help.lines,
        focus: s.help.focus + 1,
      },
    };
  },
  help_open: (s) => ({
    ...s,
    help: { ...s.help, open: true, level: s.help.level || "asked", focus: s.help.focus + 1 },
  }),
  help_close: (s) => ({ ...s, help: { ...s.help, open: false } }),
  idle_status: (s, e) => ({
    ...s,
    connection: isLive(s) ? s.connection : "idle",
    idleText: e.text || null,
  }),
  notice: (s, e) => ({ ...s, notice: e.text ? { kind: e.kind, text: e.text } : s.notice }),
  notice_clear: (s, e) => ({ ...s, notice: clearKind(s, e.kind) }),
};

function ready(s) {
  return s.connection === "ready";
}

/** A reply: `audio` none | coming | playing; `played` once any of it was heard. */
function newReply(turn) {
  return { turn, final: false, audio: "none", played: false };
}

/** A reply that is written and has nothing left to play is over: listen again. */
function settle(s) {
  const r = s.reply;
  if (r && r.final && r.audio === "none" && s.turn !== "hearing") {
    return { ...s, turn: "listening", reply: null, lastReplyTurn: r.played ? r.turn : s.lastReplyTurn };
  }
  return s;
}

/** What a check-in that stopped leaves: the microphone closed, nothing pending. */
function closed(s) {
  return {
    ...s,
    retryAt: null,
    turn: "listening",
    reply: null,
    mic: s.mic === "denied" ? "denied" : "off",
    talking: null,
    outbox: [],
  };
}

function clearKind(s, kind) {
  return s.notice && s.notice.kind === kind ? null : s.notice;
}

/** The help lines worth showing: a name and a number each. */
export function validLines(resources) {
  if (!Array.isArray(resources)) return [];
  return resources.filter(
    (r) => r && typeof r.name === "string" && typeof r.number === "string" && r.number.trim(),
  );
}

/** True when the microphone's audio should go to the server as it is (not silence). */
export function sendsVoice(s) {
  if (!ready(s) || s.mic !== "on") return false;
  return !s.pushToTalk || Boolean(s.talking);
}
