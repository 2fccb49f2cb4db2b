// One phone plays a whole scenario in "everyone plays", in Debian's headless Chromium at a
// phone's size, on the real page served on 127.0.0.1. Usage: node play.mjs URL SCREENSHOT_DIR
// Prints a line at each step; tests/phones_everyone_browser.rs drives the room and reads them.
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
  for (let number = 1; number <= 30; number++) {
    await status.filter({ hasText: new RegExp("Decision " + number + ": choose one|You reached your ending") }).waitFor({ timeout: 15000 });
    if ((await status.textContent()).includes("reached your ending")) break;
    if (number === 1) {
      await page.screenshot({ path: shots + "/play-beat.png", fullPage: true });
      const smallest = await page.evaluate(() => Math.min(...[...document.querySelectorAll("button")].filter((b) => b.checkVisibility()).map((b) => b.getBoundingClientRect().height)));
      step("SMALLEST TARGET " + Math.round(smallest));
    }
    // The second choice the phone can take (the first when there is one), a large button.
    const choices = page.getByRole("button", { name: /^Choice [A-D]:/ });
    const pick = (await choices.count()) > 1 ? choices.nth(1) : choices.first();
    await pick.tap();
    await status.filter({ hasText: new RegExp("Decision " + number + " made|You reached your ending") }).waitFor({ timeout: 10000 });
    step("CHOSE " + number);
    if ((await status.textContent()).includes("reached your ending")) break;
    if (number === 1) {
      await page.screenshot({ path: shots + "/play-consequence.png", fullPage: true });
      const meters = await page.locator("#meters li").allTextContents();
      step("METERS " + meters.join(" | "));
      step("LESSON " + (await page.locator("#lesson").textContent()));
    }
    if (number === 2) {
      // A reload keeps the run (its token is in local storage and a cookie).
      await page.reload();
      await status.filter({ hasText: "Decision 2 made" }).waitFor({ timeout: 10000 });
      step("RELOADED");
    }
    await page.getByRole("button", { name: "Continue" }).tap();
  }
  const ending = await page.locator("#ending-heading").textContent();
  step("ENDED " + ending);
  await page.screenshot({ path: shots + "/play-ending.png", fullPage: true });
  await status.filter({ hasText: "your debrief is below" }).waitFor({ timeout: 30000 });
  const first = await page.locator("#timeline li").first().textContent();
  step("DEBRIEF " + first);
  step("ROOM " + (await page.locator("#room-sentences li").first().textContent()));
  await page.locator("#debrief-heading").scrollIntoViewIfNeeded();
  await page.screenshot({ path: shots + "/play-debrief.png", fullPage: true });
  await page.screenshot({ path: shots + "/play-debrief-view.png" });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  step("SCROLL WIDTH " + width);
  step("EXTERNAL REQUESTS " + external.length);
  step("DONE");
} finally {
  await browser.close();
}
