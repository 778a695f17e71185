// Crisis and support lines sent by the server with a `safety` message, shown prominently.

/** How each kind of line is reached: a link scheme and its label. */
const WAYS = {
  call: [["tel", "Call"]],
  text: [["sms", "Text"]],
  call_or_text: [
    ["tel", "Call"],
    ["sms", "Text"],
  ],
};

/**
 * Fill the help panel with `resources` ({name, number, kind}) as tap-to-call and
 * tap-to-text links, and show it. It stays until the person hides it.
 */
export function showHelp(panel, level, resources) {
  const lines = resources.filter(
    (r) => r && typeof r.name === "string" && typeof r.number === "string" && r.number.trim(),
  );
  if (lines.length === 0) return;
  panel.replaceChildren();
  panel.dataset.level = level === "crisis" ? "crisis" : "concern";

  const title = document.createElement("h2");
  title.textContent =
    level === "crisis"
      ? "You don't have to go through this alone. Help is there right now:"
      : "If you'd like to talk to someone:";
  const list = document.createElement("ul");
  for (const line of lines) {
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
    list.append(item);
  }
  const close = document.createElement("button");
  close.type = "button";
  close.className = "help-close";
  close.textContent = "Hide";
  close.addEventListener("click", () => {
    panel.hidden = true;
  });
  const note = document.createElement("p");
  note.className = "help-note";
  note.textContent = "This companion is not an emergency service.";
  panel.append(title, list, note, close);
  panel.hidden = false;
}
