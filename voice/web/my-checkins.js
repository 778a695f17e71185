// My check-ins: the list of kept check-ins by date, and one of them opened (its words, answers,
// safety moments and recording: checkin-detail.js and checkin-player.js).

import { renderDetail } from "./checkin-detail.js";
import { CheckinPlayer } from "./checkin-player.js";
import { longDay, spokenLength, timeOfDay } from "./when.js";

export class MyCheckins {
  /** `api`: the person's API (api.js); `record`: the debug log (no content). */
  constructor(api, record) {
    this.api = api;
    this.record = record;
    this.loading = 0; // a newer load makes an older answer stale
    const byId = (id) => document.getElementById(id);
    this.el = {
      listView: byId("checkin-list-view"),
      list: byId("checkin-list"),
      listState: byId("checkin-list-state"),
      detail: byId("checkin-detail"),
      back: byId("checkin-back"),
      title: byId("checkin-detail-title"),
      state: byId("checkin-detail-state"),
      body: byId("checkin-detail-body"),
    };
    this.player = new CheckinPlayer(api, {
      box: byId("checkin-player"),
      audio: byId("checkin-audio"),
      state: byId("checkin-player-state"),
    });
    this.el.back.addEventListener("click", () => this.showList(true));
  }

  show() {
    this.showList(false);
  }

  clear() {
    this.loading += 1;
    this.player.clear();
    this.el.list.replaceChildren();
    this.el.listState.textContent = "";
    this.el.body.replaceChildren();
    this.el.title.textContent = "";
    this.el.state.textContent = "";
    this.el.detail.hidden = true;
    this.el.listView.hidden = false;
  }

  /** The list, loaded afresh; `focus`: back from a check-in, to the one that was open. */
  async showList(focus) {
    const openId = this.el.detail.hidden ? null : this.el.detail.dataset.id;
    this.clear();
    const loading = this.loading;
    this.el.listState.textContent = "Loading your check-ins…";
    let answer;
    try {
      answer = await this.api.get("/checkins");
    } catch (error) {
      if (loading === this.loading) this.el.listState.textContent = error.message;
      return;
    }
    if (loading !== this.loading) return;
    const checkins = Array.isArray(answer.checkins) ? answer.checkins : [];
    this.record("page", "checkins_listed", { count: checkins.length });
    this.el.listState.textContent = checkins.length
      ? `${checkins.length} kept check-in${checkins.length === 1 ? "" : "s"}, newest first.`
      : "No check-ins are kept yet. When you choose to keep your words or recordings (under " +
        "What is kept), your check-ins appear here.";
    for (const checkin of checkins) this.el.list.append(this.listItem(checkin));
    if (focus && openId) {
      const button = this.el.list.querySelector(`button[data-id="${CSS.escape(openId)}"]`);
      if (button) button.focus();
    }
  }

  listItem(checkin) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "checkin-open";
    button.dataset.id = String(checkin.id);
    button.dataset.testid = "checkin-open";
    const day = document.createElement("span");
    day.className = "checkin-day";
    day.textContent = `${longDay(checkin.started_at)}, ${timeOfDay(checkin.started_at)}`;
    const about = document.createElement("span");
    about.className = "checkin-about";
    about.textContent = describeListing(checkin);
    button.append(day, about);
    button.addEventListener("click", () => this.openCheckin(checkin));
    item.append(button);
    return item;
  }

  async openCheckin(checkin) {
    this.loading += 1;
    const loading = this.loading;
    this.player.clear();
    this.el.listView.hidden = true;
    this.el.detail.hidden = false;
    this.el.detail.dataset.id = String(checkin.id);
    this.el.title.textContent =
      `Check-in of ${longDay(checkin.started_at)}, ${timeOfDay(checkin.started_at)}`;
    this.el.body.replaceChildren();
    this.el.state.textContent = "Loading this check-in…";
    this.el.title.focus();
    let detail;
    try {
      detail = await this.api.get(`/checkins/${encodeURIComponent(checkin.id)}`);
    } catch (error) {
      if (loading === this.loading) this.el.state.textContent = error.message;
      return;
    }
    if (loading !== this.loading) return;
    this.record("page", "checkin_opened");
    this.el.state.textContent = "";
    const turns = renderDetail(this.el.body, detail, {
      seek: detail.has_audio ? (ms) => this.player.seek(ms) : null,
    });
    if (detail.has_audio) this.player.load(detail.id, turns);
  }
}

/** "About 3 minutes. Recording and words kept. 1 safety moment." */
function describeListing(checkin) {
  const parts = [];
  if (checkin.audio_ms > 0) parts.push(`Recording of ${spokenLength(checkin.audio_ms)}.`);
  const kept = [];
  if (checkin.has_audio) kept.push("recording");
  if (checkin.has_words) kept.push("words");
  parts.push(kept.length ? `Kept: ${kept.join(" and ")}.` : "Nothing of it is kept now.");
  const safety = Number(checkin.safety_events) || 0;
  if (safety > 0) {
    parts.push(`${safety} moment${safety === 1 ? "" : "s"} when help lines were offered.`);
  }
  return parts.join(" ");
}
