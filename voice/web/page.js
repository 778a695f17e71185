// The check-in page's elements, by role, and its options from the URL (docs/web-client.md).

const params = new URLSearchParams(window.location.search);
/** Page options from the URL. */
export const options = {
  // ?voiceProcessing=0 turns off echo cancellation, noise suppression and auto gain
  // (for tests with a fake microphone; with a real speaker it lets the assistant hear itself).
  voiceProcessing: params.get("voiceProcessing") !== "0",
  // ?user=ID: who is checking in (the server keeps per-person history under this id).
  user: params.get("user"),
};

export const byId = (id) => document.getElementById(id);

/** The elements the page reads and draws. */
export const el = {
  status: document.querySelector('[data-testid="status"]'),
  conversation: byId("conversation"),
  intro: byId("intro"),
  error: byId("error"),
  log: byId("log"),
  meter: byId("meter"),
  meterFill: byId("meter-fill"),
  activity: byId("activity"),
  start: byId("start"),
  talk: byId("talk"),
  done: byId("done"),
  stopReply: byId("stop-reply"),
  replay: byId("replay"),
  mute: byId("mute"),
  end: byId("end"),
  retry: byId("retry"),
  micRetry: byId("mic-retry"),
  typing: byId("typing"),
  textInput: byId("text-input"),
  send: byId("send"),
  pushToTalk: byId("push-to-talk"),
  showCues: byId("show-cues"),
  clearScreen: byId("clear-screen"),
  cuesOffer: byId("cues-offer"),
  helpNow: byId("help-now"),
  help: byId("help"),
  helpTitle: byId("help-title"),
  helpLines: byId("help-lines"),
  helpNote: byId("help-note"),
  helpClose: byId("help-close"),
  announcer: byId("announcer"),
  signOut: byId("sign-out"),
};
