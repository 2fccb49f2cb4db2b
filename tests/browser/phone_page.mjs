// What phone.mjs and play.mjs share: Debian's headless Chromium at a phone's size, opened on
// the real page served on 127.0.0.1, with every request to another origin noted.
import { chromium } from "playwright-core";

export const step = (line) => console.log(line);

/// The browser, the phone's page on `url`, its status line and the list of requests that left
/// the page's own origin (there must be none).
export async function openPhone(url) {
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
    return { browser, page, external, status: page.getByRole("status") };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/// The height in CSS pixels of the smallest visible button: touch targets must be large.
export async function smallestTarget(page) {
  const smallest = await page.evaluate(() => Math.min(...[...document.querySelectorAll("button")]
    .filter((b) => b.checkVisibility()).map((b) => b.getBoundingClientRect().height)));
  return Math.round(smallest);
}
