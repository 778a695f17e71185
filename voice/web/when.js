// Dates and times in plain words, in this device's time zone: "Monday 7 December 2026",
// "14:05", and positions in a recording ("1:05"). No DOM here.

import { MONTHS, formatDay } from "./consent.js";

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** A Date from the server's ISO-8601 (UTC; a bare date-time is UTC too), or null. */
export function parseInstant(iso) {
  if (typeof iso !== "string") return null;
  const zoned = /(Z|[+-]\d\d:?\d\d)$/.test(iso) ? iso : `${iso}Z`;
  const date = new Date(zoned);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "Monday 7 December 2026", or "" when `iso` is not a date. */
export function longDay(iso) {
  const date = parseInstant(iso);
  if (date === null) return "";
  return `${WEEKDAYS[date.getDay()]} ${formatDay(iso)}`;
}

/** "14:05", or "" when `iso` is not a date. */
export function timeOfDay(iso) {
  const date = parseInstant(iso);
  if (date === null) return "";
  const pad = (n) => String(n).padStart(2, "0");
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A position or length in a recording: "0:05", "12:40", "1:02:03". */
export function clock(ms) {
  const total = Math.max(0, Math.floor((Number(ms) || 0) / 1000));
  const pad = (n) => String(n).padStart(2, "0");
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${minutes}:${pad(seconds)}`;
}

/** "2 minutes 5 seconds", for screen readers and the list. */
export function spokenLength(ms) {
  const total = Math.max(0, Math.round((Number(ms) || 0) / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  const part = (n, unit) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  if (minutes === 0) return part(seconds, "second");
  if (seconds === 0) return part(minutes, "minute");
  return `${part(minutes, "minute")} ${part(seconds, "second")}`;
}

/** "7 December 2026" for a calendar date "2026-12-07" (no time zone: it is a day), or "". */
export function calendarDay(text) {
  const found = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(text));
  if (!found) return "";
  const month = MONTHS[Number(found[2]) - 1];
  return month ? `${Number(found[3])} ${month} ${found[1]}` : "";
}
