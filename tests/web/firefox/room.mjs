// The listening room in Debian's firefox-esr, driven over WebDriver BiDi by puppeteer-core:
// sign in through the form, open a person and their newest check-in, play it, seek with a
// turn (by keyboard), add a note and read it back after a reload. Prints one JSON report of
// what the page showed; the Python test (test_web_therapist.py) asserts on it.
//
//   node room.mjs BASE_URL NAME PASSWORD PERSON NOTE OUT_DIR

import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import puppeteer from "puppeteer-core";

const [base, name, password, person, note, outDir] = process.argv.slice(2);
const TIMEOUT_MS = 20000;
const here = path.dirname(new URL(import.meta.url).pathname);
const imageStats = await readFile(path.join(here, "..", "js", "image_stats.js"), "utf8");

const browser = await puppeteer.launch({
  browser: "firefox",
  executablePath: process.env.FIREFOX || "/usr/bin/firefox-esr",
  headless: true,
  extraPrefsFirefox: { "media.autoplay.default": 0 }, // a click plays, as for a person
});
const report = { problems: [], shots: {} };
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  await page.setViewport({ width: 1024, height: 768 }); // a tablet on its side
  page.on("console", (m) => {
    if (m.type() === "error") report.problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => report.problems.push(`page: ${e.message}`));

  const shot = async (label) => {
    const png = await page.screenshot({ fullPage: true });
    await writeFile(path.join(outDir, `web-therapist-firefox-${label}.png`), png);
    const blank = await browser.newPage(); // no CSP: the stats read the PNG as a data URL
    const url = `data:image/png;base64,${Buffer.from(png).toString("base64")}`;
    report.shots[label] = await blank.evaluate(`(${imageStats})(${JSON.stringify(url)})`);
    await blank.close();
  };
  const texts = (selector) =>
    page.$$eval(selector, (found) => found.map((e) => e.innerText.trim()));
  const player = (expression) =>
    page.$eval("[data-testid=player]", new Function("a", `return ${expression};`));

  await page.goto(`${base}/therapist/`);
  await page.waitForSelector("[data-testid=login-name]", { visible: true });
  await page.type("[data-testid=login-name]", name);
  await page.type("[data-testid=login-password]", password);
  await page.click("[data-testid=login-submit]");
  await page.waitForSelector("[data-testid=person]");
  report.people = await texts("[data-testid=person]");
  await shot("people");

  const people = await page.$$("[data-testid=person]");
  const names = await texts("[data-testid=person]");
  await people[names.findIndex((t) => t.includes(person))].click();
  await page.waitForSelector("[data-testid=checkin]");
  report.checkins = await texts("[data-testid=checkin]");
  await page.click("[data-testid=checkin]");
  await page.waitForFunction(
    () => document.querySelectorAll("[data-testid=transcript-turn]").length >= 2,
  );
  report.turns = await page.$$eval("[data-testid=transcript-turn]", (found) =>
    found.map((e) => ({ startMs: Number(e.dataset.startMs), text: e.innerText.trim() })),
  );
  await page.waitForFunction(() => {
    const a = document.querySelector("[data-testid=player]");
    return a && a.readyState >= 1 && a.duration > 0;
  });
  report.duration = await player("a.duration");

  // Play from the first turn (a click), then seek to the last turn from the keyboard.
  await page.click("[data-testid=transcript-turn] button");
  await page.waitForFunction(
    () => document.querySelector("[data-testid=player]").currentTime > 0.3,
  );
  report.played = await player("a.currentTime");
  const buttons = await page.$$("[data-testid=transcript-turn] button");
  await buttons[buttons.length - 1].focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() =>
    [...document.querySelectorAll("[data-testid=transcript-turn]")]
      .at(-1)
      .getAttribute("aria-current") === "true",
  );
  report.seekedTo = await player("a.currentTime");
  await player("a.pause()");
  report.mediaError = await player("a.error && { code: a.error.code, message: a.error.message }");
  report.playerState = await page.$eval("[data-testid=player] + .state", (e) => e.textContent);
  await shot("checkin");

  await page.type("[data-testid=note-input]", note);
  await page.click("[data-testid=note-save]");
  await page.waitForSelector("[data-testid=note]");
  await page.reload();
  await page.waitForSelector("[data-testid=note]");
  report.notesAfterReload = await texts("[data-testid=note]");
  await shot("note");
} catch (error) {
  report.failure = String(error && error.stack ? error.stack : error);
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
