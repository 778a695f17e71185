// A kept check-in's recording: fetched with the pairing token (an <audio> element cannot
// send it), played from a Blob URL, sought from the transcript, and the turn being played
// marked (a highlight and the words "Playing now", not colour alone).

export class CheckinPlayer {
  /** `api`: the person's API; `el`: `{ box, audio, state }`. */
  constructor(api, el) {
    this.api = api;
    this.el = el;
    this.url = null;
    this.turns = [];
    this.playing = null;
    this.loading = 0;
    el.audio.addEventListener("timeupdate", () => this.highlight());
    el.audio.addEventListener("seeked", () => this.highlight());
    el.audio.addEventListener("ended", () => this.mark(null));
  }

  /** Fetch check-in `id`'s recording; `turns`: `[{ atMs, item }]` from the transcript. */
  async load(id, turns) {
    this.clear();
    const loading = this.loading;
    this.turns = [...turns].sort((a, b) => a.atMs - b.atMs);
    this.el.box.hidden = false;
    this.el.state.textContent = "Loading the recording…";
    let blob;
    try {
      blob = await this.api.get(`/checkins/${encodeURIComponent(id)}/audio`, "blob");
    } catch (error) {
      if (loading !== this.loading) return;
      this.el.state.textContent =
        error.status === 404 ? "The recording of this check-in is no longer kept." : error.message;
      this.el.audio.hidden = true;
      return;
    }
    if (loading !== this.loading) return;
    this.url = URL.createObjectURL(blob);
    this.el.audio.hidden = false;
    this.el.audio.src = this.url;
    this.el.state.textContent = "";
  }

  /** Play from `ms` into the recording. */
  seek(ms) {
    const audio = this.el.audio;
    if (!this.url) return;
    audio.currentTime = Math.max(0, ms / 1000);
    this.highlight();
    const played = audio.play();
    if (played && typeof played.catch === "function") {
      played.catch(() => {
        // Autoplay refused or the source changed: the position is set, the person presses play.
      });
    }
  }

  /** Mark the turn that contains the current position (the last one started by then). */
  highlight() {
    const at = this.el.audio.currentTime * 1000;
    if (this.el.audio.paused && at === 0) {
      this.mark(null);
      return;
    }
    let current = null;
    for (const turn of this.turns) {
      if (turn.atMs <= at + 1) current = turn.item;
      else break;
    }
    this.mark(current);
  }

  mark(item) {
    if (item === this.playing) return;
    if (this.playing) {
      this.playing.classList.remove("playing");
      this.playing.removeAttribute("aria-current");
      this.playing.querySelector(".now-playing").hidden = true;
    }
    this.playing = item;
    if (item) {
      item.classList.add("playing");
      item.setAttribute("aria-current", "true");
      item.querySelector(".now-playing").hidden = false;
    }
  }

  /** Stop, and let the recording go (its Blob URL is revoked). */
  clear() {
    this.loading += 1;
    const audio = this.el.audio;
    audio.pause();
    audio.removeAttribute("src");
    audio.load();
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = null;
    this.turns = [];
    this.playing = null;
    this.el.state.textContent = "";
    this.el.box.hidden = true;
  }
}
