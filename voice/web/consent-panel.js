// The "What is kept" panel: the person's choice of what is kept and the summary of what is in
// force (docs/web-client.md). On a paired device the choice is recorded at once through
// PUT /api/v1/my/consent, and what is in force is read with GET; when the server cannot be
// asked, the choice is saved on this device and the next check-in's hello carries it.

import {
  CONSENT_KEY,
  asChoice,
  describeChoice,
  describeConsent,
  parseShare,
  parseStoredChoice,
} from "./consent.js";
import { stored } from "./storage.js";

export class ConsentPanel {
  /**
   * `isPaired()`: whether this device is paired (only then can a choice be saved);
   * `isLive()`: whether a check-in is under way; `record(dir, type, extra)`: the debug log;
   * `api`: the person's API (api.js). The panel also fills My space's "What is kept"
   * section (`show()` and `clear()`, as the other sections of my-space.js).
   */
  constructor({ isPaired, isLive, record, api }) {
    this.isPaired = isPaired;
    this.isLive = isLive;
    this.record = record;
    this.api = api;
    this.fromServer = false; // `inForce` was read from the server (not a check-in's ready)
    this.dirty = false; // the person changed the form since it was filled
    this.asking = 0; // a newer request makes an older answer stale
    this.opener = null; // the button that opened the panel, focused again when it closes
    /**
     * `pending`: saved on this device (voice.consent) when the server could not record it,
     * and sent in the next check-in's hello; cleared once a ready reports the consent in
     * force. `inForce`: what the server last said is in force (GET or PUT, or a ready), in
     * this page only.
     */
    this.pending = null;
    this.inForce = null;
    const byId = (id) => document.getElementById(id);
    this.el = {
      open: byId("consent-open"),
      panel: byId("consent-panel"),
      unpaired: byId("consent-unpaired"),
      form: byId("consent-form"),
      audio: byId("consent-audio"),
      transcript: byId("consent-transcript"),
      share: byId("consent-share"),
      inForce: byId("consent-in-force"),
      message: byId("consent-message"),
      close: byId("consent-close"),
      summary: byId("consent-summary"),
      linked: byId("consent-linked"),
      save: byId("consent-save"),
      spaceState: byId("my-consent-state"),
      spaceChange: byId("my-consent-change"),
    };
    const el = this.el;
    el.open.addEventListener("click", () => this.open());
    el.spaceChange.addEventListener("click", () => this.open());
    el.form.addEventListener("input", () => {
      this.dirty = true;
    });
    el.form.addEventListener("submit", (event) => this.save(event));
    el.close.addEventListener("click", () => el.panel.close());
    // Back to the button that opened it (the page's, or My space's).
    el.panel.addEventListener("close", () => (this.opener || el.open).focus());
  }

  load() {
    const saved = stored.get(CONSENT_KEY);
    this.pending = parseStoredChoice(saved);
    if (this.pending === null && saved !== null) stored.remove(CONSENT_KEY);
  }

  forget() {
    this.pending = null;
    this.inForce = null;
    this.fromServer = false;
    this.asking += 1;
    stored.remove(CONSENT_KEY);
    this.clear();
  }

  /** My space's "What is kept" section: what is in force now, read from the server. */
  async show() {
    this.el.spaceState.textContent = "Loading what is kept…";
    await this.refresh(true);
  }

  /** Forget what My space shows. */
  clear() {
    this.el.spaceState.textContent = "";
    this.el.linked.textContent = "";
  }

  /** Ask the server what is in force; the panel and My space show it. `report`: say why
   * not when it cannot be asked (otherwise the panel keeps what the last check-in said). */
  async refresh(report = false) {
    if (!this.isPaired()) return;
    const asking = ++this.asking;
    let answer;
    try {
      answer = await this.api.get("/consent");
    } catch (error) {
      if (asking === this.asking && report) this.el.spaceState.textContent = error.message;
      return;
    }
    if (asking !== this.asking || !answer || typeof answer.consent !== "object") return;
    this.takeInForce(answer.consent, answer.therapists);
    const el = this.el;
    if (el.panel.open && !this.dirty && this.pending === null) this.fillForm();
    if (el.panel.open) this.renderState();
  }

  /** What the server says is in force (GET or PUT /api/v1/my/consent). */
  takeInForce(inForce, therapists) {
    this.inForce = inForce;
    this.fromServer = true;
    const el = this.el;
    el.spaceState.textContent = describeConsent(inForce, {
      lead: "Kept now",
      nothing: "Nothing from your check-ins is kept now.",
    });
    // A check-in under way keeps by the new choice at once: its line says so.
    if (!el.summary.hidden && this.isLive()) el.summary.textContent = describeConsent(inForce);
    if (Array.isArray(therapists)) {
      const names = therapists.filter((name) => typeof name === "string");
      el.linked.textContent = names.length
        ? `Therapists linked to you: ${names.join(", ")}.`
        : "No therapist is linked to you, so there is no one to share with.";
    }
  }

