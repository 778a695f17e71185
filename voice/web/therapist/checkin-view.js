// One shared check-in in the listening room: the recording (played straight from the server,
// which answers range requests, so the player can seek), the conversation turn by turn
// (time, who spoke, the words, how the voice sounded), the answers and summary, the moments
// when help lines were offered, the therapist's private notes and a download. Text only:
// every value goes in with textContent. It describes what was said; it never diagnoses.

import { answerList, safetyMoment } from "../record-words.js";
import { clock } from "../when.js";
import { when } from "./people.js";

const MAX_NOTE_CHARS = 4000;

/**
 * Fill `container` with check-in `detail` of `person`. `urls`: `{ audio, download }`;
 * `saveNote(text)` resolves to the saved note `{ at, text }` or rejects with a message.
 * Returns `{ stop() }`, which silences the player.
 */
export function renderCheckin(container, person, detail, { urls, saveNote }) {
  const audio = detail.has_audio ? player(urls.audio) : null;
  const turns = conversation(person, detail.turns, audio);
  const parts = [];
  if (audio) parts.push(audio.part);
  parts.push(answers(detail.summary), safety(detail.safety_events), turns.part);
  parts.push(notes(person, detail.notes, saveNote), download(urls.download));
  container.replaceChildren(...parts);
  if (audio) audio.follow(turns.items);
  return {
    stop() {
      if (!audio) return;
      audio.element.pause();
      audio.element.removeAttribute("src");
      audio.element.load();
    },
  };
}

function section(title, testid) {
  const box = document.createElement("section");
  box.className = "card part";
  if (testid) box.dataset.testid = testid;
  const heading = document.createElement("h3");
  heading.textContent = title;
  box.append(heading);
  return box;
}

function paragraph(text, className) {
  const p = document.createElement("p");
  if (className) p.className = className;
  p.textContent = text;
  return p;
}

// --- the recording ----------------------------------------------------------------------

function player(url) {
  const part = section("Recording");
  const element = document.createElement("audio");
  element.controls = true;
  element.preload = "metadata";
  element.dataset.testid = "player";
  element.setAttribute("aria-label", "Recording of this check-in");
  const state = paragraph("", "state");
  element.addEventListener("error", () => {
    if (element.getAttribute("src")) {
      state.textContent = "The recording could not be played. It may no longer be kept.";
    }
  });
  element.src = url;
  part.append(element, state);

  let items = [];
  let playing = null;
  function mark(item) {
    if (item === playing) return;
    if (playing) {
      playing.classList.remove("playing");
      playing.removeAttribute("aria-current");
      playing.querySelector(".now-playing").hidden = true;
    }
    playing = item;
    if (item) {
      item.classList.add("playing");
      item.setAttribute("aria-current", "true");
      item.querySelector(".now-playing").hidden = false;
    }
  }
  function highlight() {
    const at = element.currentTime * 1000;
    if (element.paused && at === 0) return mark(null);
    let current = null;
    for (const turn of items) {
      if (turn.atMs <= at + 1) current = turn.item;
      else break;
    }
    return mark(current);
  }
  element.addEventListener("timeupdate", highlight);
  element.addEventListener("seeked", highlight);
  element.addEventListener("ended", () => mark(null));

  return {
    part,
    element,
    follow(found) {
      items = [...found].sort((a, b) => a.atMs - b.atMs);
    },
    seek(ms) {
      element.currentTime = Math.max(0, ms / 1000);
      highlight();
      const played = element.play();
      if (played && typeof played.catch === "function") {
        played.catch(() => {
          // Refused (no gesture yet) or the source changed: the position is set.
        });
      }
    },
  };
}

// --- the conversation -------------------------------------------------------------------

function conversation(person, turns, audio) {
  const part = section("The conversation", "transcript");
  const kept = Array.isArray(turns) ? turns : [];
  const items = [];
  if (!kept.length) {
    part.append(paragraph("The words of this check-in were not kept.", "small"));
    return { part, items };
  }
  if (audio) part.append(paragraph("Choose a turn to listen from that moment.", "small"));
  const list = document.createElement("ol");
  list.className = "turns";
  for (const turn of kept) {
    const item = turnItem(person, turn, audio);
    items.push({ atMs: Number(turn.at_ms) || 0, item });
    list.append(item);
  }
  part.append(list);
  return { part, items };
}

