/**
 * The summary of a NB201 benchmark run: `summary.csv` with mean ± std over seeds, one row per
 * method and dataset (plus any key columns) with seed `all`, the comparisons with the paper and
 * the verdict's checks.
 *
 * A run summarises the rows it wrote (rows of `runs.csv` with its run id). Combining them with
 * earlier rows of the same folder is explicit: `--summarize-all` (every row of `runs.csv`) or
 * `--merge DIR` (the merged rows and those already there). The summary names the runs it
 * combines (run id, revision, backend, device) in its notes, in the `source_runs` column and in
 * its sidecar.
 *
 * @module
 */
import type { Comparison } from "../../reporting/comparison.ts";
import { readResults, resultPaths } from "../../reporting/results_file.ts";
import type { Check } from "../../reporting/verdict.ts";
import type {
  BenchmarkContext,
  BenchmarkOutcome,
  BenchmarkRow,
  DatasetName,
  ProfileName,
} from "../types.ts";
import { type Nb201CheckSpec, profileChecks, type Row } from "./checks.ts";
import { meanStd, num, round, summarize } from "./summary.ts";

/** All rows of `<outDir>/<benchmark>/<profile>/runs.csv` (empty when there is none). */
export async function readRuns(ctx: BenchmarkContext, benchmark: string): Promise<BenchmarkRow[]> {
  const { csv } = resultPaths({
    outDir: ctx.outDir,
    benchmark,
    profile: ctx.profile,
    name: "runs",
  });
  const { records } = await readResults(csv);
  return records.map((r, i) => {
    if (r.method === undefined || r.dataset === undefined || r.seed === undefined) {
      throw new Error(`${csv}: row ${i + 2} lacks method, dataset or seed`);
    }
    return r as BenchmarkRow;
  });
}

/**
 * The rows a run summarises: its own (same `run_id`), or with `ctx.summarizeAll` every row.
 */
export function rowsToSummarize(
  ctx: BenchmarkContext,
  rows: readonly BenchmarkRow[],
): BenchmarkRow[] {
  return ctx.summarizeAll ? [...rows] : rows.filter((r) => r.run_id === ctx.runId);
}

/** "3 seeds (0 1 2) on cifar10" for the rows of a runs file. */
export function describeSeeds(rows: readonly BenchmarkRow[]): string {
  const seeds = [...new Set(rows.map((r) => String(r.seed)))].sort((a, b) => Number(a) - Number(b));
  const datasets = [...new Set(rows.map((r) => String(r.dataset)))];
  return `${seeds.length} seed${seeds.length === 1 ? "" : "s"} (${seeds.join(" ")}) on ` +
    datasets.join(", ");
}

/** One run whose rows a summary combines. */
export interface SourceRun {
  run_id: string;
  git_rev: string;
  backend: string;
  device: string;
  rows: number;
}

/** The runs behind `rows`, in first-appearance order. */
export function sourceRuns(rows: readonly BenchmarkRow[]): SourceRun[] {
  const out = new Map<string, SourceRun>();
  for (const r of rows) {
    const id = String(r.run_id ?? "");
    const s = out.get(id);
    if (s !== undefined) s.rows++;
    else {
      out.set(id, {
        run_id: id,
        git_rev: String(r.git_rev ?? ""),
        backend: String(r.backend ?? ""),
        device: String(r.device ?? ""),
        rows: 1,
      });
    }
  }
  return [...out.values()];
}

/** Options of {@link writeSummaryFile}. */
export interface SummaryFileOptions {
  /** Value columns averaged (`<col>_mean`, `<col>_std`). */
  values: readonly string[];
  /** Key columns besides method and dataset (e.g. `classes`). */
  keyColumns?: readonly string[];
  /** Extra columns per group (e.g. the paper's value). */
  extra?: (key: Record<string, string>) => Record<string, string | number>;
  /** Names of the extra columns, in order. */
  extraColumns?: readonly string[];
}

/** Summarise `rows` and write `summary.csv`; returns the path and the summary rows. */
export async function writeSummaryFile(
  ctx: BenchmarkContext,
  rows: readonly BenchmarkRow[],
  opts: SummaryFileOptions,
): Promise<{ path: string; rows: BenchmarkRow[] }> {
  const keys = opts.keyColumns ?? [];
  const groups = summarize(rows, ["method", "dataset", ...keys], opts.values);
  const out: BenchmarkRow[] = groups.map((g) => {
    const members = rows.filter((r) =>
      ["method", "dataset", ...keys].every((k) => String(r[k] ?? "") === g.key[k])
    );
    const row: BenchmarkRow = {
      method: g.key.method,
      dataset: g.key.dataset,
      seed: "all",
      n_seeds: g.seeds.length,
      seeds: g.seeds.join(" "),
      source_runs: sourceRuns(members).map((s) => s.run_id).join(" "),
    };
    for (const k of keys) row[k] = g.key[k];
    for (const v of opts.values) {
      row[`${v}_mean`] = round(g.values[v].mean);
      row[`${v}_std`] = round(g.values[v].std);
    }
    return { ...row, ...(opts.extra?.(g.key) ?? {}) };
  });
  const columns = [
    ...keys,
    "n_seeds",
    "seeds",
    ...opts.values.flatMap((v) => [`${v}_mean`, `${v}_std`]),
    ...(opts.extraColumns ?? []),
    "source_runs",
  ];
  const path = await ctx.write("summary", columns, out, {
    keyColumns: keys,
    replace: true,
    sidecar: { summarizes: sourceRuns(rows) },
  });
  return { path, rows: out };
}

