/**
 * Regression comparison of two sets of results (`deno task regress`, see `cli/regress.ts`): a
 * candidate (tonight's output folder, or a run of the history) against a baseline (the committed
 * `results/`, another folder or a run of the history), per benchmark and profile present in both,
 * row by row.
 *
 * - Rows are matched by method, dataset, seed and the benchmark's key columns.
 * - Each benchmark states its {@link RegressionRule}s (`REGRESSION_RULES` next to its reference
 *   numbers in `benchmarks/<name>/reference.ts`): the compared column, which direction is better,
 *   and how much worse the candidate may be (absolute, per method, or relative to the baseline).
 * - Only a worsening beyond the rule is a regression (`REGRESSED`); a better value is reported as
 *   `improved`, a worse one within the rule as `ok`.
 * - Missing rows are listed, never ignored: a baseline row without a candidate row is `MISSING`
 *   (a regression unless allowed), a candidate row without a baseline row is `new`. A
 *   benchmark/profile present on one side only is listed as not compared.
 *
 * @module
 */
import { readResults } from "./results_file.ts";

/** How one column of a benchmark's rows may change before it counts as a regression. */
export interface RegressionRule {
  /** The compared column (`test_acc`, `tau`, `ms_median`). */
  column: string;
  /** `higher`: a lower candidate value is worse (accuracy, tau); `lower`: a higher one (times). */
  better: "higher" | "lower";
  /** Allowed worsening in the column's unit (the floor when {@link perMethod} is given). */
  absolute?: number;
  /** Allowed worsening per method (e.g. 2 x the smoke spread), floored at {@link absolute}. */
  perMethod?: Readonly<Record<string, number>>;
  /** Allowed worsening relative to the baseline value (0.07: 7 % slower); overrides the others. */
  relative?: number;
  /** How the allowance was chosen, one short phrase (shown in the table). */
  description?: string;
}

/** The allowed worsening of `rule` for a row of `method` whose baseline value is `base`. */
export function allowedWorsening(rule: RegressionRule, method: string, base: number): number {
  if (rule.relative !== undefined) return rule.relative * Math.abs(base);
  return Math.max(rule.perMethod?.[method] ?? 0, rule.absolute ?? 0);
}

/** `2 x spread` rules: allowed drop per method = `factor` x spread, floored at `floor`. */
export function spreadRule(
  column: string,
  spread: Readonly<Record<string, number>>,
  factor: number,
  floor: number,
): RegressionRule {
  return {
    column,
    better: "higher",
    absolute: floor,
    perMethod: Object.fromEntries(Object.entries(spread).map(([m, s]) => [m, factor * s])),
    description: `drop > max(${factor} x smoke spread, ${floor})`,
  };
}

/** What a results folder holds for one benchmark: its runs file, key columns and rules. */
export interface ResultKind {
  /** Folder name under the results root (`table2`, `perf`). */
  benchmark: string;
  /** Stem of the runs file (`runs`; `optima`, `perf`). */
  runsFile: string;
  /** Key columns besides method, dataset, seed. */
  keyColumns: readonly string[];
  rules: readonly RegressionRule[];
}

/** The rows of one benchmark and profile, from a folder or from the history. */
export interface ResultSet {
  benchmark: string;
  profile: string;
  rows: readonly Record<string, string>[];
  /** Where they come from (the CSV path, or `history run <id>`). */
  source: string;
}

/**
 * Every `<dir>/<benchmark>/<profile>/<runsFile>.csv` of the known kinds (profiles: whatever
 * folders exist). Throws an Error naming the file for a malformed CSV.
 */
export async function readResultsFolder(
  dir: string,
  kinds: readonly ResultKind[],
): Promise<ResultSet[]> {
  const out: ResultSet[] = [];
  for (const kind of kinds) {
    const benchDir = `${dir}/${kind.benchmark}`;
    let profiles: string[];
    try {
      profiles = [...Deno.readDirSync(benchDir)].filter((e) => e.isDirectory).map((e) => e.name);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) continue;
      throw e;
    }
    for (const profile of profiles.sort()) {
      const csv = `${benchDir}/${profile}/${kind.runsFile}.csv`;
      try {
        if (!Deno.statSync(csv).isFile) continue;
      } catch {
        continue;
      }
      const { records } = await readResults(csv);
      if (records.length > 0) {
        out.push({ benchmark: kind.benchmark, profile, rows: records, source: csv });
      }
    }
  }
  return out;
}

