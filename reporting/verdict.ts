/**
 * The verdict of a run: every check is PASS, FAIL or NOT CHECKED (with the reason), and the run's
 * overall verdict follows from them. Nothing passes vacuously: a run whose checks all lack data
 * is NOT CHECKED, never PASS.
 *
 * | overall | when | exit code |
 * |---|---|---|
 * | `PASS` | at least one check passed and none failed | 0 ({@link EXIT_CODES}.pass) |
 * | `FAIL` | at least one check failed | 3 ({@link EXIT_CODES}.fail) |
 * | `NOT CHECKED` | no check had data to judge | 4 ({@link EXIT_CODES}.notChecked) |
 *
 * @example
 * ```ts
 * import { formatVerdict, verdictOf } from "./verdict.ts";
 * const v = verdictOf([
 *   { name: "D beats C", status: "PASS", detail: "92.49 > 90.72" },
 *   { name: "paper tolerance", status: "NOT CHECKED", detail: "no paper-profile rows" },
 * ]);
 * console.log(v.overall); // "PASS"
 * console.log(formatVerdict(v));
 * ```
 *
 * @module
 */

/** Status of one check, and of a run. */
export type CheckStatus = "PASS" | "FAIL" | "NOT CHECKED";

/** One check of a run's results. */
export interface Check {
  /** What is checked, e.g. "cifar10: D (RLNAS) test acc beats C". */
  name: string;
  status: CheckStatus;
  /** The numbers compared, or why it could not be checked. */
  detail: string;
}

/** A run's checks and their overall verdict. */
export interface Verdict {
  overall: CheckStatus;
  /** What the checks were measured against (e.g. "the paper's qualitative findings"). */
  against?: string;
  checks: Check[];
}

/** Exit codes of every command of the suite. */
export const EXIT_CODES = {
  /** The run finished and its verdict is PASS (or it has no verdict: `--list`, `--dry-run`). */
  pass: 0,
  /** Runtime error: missing or corrupt data, a diverged training, an unwritable output. */
  error: 1,
  /** Usage error: unknown benchmark, flag or value. */
  usage: 2,
  /** The run finished and at least one check failed. */
  fail: 3,
  /** The run finished but no check had data to judge. */
  notChecked: 4,
} as const;

/** The overall verdict of `checks` (see the module documentation). */
export function verdictOf(checks: readonly Check[], against?: string): Verdict {
  const overall: CheckStatus = checks.some((c) => c.status === "FAIL")
    ? "FAIL"
    : checks.some((c) => c.status === "PASS")
    ? "PASS"
    : "NOT CHECKED";
  return { overall, ...(against === undefined ? {} : { against }), checks: [...checks] };
}

/** The exit code of a verdict. */
export function exitCodeOf(v: Verdict): number {
  return v.overall === "PASS"
    ? EXIT_CODES.pass
    : v.overall === "FAIL"
    ? EXIT_CODES.fail
    : EXIT_CODES.notChecked;
}

/** A check from a condition: PASS when `ok`, else FAIL; NOT CHECKED when `ok` is null. */
export function check(name: string, ok: boolean | null, detail: string): Check {
  return { name, status: ok === null ? "NOT CHECKED" : ok ? "PASS" : "FAIL", detail };
}

/** A check that could not be made, with the reason. */
export function notChecked(name: string, why: string): Check {
  return { name, status: "NOT CHECKED", detail: why };
}

/** The verdict block printed at the end of a run. */
export function formatVerdict(v: Verdict): string {
  const w = Math.max(4, ...v.checks.map((c) => c.status.length));
  const lines = [`verdict${v.against === undefined ? "" : ` (against ${v.against})`}:`];
  for (const c of v.checks) lines.push(`  ${c.status.padEnd(w)}  ${c.name}: ${c.detail}`);
  if (v.checks.length === 0) lines.push("  (no checks)");
  const counts = (["PASS", "FAIL", "NOT CHECKED"] as const)
    .map((s) => `${v.checks.filter((c) => c.status === s).length} ${s.toLowerCase()}`)
    .join(", ");
  lines.push(`overall: ${v.overall} (${counts})`);
  return lines.join("\n");
}

/** Against what a profile's checks are made (the default verdict header). */
export function checkedAgainst(profile: string): string {
  return profile === "smoke"
    ? "the committed smoke baseline"
    : profile === "quick"
    ? "the paper's qualitative findings"
    : "the paper's numbers and findings";
}
