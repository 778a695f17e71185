// Trends: the server's chart of the check-in answers and voice measures over a period
// (GET …/trends.svg, our own server's picture made from numbers only), and the same days as
// a plain table under it (GET …/trends), readable without the picture: the person's own in
// My space (/api/v1/my), and a person's in the listening room (/api/v1/people/NAME). Both
// carry this device's offset from UTC, so the server groups check-ins by local calendar day,
// as the list of check-ins shows them.

import { calendarDay } from "./when.js";

const SVG_NS = "http://www.w3.org/2000/svg";
const SLEEP_WORDS = { good: "Well", okay: "Okay", poor: "Badly" };
const VOICE = ["activation", "rate", "loudness", "pitch"]; // the table's voice columns
const MAX_OFFSET_MINUTES = 840; // UTC+14 / UTC-14: the widest offsets the server accepts

export class TrendsPanel {
  /**
   * `api`: whose trends, as `get(path, as)` under their records (the person's own api.js, or
   * the listening room's for the person opened; `api` may be changed before `show()`);
   * `record`: the debug log (no content); `loadingText`: what to say while it loads.
   */
  constructor(api, record = () => {}, { loadingText = "Loading your trends…" } = {}) {
    this.api = api;
    this.record = record;
    this.loadingText = loadingText;
    this.loading = 0;
    const byId = (id) => document.getElementById(id);
    this.el = {
      days: byId("trends-days"),
      state: byId("trends-state"),
      chart: byId("trends-chart"),
      table: byId("trends-table-box"),
      body: byId("trends-body"),
      empty: byId("trends-empty"),
    };
    this.el.days.addEventListener("change", () => this.show());
  }

  /** Say why the trends could not be shown (the room also acts on a 401 or 404). */
  failed(error) {
    this.el.state.textContent = error.message;
  }

  clear() {
    this.loading += 1;
    this.el.chart.replaceChildren();
    this.el.body.replaceChildren();
    this.el.table.hidden = true;
    this.el.empty.hidden = true;
    this.el.state.textContent = "";
  }

  async show() {
    this.clear();
    if (!this.api) return;
    const loading = this.loading;
    const days = Number(this.el.days.value) || 56;
    const query = `days=${days}&offset=${localOffset()}`;
    this.el.state.textContent = this.loadingText;
    let svg;
    let table;
    try {
      [svg, table] = await Promise.all([
        this.api.get(`/trends.svg?${query}`, "text"),
        this.api.get(`/trends?${query}`),
      ]);
    } catch (error) {
      if (loading === this.loading) this.failed(error);
      return;
    }
    if (loading !== this.loading) return;
    this.record("page", "trends_shown", { days });
    const chart = chartFrom(svg);
    if (chart) {
      this.el.chart.append(chart);
    } else {
      this.el.chart.textContent =
        "The chart could not be shown; the table below has the same days.";
    }
    const rows = (Array.isArray(table.days) ? table.days : []).filter(hasSomething);
    this.el.state.textContent = "";
    this.el.empty.hidden = rows.length > 0;
    this.el.table.hidden = rows.length === 0;
    for (const day of rows) this.el.body.append(row(day));
  }
}

/** This device's offset from UTC now, in minutes east of it (UTC+1: 60, UTC-5: -300), as the
 * server's `offset` takes it. */
export function localOffset(date = new Date()) {
  const east = -date.getTimezoneOffset();
  if (!Number.isFinite(east)) return 0;
  return Math.max(-MAX_OFFSET_MINUTES, Math.min(MAX_OFFSET_MINUTES, Math.round(east))) || 0;
}

/** The server's SVG as a node of this page, with anything that could run or style left out. */
export function chartFrom(text) {
  const parsed = new DOMParser().parseFromString(String(text), "image/svg+xml");
  const root = parsed.documentElement;
  if (!root || root.namespaceURI !== SVG_NS || root.localName !== "svg") return null;
  for (const node of [...root.querySelectorAll("script, foreignObject, style")]) node.remove();
  for (const node of [root, ...root.querySelectorAll("*")]) {
    for (const attribute of [...node.attributes]) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.trim().toLowerCase();
      if (name.startsWith("on") || name === "style") node.removeAttribute(attribute.name);
      if (name.endsWith("href") && !value.startsWith("#")) node.removeAttribute(attribute.name);
    }
  }
  const chart = document.importNode(root, true);
  chart.classList.add("trends-svg");
  chart.dataset.testid = "trends-svg";
  chart.setAttribute("role", "img");
  if (!chart.hasAttribute("aria-labelledby")) {
    // Named by its own title and description (the server's chart names itself).
    const parts = [chart.querySelector(":scope > title"), chart.querySelector(":scope > desc")];
    const ids = parts.filter(Boolean).map((part, index) => {
      if (!part.id) part.id = `trends-svg-${index}`;
      return part.id;
    });
    if (ids.length) chart.setAttribute("aria-labelledby", ids.join(" "));
  }
  return chart;
}

function hasSomething(day) {
  if (!day || typeof day !== "object") return false;
  if (day.safety) return true;
  return ["mood", "sleep", "energy", ...VOICE].some(
    (key) => day[key] !== null && day[key] !== undefined,
  );
}

function row(day) {
  const tr = document.createElement("tr");
  const date = document.createElement("th");
  date.scope = "row";
  date.textContent = calendarDay(day.date) || String(day.date);
  tr.append(date);
  const cells = [
    typeof day.mood === "number" ? `${day.mood} / 10` : null,
    typeof day.sleep === "string" ? SLEEP_WORDS[day.sleep] || capital(day.sleep) : null,
    typeof day.energy === "string" ? capital(day.energy) : numberOrNull(day.energy),
    ...VOICE.map((key) => relative(day[key])),
    day.safety ? "Yes" : "No",
  ];
  for (const value of cells) {
    const td = document.createElement("td");
    td.textContent = value === null ? "–" : value;
    if (value === null) td.setAttribute("aria-label", "no answer");
    tr.append(td);
  }
  return tr;
}

/** A voice measure relative to the person's usual: "+0.40", "−0.12", "0.00". */
function relative(value) {
  if (typeof value !== "number" || !Number.isFinite(value)) return null;
  const text = Math.abs(value).toFixed(2);
  if (text === "0.00") return "0.00";
  return `${value > 0 ? "+" : "−"}${text}`;
}

function numberOrNull(value) {
  return typeof value === "number" && Number.isFinite(value) ? String(value) : null;
}

function capital(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
