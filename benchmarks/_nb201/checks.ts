/**
 * The checks behind a NB201 benchmark's verdict (`reporting/verdict.ts`), per profile:
 *
 * - `smoke`: each of the run's rows against the committed baseline row
 *   (`results/<bench>/smoke/runs.csv`) of the same method, dataset, seed (and key columns), within
 *   the spread measured over seeds ({@link smokeChecks}, {@link spreadByMethod}); the paper's
 *   qualitative findings are shown but NOT CHECKED (not meaningful at this size);
 * - `quick`: the paper's qualitative findings ({@link table1Findings}, {@link table2Findings}, …);
 * - `paper`: the mean over seeds within the paper's tolerance ({@link paperChecks}) and the
 *   findings.
 *
 * A check without data is NOT CHECKED and says why; nothing passes vacuously. The same functions
 * check the committed result files in `benchmarks/results_check_test.ts`.
 *
 * @module
 */
import { type Check, check, notChecked } from "../../reporting/verdict.ts";
import { readResults } from "../../reporting/results_file.ts";
import type { ProfileName, SmokeTolerance } from "../types.ts";

export type { SmokeTolerance };
import { meanStd, num } from "./summary.ts";

/** A result row as read back from a CSV. */
export type Row = Record<string, string | number>;

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

function _key(r: Row, keyColumns: readonly string[]): string {
  const extra = keyColumns.map((k) => ` ${k} ${r[k]}`).join("");
  return `${r.method}/${r.dataset}/seed ${r.seed}${extra}`;
}

/** max - min of `column` over the rows of each method (all datasets and seeds pooled). */
export function spreadByMethod(rows: readonly Row[], column: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of new Set(rows.map((r) => String(r.method)))) {
    const v = rows.filter((r) => r.method === m).map((r) => num(r[column])).filter(Number.isFinite);
    if (v.length > 0) out[m] = Math.max(...v) - Math.min(...v);
  }
  return out;
}

/** The allowed |fresh - baseline| of `method`. */
export function smokeTolerance(t: SmokeTolerance, method: string): number {
  return Math.max(t.factor * (t.spread[method] ?? 0), t.floor);
}

/**
 * Each row against the baseline row with the same method, dataset, seed and `keyColumns`: PASS
 * within the tolerance, FAIL outside, NOT CHECKED without a baseline row.
 */
export function smokeChecks(
  rows: readonly Row[],
  baseline: readonly Row[] | null,
  tol: SmokeTolerance,
  keyColumns: readonly string[] = [],
): Check[] {
  if (rows.length === 0) return [notChecked("smoke baseline", "the run has no rows")];
  if (baseline === null) {
    return [notChecked("smoke baseline", "no committed smoke baseline (results/<bench>/smoke/)")];
  }
  const base = new Map(baseline.map((r) => [_key(r, keyColumns), r]));
  return rows.map((r) => {
    const k = _key(r, keyColumns);
    const name = `${k} ${tol.column} vs committed baseline`;
    const b = base.get(k);
    if (b === undefined) return notChecked(name, "no committed baseline row with this key");
    const ours = num(r[tol.column]);
    const ref = num(b[tol.column]);
    const t = smokeTolerance(tol, String(r.method));
    const ok = Number.isFinite(ours) && Math.abs(ours - ref) <= t + 1e-9;
    return check(name, ok, `${ours} vs ${ref} (|diff| ${_f(Math.abs(ours - ref))} <= ${t})`);
  });
}

function _f(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toFixed(4))) : String(x);
}

/** Mean of `column` over the rows of (dataset, method); NaN when there are none. */
export function meanOf(rows: readonly Row[], dataset: string, method: string, column: string) {
  return meanStd(
    rows.filter((r) => r.dataset === dataset && r.method === method).map((r) => num(r[column])),
  ).mean;
}

function _datasets(rows: readonly Row[]): string[] {
  return [...new Set(rows.map((r) => String(r.dataset)))];
}

/** `a > b` as a check on the means of two methods, per dataset (NOT CHECKED if one is missing). */
export function beatsChecks(
  rows: readonly Row[],
  column: string,
  winner: { id: string; name: string },
  loser: { id: string; name: string },
  margin = 0,
): Check[] {
  const out: Check[] = [];
  for (const dataset of _datasets(rows)) {
    const a = meanOf(rows, dataset, winner.id, column);
    const b = meanOf(rows, dataset, loser.id, column);
    const plus = margin === 0 ? "" : ` + ${margin}`;
    const name = `${dataset}: ${winner.name} ${column} > ${loser.name}${plus}`;
    if (!Number.isFinite(a) || !Number.isFinite(b)) {
      out.push(notChecked(name, `needs rows of both ${winner.id} and ${loser.id}`));
    } else {
      out.push(check(name, a > b + margin, `${_f(a)} vs ${_f(b)}${plus}`));
    }
  }
  return out.length > 0 ? out : [notChecked(`${winner.name} > ${loser.name}`, "no rows")];
}

