// Plain words for what a kept check-in holds, shared by the person's "My space" and the
// therapist's listening room: the answers, named and in words, and one sentence per moment
// when help lines were offered. Describes; never diagnoses.

import { timeOfDay } from "./when.js";

const ITEM_NAMES = { mood: "Mood", sleep: "Sleep", energy: "Energy" };
const SLEEP_WORDS = { good: "Slept well", okay: "Slept okay", poor: "Slept badly" };
const LEVEL_WORDS = {
  crisis: "something that sounded like a crisis",
  concern: "something that sounded worrying",
};
const CATEGORY_WORDS = {
  suicide: "thoughts of suicide",
  self_harm: "self-harm",
  harm_to_others: "harming someone else",
  abuse: "abuse",
  eating_disorder: "eating",
  medical_emergency: "a medical emergency",
  distress: "feeling overwhelmed",
};

/** The check-in's answers as a list of name and answer in words (`items`: the summary's
 * answers by id), or null when there are none. */
export function answerList(items, className) {
  const names = items && typeof items === "object" ? Object.keys(items) : [];
  if (!names.length) return null;
  const list = document.createElement("dl");
  list.className = className;
  for (const name of names) {
    const term = document.createElement("dt");
    term.textContent = itemName(name);
    const value = document.createElement("dd");
    value.textContent = answerWords(name, items[name]);
    list.append(term, value);
  }
  return list;
}

/** "Sleep", "Mood", or the item's id in words ("one_good_thing" → "One good thing"). */
function itemName(name) {
  return ITEM_NAMES[name] || capital(String(name).replace(/_/g, " "));
}

/** An answer in words: "6 out of 10", "Slept badly", "Not answered". */
function answerWords(name, value) {
  if (value === null || value === undefined || value === "") return "Not answered";
  if (name === "mood" && typeof value === "number") return `${value} out of 10`;
  if (name === "sleep" && SLEEP_WORDS[value]) return SLEEP_WORDS[value];
  if (typeof value === "number") return String(value);
  return capital(String(value));
}

/** One safety event as a sentence: "At 09:12, turn 2: the companion heard … help lines." */
export function safetyMoment(event) {
  const level = LEVEL_WORDS[event.level] || LEVEL_WORDS.concern;
  const about = CATEGORY_WORDS[event.category];
  const at = timeOfDay(event.at);
  const turn = Number.isInteger(event.turn) ? `turn ${event.turn}` : null;
  const when = [at ? `At ${at}` : null, turn].filter(Boolean).join(", ");
  return (
    `${when ? `${when}: ` : ""}the companion heard ${level}` +
    `${about ? ` (about ${about})` : ""} and offered help lines.`
  );
}

function capital(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
