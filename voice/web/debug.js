// Test and automation hooks, window.voiceDebug (docs/web-client.md). Counts and event types
// only, never words: what people say is health data.

/** Install window.voiceDebug; returns it and `record`, which logs one event to it. */
export function installDebug(options) {
  const debug = {
    options,
    contextRateHz: null,
    micSettings: null,
    sentFrames: 0,
    receivedSamples: {}, // reply audio per turn, at the reply's rate
    playback: { sampleRateHz: null, playedFrames: 0, sumSquares: 0, peak: 0 },
    events: [],
  };
  window.voiceDebug = debug;

  function record(dir, type, extra = {}) {
    debug.events.push({
      t: Math.round(performance.now()),
      dir,
      type,
      ...extra,
      played: debug.playback.playedFrames,
      energy: debug.playback.sumSquares,
    });
    if (debug.events.length > 5000) debug.events.splice(0, 1000);
  }

  return { debug, record };
}
