/**
 * Reads a results folder (`<dir>/<benchmark>/<profile>/<runs file>.csv` with its JSON sidecar,
 * `compare/<profile>/scores-*.csv`, `angle-scores/<profile>/*.csv`, `perf/<cpu|gpu>/perf.csv`)
 * into the data of the report. The verdict of every table is recomputed with the benchmark's own
 * checks ({@link ReportKind.checks}, i.e. `Benchmark.checks`), never re-implemented here.
 *
 * @module
 */
import { fromCsv } from "../csv.ts";
import { type Check, type Verdict, verdictOf } from "../verdict.ts";

/** What the report needs of a registered benchmark (a `Benchmark` fits). */
export interface ReportKind {
  name: string;
  paperTable: string;
  description: string;
  runsFile: string;
  runKeyColumns?: readonly string[];
  checks(
    profile: "smoke" | "quick" | "paper",
    rows: readonly Record<string, string | number>[],
    baseline: readonly Record<string, string | number>[] | null,
  ): Check[];
}

/** A CSV file: its columns and rows. */
export interface Table {
  columns: string[];
  rows: Record<string, string>[];
}

/** Where the numbers of a table come from. */
export interface Provenance {
  runIds: string[];
  gitRevs: string[];
  backends: string[];
  devices: string[];
  versions: string[];
  /** Earliest and latest `started_at`. */
  started: [string, string] | null;
  /** Data subsets used, one line each (dataset, split, images, index range, fingerprint). */
  data: string[];
}

/** One benchmark and profile of the results folder. */
export interface BenchmarkResult {
  benchmark: string;
  paperTable: string;
  description: string;
  profile: "smoke" | "quick" | "paper";
  /** Path of the runs file, relative to the results folder. */
  file: string;
  runs: Table;
  summary: Table | null;
  /** The benchmark's checks of the rows (`Benchmark.checks`). */
  verdict: Verdict;
  provenance: Provenance;
}

/** Per-architecture scores of one metric against NB201 test accuracy. */
export interface ScoreSet {
  /** e.g. "angle, random-uniform-once SuperNet, cifar10 seed 0". */
  title: string;
  /** File the scores come from, relative to the results folder. */
  source: string;
  metric: string;
  /** x: NB201 test accuracy (%), y: the score. */
  points: { x: number; y: number }[];
}

/** A perf file. */
export interface PerfResult {
  file: string;
  table: Table;
  provenance: Provenance;
}

/** Everything the report shows of a results folder. */
export interface ReportData {
  resultsDir: string;
  benchmarks: BenchmarkResult[];
  scores: ScoreSet[];
  perf: PerfResult[];
}

const _PROFILES = ["smoke", "quick", "paper"] as const;
const _NOT_SCORES = new Set(["nb201_index", "arch", "test_acc", "valid_acc"]);

async function _readCsv(path: string): Promise<Table | null> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) return null;
    throw e;
  }
  try {
    const { columns, records } = fromCsv(text);
    return { columns, rows: records };
  } catch (e) {
    throw new Error(`${path}: not a valid CSV file (${(e as Error).message})`);
  }
}

async function _readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await Deno.readTextFile(path));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) return null;
    throw new Error(`${path}: not a valid JSON sidecar (${(e as Error).message})`);
  }
}

async function _list(dir: string): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) out.push(e.name);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) return [];
    throw e;
  }
  return out.sort();
}

function _distinct(rows: readonly Record<string, string>[], col: string): string[] {
  return [...new Set(rows.map((r) => r[col]).filter((v) => v !== undefined && v !== ""))];
}

/** The data subsets a sidecar records (`runs.<id>.resolved.data`), one line each. */
export function dataSubsets(sidecar: unknown): string[] {
  const runs = (sidecar as { runs?: Record<string, { resolved?: { data?: unknown } }> })?.runs;
  const lines = new Set<string>();
  for (const run of Object.values(runs ?? {})) {
    const data = run?.resolved?.data as Record<string, Record<string, Record<string, unknown>>>;
    for (const [dataset, splits] of Object.entries(data ?? {})) {
      for (const [split, s] of Object.entries(splits ?? {})) {
        lines.add(
          `${dataset} ${split}: ${s.count} images, indices ${s.first_index}-${s.last_index}, ` +
            `fingerprint ${s.fingerprint}`,
        );
      }
    }
  }
  return [...lines];
}

