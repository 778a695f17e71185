// The check-in page drawn from its state (state.js): the status and activity lines, the
// notice near the controls, which controls show and work, the help panel, and where focus
// goes when what held it disappears. Nothing here changes the state.

import { helpView } from "./help.js";
import { activityLine, noticeText, statusLine } from "./messages.js";
import { isLive } from "./state.js";

const MIC_LABELS = {
  on: "Microphone on",
  muted: "Microphone muted",
  opening: "Microphone starting",
};

/** A view over the page's elements `el`; call `render(state, now)` after every change. */
export function checkinView(el) {
  const help = helpView({
    panel: el.help,
    title: el.helpTitle,
    list: el.helpLines,
    note: el.helpNote,
  });
  let last = null;

  function render(state, now) {
    const prev = last;
    last = state;
    const [connState, statusText] = statusLine(state, now);
    el.status.dataset.state = connState;
    setText(el.status, statusText);
    setText(el.activity, activityLine(state));
    renderNotice(state, now);
    renderControls(state);
    renderHelp(prev, state);
    document.body.classList.toggle("hide-cues", !state.cues);
    el.meter.setAttribute("aria-label", MIC_LABELS[state.mic] || "Microphone off");
    if (prev) keepFocus(prev, state);
  }

  function renderNotice(state, now) {
    const text = noticeText(state.notice, { retryAt: state.retryAt, now });
    setText(el.error, text);
    el.error.hidden = !text;
    el.error.dataset.kind = state.notice ? state.notice.kind : "";
  }

  function renderControls(state) {
    const live = isLive(state);
    const ready = state.connection === "ready";
    const micUsable = state.mic === "on" || state.mic === "muted";
    el.start.hidden = live;
    el.start.textContent =
      state.connection === "idle" || state.connection === "failed"
        ? "Start check-in"
        : "Start a new check-in";
    el.end.hidden = !live;
    el.done.hidden = !live || state.pushToTalk || state.mic !== "on";
    el.talk.hidden = !live || !state.pushToTalk || state.mic !== "on";
    el.mute.hidden = !live || !micUsable;
    el.micRetry.hidden =
      !live || micUsable || state.mic === "opening" || !state.audioOut || state.mic === "off";
    el.retry.hidden = state.connection !== "retrying";
    el.stopReply.hidden = !(ready && (state.turn === "speaking" || state.turn === "writing"));
    el.replay.hidden = !(ready && state.lastReplyTurn !== null && state.turn === "listening");
    el.typing.hidden = !live;
    // Voice notes are offered once, with a line of explanation, when a check-in is on.
    el.cuesOffer.hidden = state.cuesAsked || !ready;
    el.done.disabled = !ready;
    el.talk.disabled = !ready;
    // Typing stays possible while reconnecting: it is sent when the server is back.
    el.textInput.disabled = !live;
    el.send.disabled = !live;

    const muted = state.mic === "muted";
    el.mute.setAttribute("aria-pressed", String(muted));
    setText(el.mute, muted ? "Unmute microphone" : "Mute microphone");
    const talking = Boolean(state.talking);
    el.talk.setAttribute("aria-pressed", String(talking));
    setText(
      el.talk,
      !talking ? "Talk" : state.talking.latched ? "Tap when done" : "Release when done",
    );
    if (el.pushToTalk.checked !== state.pushToTalk) el.pushToTalk.checked = state.pushToTalk;
    if (el.showCues.checked !== state.cues) el.showCues.checked = state.cues;
  }

  function renderHelp(prev, state) {
    help.draw(state.help);
    el.helpNow.setAttribute("aria-expanded", String(state.help.open));
    if (prev && state.help.focus !== prev.help.focus && state.help.open) {
      el.helpTitle.focus();
      if (state.help.level === "crisis" || state.help.level === "concern") {
        // Announced once, in words, whatever the screen reader makes of the focus move.
        setText(el.announcer, "");
        setTimeout(() => setText(el.announcer, el.helpTitle.textContent), 50);
      }
    }
    if (prev && prev.help.open && !state.help.open && el.help.contains(document.activeElement)) {
      el.helpNow.focus();
    }
  }

  /** A control that held focus and is now hidden hands it on, so focus is never lost. */
  function keepFocus(prev, state) {
    const active = document.activeElement;
    if (!active || active === document.body) {
      if (isLive(prev) !== isLive(state)) (isLive(state) ? el.end : el.start).focus();
      return;
    }
    if (!active.closest("[hidden]") && !active.disabled) return;
    // Not the text box: on a phone that would open the keyboard over the conversation.
    (isLive(state) ? el.end : el.start).focus();
  }

  return { render };
}

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}
