/**
 * Runs in its own process (see `browser.ts`): opens a page in headless Chromium with
 * `playwright-core` and prints a {@link PageVisit} as JSON. Argument: one JSON object
 * `{ executable, url, count, screenshot?, width? }`.
 *
 * @module
 */
import { chromium } from "playwright-core";
import type { PageVisit } from "./browser.ts";

/**
 * Opens `url` in headless Chromium (`executable`, a fresh profile), counts the non-empty elements
 * of each selector and saves a full-page screenshot (PNG) at `screenshot` when given.
 */
async function _visit(
  executable: string,
  url: string,
  opts: { count: readonly string[]; screenshot?: string; width?: number },
): Promise<PageVisit> {
  const profile = await Deno.makeTempDir({ prefix: "rlnas-chromium-" });
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: executable,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
    viewport: { width: opts.width ?? 1280, height: 900 },
  });
  try {
    const errors: string[] = [];
    const page = await ctx.newPage();
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(`console: ${m.text()}`);
    });
    page.on("pageerror", (err) => errors.push(`page error: ${err.message}`));
    await page.goto(url, { waitUntil: "load" });
    const counts: Record<string, number> = {};
    for (const sel of opts.count) {
      counts[sel] = await page.$$eval(
        sel,
        (els) =>
          els.filter((el) => el.childElementCount > 0 && el.getBoundingClientRect().height > 0)
            .length,
      );
    }
    if (opts.screenshot !== undefined) {
      await page.screenshot({ path: opts.screenshot, fullPage: true, type: "png" });
    }
    return { errors, counts };
  } finally {
    await ctx.close();
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) {
  const a = JSON.parse(Deno.args[0]);
  console.log(JSON.stringify(await _visit(a.executable, a.url, a)));
}
