// The listening room: a therapist signs in, sees the people who share their check-ins with
// them, opens one (their check-ins and trends) and one check-in (recording, conversation,
// answers, safety moments, private notes). Where the reader is lives in the address's hash
// ("#/people/ana/checkins/ID"), so a reload or the browser's Back keeps their place.
// Nothing here logs: the page shows health data.

import { TrendsPanel } from "../trends-panel.js";
import { renderCheckin } from "./checkin-view.js";
import { renderCheckins, renderPeople, when } from "./people.js";
import { room } from "./room-api.js";

const byId = (id) => document.getElementById(id);
const el = {
  notice: byId("notice"),
  whoBox: byId("who-box"),
  whoAmI: byId("who-am-i"),
  signOut: byId("sign-out"),
  views: {
    signin: byId("signin-view"),
    people: byId("people-view"),
    person: byId("person-view"),
    checkin: byId("checkin-view"),
  },
  form: byId("signin-form"),
  name: byId("login-name"),
  password: byId("login-password"),
  submit: byId("login-submit"),
  signinMessage: byId("signin-message"),
  peopleState: byId("people-state"),
  peopleList: byId("people-list"),
  personBack: byId("person-back"),
  personTitle: byId("person-title"),
  checkinsState: byId("checkins-state"),
  checkinList: byId("checkin-list"),
  checkinBack: byId("checkin-back"),
  checkinTitle: byId("checkin-title"),
  checkinState: byId("checkin-state"),
  checkinBody: byId("checkin-body"),
};

let therapist = null; // the signed-in therapist's name, or null
let shown = null; // the check-in view's { stop() }
let loading = 0; // bumped on every navigation: late answers for an old view are dropped
let lastOpened = null; // { person, id } to give focus back to when returning to a list

// The person's trends: the chart and the same days as a table (as the person sees them).
const trends = new TrendsPanel(null, undefined, { loadingText: "Loading the trends…" });
trends.failed = (error) => failed(error, byId("trends-state"));

// --- places ------------------------------------------------------------------------------

function place() {
  const parts = location.hash.replace(/^#\/?/, "").split("/").filter(Boolean);
  const decode = (part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return null;
    }
  };
  if (parts[0] !== "people" || parts.length < 2) return { view: "people" };
  const person = decode(parts[1]);
  if (person === null) return { view: "people" };
  if (parts[2] === "checkins" && parts[3]) {
    const id = decode(parts[3]);
    if (id !== null) return { view: "checkin", person, id };
  }
  return { view: "person", person };
}

function go(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

const personHash = (name) => `#/people/${encodeURIComponent(name)}`;
const checkinHash = (name, id) => `${personHash(name)}/checkins/${encodeURIComponent(id)}`;

function showView(name, focus = true) {
  for (const [key, view] of Object.entries(el.views)) view.hidden = key !== name;
  el.whoBox.hidden = name === "signin";
  if (focus) {
    const heading = el.views[name].querySelector("h2");
    if (heading) heading.focus();
  }
}

/** Silence the check-in's player and take the check-in off the page. */
function leaveCheckin() {
  if (shown) shown.stop();
  shown = null;
  el.checkinBody.replaceChildren();
}

function notice(text) {
  el.notice.textContent = text;
}

// --- signing in and out ------------------------------------------------------------------

function signedOut(message = "", { keepPlace = false } = {}) {
  therapist = null;
  loading += 1;
  leaveCheckin();
  el.peopleList.replaceChildren();
  el.checkinList.replaceChildren();
  trends.clear();
  el.checkinBody.replaceChildren();
  el.personTitle.textContent = "";
  el.checkinTitle.textContent = "";
  el.whoAmI.textContent = "";
  el.password.value = "";
  el.signinMessage.textContent = message;
  notice("");
  if (location.hash && !keepPlace) {
    history.replaceState(null, "", location.pathname + location.search);
  }
  showView("signin", false);
  el.name.focus();
}

function signedIn(name) {
  therapist = name;
  el.whoAmI.textContent = `Signed in as ${name}`;
  el.signinMessage.textContent = "";
  el.password.value = "";
  route();
}

el.form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const name = el.name.value.trim();
  const password = el.password.value;
  if (!name || !password) {
    el.signinMessage.textContent = "Please enter your name and your password.";
    (name ? el.password : el.name).focus();
    return;
  }
  el.submit.disabled = true;
  el.signinMessage.textContent = "Signing in…";
  try {
    const answer = await room.signIn(name, password);
    signedIn(answer.therapist);
  } catch (error) {
    el.signinMessage.textContent =
      error.code === "unauthorized" ? "That name and password do not match." : error.message;
    el.password.value = "";
    el.password.focus();
  } finally {
    el.submit.disabled = false;
  }
});

