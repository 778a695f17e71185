// The page's settings, kept on this device: push to talk, voice notes (cues), and whether
// the person was asked about voice notes yet. Voice notes are off until they turn them on.

import { stored } from "./storage.js";

const KEYS = { pushToTalk: "voice.pushToTalk", cues: "voice.cues", cuesAsked: "voice.cuesAsked" };

/** {pushToTalk, cues, cuesAsked}, as remembered (all false on a new device). */
export function loadPreferences() {
  return {
    pushToTalk: stored.get(KEYS.pushToTalk) === "1",
    cues: stored.get(KEYS.cues) === "1",
    cuesAsked: stored.get(KEYS.cuesAsked) === "1",
  };
}

/** Remember one setting (`name`: pushToTalk, cues or cuesAsked). */
export function savePreference(name, on) {
  stored.set(KEYS[name], on ? "1" : "0");
}
