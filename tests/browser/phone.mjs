// One phone in a real browser: Debian's headless Chromium at a phone's size, on the real page
// served on 127.0.0.1. Usage: node phone.mjs URL SCREENSHOT_DIR
// Prints a line at each step; tests/phones_browser.rs drives the room and reads them.
import { chromium } from "playwright-core";

const [url, shots] = process.argv.slice(2);
const step = (line) => console.log(line);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"],
});
try {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
  });
  const page = await context.newPage();
  const external = [];
  page.on("request", (r) => { if (!r.url().startsWith(new URL(url).origin)) external.push(r.url()); });
  await page.goto(url);
  const status = page.getByRole("status");
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
  const smallest = await page.evaluate(() => Math.min(...[...document.querySelectorAll("button")].filter((b) => b.checkVisibility()).map((b) => b.getBoundingClientRect().height)));
  step("SMALLEST TARGET " + Math.round(smallest));
  step("EXTERNAL REQUESTS " + external.length);
  step("DONE");
} finally {
  await browser.close();
}