/** Verdict of one compared value or row. */
export type DeltaVerdict =
  | "REGRESSED"
  | "ok"
  | "improved"
  | "MISSING"
  | "missing (allowed)"
  | "new";

/** One line of the regression table. */
export interface DeltaLine {
  benchmark: string;
  profile: string;
  /** `method/dataset/seed N` plus the key columns. */
  key: string;
  /** The compared column, `-` for a missing or new row. */
  column: string;
  baseline: string;
  candidate: string;
  /** candidate - baseline (NaN where not numeric). */
  delta: number;
  /** The rule, with the allowance of this row. */
  rule: string;
  verdict: DeltaVerdict;
}

/** The result of {@link compareResults}. */
export interface RegressReport {
  lines: DeltaLine[];
  /** benchmark/profile pairs compared. */
  compared: string[];
  /** benchmark/profile pairs only in the baseline / only in the candidate (not compared). */
  onlyInBaseline: string[];
  onlyInCandidate: string[];
  /** Benchmarks without rules (rows matched, no value compared). */
  withoutRules: string[];
  regressed: number;
  improved: number;
  missing: number;
}

function _num(v: string | undefined): number {
  if (v === undefined || v.trim() === "") return NaN;
  const n = Number(v);
  return Number.isFinite(n) ? n : NaN;
}

function _fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return String(Number(x.toPrecision(6)));
}

/** The key of a row (method, dataset, seed, key columns) as printed. */
export function rowKey(r: Record<string, string>, keyColumns: readonly string[]): string {
  const extra = keyColumns.map((k) => ` ${k}=${r[k] ?? ""}`).join("");
  return `${r.method ?? ""}/${r.dataset ?? ""}/seed ${r.seed ?? ""}${extra}`;
}

function _ruleText(rule: RegressionRule, allowed: number): string {
  const what = rule.better === "higher" ? "drop" : "rise";
  if (rule.relative !== undefined) {
    const adj = rule.better === "lower" ? "slower/higher" : "lower";
    return `${adj} > ${_fmt(rule.relative * 100)}% (${_fmt(allowed)})`;
  }
  return `${what} > ${_fmt(allowed)}`;
}

/** Compare one value under `rule`. */
export function judge(
  rule: RegressionRule,
  method: string,
  baseline: string | undefined,
  candidate: string | undefined,
): { verdict: "REGRESSED" | "ok" | "improved"; delta: number; rule: string } | null {
  const b = _num(baseline);
  if (Number.isNaN(b)) return null; // nothing to compare against
  const c = _num(candidate);
  const allowed = allowedWorsening(rule, method, b);
  const text = _ruleText(rule, allowed);
  if (Number.isNaN(c)) {
    return { verdict: "REGRESSED", delta: NaN, rule: `${text}; no candidate value` };
  }
  const delta = c - b;
  const worse = rule.better === "higher" ? -delta : delta;
  const eps = 1e-9 * Math.max(1, Math.abs(b));
  const verdict = worse > allowed + eps ? "REGRESSED" : worse < -eps ? "improved" : "ok";
  return { verdict, delta, rule: text };
}

/**
 * Compare `candidate` with `baseline` (see the module documentation). `kinds` gives each
 * benchmark's key columns and rules; a benchmark not in `kinds` is compared by method, dataset
 * and seed with no rule (rows matched, values not judged).
 */
