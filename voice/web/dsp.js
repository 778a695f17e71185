// Pure audio helpers shared by the page and the audio worklets: no DOM, no Web Audio.

/**
 * Streaming band-limited resampler (windowed-sinc interpolation, any rate ratio).
 *
 * Devices capture at 44.1 or 48 kHz, which is not a whole multiple of 16 kHz, and the
 * reply arrives at 22.05 kHz: every output sample is computed at its exact fractional
 * input position, with a low-pass below the lower rate's Nyquist so nothing folds back.
 * Call `process(samples)` for each block and `flush()` once at the end of a stream.
 */
export class Resampler {
  constructor(inRateHz, outRateHz, { zeroCrossings = 16, rolloff = 0.9, steps = 128 } = {}) {
    if (!(inRateHz > 0 && outRateHz > 0)) throw new RangeError("sample rates must be positive");
    this.inRateHz = inRateHz;
    this.outRateHz = outRateHz;
    this.step = inRateHz / outRateHz; // input samples per output sample
    // Cutoff as a fraction of the input Nyquist frequency.
    this.scale = Math.min(1, outRateHz / inRateHz) * rolloff;
    this.half = zeroCrossings / this.scale; // kernel half-width, in input samples
    this.steps = steps;
    this.table = kernelTable(zeroCrossings, steps);
    const pad = Math.ceil(this.half);
    this.buf = new Float32Array(4096 + 2 * pad);
    this.len = pad; // history before the first sample is silence
    this.time = pad; // fractional input index of the next output sample
    this.out = new Float32Array(256);
  }

  /** Resample a block; the result is only valid until the next call. */
  process(input) {
    this._append(input);
    const maxOut = Math.ceil((this.len - this.time) / this.step) + 2;
    if (this.out.length < maxOut) this.out = new Float32Array(maxOut * 2);
    const { buf, table, scale, half, steps, step, out } = this;
    const last = table.length - 1;
    let n = 0;
    let time = this.time;
    while (time + half < this.len) {
      const k0 = Math.ceil(time - half);
      const k1 = Math.floor(time + half);
      let acc = 0;
      for (let k = k0; k <= k1; k++) {
        const x = Math.abs(time - k) * scale * steps;
        const i = x | 0;
        if (i < last) acc += buf[k] * (table[i] + (x - i) * (table[i + 1] - table[i]));
      }
      out[n++] = acc * scale;
      time += step;
    }
    // Keep only the history the next output still needs.
    const drop = Math.max(0, Math.floor(time - half) - 1);
    if (drop > 0) {
      buf.copyWithin(0, drop, this.len);
      this.len -= drop;
      time -= drop;
    }
    this.time = time;
    return out.subarray(0, n);
  }

  /** The tail still held back for look-ahead (call once when the stream ends). */
  flush() {
    return this.process(new Float32Array(Math.ceil(this.half) + 1));
  }

  _append(input) {
    if (this.len + input.length > this.buf.length) {
      const bigger = new Float32Array((this.len + input.length) * 2);
      bigger.set(this.buf.subarray(0, this.len));
      this.buf = bigger;
    }
    this.buf.set(input, this.len);
    this.len += input.length;
  }
}

/** sinc(x) times a Blackman window, sampled `steps` times per zero crossing. */
function kernelTable(zeroCrossings, steps) {
  const n = zeroCrossings * steps + 2;
  const table = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const x = i / steps;
    const t = Math.min(1, x / zeroCrossings);
    const window = 0.42 + 0.5 * Math.cos(Math.PI * t) + 0.08 * Math.cos(2 * Math.PI * t);
    table[i] = (x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x)) * window;
  }
  table[n - 1] = 0;
  table[n - 2] = 0;
  return table;
}

/** Float samples in [-1, 1] to signed 16-bit (clipped), scaled like the server (x 32768). */
export function floatToPcm16(samples, out = new Int16Array(samples.length)) {
  for (let i = 0; i < samples.length; i++) {
    const v = Math.round(samples[i] * 32768);
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return out;
}

/** Signed 16-bit samples to floats in [-1, 1). */
export function pcm16ToFloat(pcm, out = new Float32Array(pcm.length)) {
  for (let i = 0; i < pcm.length; i++) out[i] = pcm[i] / 32768;
  return out;
}