/** What a benchmark's summary is made of (see {@link summarizeRuns}). */
export interface RunSummaryParts {
  /** Benchmark name (folder of `runs.csv`). */
  benchmark: string;
  /** `summary.csv`'s averaged values and extra columns. */
  summary: SummaryFileOptions;
  /** Our numbers next to the paper's (`paper`: with the paper profile's tolerances). */
  comparisons(rows: readonly BenchmarkRow[], paper: boolean): Comparison[];
  /** The verdict's checks. */
  checks: Nb201CheckSpec;
  /** More files made from the summarised rows (Figure 1's charts); returns their paths. */
  extraFiles?(ctx: BenchmarkContext, rows: readonly BenchmarkRow[]): Promise<string[]>;
}

/**
 * Summary of the run's rows of `runs.csv` (or every row, see {@link rowsToSummarize}): writes
 * `summary.csv`, compares with the paper and checks the rows for the verdict.
 */
export async function summarizeRuns(
  ctx: BenchmarkContext,
  parts: RunSummaryParts,
): Promise<BenchmarkOutcome> {
  const all = await readRuns(ctx, parts.benchmark);
  const rows = rowsToSummarize(ctx, all);
  if (rows.length === 0) {
    throw new Error(
      `no rows to summarise in ${
        resultPaths({
          outDir: ctx.outDir,
          benchmark: parts.benchmark,
          profile: ctx.profile,
          name: "runs",
        })
          .csv
      }${ctx.summarizeAll ? "" : ` from run ${ctx.runId}`}`,
    );
  }
  const summary = await writeSummaryFile(ctx, rows, parts.summary);
  const extra = (await parts.extraFiles?.(ctx, rows)) ?? [];
  const runs = sourceRuns(rows);
  const from = runs.length === 1
    ? `run ${runs[0].run_id}`
    : `${runs.length} runs: ${
      runs.map((r) => `${r.run_id} (${r.git_rev}, ${r.backend}, ${r.device})`).join("; ")
    }`;
  return {
    files: [summary.path, ...extra],
    summaryFile: summary.path,
    comparisons: parts.comparisons(rows, ctx.profile === "paper"),
    checks: profileChecks(parts.checks, ctx.profile, rows, ctx.baseline),
    notes: [`summary of ${describeSeeds(rows)} from ${from}`],
  };
}

/** A run's outcome: the files it wrote and its notes, then its summary's. */
export function withSummary(
  files: readonly string[],
  notes: readonly string[],
  summary: BenchmarkOutcome,
): BenchmarkOutcome {
  return {
    ...summary,
    files: [...files, ...summary.files],
    notes: [...notes, ...summary.notes ?? []],
  };
}

/** The `checks` of a {@link Benchmark} from a NB201 check spec. */
export function nb201Checks(
  spec: Nb201CheckSpec,
): (profile: ProfileName, rows: readonly Row[], baseline: readonly Row[] | null) => Check[] {
  return (profile, rows, baseline) => profileChecks(spec, profile, rows, baseline);
}

/**
 * Mean ± std test accuracy per (dataset, method) of the rows next to the paper's;
 * `reference(method, dataset)` gives the paper's mean or null.
 */
export function testAccComparisons(
  rows: readonly BenchmarkRow[],
  methods: readonly { id: string; name: string }[],
  reference: (method: string, dataset: DatasetName) => number | null,
  tolerance: number | null,
): Comparison[] {
  const out: Comparison[] = [];
  for (const dataset of new Set(rows.map((r) => String(r.dataset) as DatasetName))) {
    for (const m of methods) {
      const rs = rows.filter((r) => r.dataset === dataset && r.method === m.id);
      if (rs.length === 0) continue;
      const t = meanStd(rs.map((r) => num(r.test_acc)));
      out.push({
        label: `${m.name} ${dataset} test acc`,
        ours: t.mean,
        oursStd: t.std,
        reference: reference(m.id, dataset),
        tolerance,
      });
    }
  }
  return out;
}
