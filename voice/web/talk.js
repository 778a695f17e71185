// The hold-to-talk button (push to talk): held by pointer or keyboard while the person speaks;
// pressing it interrupts the reply, releasing it commits the turn.

/**
 * Wire `button` and return `{ start, stop }`; `stop(false)` releases without committing.
 * `ctx`: `session` (talkHeld, ready, conn, turns), `pushToTalk` (the setting's checkbox),
 * `stopPlayback`, `record`, `setActivity` and `listeningText`.
 */
export function holdToTalk(button, ctx) {
  const { session, pushToTalk, record } = ctx;

  function start() {
    if (session.talkHeld || !session.ready || !pushToTalk.checked) return;
    session.talkHeld = true;
    button.setAttribute("aria-pressed", "true");
    button.textContent = "Release when done";
    session.minAudioTurn = Math.max(session.minAudioTurn, session.lastTurn + 1);
    ctx.stopPlayback("talk");
    record("page", "talk_pressed");
    ctx.setActivity("Listening while you hold");
  }

  function stop(commit = true) {
    if (!session.talkHeld) return;
    session.talkHeld = false;
    button.setAttribute("aria-pressed", "false");
    button.textContent = "Hold to talk";
    record("page", "talk_released");
    if (commit && session.conn && session.conn.send({ type: "commit" })) record("out", "commit");
    if (session.ready) ctx.setActivity(ctx.listeningText()); // speech_stopped follows if you spoke
  }

  button.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    button.setPointerCapture(event.pointerId);
    start();
  });
  for (const type of ["pointerup", "pointercancel", "lostpointercapture"]) {
    button.addEventListener(type, () => stop());
  }
  button.addEventListener("keydown", (event) => {
    if (event.key !== " " && event.key !== "Enter") return;
    event.preventDefault();
    if (!event.repeat) start();
  });
  button.addEventListener("keyup", (event) => {
    if (event.key !== " " && event.key !== "Enter") return;
    event.preventDefault();
    stop();
  });
  button.addEventListener("blur", () => stop());
  button.addEventListener("contextmenu", (event) => event.preventDefault());

  return { start, stop };
}
