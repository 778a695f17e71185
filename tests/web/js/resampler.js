// () => the page's Resampler (client/dsp.js) run on 0.5-amplitude tones, one second each:
// output length, RMS, and RMS error against the ideal tone at the output rate.
async () => {
  const { Resampler } = await import("./dsp.js");
  const run = (inRate, outRate, hz) => {
    const r = new Resampler(inRate, outRate);
    const x = new Float32Array(inRate);
    for (let i = 0; i < x.length; i++) x[i] = 0.5 * Math.sin((2 * Math.PI * hz * i) / inRate);
    const out = [];
    for (let i = 0; i < x.length; i += 128) out.push(...r.process(x.subarray(i, i + 128)));
    out.push(...r.flush());
    let err = 0;
    let sq = 0;
    let n = 0;
    for (let i = 200; i < out.length - 200; i++, n++) {
      sq += out[i] * out[i];
      err += (out[i] - 0.5 * Math.sin((2 * Math.PI * hz * i) / outRate)) ** 2;
    }
    return { length: out.length, rms: Math.sqrt(sq / n), errRms: Math.sqrt(err / n) };
  };
  return {
    down441: run(44100, 16000, 1000),
    down48: run(48000, 16000, 3000),
    alias: run(44100, 16000, 10000),
    up: run(22050, 48000, 2000),
  };
}
