// The help panel: crisis and support lines as tap-to-call and tap-to-text links. Opened by
// the person at any time (Help now) or by the server's `safety` message; its lines are the
// server's configured locale's, sent in `ready` and in `safety`, and remembered on this
// device so that they are there before the next connection.

import { stored } from "./storage.js";
import { validLines } from "./state.js";

const KEY = "voice.helpLines";

/** How each kind of line is reached: a link scheme and its label. */
const WAYS = {
  call: [["tel", "Call"]],
  text: [["sms", "Text"]],
  call_or_text: [
    ["tel", "Call"],
    ["sms", "Text"],
  ],
};

const TITLES = {
  crisis: "You don't have to go through this alone. Help is there right now:",
  concern: "If you'd like to talk to someone:",
  asked: "Help, whenever you need it:",
};

/** The lines remembered from the last connection ([] if none). */
export function rememberedLines() {
  try {
    return validLines(JSON.parse(stored.get(KEY) || "[]"));
  } catch {
    return [];
  }
}

/** Keep `lines` for the next visit (they are the server's public help lines, not health data). */
export function rememberLines(lines) {
  if (lines.length) stored.set(KEY, JSON.stringify(lines));
}

/** Draws the panel from the state's `help` ({open, level, lines}). */
export function helpView({ panel, title, list, note }) {
  let drawn = null;

  function draw(help) {
    const key = JSON.stringify([help.level, help.lines]);
    if (key !== drawn) {
      drawn = key;
      panel.dataset.level = help.level === "crisis" ? "crisis" : "concern";
      title.textContent = TITLES[help.level] || TITLES.asked;
      list.replaceChildren(...help.lines.map(lineItem));
      note.textContent = help.lines.length
        ? "This companion is not an emergency service. If you are in danger now, call your " +
          "local emergency number."
        : "If you are in danger now, call your local emergency number. The support lines set " +
          "for this check-in server appear here once it has connected.";
    }
    panel.hidden = !help.open;
  }

  return { draw };
}

function lineItem(line) {
  const item = document.createElement("li");
  const name = document.createElement("span");
  name.className = "help-name";
  name.textContent = line.name;
  item.append(name);
  for (const [scheme, label] of WAYS[line.kind] || WAYS.call) {
    const link = document.createElement("a");
    link.href = `${scheme}:${line.number.replace(/[^\d+]/g, "")}`;
    link.textContent = `${label} ${line.number}`;
    item.append(" ", link);
  }
  return item;
}