/** |mean(a) - mean(b)| <= `maxDiff` per dataset (NOT CHECKED if one is missing). */
export function comparableChecks(
  rows: readonly Row[],
  column: string,
  a: { id: string; name: string },
  b: { id: string; name: string },
  maxDiff: number,
): Check[] {
  const out: Check[] = [];
  for (const dataset of _datasets(rows)) {
    const x = meanOf(rows, dataset, a.id, column);
    const y = meanOf(rows, dataset, b.id, column);
    const name = `${dataset}: ${a.name} and ${b.name} ${column} comparable (within ${maxDiff})`;
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      out.push(notChecked(name, `needs rows of both ${a.id} and ${b.id}`));
    } else {
      out.push(check(name, Math.abs(x - y) <= maxDiff + 1e-9, `${_f(x)} vs ${_f(y)}`));
    }
  }
  return out.length > 0 ? out : [notChecked(`${a.name} ~ ${b.name}`, "no rows")];
}

/** Table 1's finding: D's mean test accuracy beats C's on every dataset. */
export function table1Findings(rows: readonly Row[]): Check[] {
  return beatsChecks(rows, "test_acc", { id: "D", name: "D (RLNAS)" }, { id: "C", name: "C" });
}

/** Table 2's findings: tau(D) > tau(C) + `gap` and |tau(C)| < `maxAbsC` on every dataset. */
export function table2Findings(rows: readonly Row[], gap: number, maxAbsC: number): Check[] {
  const out = beatsChecks(rows, "tau", { id: "D", name: "D" }, { id: "C", name: "C" }, gap);
  for (const dataset of _datasets(rows)) {
    const c = meanOf(rows, dataset, "C", "tau");
    const name = `${dataset}: |tau(C)| < ${maxAbsC}`;
    out.push(
      Number.isFinite(c)
        ? check(name, Math.abs(c) < maxAbsC, `|${_f(c)}|`)
        : notChecked(name, "no rows of C"),
    );
  }
  return out;
}

/**
 * Mean of `column` over seeds per (method, dataset) within `tolerance` of
 * `reference(method, dataset)`; NOT CHECKED where the paper has no value.
 */
export function paperChecks(
  rows: readonly Row[],
  column: string,
  reference: (method: string, dataset: string) => number | null,
  tolerance: number,
): Check[] {
  const out: Check[] = [];
  const pairs = new Set(rows.map((r) => `${r.method}\u0000${r.dataset}`));
  for (const p of pairs) {
    const [method, dataset] = p.split("\u0000");
    const name = `${method}/${dataset} ${column} within ${tolerance} of the paper`;
    const ref = reference(method, dataset);
    if (ref === null) {
      out.push(notChecked(name, "the paper has no value"));
      continue;
    }
    const ours = meanOf(rows, dataset, method, column);
    out.push(check(name, Math.abs(ours - ref) <= tolerance + 1e-9, `${_f(ours)} vs ${ref}`));
  }
  return out.length > 0 ? out : [notChecked(`${column} vs the paper`, "no rows")];
}

/** At smoke size the findings are reported for information only. */
export function informational(checks: readonly Check[], why: string): Check[] {
  return checks.map((c) =>
    c.status === "NOT CHECKED" ? c : notChecked(c.name, `${c.detail}, ${c.status}; ${why}`)
  );
}

/** Why a smoke run does not judge the paper's findings. */
export const SMOKE_FINDINGS_NOTE =
  "not judged at smoke size (a few epochs on a few hundred images)";

/** What a NB201 benchmark checks, per profile. */
export interface Nb201CheckSpec {
  /** The smoke tolerance (compared column and spread). */
  smoke: SmokeTolerance;
  /** Key columns of a row besides method, dataset and seed (Figure 1: `classes`). */
  keyColumns?: readonly string[];
  /** The paper's qualitative findings. */
  findings(rows: readonly Row[]): Check[];
  /** Paper values and tolerance (`column` of the mean over seeds). */
  paper: {
    column: string;
    reference: (method: string, dataset: string) => number | null;
    tolerance: number;
  } | null;
}

/** The checks of `rows` at `profile` (see the module documentation). */
export function profileChecks(
  spec: Nb201CheckSpec,
  profile: ProfileName,
  rows: readonly Row[],
  baseline: readonly Row[] | null,
): Check[] {
  if (profile === "smoke") {
    return [
      ...smokeChecks(rows, baseline, spec.smoke, spec.keyColumns),
      ...informational(spec.findings(rows), SMOKE_FINDINGS_NOTE),
    ];
  }
  if (profile === "quick") return spec.findings(rows);
  const paper = spec.paper === null
    ? [notChecked("paper values", "the paper gives no numbers for this benchmark")]
    : paperChecks(rows, spec.paper.column, spec.paper.reference, spec.paper.tolerance);
  return [...paper, ...spec.findings(rows)];
}
