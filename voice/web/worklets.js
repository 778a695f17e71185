// Audio-thread processors: microphone downsampler, reply player, playback tap.
// Loaded with audioWorklet.addModule(); `sampleRate` is the AudioContext's rate.
/* global AudioWorkletProcessor, registerProcessor, sampleRate */

import { Resampler, floatToPcm16, pcm16ToFloat } from "./dsp.js";

/**
 * Microphone in (already mixed to mono by the node's channelCount: 1), 16 kHz 16-bit
 * frames out: posts {pcm: Int16Array, rms} every `frameSamples` output samples.
 */
class MicProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const { targetRateHz = 16000, frameSamples = 320 } = options.processorOptions || {};
    this.resampler = new Resampler(sampleRate, targetRateHz);
    this.frameSamples = frameSamples;
    this.frame = new Float32Array(frameSamples);
    this.fill = 0;
    this.running = true;
    this.port.onmessage = (event) => {
      if (event.data === "stop") this.running = false;
    };
  }

  process(inputs) {
    const channels = inputs[0];
    if (channels && channels.length > 0) {
      const out = this.resampler.process(channels[0]);
      for (let i = 0; i < out.length; i++) {
        this.frame[this.fill++] = out[i];
        if (this.fill === this.frameSamples) this._post();
      }
    }
    return this.running;
  }

  _post() {
    let sum = 0;
    for (let i = 0; i < this.frame.length; i++) sum += this.frame[i] * this.frame[i];
    const pcm = floatToPcm16(this.frame);
    this.port.postMessage({ pcm, rms: Math.sqrt(sum / this.frame.length) }, [pcm.buffer]);
    this.fill = 0;
  }
}

/**
 * Plays reply audio gaplessly from a queue. Messages in:
 *   {type: "audio", pcm: Int16Array, rateHz}  queue a chunk (resampled to the context rate)
 *   {type: "end"}                             the stream is complete: play out the tail
 *   {type: "stop"}                            drop everything now (barge-in)
 * Messages out: {type: "playing"}, {type: "drained"}, {type: "stopped", droppedFrames}.
 */
class PlayerProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.queue = [];
    this.offset = 0; // read position in queue[0]
    this.queued = 0; // frames waiting
    this.resampler = null;
    this.rateHz = 0;
    this.ended = false;
    this.playing = false;
    this.port.onmessage = (event) => this._message(event.data);
  }

  _message(msg) {
    if (msg.type === "audio") {
      if (this.resampler === null || this.rateHz !== msg.rateHz) {
        this.resampler = msg.rateHz === sampleRate ? null : new Resampler(msg.rateHz, sampleRate);
        this.rateHz = msg.rateHz;
      }
      const samples = pcm16ToFloat(msg.pcm);
      this._push(this.resampler ? this.resampler.process(samples) : samples);
      this.ended = false;
    } else if (msg.type === "end") {
      if (this.resampler) this._push(this.resampler.flush());
      this.resampler = null;
      this.rateHz = 0;
      this.ended = true;
    } else if (msg.type === "stop") {
      const droppedFrames = this.queued;
      this.queue = [];
      this.offset = 0;
      this.queued = 0;
      this.resampler = null;
      this.rateHz = 0;
      this.ended = false;
      this.playing = false;
      this.port.postMessage({ type: "stopped", droppedFrames });
    }
  }

  _push(samples) {
    if (samples.length === 0) return;
    this.queue.push(Float32Array.from(samples));
    this.queued += samples.length;
  }

  process(_inputs, outputs) {
    const out = outputs[0][0];
    let i = 0;
    while (i < out.length && this.queue.length > 0) {
      const head = this.queue[0];
      const n = Math.min(out.length - i, head.length - this.offset);
      out.set(head.subarray(this.offset, this.offset + n), i);
      i += n;
      this.offset += n;
      this.queued -= n;
      if (this.offset === head.length) {
        this.queue.shift();
        this.offset = 0;
      }
    }
    if (i > 0 && !this.playing) {
      this.playing = true;
      this.port.postMessage({ type: "playing" });
    }
    if (this.playing && this.queued === 0 && this.ended) {
      this.playing = false;
      this.ended = false;
      this.port.postMessage({ type: "drained" });
    }
    return true;
  }
}

/**
 * Passes audio through unchanged on its way to the speakers and counts what was played:
 * frames of render blocks that carried sound, their sum of squares and the peak. Posts
 * {playedFrames, sumSquares, peak} every few blocks while they change.
 */
class TapProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.playedFrames = 0;
    this.sumSquares = 0;
    this.peak = 0;
    this.blocks = 0;
    this.dirty = false;
  }

  process(inputs, outputs) {
    const input = inputs[0][0];
    const output = outputs[0][0];
    if (input) {
      output.set(input);
      let sum = 0;
      let peak = 0;
      let sounding = false;
      for (let i = 0; i < input.length; i++) {
        const v = input[i];
        if (v !== 0) sounding = true;
        sum += v * v;
        const a = v < 0 ? -v : v;
        if (a > peak) peak = a;
      }
      if (sounding) {
        this.playedFrames += input.length;
        this.sumSquares += sum;
        if (peak > this.peak) this.peak = peak;
        this.dirty = true;
      }
    }
    if (++this.blocks % 4 === 0 && this.dirty) {
      this.dirty = false;
      this.port.postMessage({
        playedFrames: this.playedFrames,
        sumSquares: this.sumSquares,
        peak: this.peak,
      });
    }
    return true;
  }
}

registerProcessor("mic-downsampler", MicProcessor);
registerProcessor("reply-player", PlayerProcessor);
registerProcessor("playback-tap", TapProcessor);
