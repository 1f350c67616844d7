/**
 * Headless Chromium for the report's browser test: finds the system Chromium and opens a page in
 * it through `_visit.ts`, the one module that imports the browser library (`playwright-core`,
 * npm). `_visit.ts` runs in its own `deno run -A` process: playwright-core reads `/proc` paths
 * that Deno grants only with `--allow-all`, which the test task does not give.
 *
 * @module
 */

/** Where Debian and others install Chromium. */
export const CHROMIUM_PATHS: readonly string[] = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
];

/** The Chromium executable (`$CHROMIUM_PATH` first), or null when none is installed. */
export function findChromium(): string | null {
  const env = Deno.env.get("CHROMIUM_PATH");
  for (const p of env ? [env, ...CHROMIUM_PATHS] : CHROMIUM_PATHS) {
    try {
      if (Deno.statSync(p).isFile) return p;
    } catch {
      // not here
    }
  }
  return null;
}

/** What a page showed. */
export interface PageVisit {
  /** Console messages of type error, and uncaught page errors. */
  errors: string[];
  /** Per CSS selector of `count`, the number of matching elements that have content. */
  counts: Record<string, number>;
}

/**
 * Opens `url` in headless Chromium (`executable`, a fresh profile), counts the non-empty elements
 * of each selector and saves a full-page screenshot (PNG) at `screenshot` when given.
 */
export async function visitPage(
  executable: string,
  url: string,
  opts: { count: readonly string[]; screenshot?: string; width?: number },
): Promise<PageVisit> {
  const script = new URL("./_visit.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, JSON.stringify({ executable, url, ...opts })],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Error(`${script} failed: ${new TextDecoder().decode(out.stderr).slice(-2000)}`);
  }
  return JSON.parse(text.trim().split("\n").pop()!) as PageVisit;
}
