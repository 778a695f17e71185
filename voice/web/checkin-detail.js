// One kept check-in, drawn from GET /api/v1/my/checkins/{id}: the answers and summary, the
// moments when help lines were offered, and the conversation turn by turn (time, who spoke,
// the words, and the note on how the voice sounded). Text only: every value goes in with
// textContent.

import { cueSentence } from "./transcript.js";
import { answerList, safetyMoment } from "./record-words.js";
import { clock } from "./when.js";

/**
 * Fill `container` with the check-in `detail`. `seek(ms)`, when there is a recording, plays
 * it from a turn. Returns the turns' items with their times, for the player's highlight.
 */
export function renderDetail(container, detail, { seek }) {
  const parts = [];
  parts.push(answersPart(detail.summary));
  const events = Array.isArray(detail.safety_events) ? detail.safety_events : [];
  if (events.length) parts.push(safetyPart(events));
  const { part, turns } = conversationPart(detail.turns, seek);
  parts.push(part);
  container.replaceChildren(...parts);
  return turns;
}

function section(title, testid) {
  const box = document.createElement("section");
  box.className = "record-part";
  box.dataset.testid = testid;
  const heading = document.createElement("h4");
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

function answersPart(summary) {
  const box = section("Answers and summary", "checkin-answers");
  if (!summary || typeof summary !== "object") {
    box.append(paragraph("No answers or summary were kept for this check-in.", "small"));
    return box;
  }
  const list = answerList(summary.items, "answers");
  if (list) box.append(list);
  if (typeof summary.text === "string" && summary.text.trim()) {
    box.append(paragraph(summary.text, "words"));
  }
  if (summary.safety === "crisis" || summary.safety === "concern") {
    box.append(
      paragraph(
        "During this check-in the companion offered help lines. If things feel that way " +
          "again, your safety plan and the people on it are there for you.",
        "small",
      ),
    );
  }
  return box;
}

function safetyPart(events) {
  const box = section("Moments when help was offered", "checkin-safety");
  const list = document.createElement("ul");
  list.className = "safety-moments";
  for (const event of events) {
    const item = document.createElement("li");
    item.textContent = safetyMoment(event);
    list.append(item);
  }
  box.append(list);
  return box;
}

function conversationPart(turns, seek) {
  const box = section("The conversation", "checkin-conversation");
  const list = document.createElement("ol");
  list.className = "record-turns";
  list.dataset.testid = "checkin-turns";
  const found = [];
  const kept = Array.isArray(turns) ? turns : [];
  if (!kept.length) {
    box.append(paragraph("The words of this check-in were not kept.", "small"));
    return { part: box, turns: found };
  }
  if (seek) {
    box.append(paragraph("Choose a time to listen from that moment.", "small"));
  }
  for (const turn of kept) {
    const item = turnItem(turn, seek);
    found.push({ atMs: Number(turn.at_ms) || 0, item });
    list.append(item);
  }
  box.append(list);
  return { part: box, turns: found };
}

function turnItem(turn, seek) {
  const person = turn.speaker === "person";
  const item = document.createElement("li");
  item.className = `record-turn ${person ? "record-person" : "record-assistant"}`;
  item.dataset.testid = "checkin-turn";
  item.dataset.atMs = String(Number(turn.at_ms) || 0);
  const head = document.createElement("p");
  head.className = "record-turn-head";
  const time = clock(turn.at_ms);
  const who = document.createElement("span");
  who.className = "who";
  who.textContent = person ? "You" : "Companion";
  if (seek) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "turn-time";
    button.dataset.testid = "turn-seek";
    button.textContent = time;
    button.setAttribute("aria-label", `Listen from ${time}, ${person ? "you" : "the companion"}`);
    button.addEventListener("click", (event) => {
      event.stopPropagation();
      seek(Number(turn.at_ms) || 0);
    });
    head.append(button);
    // A click anywhere on the turn does the same (the button is the keyboard's way).
    item.addEventListener("click", (event) => {
      if (!window.getSelection().isCollapsed) return; // selecting words, not seeking
      if (event.target.closest("button")) return;
      seek(Number(turn.at_ms) || 0);
    });
  } else {
    const span = document.createElement("span");
    span.className = "turn-time";
    span.textContent = time;
    head.append(span);
  }
  head.append(" ", who);
  const playing = document.createElement("span");
  playing.className = "now-playing";
  playing.textContent = "Playing now";
  playing.hidden = true;
  head.append(" ", playing);
  item.append(head, paragraph(typeof turn.text === "string" ? turn.text : "", "words"));
  const cue = turn.cues && typeof turn.cues.summary === "string" ? turn.cues.summary.trim() : "";
  if (cue) {
    const note = paragraph(cueSentence(cue), "record-cue");
    note.dataset.testid = "checkin-cue";
    item.append(note);
  }
  return item;
}