  fillForm() {
    const el = this.el;
    const shown = this.pending || asChoice(this.inForce) || {
      audio: false,
      transcript: false,
      share: [],
    };
    el.audio.checked = shown.audio;
    el.transcript.checked = shown.transcript;
    el.share.value = shown.share.join(", ");
    this.dirty = false;
  }

  open() {
    const el = this.el;
    const paired = this.isPaired();
    el.unpaired.hidden = paired;
    el.form.hidden = !paired;
    el.message.textContent = "";
    if (paired) {
      this.fillForm();
      this.renderState();
    }
    if (!el.panel.open) {
      this.opener = document.activeElement === el.spaceChange ? el.spaceChange : el.open;
      el.panel.showModal();
    }
    (paired ? el.audio : el.close).focus();
    if (paired) this.refresh();
  }

  /** Close the panel and hide the summary (signed out: nothing of the person stays shown). */
  close() {
    this.el.summary.hidden = true;
    if (this.el.panel.open) this.el.panel.close();
  }

  /** Hide the summary until this check-in's ready says what is in force. */
  hideSummary() {
    this.el.summary.hidden = true;
  }

  /** The panel's line on what holds now and what is waiting for the next check-in. */
  renderState() {
    const parts = [];
    if (this.inForce) {
      parts.push(
        (this.fromServer ? "In force now. " : "In force at your last check-in. ") +
          describeConsent(this.inForce, { lead: "Kept", nothing: "Nothing is kept." }),
      );
    }
    if (this.pending) {
      parts.push(
        `Saved on this device: ${describeChoice(this.pending)}. It is recorded when your ` +
          "next check-in starts.",
      );
    }
    if (parts.length === 0) {
      parts.push("What is in force is shown here and at the start of each check-in.");
    }
    this.el.inForce.textContent = parts.join(" ");
  }

  async save(event) {
    event.preventDefault();
    if (!this.isPaired()) return;
    const el = this.el;
    const share = parseShare(el.share.value);
    if (share.problem) {
      el.message.textContent = share.problem;
      el.share.setAttribute("aria-invalid", "true");
      el.share.focus();
      return;
    }
    el.share.removeAttribute("aria-invalid");
    const choice = {
      audio: el.audio.checked,
      transcript: el.transcript.checked,
      share: share.names,
    };
    const asking = ++this.asking;
    el.save.disabled = true;
    el.message.textContent = "Saving…";
    let answer = null;
    let failure = null;
    try {
      answer = await this.api.put("/consent", choice);
    } catch (error) {
      failure = error;
    } finally {
      el.save.disabled = false;
    }
    if (asking !== this.asking) return;
    if (answer && typeof answer.consent === "object" && answer.consent) {
      // Recorded: in force at once, this check-in included; nothing waits for a hello.
      this.pending = null;
      stored.remove(CONSENT_KEY);
      this.takeInForce(answer.consent, answer.therapists);
      this.dirty = false;
      this.record("page", "consent_recorded");
      el.message.textContent =
        "Saved. Your choice is in force now" +
        (this.isLive() ? ", for this check-in too." : ".");
      this.renderState();
      return;
    }
    if (failure && !canWait(failure)) {
      el.message.textContent = failure.message;
      return;
    }
    this.pending = choice;
    const remembered = stored.set(CONSENT_KEY, JSON.stringify(choice));
    this.record("page", "consent_saved", { remembered });
    let message = this.isLive()
      ? "Saved. This check-in goes on as it started; your choice applies from your next one."
      : "Saved. Your choice applies from your next check-in.";
    if (!remembered) message += " This browser could not store it, so keep this page open.";
    el.message.textContent = message;
    this.renderState();
  }

  /** A ready's consent: what is in force now, shown at the start of the check-in. */
  onInForce(inForce, sent) {
    const el = this.el;
    if (!inForce || typeof inForce !== "object") {
      el.summary.hidden = true;
      return;
    }
    this.inForce = inForce;
    this.fromServer = false;
    // Recorded by the server: the saved choice is done with, unless it changed meanwhile.
    if (sent !== null && JSON.stringify(sent) === JSON.stringify(this.pending)) {
      this.pending = null;
      stored.remove(CONSENT_KEY);
    }
    el.summary.textContent = describeConsent(inForce);
    el.summary.hidden = false;
    if (el.panel.open) this.renderState();
  }
}

/** A failed save that the next check-in's hello can still carry: the server could not be
 * reached, has no such API, or failed on its side (a refusal of the choice cannot wait). */
function canWait(error) {
  return error.status === 0 || error.status === 404 || error.status === 405 || error.status >= 500;
}
