/**
 * Test helpers of the CLI tests: console capture, and the frozen copy of the committed results
 * (`fixtures/regress/results/`, 2026-12-03) so that refreshing `results/` changes no test.
 *
 * @module
 */

const _root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** The frozen copy of the committed results. */
export const RESULTS_FIXTURE = `${_root}/fixtures/regress/results`;

/** Runs `fn` with console.log / console.error captured. */
export async function capture(
  fn: () => Promise<number>,
): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => void out.push(a.join(" "));
  console.error = (...a: unknown[]) => void err.push(a.join(" "));
  try {
    const code = await fn();
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    console.log = log;
    console.error = error;
  }
}
