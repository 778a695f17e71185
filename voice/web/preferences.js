/**
 * The page's two preferences, kept on this device: push to talk, and showing the voice cues.
 */
import { stored } from "./storage.js";

/** Load both, keep them when changed, and call `onChange()` after each change (and once now). */
export function preferences(pushToTalk, showCues, onChange) {
  pushToTalk.checked = stored.get("voice.pushToTalk") === "1";
  showCues.checked = stored.get("voice.showCues") !== "0";
  const apply = () => {
    document.body.classList.toggle("hide-cues", !showCues.checked);
    onChange();
  };
  for (const [box, key] of [
    [pushToTalk, "voice.pushToTalk"],
    [showCues, "voice.showCues"],
  ]) {
    box.addEventListener("change", () => {
      stored.set(key, box.checked ? "1" : "0");
      apply();
    });
  }
  apply();
}
