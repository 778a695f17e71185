// The microphone level meter: fast rise, slow fall, drawn once per frame while the mic is on.

/**
 * A meter drawn into `fill`; `level()` gives the microphone's latest level (0 to 1) and
 * `micOn()` whether it is open. Call `start()` when the microphone opens.
 */
export function levelMeter(fill, { level, micOn }) {
  let shownLevel = 0;
  let running = false;

  function draw() {
    const now = level();
    const db = now > 0 ? 20 * Math.log10(now) : -100;
    const target = Math.min(1, Math.max(0, (db + 60) / 55));
    shownLevel = target > shownLevel ? target : shownLevel * 0.9 + target * 0.1;
    fill.style.transform = `scaleX(${shownLevel.toFixed(3)})`;
    document.body.classList.toggle("mic-on", micOn());
    running = micOn() || shownLevel > 0.001;
    if (running) requestAnimationFrame(draw);
  }

  return {
    start() {
      if (!running) {
        running = true;
        requestAnimationFrame(draw);
      }
    },
  };
}
