// The check-in page's state (voice/web/state.js) and the words picked from it
// (voice/web/messages.js), without a browser: node --test tests/web/js/*.test.mjs

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { activityLine, noticeText, statusLine } from "../../../voice/web/messages.js";
import {
  initialState,
  isLive,
  reduce,
  sendsVoice,
  TAP_MS,
} from "../../../voice/web/state.js";

const LINES = [{ name: "Samaritans", number: "116 123", kind: "call" }];

/** The state after each event in turn, from `from`. */
function run(events, from = initialState()) {
  return events.reduce(reduce, from);
}

/** A check-in with the microphone on and the server ready. */
function live(extra = {}) {
  return run([{ type: "start" }, { type: "mic_opened" }, { type: "ready", resources: LINES }], {
    ...initialState(),
    ...extra,
  });
}

describe("the connection", () => {
  it("goes idle, connecting, ready, and ends", () => {
    let s = initialState();
    assert.equal(s.connection, "idle");
    assert.deepEqual(statusLine(s, 0), ["idle", "Not connected"]);
    s = reduce(s, { type: "start" });
    assert.equal(s.connection, "connecting");
    assert.equal(s.mic, "opening");
    assert.ok(isLive(s));
    assert.equal(activityLine(s), "Getting ready…");
    s = reduce(s, { type: "mic_opened" });
    s = reduce(s, { type: "ready", resources: LINES });
    assert.equal(s.connection, "ready");
    assert.equal(s.sessions, 1);
    assert.deepEqual(statusLine(s, 0), ["ready", "Connected"]);
    assert.equal(activityLine(s), "Listening");
    s = reduce(s, { type: "ended", reason: "bye" });
    assert.equal(s.connection, "ended");
    assert.equal(s.mic, "off");
    assert.ok(!isLive(s));
    assert.deepEqual(statusLine(s, 0), ["ended", "Check-in ended"]);
    assert.equal(activityLine(s), "Take care");
  });

  it("counts down to the next attempt while retrying, and comes back", () => {
    let s = reduce(live(), { type: "retrying", reason: "lost", inMs: 4000, now: 10_000 });
    assert.equal(s.connection, "retrying");
    assert.deepEqual(statusLine(s, 10_000), ["retrying", "Reconnecting in 4 s"]);
    assert.deepEqual(statusLine(s, 12_100), ["retrying", "Reconnecting in 2 s"]);
    assert.deepEqual(statusLine(s, 13_100), ["retrying", "Reconnecting in 1 s"]);
    assert.equal(
      noticeText(s.notice, { retryAt: s.retryAt, now: 13_500 }),
      "The connection to the server was lost. Trying again in 1 second.",
    );
    s = reduce(s, { type: "connecting" });
    s = reduce(s, { type: "ready", resources: [] });
    assert.equal(s.connection, "ready");
    assert.equal(s.sessions, 2);
    assert.equal(s.notice, null, "the connection's notice goes when it is back");
    assert.deepEqual(s.help.lines, LINES, "an older server's empty lines keep the known ones");
  });

  it("explains a stalled link and a server that does not answer", () => {
    const stalled = reduce(live(), { type: "retrying", reason: "stalled", inMs: 1000, now: 0 });
    assert.match(noticeText(stalled.notice, {}), /stopped answering/);
    const silent = reduce(live(), { type: "retrying", reason: "no_answer", inMs: 1000, now: 0 });
    assert.match(noticeText(silent.notice, {}), /did not answer/);
  });

  it("fails for good with the reason in words", () => {
    const s = reduce(live(), { type: "failed", code: "unauthorized" });
    assert.equal(s.connection, "failed");
    assert.deepEqual(statusLine(s, 0), ["failed", "Not paired"]);
    assert.match(noticeText(s.notice), /not paired/);
    const fast = reduce(live(), { type: "failed", code: "too_fast" });
    assert.match(noticeText(fast.notice), /faster than it could take it/);
  });

  it("ends after a long silence with its own words", () => {
    const s = reduce(live(), { type: "ended", reason: "idle" });
    assert.deepEqual(statusLine(s, 0), ["ended", "Ended after a long silence"]);
  });

  it("ignores what the server says once the check-in is over", () => {
    const s = reduce(live(), { type: "ended", reason: "bye" });
    assert.equal(reduce(s, { type: "ready", resources: [] }), s);
    assert.equal(reduce(s, { type: "retrying", reason: "lost", inMs: 1, now: 0 }), s);
    assert.equal(reduce(s, { type: "speech_started" }), s);
  });

  it("starts again after it ended", () => {
    const s = run([{ type: "ended", reason: "bye" }, { type: "start" }], live());
    assert.equal(s.connection, "connecting");
    assert.equal(s.sessions, 0);
    assert.equal(activityLine(s), "Getting ready…");
  });

  it("shows pairing news while idle", () => {
    const s = reduce(initialState(), { type: "idle_status", text: "Paired with the server" });
    assert.deepEqual(statusLine(s, 0), ["idle", "Paired with the server"]);
  });
});