el.signOut.addEventListener("click", async () => {
  el.signOut.disabled = true;
  try {
    await room.signOut();
  } catch {
    // Forgotten here either way; the cookie ends with the session on the server.
  } finally {
    el.signOut.disabled = false;
  }
  signedOut("You are signed out.");
});

// --- what a failed request means ---------------------------------------------------------

function failed(error, state) {
  if (error.code === "unauthorized") {
    signedOut("Please sign in again.");
    return;
  }
  if (error.code === "not_found") {
    leaveCheckin();
    notice("Not shared with you (any more).");
    go("#/");
    return;
  }
  state.textContent = error.message;
}

// --- the views ---------------------------------------------------------------------------

async function route() {
  if (therapist === null) return;
  const at = place();
  const current = ++loading;
  const keep = el.notice.textContent === "Not shared with you (any more)." && at.view === "people";
  if (!keep) notice("");
  leaveCheckin();
  if (at.view !== "person") trends.clear(); // no one's trends linger out of sight
  if (at.view === "checkin") await showCheckin(current, at.person, at.id);
  else if (at.view === "person") await showPerson(current, at.person);
  else await showPeople(current);
}

async function showPeople(current) {
  showView("people");
  el.peopleState.textContent = "Loading…";
  let answer;
  try {
    answer = await room.people();
  } catch (error) {
    if (current === loading) failed(error, el.peopleState);
    return;
  }
  if (current !== loading) return;
  const people = Array.isArray(answer.people) ? answer.people : [];
  el.peopleState.textContent = people.length ? "" : "No one shares their check-ins with you yet.";
  renderPeople(el.peopleList, people, (name) => {
    lastOpened = { person: name, id: null };
    go(personHash(name));
  });
  if (lastOpened && lastOpened.id === null) {
    const back = [...el.peopleList.querySelectorAll("button")].find(
      (button) => button.dataset.name === lastOpened.person,
    );
    if (back) back.focus();
  }
}

async function showPerson(current, person) {
  el.personTitle.textContent = person;
  el.checkinList.replaceChildren();
  showView("person");
  el.checkinsState.textContent = "Loading…";
  trends.api = room.recordsOf(person);
  const shownTrends = trends.show();
  let answer;
  try {
    answer = await room.checkins(person);
  } catch (error) {
    if (current === loading) failed(error, el.checkinsState);
    return;
  }
  if (current !== loading) return;
  const checkins = Array.isArray(answer.checkins) ? answer.checkins : [];
  el.checkinsState.textContent = checkins.length ? "" : `${person} has no check-ins kept.`;
  renderCheckins(el.checkinList, checkins, (id) => {
    lastOpened = { person, id };
    go(checkinHash(person, id));
  });
  if (lastOpened && lastOpened.person === person && lastOpened.id !== null) {
    const back = [...el.checkinList.querySelectorAll("button")].find(
      (button) => button.dataset.id === lastOpened.id,
    );
    if (back) back.focus();
  }
  await shownTrends;
}

async function showCheckin(current, person, id) {
  el.checkinTitle.textContent = `${person}: a check-in`;
  el.checkinBody.replaceChildren();
  showView("checkin");
  el.checkinState.textContent = "Loading…";
  let detail;
  try {
    detail = await room.checkin(person, id);
  } catch (error) {
    if (current === loading) failed(error, el.checkinState);
    return;
  }
  if (current !== loading) return;
  const started = when(detail.started_at);
  el.checkinTitle.textContent = started ? `${person}: ${started}` : `${person}: a check-in`;
  el.checkinState.textContent = "";
  shown = renderCheckin(el.checkinBody, person, detail, {
    urls: { audio: room.audioUrl(person, id), download: room.downloadUrl(person, id) },
    saveNote: async (text) => {
      try {
        return await room.addNote(person, id, text);
      } catch (error) {
        if (error.code === "unauthorized" || error.code === "not_found") {
          failed(error, el.checkinState);
        }
        throw error;
      }
    },
  });
}

el.personBack.addEventListener("click", () => go("#/"));
el.checkinBack.addEventListener("click", () => {
  const at = place();
  go(at.view === "checkin" ? personHash(at.person) : "#/");
});
window.addEventListener("hashchange", () => route());

// --- start -------------------------------------------------------------------------------

async function start() {
  try {
    const answer = await room.me();
    signedIn(answer.therapist);
  } catch (error) {
    // Signed out: the form, and the place in the address is kept for after signing in.
    signedOut(error.code === "unauthorized" ? "" : error.message, { keepPlace: true });
  }
}

start();
