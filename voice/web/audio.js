// Web Audio on the page: one AudioContext, the reply player with its tap, the microphone.

const WORKLETS_URL = new URL("./worklets.js", import.meta.url).href;

/** Why the microphone could not be opened, as a stable code for the page to explain. */
export class MicrophoneError extends Error {
  constructor(code, cause) {
    super(code);
    this.code = code; // "refused" | "missing" | "busy" | "insecure" | "unsupported" | "failed"
    this.cause = cause;
  }
}

/**
 * The audio graph: reply player -> playback tap -> speakers. Create it from a click
 * (browsers keep an AudioContext started without a user gesture suspended), then call
 * `openMicrophone`, `play`, `endOfStream` and `stop`.
 */
export class AudioEngine {
  static async create({ onPlayback = () => {}, onTap = () => {} } = {}) {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context || !("audioWorklet" in Context.prototype)) {
      throw new MicrophoneError("unsupported");
    }
    const context = new Context({ latencyHint: "interactive" });
    const resumed = context.resume(); // inside the click: allowed to start
    await context.audioWorklet.addModule(WORKLETS_URL);
    await resumed;
    return new AudioEngine(context, onPlayback, onTap);
  }

  constructor(context, onPlayback, onTap) {
    this.context = context;
    this.player = new AudioWorkletNode(context, "reply-player", {
      numberOfInputs: 0,
      numberOfOutputs: 1,
      outputChannelCount: [1],
    });
    this.tap = new AudioWorkletNode(context, "playback-tap", {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      outputChannelCount: [1],
    });
    this.player.connect(this.tap).connect(context.destination);
    this.playing = false;
    this._stopped = [];
    this.player.port.onmessage = ({ data }) => {
      if (data.type === "playing") this.playing = true;
      if (data.type === "drained" || data.type === "stopped") this.playing = false;
      if (data.type === "stopped") this._stopped.shift()?.(data.droppedFrames);
      onPlayback(data);
    };
    this.tap.port.onmessage = ({ data }) => onTap(data);
  }

  get sampleRateHz() {
    return this.context.sampleRate;
  }

  /** Queue reply audio (16-bit mono PCM at `rateHz`); plays as soon as it arrives. */
  play(pcm, rateHz) {
    this.player.port.postMessage({ type: "audio", pcm, rateHz }, [pcm.buffer]);
  }

  /** No more audio for this reply: play out what is queued. */
  endOfStream() {
    this.player.port.postMessage({ type: "end" });
  }

  /** Stop playback at once and drop the queue; resolves with the frames dropped. */
  stop() {
    return new Promise((resolve) => {
      this._stopped.push(resolve);
      this.player.port.postMessage({ type: "stop" });
    });
  }

  /**
   * Open the microphone and stream 16 kHz 16-bit mono frames of `frameMs` to `onFrame`
   * (an Int16Array and its RMS level); `onEnded` runs if the device goes away.
   * Throws MicrophoneError.
   */
  async openMicrophone({ voiceProcessing = true, frameMs = 20, onFrame, onEnded = () => {} }) {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      throw new MicrophoneError(window.isSecureContext ? "unsupported" : "insecure");
    }
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: {
          channelCount: { ideal: 1 },
          echoCancellation: voiceProcessing,
          noiseSuppression: voiceProcessing,
          autoGainControl: voiceProcessing,
        },
      });
    } catch (error) {
      throw new MicrophoneError(microphoneErrorCode(error), error);
    }
    let source;
    let node;
    try {
      source = this.context.createMediaStreamSource(stream);
      node = new AudioWorkletNode(this.context, "mic-downsampler", {
        numberOfInputs: 1,
        numberOfOutputs: 0,
        channelCount: 1,
        channelCountMode: "explicit",
        channelInterpretation: "speakers",
        processorOptions: { targetRateHz: 16000, frameSamples: (16000 * frameMs) / 1000 },
      });
    } catch (error) {
      // The microphone is open but cannot be used: close it, so its indicator goes off.
      for (const t of stream.getTracks()) t.stop();
      throw new MicrophoneError("failed", error);
    }
    node.port.onmessage = ({ data }) => onFrame(data.pcm, data.rms);
    source.connect(node);
    const track = stream.getAudioTracks()[0];
    if (track) track.addEventListener("ended", () => onEnded());
    return {
      settings: track ? track.getSettings() : {},
      /** Muted (false): the track sends silence and the browser shows it paused. */
      setEnabled(on) {
        for (const t of stream.getAudioTracks()) t.enabled = on;
      },
      stop() {
        node.port.postMessage("stop");
        source.disconnect();
        for (const t of stream.getTracks()) t.stop();
      },
    };
  }
}

function microphoneErrorCode(error) {
  switch (error && error.name) {
    case "NotAllowedError":
    case "PermissionDeniedError":
    case "SecurityError":
      return "refused";
    case "NotFoundError":
    case "DevicesNotFoundError":
    case "OverconstrainedError":
      return "missing";
    case "NotReadableError":
    case "TrackStartError":
    case "AbortError":
      return "busy";
    default:
      return "failed";
  }
}