describe("a turn", () => {
  it("hears, thinks, writes, speaks and listens again", () => {
    let s = live();
    s = reduce(s, { type: "speech_started" });
    assert.equal(activityLine(s), "Hearing you…");
    s = reduce(s, { type: "speech_stopped" });
    assert.equal(activityLine(s), "Thinking…");
    s = reduce(s, { type: "transcript", final: true, text: "I slept badly" });
    assert.equal(s.turn, "thinking");
    s = reduce(s, { type: "reply_delta", turn: 1 });
    assert.equal(activityLine(s), "Writing a reply…");
    s = reduce(s, { type: "audio_start", turn: 1 });
    s = reduce(s, { type: "playing" });
    assert.equal(s.turn, "speaking");
    assert.match(activityLine(s), /^Speaking\. To interrupt, talk any time/);
    s = reduce(s, { type: "audio_end", turn: 1, interrupted: false, received: 22050 });
    s = reduce(s, { type: "reply", turn: 1, interrupted: false });
    assert.equal(s.turn, "speaking", "still playing what arrived");
    s = reduce(s, { type: "drained" });
    assert.equal(s.turn, "listening");
    assert.equal(s.lastReplyTurn, 1, "a reply that was heard can be replayed");
  });

  it("does not stay on 'Writing a reply…' after a final reply with no audio", () => {
    let s = run(
      [
        { type: "text_sent" },
        { type: "reply_delta", turn: 1 },
        { type: "reply", turn: 1, interrupted: false },
      ],
      live(),
    );
    assert.equal(s.turn, "listening");
    assert.equal(activityLine(s), "Listening");
    // Audio announced but none came (a voice that failed): over at audio_end.
    s = run(
      [
        { type: "reply_delta", turn: 2 },
        { type: "audio_start", turn: 2 },
        { type: "reply", turn: 2, interrupted: false },
      ],
      s,
    );
    assert.equal(s.turn, "writing");
    s = reduce(s, { type: "audio_end", turn: 2, interrupted: false, received: 0 });
    assert.equal(s.turn, "listening");
  });

  it("does not stay on 'Thinking…' after an error it does not know", () => {
    let s = run([{ type: "speech_started" }, { type: "speech_stopped" }], live());
    assert.equal(s.turn, "thinking");
    s = reduce(s, { type: "error", code: "something_new" });
    assert.equal(s.turn, "listening");
    assert.match(noticeText(s.notice), /no reply to it/);
  });

  it("leaves errors the connection handles to the connection", () => {
    const s = run([{ type: "speech_started" }, { type: "speech_stopped" }], live());
    for (const code of ["overloaded", "timeout", "internal", "too_fast", "unauthorized"]) {
      assert.equal(reduce(s, { type: "error", code }), s, code);
    }
    assert.match(noticeText(reduce(s, { type: "error", code: "too_large" }).notice), /too long/);
  });

  it("goes back to listening when the speech was nothing", () => {
    const s = run(
      [{ type: "speech_started" }, { type: "transcript", final: true, text: "  " }],
      live(),
    );
    assert.equal(s.turn, "listening");
  });

  it("stops the reply on request, and keeps it for a replay", () => {
    let s = run(
      [{ type: "reply_delta", turn: 1 }, { type: "audio_start", turn: 1 }, { type: "playing" }],
      live(),
    );
    s = reduce(s, { type: "stop_reply" });
    assert.equal(s.turn, "listening");
    assert.equal(s.reply, null);
    assert.equal(s.lastReplyTurn, 1);
    // The server goes on writing the stopped reply: the page does not wait for it again.
    s = run([{ type: "reply_delta", turn: 1 }, { type: "reply", turn: 1 }], s);
    assert.equal(s.turn, "listening");
    assert.equal(activityLine(s), "Listening");
    s = reduce(s, { type: "replay" });
    s = reduce(s, { type: "playing" });
    assert.equal(s.turn, "speaking");
    s = reduce(s, { type: "drained" });
    assert.equal(s.turn, "listening");
    assert.equal(s.lastReplyTurn, 1);
  });

  it("is interrupted by the person's speech", () => {
    let s = run(
      [{ type: "reply_delta", turn: 1 }, { type: "audio_start", turn: 1 }, { type: "playing" }],
      live(),
    );
    s = reduce(s, { type: "speech_started" });
    assert.equal(s.turn, "hearing");
    assert.equal(s.reply, null);
    s = reduce(s, { type: "drained" }); // the stopped playback reports in
    assert.equal(s.turn, "hearing");
  });

  it("forgets a replay of an earlier server session", () => {
    const s = run(
      [
        { type: "reply_delta", turn: 1 },
        { type: "audio_start", turn: 1 },
        { type: "playing" },
        { type: "reply", turn: 1, interrupted: false },
        { type: "drained" },
        { type: "retrying", reason: "lost", inMs: 1000, now: 0 },
        { type: "ready", resources: [] },
      ],
      live(),
    );
    assert.equal(s.lastReplyTurn, null);
  });
});

