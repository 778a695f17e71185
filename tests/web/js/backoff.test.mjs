// The reconnect backoff of the check-in connection (voice/web/connection.js): doubling
// from 1 s, capped at 30 s, with +/- 20 % jitter from the injected random source.
import assert from "node:assert/strict";
import { test } from "node:test";

import { backoffDelayMs } from "../../../voice/web/connection.js";

const middle = () => 0.5; // no jitter: 0.8 + 0.4 * 0.5 = 1

test("the first retry waits one second", () => {
  assert.equal(backoffDelayMs(0, middle), 1000);
});

test("each attempt doubles the wait up to 30 seconds", () => {
  const waits = [0, 1, 2, 3, 4, 5, 6, 10, 100].map((attempt) => backoffDelayMs(attempt, middle));
  assert.deepEqual(waits, [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000]);
});

test("jitter stays within 20 % either side", () => {
  assert.equal(backoffDelayMs(0, () => 0), 800);
  assert.equal(backoffDelayMs(0, () => 0.999), 1200); // 1000 * 1.1996, rounded
  assert.equal(backoffDelayMs(10, () => 0), 24000);
  assert.equal(backoffDelayMs(10, () => 0.999), 35988);
  for (const attempt of [0, 3, 10]) {
    const base = backoffDelayMs(attempt, middle);
    for (let i = 0; i <= 100; i += 1) {
      const wait = backoffDelayMs(attempt, () => i / 101);
      assert.ok(wait >= 0.8 * base && wait <= 1.2 * base, `${attempt}: ${wait} vs ${base}`);
    }
  }
});

test("without a random source it uses Math.random, within the same bounds", () => {
  for (let i = 0; i < 50; i += 1) {
    const wait = backoffDelayMs(2);
    assert.ok(wait >= 3200 && wait <= 4800, String(wait));
  }
});
