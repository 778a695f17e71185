// "My space": the person's own area, shown instead of the check-in when they open it (only
// on a paired device, and not during a check-in). A row of buttons picks one section at a
// time: My check-ins, Trends, My safety plan, What is kept, Export and erase. Each section
// is its own module with `show()` (load what it shows) and `clear()` (forget it).

import { MyCheckins } from "./my-checkins.js";
import { MyData } from "./my-data.js";
import { SafetyPlanPanel } from "./safety-plan-panel.js";
import { TrendsPanel } from "./trends-panel.js";

const DEFAULT_SECTION = "my-checkins";

/**
 * My space and its sections over the person's `api` (api.js); `consent` is the page's
 * ConsentPanel (its "What is kept" section); `onErased()` is told when everything was erased.
 */
export function createMySpace({ api, consent, record, token, isLive, onErased }) {
  const sections = {
    "my-checkins": new MyCheckins(api, record),
    trends: new TrendsPanel(api, record),
    "safety-plan": new SafetyPlanPanel(api, record),
    "my-consent": consent,
    "my-data": new MyData(api, { record, onErased }),
  };
  return new MySpace(sections, { token, isLive, record });
}

export class MySpace {
  /**
   * `sections`: section id -> its module. Hooks: `token()` (the pairing token, null when
   * not paired), `isLive()`, `record` (the debug log: section names only).
   */
  constructor(sections, { token, isLive, record }) {
    this.sections = sections;
    this.token = token;
    this.isLive = isLive;
    this.record = record;
    this.current = DEFAULT_SECTION;
    this.openedFor = null; // the token My space was opened with: another one closes it
    const byId = (id) => document.getElementById(id);
    this.el = {
      open: byId("my-space-open"),
      view: byId("my-space"),
      title: byId("my-space-title"),
      close: byId("my-space-close"),
      nav: byId("my-space-nav"),
      erased: byId("my-space-erased"),
      conversation: byId("conversation"),
      controls: byId("controls"),
    };
    this.buttons = [...this.el.nav.querySelectorAll("button[data-section]")];
    this.el.open.addEventListener("click", () => this.open());
    this.el.close.addEventListener("click", () => this.close());
    for (const button of this.buttons) {
      button.addEventListener("click", () => this.select(button.dataset.section, true));
    }
  }

  get isOpen() {
    return !this.el.view.hidden;
  }

  open() {
    if (this.token() === null || this.isLive()) return;
    this.openedFor = this.token();
    this.record("page", "my_space_opened");
    this.el.erased.hidden = true;
    this.el.nav.hidden = false;
    this.el.conversation.hidden = true;
    this.el.controls.hidden = true;
    this.el.view.hidden = false;
    document.body.dataset.view = "my-space";
    this.select(this.current, false);
    this.el.title.focus();
  }

  /** Back to the check-in page; what was shown is forgotten (a shared screen keeps none). */
  close() {
    if (!this.isOpen) return;
    this.el.view.hidden = true;
    this.el.conversation.hidden = false;
    this.el.controls.hidden = false;
    delete document.body.dataset.view;
    this.clear();
    this.render();
    (this.el.open.hidden ? document.getElementById("start") : this.el.open).focus();
  }

  /** Show section `name`; `focus` moves the focus to its heading (chosen by the person). */
  select(name, focus) {
    if (!(name in this.sections)) name = DEFAULT_SECTION;
    this.current = name;
    for (const button of this.buttons) {
      const chosen = button.dataset.section === name;
      if (chosen) {
        button.setAttribute("aria-current", "true");
      } else {
        button.removeAttribute("aria-current");
      }
    }
    for (const id of Object.keys(this.sections)) {
      document.getElementById(id).hidden = id !== name;
    }
    this.record("page", "my_space_section", { section: name });
    this.sections[name].show();
    if (focus) {
      const heading = document.getElementById(name).querySelector("h3");
      if (heading) heading.focus();
    }
  }

  clear() {
    for (const section of Object.values(this.sections)) section.clear();
  }

  /** Everything was erased: only the notice stays, until the person goes back. */
  showErased() {
    this.clear();
    for (const id of Object.keys(this.sections)) document.getElementById(id).hidden = true;
    this.el.nav.hidden = true;
    this.el.erased.hidden = false;
    this.el.erased.querySelector("h3").focus();
  }

  /**
   * Pairing or the check-in changed: the open button, and the view, which closes when the
   * device is no longer paired as the person who opened it (signed out, or another pairing
   * link), unless it says that everything was erased.
   */
  render() {
    const token = this.token();
    this.el.open.hidden = token === null || this.isLive();
    if (this.isOpen && token !== this.openedFor && this.el.erased.hidden) this.close();
  }
}