describe("typing", () => {
  it("is kept while reconnecting and sent when back", () => {
    let s = reduce(live(), { type: "retrying", reason: "lost", inMs: 1000, now: 0 });
    s = reduce(s, { type: "text_queued", text: "still here" });
    assert.deepEqual(s.outbox, ["still here"]);
    assert.match(noticeText(s.notice), /will be sent as soon as the server is back/);
    s = reduce(s, { type: "ready", resources: [] });
    assert.deepEqual(s.outbox, ["still here"], "the page sends them after ready");
    s = reduce(s, { type: "outbox_sent" });
    assert.deepEqual(s.outbox, []);
  });

  it("keeps at most five waiting turns, and none once the check-in ends", () => {
    let s = reduce(live(), { type: "retrying", reason: "lost", inMs: 1000, now: 0 });
    for (let i = 0; i < 7; i += 1) s = reduce(s, { type: "text_queued", text: `t${i}` });
    assert.deepEqual(s.outbox, ["t2", "t3", "t4", "t5", "t6"]);
    s = reduce(s, { type: "ended", reason: "closed" });
    assert.deepEqual(s.outbox, []);
  });

  it("thinks after a typed turn", () => {
    assert.equal(reduce(live(), { type: "text_sent" }).turn, "thinking");
  });
});

