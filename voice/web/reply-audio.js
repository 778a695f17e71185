// Which reply audio the page plays: the turn whose audio is arriving, the turns cut short
// (their audio is dropped), the typed turns not yet taken, and a copy of the last whole
// reply, to replay it. The bookkeeping of the audio path, apart from the page's state.

const MAX_KEPT_SAMPLES = 22050 * 60; // a minute of reply audio, at most, kept for replay

export class ReplyAudio {
  constructor() {
    this.newSession();
  }

  /** A new server session: its turns start again at 0. */
  newSession() {
    this.lastTurn = 0; // highest turn number seen
    this.audioTurn = null; // turn whose audio is arriving
    this.audioRateHz = 22050;
    this.minAudioTurn = 0; // audio of earlier turns is dropped: it was interrupted
    this.typed = []; // typed turns sent and not yet echoed: a too_fast error refers to the first
    this._arriving = null; // {turn, chunks, samples} of the reply arriving now
    this.last = null; // {turn, chunks, rateHz} of the last reply that arrived whole
  }

  /** Drop the audio of every turn so far: the person interrupted. */
  interrupt() {
    this.minAudioTurn = Math.max(this.minAudioTurn, this.lastTurn + 1);
  }

  startAudio(turn, rateHz) {
    this.audioTurn = turn;
    this.audioRateHz = rateHz;
    this._arriving = { turn, chunks: [], samples: 0 };
  }

  /** Keep a copy of a frame (playing it hands its buffer to the audio thread). */
  keep(turn, pcm) {
    const arriving = this._arriving;
    if (!arriving || arriving.turn !== turn) return;
    arriving.samples += pcm.length;
    if (arriving.samples <= MAX_KEPT_SAMPLES) arriving.chunks.push(new Int16Array(pcm));
  }

  /** The reply's audio has all arrived; returns how many samples came. */
  endAudio(turn) {
    const arriving = this._arriving;
    this.audioTurn = null;
    this._arriving = null;
    if (!arriving || arriving.turn !== turn) return 0;
    if (arriving.samples > 0 && arriving.samples <= MAX_KEPT_SAMPLES) {
      this.last = { turn, chunks: arriving.chunks, rateHz: this.audioRateHz };
    }
    return arriving.samples;
  }

  /** Copies of the last whole reply's frames and their rate, or null. */
  replay() {
    if (!this.last) return null;
    return { chunks: this.last.chunks.map((c) => new Int16Array(c)), rateHz: this.last.rateHz };
  }
}
