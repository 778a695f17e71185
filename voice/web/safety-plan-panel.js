// My safety plan: six short sections in the person's own words (GET and PUT
// /api/v1/my/safety-plan). If a check-in ever sounds like a crisis, the companion reads their
// own steps aloud before the crisis lines.

import { longDay, timeOfDay } from "./when.js";

const MAX_CHARS = 2000;

/** The sections and their headings, used when the server's answer does not name them. */
const SECTIONS = [
  ["warning_signs", "My warning signs"],
  ["coping", "Things I can do on my own"],
  ["distraction", "People and places that help me feel better"],
  ["help", "People I can ask for help"],
  ["professionals", "Professionals and crisis lines I can call"],
  ["environment", "Making my surroundings safer"],
];

export class SafetyPlanPanel {
  /** `api`: the person's API (api.js); `record`: the debug log (no content). */
  constructor(api, record) {
    this.api = api;
    this.record = record;
    this.loading = 0;
    this.keys = [];
    const byId = (id) => document.getElementById(id);
    this.el = {
      form: byId("safety-plan-form"),
      fields: byId("safety-plan-fields"),
      state: byId("safety-plan-state"),
      message: byId("safety-plan-message"),
      save: byId("safety-plan-save"),
    };
    this.el.form.addEventListener("submit", (event) => this.save(event));
  }

  clear() {
    this.loading += 1;
    this.keys = [];
    this.el.fields.replaceChildren();
    this.el.form.hidden = true;
    this.el.state.textContent = "";
    this.el.message.textContent = "";
  }

  async show() {
    this.clear();
    const loading = this.loading;
    this.el.state.textContent = "Loading your safety plan…";
    let answer;
    try {
      answer = await this.api.get("/safety-plan");
    } catch (error) {
      if (loading === this.loading) this.el.state.textContent = error.message;
      return;
    }
    if (loading !== this.loading) return;
    this.fill(answer);
    this.el.form.hidden = false;
  }

  fill(answer) {
    const plan = answer && typeof answer.plan === "object" && answer.plan ? answer.plan : {};
    const sections = validSections(answer && answer.sections) || SECTIONS;
    this.keys = sections.map(([key]) => key);
    const fields = sections.map(([key, heading]) => field(key, heading, plan[key]));
    this.el.fields.replaceChildren(...fields);
    this.el.state.textContent = describeUpdated(answer && answer.updated_at);
  }

  async save(event) {
    event.preventDefault();
    if (!this.keys.length) return;
    const plan = {};
    for (const key of this.keys) {
      plan[key] = document.getElementById(`plan-${key}`).value.slice(0, MAX_CHARS);
    }
    const loading = this.loading;
    this.el.save.disabled = true;
    this.el.message.textContent = "Saving…";
    try {
      const answer = await this.api.put("/safety-plan", { plan });
      if (loading !== this.loading) return;
      this.record("page", "safety_plan_saved");
      this.fill(answer);
      this.el.message.textContent = "Saved. Your plan is kept on your own server.";
    } catch (error) {
      if (loading === this.loading) this.el.message.textContent = error.message;
    } finally {
      this.el.save.disabled = false;
    }
  }
}

function validSections(sections) {
  if (!Array.isArray(sections) || sections.length === 0) return null;
  const ok = sections.every(
    (s) => Array.isArray(s) && typeof s[0] === "string" && /^[a-z_]+$/.test(s[0]) &&
      typeof s[1] === "string",
  );
  return ok ? sections : null;
}

function field(key, heading, value) {
  const box = document.createElement("div");
  box.className = "plan-field";
  const label = document.createElement("label");
  label.htmlFor = `plan-${key}`;
  label.textContent = heading;
  const text = document.createElement("textarea");
  text.id = `plan-${key}`;
  text.name = key;
  text.rows = 3;
  text.maxLength = MAX_CHARS;
  text.dataset.testid = `plan-${key}`;
  text.value = typeof value === "string" ? value : "";
  box.append(label, text);
  return box;
}

function describeUpdated(iso) {
  const day = longDay(iso);
  if (!day) return "You have not written a plan yet. Every section is optional.";
  return `Last saved on ${day} at ${timeOfDay(iso)}.`;
}