describe("the microphone", () => {
  it("mutes and unmutes without ending the check-in", () => {
    let s = reduce(live(), { type: "mute" });
    assert.equal(s.mic, "muted");
    assert.ok(!sendsVoice(s));
    assert.deepEqual(statusLine(s, 0), ["ready", "Connected, microphone muted"]);
    assert.match(activityLine(s), /muted/);
    s = reduce(s, { type: "unmute" });
    assert.equal(s.mic, "on");
    assert.ok(sendsVoice(s));
  });

  it("says why it could not open, and the check-in goes on by typing", () => {
    const s = run([{ type: "start" }, { type: "mic_failed", code: "refused" }, { type: "ready" }]);
    assert.equal(s.mic, "denied");
    assert.equal(s.connection, "ready");
    assert.match(noticeText(s.notice), /refused/);
    assert.equal(activityLine(s), "Type your message below");
    assert.deepEqual(statusLine(s, 0), ["ready", "Connected, microphone off"]);
  });

  it("blames the page, not the device, on a plain-http page", () => {
    const s = run([{ type: "start" }, { type: "audio_failed", code: "insecure" }]);
    assert.equal(s.audioOut, false);
    const text = noticeText(s.notice);
    assert.match(text, /https/);
    assert.match(text, /Nothing is wrong with your device/);
    assert.doesNotMatch(text, /This browser can't/);
  });

  it("is lost mid check-in and comes back", () => {
    let s = reduce(live(), { type: "mic_lost" });
    assert.equal(s.mic, "lost");
    assert.match(noticeText(s.notice), /stopped working/);
    s = reduce(s, { type: "mic_opened" });
    assert.equal(s.mic, "on");
    assert.equal(s.notice, null);
  });
});

describe("push to talk", () => {
  const ptt = () => live({ pushToTalk: true });

  it("holds: talks from press to release", () => {
    let s = reduce(ptt(), { type: "talk_down", now: 1000 });
    assert.ok(s.talking);
    assert.ok(sendsVoice(s));
    assert.equal(activityLine(s), "Listening while you hold");
    s = reduce(s, { type: "talk_up", now: 1000 + TAP_MS + 500 });
    assert.equal(s.talking, null);
    assert.ok(!sendsVoice(s));
  });

  it("toggles: a tap starts, the next tap stops", () => {
    let s = run(
      [
        { type: "talk_down", now: 0 },
        { type: "talk_up", now: 100 },
      ],
      ptt(),
    );
    assert.ok(s.talking && s.talking.latched);
    assert.ok(sendsVoice(s));
    assert.equal(activityLine(s), "Listening. Tap Talk when done");
    s = reduce(s, { type: "talk_down", now: 5000 });
    assert.ok(s.talking, "still talking until the second release");
    s = reduce(s, { type: "talk_up", now: 5080 });
    assert.equal(s.talking, null);
  });

  it("does not talk while muted, not ready, or when push to talk is off", () => {
    assert.equal(reduce(reduce(ptt(), { type: "mute" }), { type: "talk_down", now: 0 }).talking, null);
    assert.equal(reduce(live(), { type: "talk_down", now: 0 }).talking, null);
    const away = reduce(ptt(), { type: "retrying", reason: "lost", inMs: 1, now: 0 });
    assert.equal(reduce(away, { type: "talk_down", now: 0 }).talking, null);
  });

  it("stops talking when the link goes", () => {
    const s = run(
      [
        { type: "talk_down", now: 0 },
        { type: "retrying", reason: "lost", inMs: 1000, now: 0 },
      ],
      ptt(),
    );
    assert.equal(s.talking, null);
  });
});

describe("help", () => {
  it("opens at any time, even before a check-in, and reopens after hiding", () => {
    let s = reduce(initialState(), { type: "help_open" });
    assert.ok(s.help.open);
    assert.equal(s.help.level, "asked");
    s = reduce(s, { type: "help_close" });
    assert.ok(!s.help.open);
    s = reduce(s, { type: "help_open" });
    assert.ok(s.help.open);
    assert.equal(s.help.focus, 2, "each opening moves focus to the panel");
  });

  it("takes the lines from ready, and opens with focus on a safety message", () => {
    let s = live();
    assert.deepEqual(s.help.lines, LINES);
    assert.ok(!s.help.open);
    s = reduce(s, { type: "safety", level: "concern", resources: LINES });
    assert.ok(s.help.open);
    assert.equal(s.help.level, "concern");
    assert.equal(s.help.focus, 1);
  });

  it("shows an unknown level as a crisis, and never lowers an open crisis", () => {
    let s = reduce(live(), { type: "safety", level: "severe", resources: LINES });
    assert.equal(s.help.level, "crisis");
    s = reduce(s, { type: "safety", level: "concern", resources: LINES });
    assert.equal(s.help.level, "crisis");
  });

  it("keeps known lines when a message brings none that are usable", () => {
    const s = reduce(live(), { type: "safety", level: "crisis", resources: [{ name: "x" }] });
    assert.deepEqual(s.help.lines, LINES);
  });
});

describe("voice notes", () => {
  it("are off until the person turns them on, and the answer is kept", () => {
    assert.equal(initialState().cues, false);
    assert.equal(initialState().cuesAsked, false);
    const yes = reduce(initialState(), { type: "cues", on: true });
    assert.deepEqual([yes.cues, yes.cuesAsked], [true, true]);
    const no = reduce(initialState(), { type: "cues", on: false });
    assert.deepEqual([no.cues, no.cuesAsked], [false, true]);
  });
});

describe("unknown events", () => {
  it("leave the state as it is", () => {
    const s = live();
    assert.equal(reduce(s, { type: "redraw" }), s);
    assert.equal(reduce(s, { type: "no_such_event" }), s);
  });
});
