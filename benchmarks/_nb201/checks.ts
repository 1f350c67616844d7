/**
 * Tolerance checks of committed and fresh NB201 benchmark results (used by
 * `benchmarks/results_check_test.ts`):
 *
 * - smoke: a fresh run's rows against the committed baseline rows of the same method, dataset and
 *   seed, within the spread measured over seeds ({@link smokeCheck}, {@link spreadByMethod});
 * - quick: the paper's qualitative findings ({@link table1Findings}, {@link table2Findings});
 * - paper: mean over seeds within a tolerance of the paper's numbers ({@link paperCheck}).
 *
 * Every check returns what it checked and what failed, so a caller can print "nothing to check"
 * instead of passing silently.
 *
 * @module
 */
import { readResults } from "../../reporting/results_file.ts";
import { meanStd, num } from "./summary.ts";

/** A result row as read back from a CSV. */
export type Row = Record<string, string>;

/** Outcome of a check. */
export interface CheckResult {
  /** What was compared, one line each. */
  checked: string[];
  /** What failed, one line each (empty = pass). */
  failures: string[];
}

/** Rows of a result CSV, or null when the file does not exist. */
export async function readRows(path: string): Promise<Row[] | null> {
  try {
    await Deno.stat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
  return (await readResults(path)).records;
}

function _key(r: Row): string {
  return `${r.method}/${r.dataset}/seed ${r.seed}`;
}

/** max - min of `column` over the rows of each method (all datasets and seeds pooled). */
export function spreadByMethod(rows: readonly Row[], column: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of new Set(rows.map((r) => r.method))) {
    const v = rows.filter((r) => r.method === m).map((r) => num(r[column])).filter(Number.isFinite);
    if (v.length > 0) out[m] = Math.max(...v) - Math.min(...v);
  }
  return out;
}

/**
 * Each fresh row must have a baseline row with the same method, dataset and seed, and its
 * `column` must be within `tolerance(method)` of the baseline's.
 */
export function smokeCheck(
  fresh: readonly Row[],
  baseline: readonly Row[],
  column: string,
  tolerance: (method: string) => number,
): CheckResult {
  const res: CheckResult = { checked: [], failures: [] };
  const base = new Map(baseline.map((r) => [_key(r), r]));
  if (fresh.length === 0) res.failures.push("the fresh run has no rows");
  for (const r of fresh) {
    const b = base.get(_key(r));
    if (b === undefined) {
      res.failures.push(`${_key(r)}: no committed baseline row with this key`);
      continue;
    }
    const ours = num(r[column]);
    const ref = num(b[column]);
    const tol = tolerance(r.method);
    const line = `${_key(r)} ${column}: fresh ${ours} vs baseline ${ref} (tolerance ${tol})`;
    res.checked.push(line);
    if (!Number.isFinite(ours) || !(Math.abs(ours - ref) <= tol + 1e-9)) res.failures.push(line);
  }
  return res;
}

function _mean(rows: readonly Row[], dataset: string, method: string, column: string): number {
  return meanStd(
    rows.filter((r) => r.dataset === dataset && r.method === method).map((r) => num(r[column])),
  ).mean;
}

/** Table 1 at `quick`: D's mean test accuracy beats C's on every dataset present. */
export function table1Findings(rows: readonly Row[]): CheckResult {
  const res: CheckResult = { checked: [], failures: [] };
  for (const dataset of new Set(rows.map((r) => r.dataset))) {
    const c = _mean(rows, dataset, "C", "test_acc");
    const d = _mean(rows, dataset, "D", "test_acc");
    const line = `${dataset}: test acc D ${d} > C ${c}`;
    res.checked.push(line);
    if (!(d > c)) res.failures.push(line);
  }
  if (res.checked.length === 0) res.failures.push("no rows");
  return res;
}

/** Table 2 at `quick`: tau(D) > tau(C) + `gap` and |tau(C)| < `maxAbsC` on every dataset. */
export function table2Findings(rows: readonly Row[], gap: number, maxAbsC: number): CheckResult {
  const res: CheckResult = { checked: [], failures: [] };
  for (const dataset of new Set(rows.map((r) => r.dataset))) {
    const c = _mean(rows, dataset, "C", "tau");
    const d = _mean(rows, dataset, "D", "tau");
    const l1 = `${dataset}: tau(D) ${d} > tau(C) ${c} + ${gap}`;
    const l2 = `${dataset}: |tau(C)| = ${Math.abs(c)} < ${maxAbsC}`;
    res.checked.push(l1, l2);
    if (!(d > c + gap)) res.failures.push(l1);
    if (!(Math.abs(c) < maxAbsC)) res.failures.push(l2);
  }
  if (res.checked.length === 0) res.failures.push("no rows");
  return res;
}

/**
 * Mean of `column` over seeds per (method, dataset) within `tolerance` of
 * `reference(method, dataset)` (rows whose reference is null are skipped).
 */
export function paperCheck(
  rows: readonly Row[],
  column: string,
  reference: (method: string, dataset: string) => number | null,
  tolerance: number,
): CheckResult {
  const res: CheckResult = { checked: [], failures: [] };
  const pairs = new Set(rows.map((r) => `${r.method}\u0000${r.dataset}`));
  for (const p of pairs) {
    const [method, dataset] = p.split("\u0000");
    const ref = reference(method, dataset);
    if (ref === null) continue;
    const ours = _mean(rows, dataset, method, column);
    const line =
      `${method}/${dataset} ${column}: ours ${ours} vs paper ${ref} (tolerance ${tolerance})`;
    res.checked.push(line);
    if (!(Math.abs(ours - ref) <= tolerance + 1e-9)) res.failures.push(line);
  }
  if (res.checked.length === 0) res.failures.push("no row has a paper value to compare with");
  return res;
}