export function compareResults(
  baseline: readonly ResultSet[],
  candidate: readonly ResultSet[],
  kinds: readonly ResultKind[],
  opts: { allowMissing?: boolean } = {},
): RegressReport {
  const pair = (s: ResultSet) => `${s.benchmark}/${s.profile}`;
  const base = new Map(baseline.map((s) => [pair(s), s]));
  const cand = new Map(candidate.map((s) => [pair(s), s]));
  const report: RegressReport = {
    lines: [],
    compared: [],
    onlyInBaseline: [...base.keys()].filter((k) => !cand.has(k)).sort(),
    onlyInCandidate: [...cand.keys()].filter((k) => !base.has(k)).sort(),
    withoutRules: [],
    regressed: 0,
    improved: 0,
    missing: 0,
  };
  for (const [name, b] of [...base.entries()].sort(([x], [y]) => x.localeCompare(y))) {
    const c = cand.get(name);
    if (c === undefined) continue;
    report.compared.push(name);
    const kind = kinds.find((k) => k.benchmark === b.benchmark);
    if (kind === undefined || kind.rules.length === 0) report.withoutRules.push(name);
    const keyColumns = kind?.keyColumns ?? [];
    const rules = kind?.rules ?? [];
    const cRows = new Map(c.rows.map((r) => [rowKey(r, keyColumns), r]));
    const bRows = new Map(b.rows.map((r) => [rowKey(r, keyColumns), r]));
    const line = (key: string, rest: Omit<DeltaLine, "benchmark" | "profile" | "key">) =>
      report.lines.push({ benchmark: b.benchmark, profile: b.profile, key, ...rest });
    for (const [key, br] of bRows) {
      const cr = cRows.get(key);
      if (cr === undefined) {
        const verdict = opts.allowMissing ? "missing (allowed)" : "MISSING";
        if (!opts.allowMissing) report.missing++;
        line(key, {
          column: "-",
          baseline: "row",
          candidate: "no row",
          delta: NaN,
          rule: "every baseline row",
          verdict,
        });
        continue;
      }
      for (const rule of rules) {
        const j = judge(rule, br.method ?? "", br[rule.column], cr[rule.column]);
        if (j === null) continue;
        if (j.verdict === "REGRESSED") report.regressed++;
        if (j.verdict === "improved") report.improved++;
        line(key, {
          column: rule.column,
          baseline: br[rule.column],
          candidate: cr[rule.column] ?? "",
          delta: j.delta,
          rule: j.rule,
          verdict: j.verdict,
        });
      }
    }
    for (const key of cRows.keys()) {
      if (bRows.has(key)) continue;
      line(key, {
        column: "-",
        baseline: "no row",
        candidate: "row",
        delta: NaN,
        rule: "-",
        verdict: "new",
      });
    }
  }
  return report;
}

/** Whether the report holds a regression (a value beyond its rule, or a missing row). */
export function hasRegression(r: RegressReport): boolean {
  return r.regressed > 0 || r.missing > 0;
}

/** The table of deltas, then the pairs not compared. */
export function formatRegressTable(r: RegressReport): string {
  const head = [
    "benchmark",
    "profile",
    "key",
    "column",
    "baseline",
    "candidate",
    "delta",
    "rule",
    "verdict",
  ];
  const body = r.lines.map((l) => [
    l.benchmark,
    l.profile,
    l.key,
    l.column,
    l.baseline,
    l.candidate,
    Number.isNaN(l.delta) ? "-" : `${l.delta > 0 ? "+" : ""}${_fmt(l.delta)}`,
    l.rule,
    l.verdict,
  ]);
  const rows = [head, ...body];
  const widths = head.map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const fmt = (row: string[]) => row.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  const lines = [fmt(head), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(fmt)];
  if (body.length === 0) lines.push("(no rows compared)");
  for (const p of r.onlyInBaseline) lines.push(`not compared: ${p} only in the baseline`);
  for (const p of r.onlyInCandidate) lines.push(`not compared: ${p} only in the candidate`);
  for (const p of r.withoutRules) lines.push(`no regression rules for ${p}: rows matched only`);
  return lines.join("\n");
}

/** The final line: counts and the overall result. */
export function formatRegressSummary(r: RegressReport): string {
  const values = r.lines.filter((l) => l.column !== "-").length;
  const newRows = r.lines.filter((l) => l.verdict === "new").length;
  const result = hasRegression(r) ? "REGRESSED" : r.compared.length === 0 ? "NOT CHECKED" : "OK";
  return `regress: ${result}: ${r.compared.length} benchmark/profile pairs, ${values} values ` +
    `compared, ${r.regressed} regressed, ${r.improved} improved, ${r.missing} missing rows, ` +
    `${newRows} new rows`;
}
