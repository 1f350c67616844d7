/**
 * `summary.csv` of a NB201 benchmark: mean ± std over every seed present in its `runs.csv` (rows
 * of earlier runs included, so seeds run separately add up), one row per method and dataset
 * (plus any extra key columns) with seed `all`; and comparisons of test accuracy with the paper.
 *
 * @module
 */
import type { Comparison } from "../../reporting/comparison.ts";
import { readResults, resultPaths } from "../../reporting/results_file.ts";
import type { BenchmarkContext, BenchmarkOutcome, BenchmarkRow, DatasetName } from "../types.ts";
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

/** "3 seeds (0 1 2) on cifar10" for the rows of a runs file. */
export function describeSeeds(rows: readonly BenchmarkRow[]): string {
  const seeds = [...new Set(rows.map((r) => String(r.seed)))].sort((a, b) => Number(a) - Number(b));
  const datasets = [...new Set(rows.map((r) => String(r.dataset)))];
  return `${seeds.length} seed${seeds.length === 1 ? "" : "s"} (${seeds.join(" ")}) on ` +
    datasets.join(", ");
}

/** What a benchmark's `summarize` is made of (see {@link summarizeRuns}). */
export interface RunSummaryParts {
  /** Benchmark name (folder of `runs.csv`). */
  benchmark: string;
  /** Writes `summary.csv`; returns its path. */
  writeSummary(ctx: BenchmarkContext): Promise<string>;
  /** Our numbers next to the paper's (`paper`: with the paper profile's tolerances). */
  comparisons(rows: readonly BenchmarkRow[], paper: boolean): Comparison[];
  /** The paper's qualitative findings checked on the rows, as note lines. */
  findings(rows: readonly BenchmarkRow[]): string[];
}

/** Summary, comparisons and findings over every row of the benchmark's `runs.csv`. */
export async function summarizeRuns(
  ctx: BenchmarkContext,
  parts: RunSummaryParts,
): Promise<BenchmarkOutcome> {
  const rows = await readRuns(ctx, parts.benchmark);
  return {
    files: [await parts.writeSummary(ctx)],
    comparisons: parts.comparisons(rows, ctx.profile === "paper"),
    notes: [`summary of ${describeSeeds(rows)} in runs.csv`, ...parts.findings(rows)],
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

/** Options of {@link writeSummaryFile}. */
export interface SummaryFileOptions {
  /** Benchmark name (folder of `runs.csv`). */
  benchmark: string;
  /** Value columns averaged (`<col>_mean`, `<col>_std`). */
  values: readonly string[];
  /** Key columns besides method and dataset (e.g. `classes`). */
  keyColumns?: readonly string[];
  /** Extra columns per group (e.g. the paper's value). */
  extra?: (key: Record<string, string>) => Record<string, string | number>;
  /** Names of the extra columns, in order. */
  extraColumns?: readonly string[];
}

/** Read `runs.csv` back, summarise it and write `summary.csv`; returns the path and the rows. */
export async function writeSummaryFile(
  ctx: BenchmarkContext,
  opts: SummaryFileOptions,
): Promise<{ path: string; rows: BenchmarkRow[] }> {
  const { csv } = resultPaths({
    outDir: ctx.outDir,
    benchmark: opts.benchmark,
    profile: ctx.profile,
    name: "runs",
  });
  const { records } = await readResults(csv);
  const keys = opts.keyColumns ?? [];
  const rows: BenchmarkRow[] = summarize(records, ["method", "dataset", ...keys], opts.values)
    .map((g) => {
      const row: BenchmarkRow = {
        method: g.key.method,
        dataset: g.key.dataset,
        seed: "all",
        n_seeds: g.seeds.length,
        seeds: g.seeds.join(" "),
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
  ];
  const path = await ctx.write("summary", columns, rows, { keyColumns: keys });
  return { path, rows };
}

/**
 * Mean ± std test accuracy per (dataset, method) of this run's rows next to the paper's;
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
