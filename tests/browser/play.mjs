// One phone plays a whole scenario in "everyone plays", in Debian's headless Chromium at a
// phone's size, on the real page served on 127.0.0.1. Usage: node play.mjs URL SCREENSHOT_DIR
// Prints a line at each step; tests/phones_everyone_browser.rs drives the room and reads them.
import { openPhone, smallestTarget, step } from "./phone_page.mjs";

const [url, shots] = process.argv.slice(2);
const { browser, page, external, status } = await openPhone(url);
try {
  for (let number = 1; number <= 30; number++) {
    await status.filter({ hasText: new RegExp("Decision " + number + ": choose one|You reached your ending") }).waitFor({ timeout: 15000 });
    if ((await status.textContent()).includes("reached your ending")) break;
    if (number === 1) {
      await page.screenshot({ path: shots + "/play-beat.png", fullPage: true });
      step("SMALLEST TARGET " + (await smallestTarget(page)));
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