/** The provenance of rows (their provenance columns) and of their sidecar. */
export function provenanceOf(
  rows: readonly Record<string, string>[],
  sidecar: unknown,
): Provenance {
  const started = _distinct(rows, "started_at").sort();
  const versions = [...new Set(rows.map((r) => `Deno ${r.deno_version}, tfjs ${r.tfjs_version}`))];
  return {
    runIds: _distinct(rows, "run_id"),
    gitRevs: _distinct(rows, "git_rev"),
    backends: _distinct(rows, "backend"),
    devices: _distinct(rows, "device"),
    versions: rows.some((r) => r.deno_version !== undefined) ? versions : [],
    started: started.length > 0 ? [started[0], started[started.length - 1]] : null,
    data: dataSubsets(sidecar),
  };
}

/**
 * Reads `dir`. `baselineDir` holds the committed smoke baselines the smoke checks compare with
 * (default: `dir` itself). Throws (naming the file) on a malformed CSV or sidecar.
 */
export async function loadResults(
  dir: string,
  kinds: readonly ReportKind[],
  baselineDir = dir,
): Promise<ReportData> {
  const benchmarks: BenchmarkResult[] = [];
  for (const k of kinds) {
    for (const profile of _PROFILES) {
      const rel = `${k.name}/${profile}/${k.runsFile}.csv`;
      const runs = await _readCsv(`${dir}/${rel}`);
      if (runs === null) continue;
      const summary = await _readCsv(`${dir}/${k.name}/${profile}/summary.csv`);
      const base = profile === "smoke"
        ? (await _readCsv(`${baselineDir}/${rel}`))?.rows ?? null
        : null;
      const sidecar = await _readJson(`${dir}/${k.name}/${profile}/${k.runsFile}.json`);
      benchmarks.push({
        benchmark: k.name,
        paperTable: k.paperTable,
        description: k.description,
        profile,
        file: rel,
        runs,
        summary,
        verdict: verdictOf(k.checks(profile, runs.rows, base)),
        provenance: provenanceOf(runs.rows, sidecar),
      });
    }
  }
  return {
    resultsDir: dir,
    benchmarks,
    scores: await _loadScores(dir),
    perf: await _loadPerf(dir),
  };
}

async function _loadPerf(dir: string): Promise<PerfResult[]> {
  const out: PerfResult[] = [];
  for (const sub of await _list(`${dir}/perf`)) {
    const file = `perf/${sub}/perf.csv`;
    const table = await _readCsv(`${dir}/${file}`);
    if (table === null) continue;
    out.push({
      file,
      table,
      provenance: provenanceOf(table.rows, await _readJson(`${dir}/perf/${sub}/perf.json`)),
    });
  }
  return out;
}

function _num(v: string | undefined): number {
  return v === undefined || v === "" ? NaN : Number(v);
}

async function _loadScores(dir: string): Promise<ScoreSet[]> {
  const out: ScoreSet[] = [];
  /** NB201 test accuracy by dataset and architecture index, from the compare scores files. */
  const testAcc = new Map<string, Map<string, number>>();
  for (const profile of await _list(`${dir}/compare`)) {
    for (const name of await _list(`${dir}/compare/${profile}`)) {
      const m = /^scores-(.+)-seed(\d+)\.csv$/.exec(name);
      if (m === null) continue;
      const source = `compare/${profile}/${name}`;
      const t = (await _readCsv(`${dir}/${source}`))!;
      const acc = testAcc.get(m[1]) ?? new Map<string, number>();
      testAcc.set(m[1], acc);
      for (const r of t.rows) acc.set(r.nb201_index, _num(r.test_acc));
      if (m[2] !== "0") continue; // one seed per profile: the architectures' scores repeat
      for (const metric of t.columns.filter((c) => !_NOT_SCORES.has(c))) {
        out.push({
          title: `${metric}, compare ${profile}, ${m[1]} seed ${m[2]}`,
          source,
          metric,
          points: t.rows.map((r) => ({ x: _num(r.test_acc), y: _num(r[metric]) })),
        });
      }
    }
  }
  for (const profile of await _list(`${dir}/angle-scores`)) {
    for (const name of await _list(`${dir}/angle-scores/${profile}`)) {
      const m = /^(cifar10|cifar100|ImageNet16-120)-(.+)-seed(\d+)\.csv$/.exec(name);
      if (m === null) continue;
      const acc = testAcc.get(m[1]);
      if (acc === undefined) continue; // no NB201 test accuracies of this dataset in the folder
      const source = `angle-scores/${profile}/${name}`;
      const t = (await _readCsv(`${dir}/${source}`))!;
      out.push({
        title: `angle, ${m[2]} SuperNet (${profile}), ${m[1]} seed ${m[3]}`,
        source,
        metric: "angle",
        points: t.rows.filter((r) => acc.has(r.nb201_index)).map((r) => ({
          x: acc.get(r.nb201_index)!,
          y: _num(r.angle),
        })),
      });
    }
  }
  return out;
}
