// The Talk button of push to talk: held by pointer or keyboard while the person speaks, or
// tapped once to start and once more to stop (for switch and voice-control users). It only
// reports presses; what they mean is the state's (talk_down, talk_up, talk_cancel in
// state.js), and which microphone frames go to the server is `sendsVoice` there.

/** Wire `button` to `dispatch`; `now()` gives clock milliseconds. */
export function talkButton(button, dispatch, now = () => performance.now()) {
  const down = () => dispatch({ type: "talk_down", now: now() });
  const up = () => dispatch({ type: "talk_up", now: now() });
  let pointerDown = false;

  button.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    pointerDown = true;
    button.setPointerCapture(event.pointerId);
    down();
  });
  for (const type of ["pointerup", "pointercancel", "lostpointercapture"]) {
    button.addEventListener(type, () => {
      if (!pointerDown) return;
      pointerDown = false;
      up();
    });
  }
  let keyDown = false;
  button.addEventListener("keydown", (event) => {
    if (event.key !== " " && event.key !== "Enter") return;
    event.preventDefault();
    if (event.repeat || keyDown) return;
    keyDown = true;
    down();
  });
  button.addEventListener("keyup", (event) => {
    if (event.key !== " " && event.key !== "Enter") return;
    event.preventDefault();
    if (!keyDown) return;
    keyDown = false;
    up();
  });
  // Focus leaving while a key holds it down: the key's release will not reach the button.
  button.addEventListener("blur", () => {
    if (!keyDown) return;
    keyDown = false;
    up();
  });
  // A click with no pointer or key before it (assistive technology, voice control) is a tap.
  button.addEventListener("click", (event) => {
    if (event.detail !== 0 || pointerDown) return;
    down();
    up();
  });
  button.addEventListener("contextmenu", (event) => event.preventDefault());
}
