// The lists of the listening room: the people who share with this therapist, and one
// person's check-ins, newest first. Text only: every value goes in with textContent.

import { longDay, spokenLength, timeOfDay } from "../when.js";

/** "1 moment when help lines were offered", "2 moments ...". */
export function moments(count) {
  return `${count} ${count === 1 ? "moment" : "moments"} when help lines were offered`;
}

/** "Monday 7 December 2026, 14:05", or "" when `iso` is not a date. */
export function when(iso) {
  const day = longDay(iso);
  return day ? `${day}, ${timeOfDay(iso)}` : "";
}

/** Fill `list` with one button per person; `open(name)` opens one. */
export function renderPeople(list, people, open) {
  list.replaceChildren(
    ...people.map((person) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "person";
      button.dataset.testid = "person";
      button.dataset.name = person.name;
      const name = document.createElement("span");
      name.className = "person-name";
      name.textContent = person.name;
      const last = document.createElement("span");
      last.className = "small";
      const lastAt = when(person.last_checkin_at);
      last.textContent = lastAt ? `Last check-in: ${lastAt}` : "No check-ins shared yet";
      button.append(name, last);
      const count = Number(person.new_safety_events) || 0;
      if (count > 0) {
        const flag = document.createElement("span");
        flag.className = "flag";
        flag.dataset.testid = "safety-flag";
        flag.textContent = `New: ${moments(count)}`;
        button.append(flag);
      }
      button.addEventListener("click", () => open(person.name));
      item.append(button);
      return item;
    }),
  );
}

/** Fill `list` with one button per check-in (as the server orders them: newest first). */
export function renderCheckins(list, checkins, open) {
  list.replaceChildren(
    ...checkins.map((checkin) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "checkin";
      button.dataset.testid = "checkin";
      button.dataset.id = checkin.id;
      const title = document.createElement("span");
      title.className = "checkin-when";
      title.textContent = when(checkin.started_at) || "A check-in";
      const kept = [];
      if (checkin.has_audio) kept.push("recording");
      if (checkin.has_words) kept.push("words");
      const parts = [];
      if (checkin.has_audio && checkin.audio_ms) {
        parts.push(`Recording of ${spokenLength(checkin.audio_ms)}.`);
      }
      parts.push(kept.length ? `Kept: ${kept.join(" and ")}.` : "Nothing but the date was kept.");
      const details = document.createElement("span");
      details.className = "small";
      details.textContent = parts.join(" ");
      button.append(title, details);
      const count = Number(checkin.safety_events) || 0;
      if (count > 0) {
        const flag = document.createElement("span");
        flag.className = "flag";
        flag.textContent = `${moments(count)}.`;
        button.append(flag);
      }
      button.addEventListener("click", () => open(checkin.id));
      item.append(button);
      return item;
    }),
  );
}
