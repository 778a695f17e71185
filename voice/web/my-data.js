// Export and erase: a copy of everything kept, as a zip (POST /api/v1/my/export), and erasing
// it all for good (POST /api/v1/my/erase, confirmed by typing the person's name). After an
// erase the token no longer works; the page forgets it.

import { isoDay } from "./api.js";

export class MyData {
  /**
   * `api`: the person's API (api.js). Hooks: `record` (the debug log, no content) and
   * `onErased()` (everything is gone: forget the pairing and say so).
   */
  constructor(api, { record, onErased }) {
    this.api = api;
    this.record = record;
    this.onErased = onErased;
    this.name = null;
    this.loading = 0;
    const byId = (id) => document.getElementById(id);
    this.el = {
      exportButton: byId("export-button"),
      exportState: byId("export-state"),
      eraseForm: byId("erase-form"),
      eraseName: byId("erase-name"),
      eraseHint: byId("erase-name-hint"),
      eraseButton: byId("erase-button"),
      eraseState: byId("erase-state"),
    };
    this.el.exportButton.addEventListener("click", () => this.exportAll());
    this.el.eraseForm.addEventListener("submit", (event) => this.erase(event));
  }

  clear() {
    this.loading += 1;
    this.name = null;
    this.el.exportState.textContent = "";
    this.el.eraseName.value = "";
    this.el.eraseName.removeAttribute("aria-invalid");
    this.el.eraseHint.textContent = "";
    this.el.eraseState.textContent = "";
    this.el.exportButton.disabled = false;
    this.el.eraseButton.disabled = false;
  }

  async show() {
    this.clear();
    const loading = this.loading;
    try {
      const me = await this.api.get("");
      if (loading !== this.loading) return;
      this.name = typeof me.name === "string" ? me.name : null;
    } catch (error) {
      if (loading === this.loading) this.el.eraseState.textContent = error.message;
      return;
    }
    this.el.eraseHint.textContent = this.name
      ? `Type your name as this server knows you: ${this.name}`
      : "Type your name as this server knows you.";
  }

  async exportAll() {
    const loading = this.loading;
    const el = this.el;
    el.exportButton.disabled = true;
    el.exportState.textContent = "Preparing your copy… this can take a moment.";
    let blob;
    try {
      blob = await this.api.post("/export", undefined, "blob");
    } catch (error) {
      if (loading === this.loading) el.exportState.textContent = error.message;
      el.exportButton.disabled = false;
      return;
    }
    el.exportButton.disabled = false;
    if (loading !== this.loading) return;
    const name = `voice-export-${isoDay()}.zip`;
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    this.record("page", "exported", { bytes: blob.size });
    el.exportState.textContent =
      `Your copy was saved as ${name}. It holds your words and recordings unencrypted: keep ` +
      "it somewhere private.";
  }

  async erase(event) {
    event.preventDefault();
    const el = this.el;
    const typed = el.eraseName.value.trim();
    if (!typed || (this.name !== null && typed !== this.name)) {
      el.eraseName.setAttribute("aria-invalid", "true");
      el.eraseState.textContent = this.name
        ? `That is not your name as this server knows it (${this.name}). Nothing was erased.`
        : "Type your name to confirm. Nothing was erased.";
      el.eraseName.focus();
      return;
    }
    el.eraseName.removeAttribute("aria-invalid");
    const loading = this.loading;
    el.eraseButton.disabled = true;
    el.eraseState.textContent = "Erasing…";
    let answer;
    try {
      answer = await this.api.post("/erase", { confirm: typed });
    } catch (error) {
      if (loading === this.loading) el.eraseState.textContent = error.message;
      el.eraseButton.disabled = false;
      return;
    }
    el.eraseButton.disabled = false;
    if (!answer || answer.erased !== true) {
      el.eraseState.textContent = "The server did not confirm the erase. Please try again.";
      return;
    }
    this.record("page", "erased");
    this.onErased();
  }
}
