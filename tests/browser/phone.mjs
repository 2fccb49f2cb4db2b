// One phone in a real browser: Debian's headless Chromium at a phone's size, on the real page
// served on 127.0.0.1. Usage: node phone.mjs URL SCREENSHOT_DIR
// Prints a line at each step; tests/phones_browser.rs drives the room and reads them.
import { openPhone, smallestTarget, step } from "./phone_page.mjs";

const [url, shots] = process.argv.slice(2);
const { browser, page, external, status } = await openPhone(url);
try {
  await status.filter({ hasText: "Discuss with the room" }).waitFor({ timeout: 15000 });
  step("DISCUSSING");
  const optionB = page.getByRole("button", { name: /^Option B/ });
  await optionB.and(page.locator(":enabled")).waitFor({ timeout: 15000 });
  step("VOTE OPEN");
  await optionB.tap();
  await status.filter({ hasText: "Your vote: B (you can change it until the vote closes)" }).waitFor({ timeout: 10000 });
  step("VOTED B");
  await page.getByRole("button", { name: /^Option A/ }).tap();
  await status.filter({ hasText: "Your vote: A (you can change it until the vote closes)" }).waitFor({ timeout: 10000 });
  const pressed = await page.getByRole("button", { pressed: true }).getAttribute("aria-label");
  step("PRESSED " + pressed);
  await page.screenshot({ path: shots + "/phone-voted.png", fullPage: true });
  step("VOTED A");
  await page.getByText("A: 1 phone vote (100%)").waitFor({ timeout: 15000 });
  step("SAW COUNT");
  // A reload keeps the phone's vote (its token is in local storage and a cookie).
  await page.reload();
  await status.filter({ hasText: "Your vote: A" }).waitFor({ timeout: 10000 });
  step("RELOADED");
  await page.screenshot({ path: shots + "/phone-closed.png", fullPage: true });
  await status.filter({ hasText: "Reconnecting" }).waitFor({ timeout: 20000 });
  step("RECONNECTING");
  await status.filter({ hasText: "Discuss with the room" }).waitFor({ timeout: 20000 });
  step("RECOVERED");
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  step("SCROLL WIDTH " + width);
  step("SMALLEST TARGET " + (await smallestTarget(page)));
  step("EXTERNAL REQUESTS " + external.length);
  // The workshop ends: the room's debrief, with this phone's vote beside the room's.
  await status.filter({ hasText: "The room's debrief is below" }).waitFor({ timeout: 20000 });
  step("DEBRIEF " + (await page.locator("#room-timeline li").first().innerText()).replace(/\s+/g, " "));
  step("SUMMARY " + (await page.locator("#room-summary").innerText()));
  await page.screenshot({ path: shots + "/phone-debrief.png", fullPage: true });
  step("DONE");
} finally {
  await browser.close();
}
