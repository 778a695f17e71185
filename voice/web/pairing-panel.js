// This device's pairing (docs/web-client.md): the token from a pairing link, kept in storage,
// followed across tabs, and forgotten on sign-out.

import { PAIRING_MESSAGES } from "./messages.js";
import { TOKEN_KEY, isValidToken, pairingFromHash, removeFragment } from "./pairing.js";
import { stored } from "./storage.js";

export class PairingPanel {
  /**
   * `signOutButton`: the Sign out button. Hooks: `record`, `showError`, `clearError` and
   * `setStatus` (the page's lines), `isLive()` (a check-in is under way), `forgetConsent()`
   * (a choice saved here was this person's), `endForSignOut()` (end the check-in and clear
   * what it showed) and `onChange()` (pairing changed: redraw the controls).
   */
  constructor(signOutButton, hooks) {
    this.token = null;
    this.hooks = hooks;
    signOutButton.addEventListener("click", () => this.signOut());
    // A pairing link opened in a tab that already shows the page changes only the fragment.
    window.addEventListener("hashchange", () => this.fromLink());
    // Paired or signed out in another tab of this page.
    window.addEventListener("storage", (event) => {
      if (event.key !== TOKEN_KEY && event.key !== null) return;
      this.token = null;
      this.load();
      this.hooks.onChange();
    });
  }

  get paired() {
    return this.token !== null;
  }

  load() {
    const saved = stored.get(TOKEN_KEY);
    if (isValidToken(saved)) {
      this.token = saved;
    } else if (saved !== null) {
      stored.remove(TOKEN_KEY); // not a token we could have stored
    }
  }

  /** Take a pairing link's token out of the address bar and keep it; true if there was one. */
  fromLink() {
    const hooks = this.hooks;
    const found = pairingFromHash(window.location.hash);
    if (found === null) return false;
    // First, before anything else: the token must not stay in the URL.
    removeFragment(window.location, window.history);
    if (found.token === null) {
      hooks.record("page", "pairing_invalid");
      hooks.showError(PAIRING_MESSAGES.invalid, "pairing");
    } else {
      if (this.token !== null && this.token !== found.token) hooks.forgetConsent();
      this.token = found.token;
      const remembered = stored.set(TOKEN_KEY, found.token);
      hooks.record("page", "paired", { remembered });
      if (remembered) {
        hooks.clearError("pairing");
      } else {
        hooks.showError(PAIRING_MESSAGES.notRemembered, "pairing");
      }
      if (!hooks.isLive()) {
        hooks.setStatus("idle", "Paired with the check-in server");
      }
    }
    hooks.onChange();
    return true;
  }

  forget() {
    this.token = null;
    stored.remove(TOKEN_KEY);
    this.hooks.forgetConsent(); // a choice saved here was this person's
  }

  /** Sign out: end any check-in, forget the token, say the device is no longer paired. */
  signOut() {
    if (this.token === null) return;
    const hooks = this.hooks;
    hooks.record("page", "sign_out");
    hooks.endForSignOut();
    this.forget();
    hooks.clearError("pairing");
    hooks.setStatus("idle", "Signed out: this device is no longer paired");
    hooks.onChange();
  }
}
