// The "What is kept" panel: the person's choice of what is kept, saved on this device until a
// check-in's ready reports it in force, and the summary of what is in force (docs/web-client.md).

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
   * `isLive()`: whether a check-in is under way; `record(dir, type, extra)`: the debug log.
   */
  constructor({ isPaired, isLive, record }) {
    this.isPaired = isPaired;
    this.isLive = isLive;
    this.record = record;
    /**
     * `pending`: saved on this device (voice.consent) and sent in the next check-in's hello;
     * cleared once a ready reports the consent in force. `inForce`: the last ready's
     * consent, in this page only.
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
    };
    const el = this.el;
    el.open.addEventListener("click", () => this.open());
    el.form.addEventListener("submit", (event) => this.save(event));
    el.close.addEventListener("click", () => el.panel.close());
    el.panel.addEventListener("close", () => el.open.focus());
  }

  load() {
    const saved = stored.get(CONSENT_KEY);
    this.pending = parseStoredChoice(saved);
    if (this.pending === null && saved !== null) stored.remove(CONSENT_KEY);
  }

  forget() {
    this.pending = null;
    this.inForce = null;
    stored.remove(CONSENT_KEY);
  }

  open() {
    const el = this.el;
    const paired = this.isPaired();
    el.unpaired.hidden = paired;
    el.form.hidden = !paired;
    el.message.textContent = "";
    if (paired) {
      const shown = this.pending || asChoice(this.inForce) || {
        audio: false,
        transcript: false,
        share: [],
      };
      el.audio.checked = shown.audio;
      el.transcript.checked = shown.transcript;
      el.share.value = shown.share.join(", ");
      this.renderState();
    }
    if (!el.panel.open) el.panel.showModal();
    (paired ? el.audio : el.close).focus();
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
        "In force at your last check-in. " +
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

  save(event) {
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