function turnItem(person, turn, audio) {
  const fromPerson = turn.speaker === "person";
  const atMs = Number(turn.at_ms) || 0;
  const who = fromPerson ? person : "Companion";
  const item = document.createElement("li");
  item.className = `turn ${fromPerson ? "turn-person" : "turn-companion"}`;
  item.dataset.testid = "transcript-turn";
  item.dataset.startMs = String(atMs);
  const head = document.createElement(audio ? "button" : "p");
  head.className = "turn-head";
  if (audio) {
    head.type = "button";
    head.setAttribute("aria-label", `Listen from ${clock(atMs)}, ${who}`);
    head.addEventListener("click", () => audio.seek(atMs));
  }
  const time = document.createElement("span");
  time.className = "turn-time";
  time.textContent = clock(atMs);
  const name = document.createElement("span");
  name.className = "turn-who";
  name.textContent = who;
  const now = document.createElement("span");
  now.className = "now-playing";
  now.textContent = "Playing now";
  now.hidden = true;
  head.append(time, " ", name, " ", now);
  item.append(head, paragraph(typeof turn.text === "string" ? turn.text : "", "words"));
  const cue = cueWords(turn.cues);
  if (cue) {
    const note = paragraph(cue, "cues");
    note.dataset.testid = "turn-cues";
    item.append(note);
  }
  return item;
}

/** A turn's cues in plain words: "Voice: slower and quieter than usual." */
export function cueWords(cues) {
  if (!cues || typeof cues !== "object" || typeof cues.summary !== "string") return "";
  const text = cues.summary.trim();
  if (!text) return "";
  const sentence = /[.!?]$/.test(text) ? text : `${text}.`;
  return `Voice: ${sentence}`;
}

// --- answers, summary and safety --------------------------------------------------------

function answers(summary) {
  const part = section("Answers and summary", "answers");
  if (!summary || typeof summary !== "object") {
    part.append(paragraph("No answers or summary were kept for this check-in.", "small"));
    return part;
  }
  const list = answerList(summary.items, "answer-list");
  if (list) part.append(list);
  if (typeof summary.text === "string" && summary.text.trim()) {
    part.append(paragraph(`Summary: ${summary.text.trim()}`, "words"));
  }
  return part;
}

function safety(events) {
  const part = section("Moments when help lines were offered", "safety-events");
  const kept = Array.isArray(events) ? events : [];
  if (!kept.length) {
    part.append(paragraph("None in this check-in.", "small"));
    return part;
  }
  const list = document.createElement("ul");
  list.className = "safety-list";
  for (const event of kept) {
    const item = document.createElement("li");
    item.textContent = safetyMoment(event);
    list.append(item);
  }
  part.append(list);
  return part;
}

// --- private notes ----------------------------------------------------------------------

function notes(person, kept, saveNote) {
  const part = section("Your private notes", "notes");
  part.append(
    paragraph(`Only you can see these notes. ${person} does not see them.`, "small"),
  );
  const list = document.createElement("ul");
  list.className = "notes";
  const empty = paragraph("No notes yet.", "small");
  const add = (note) => {
    const item = document.createElement("li");
    item.className = "note";
    item.dataset.testid = "note";
    const at = paragraph(when(note.at), "small");
    item.append(at, paragraph(typeof note.text === "string" ? note.text : "", "words"));
    list.append(item);
    empty.hidden = true;
  };
  for (const note of Array.isArray(kept) ? kept : []) add(note);
  empty.hidden = list.children.length > 0;

  const form = document.createElement("form");
  form.className = "note-form";
  form.noValidate = true;
  const label = document.createElement("label");
  label.htmlFor = "note-input";
  label.textContent = "Add a note";
  const input = document.createElement("textarea");
  input.id = "note-input";
  input.dataset.testid = "note-input";
  input.rows = 3;
  input.maxLength = MAX_NOTE_CHARS;
  input.setAttribute("aria-describedby", "note-message");
  const save = document.createElement("button");
  save.type = "submit";
  save.className = "primary";
  save.dataset.testid = "note-save";
  save.textContent = "Save note";
  const message = paragraph("", "form-message");
  message.id = "note-message";
  message.setAttribute("role", "status");
  form.append(label, input, save, message);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) {
      message.textContent = "Write something first.";
      input.focus();
      return;
    }
    save.disabled = true;
    message.textContent = "Saving…";
    try {
      add(await saveNote(text));
      input.value = "";
      message.textContent = "Saved.";
    } catch (error) {
      message.textContent = error.message;
    } finally {
      save.disabled = false;
    }
  });
  part.append(list, empty, form);
  return part;
}

function download(url) {
  const part = section("Download");
  const link = document.createElement("a");
  link.className = "button-link";
  link.href = url;
  link.setAttribute("download", "");
  link.dataset.testid = "download";
  link.textContent = "Download this check-in (recording and words, as a zip file)";
  part.append(link);
  return part;
}
