/**
 * The benchmark interface: a benchmark is a folder under `benchmarks/` whose `mod.ts` exports one
 * {@link Benchmark}; `registry.ts` lists them.
 *
 * @module
 */
import type { FlagSpec, FlagValue } from "../cli/args.ts";
import type { BackendName } from "../backends/backend.ts";
import type { DataDir } from "../datasets/data_dir.ts";
import { DATASET_NAMES, type DatasetName } from "../datasets/image_set.ts";
import type { Comparison } from "../reporting/comparison.ts";
import type { CsvRecord } from "../reporting/csv.ts";
import type { Progress } from "../reporting/progress.ts";
import type { RunEnvironment } from "../reporting/provenance.ts";
import type { Check } from "../reporting/verdict.ts";
import type { AnglePrecision } from "../metrics/angle.ts";

/** Profiles every benchmark declares. */
export const PROFILES = ["smoke", "quick", "paper"] as const;
/** A profile name. */
export type ProfileName = typeof PROFILES[number];

/** The NB201 datasets, as NAS-Bench-201 spells them. */
export const DATASETS: readonly DatasetName[] = DATASET_NAMES;
export type { DatasetName };

/** What a profile is for, shown by `bench --list`. */
export interface ProfileInfo {
  /** One line: sizes, epochs, expected time. */
  description: string;
  /** Where it is meant to run. */
  hardware: "cpu" | "gpu" | "any";
}

/** A row a benchmark produces: its own columns plus method, dataset and seed. */
export interface BenchmarkRow extends CsvRecord {
  method: string;
  dataset: string;
  seed: number | string;
}

/** Options of one write of rows. */
export interface WriteOptions {
  /** Columns (besides method, dataset, seed) that identify a row, e.g. `classes` in Figure 1. */
  keyColumns?: readonly string[];
  /** Per-row start time and duration override the run's. */
  startedAt?: Date;
  durationS?: number;
  /** Replace the file's rows instead of upserting into them (summaries). */
  replace?: boolean;
  /** More top-level keys of the JSON sidecar (e.g. the runs a summary combines). */
  sidecar?: Record<string, unknown>;
  /**
   * `"sidecar"`: the provenance (identical for every row: one dataset and seed) is stored once in
   * the sidecar instead of in every row, for per-architecture files; needs `replace`.
   */
  provenance?: "rows" | "sidecar";
}

/** Everything a benchmark run gets from the CLI. */
export interface BenchmarkContext {
  profile: ProfileName;
  backend: BackendName | "none";
  /** The compute device (GPU adapter or CPU model). */
  device: string;
  datasets: DatasetName[];
  seeds: number[];
  dataDir: DataDir;
  /** SuperNets a benchmark may train at the same time (CPU backends; 1 = one after another). */
  jobs: number;
  /** Root results directory (files go to `<outDir>/<benchmark>/<profile>/`). */
  outDir: string;
  runId: string;
  startedAt: Date;
  env: RunEnvironment;
  /** Progress and messages (stderr; silent with `--quiet`). */
  log(line: string): void;
  /** Throttled per-phase progress with an overall ETA (stderr; silent with `--quiet`). */
  progress: Progress;
  /**
   * The committed baseline rows of this benchmark and profile
   * (`results/<benchmark>/<profile>/<runsFile>.csv` of the repository, read before the run
   * starts), or null when there is none. The smoke verdict compares with them.
   */
  baseline: Record<string, string>[] | null;
  /** Summarise every row of the output folder's runs file, not only this run's (`--summarize-all`). */
  summarizeAll: boolean;
  /** Checkpoint retention of trained SuperNets: keep W0, the latest and every K-th epoch. */
  keepEvery: number;
  /** Precision of the angle's cosine (`--angle-precision`; default float64). */
  anglePrecision: AnglePrecision;
  /** Values of the benchmark's own {@link Benchmark.flags} (absent flags are undefined). */
  options: Readonly<Record<string, FlagValue>>;
  /**
   * Set when this run is shard `index` (from 1) of `count` (`bench --shard i/n`, see
   * `benchmarks/shard.ts`): `datasets` x `seeds` are then one block of the shard's units, and
   * every SuperNet a unit asks for must belong to that unit (its dataset and seed).
   */
  shard?: Readonly<{ index: number; count: number }>;
  /**
   * Record a section of the run's resolved configuration (training, search and metric settings,
   * data subsets with sizes and fingerprints): stored in the JSON sidecar of every file written.
   */
  record(section: string, value: unknown): void;
  /**
   * Write rows (with provenance filled in) to `<outDir>/<benchmark>/<profile>/<file>.csv`;
   * returns the path.
   */
  write(
    file: string,
    columns: readonly string[],
    rows: readonly BenchmarkRow[],
    opts?: WriteOptions,
  ): Promise<string>;
}

export { ANGLE_PRECISIONS, type AnglePrecision } from "../metrics/angle.ts";

/** What a run returns for the printed summary. */
export interface BenchmarkOutcome {
  /** Result files written. */
  files: string[];
  /** Our numbers next to the reference's. */
  comparisons: Comparison[];
  /** Name of the reference in the printed table (default "paper"). */
  referenceName?: string;
  /** Text tables printed before the comparisons (e.g. `compare`'s ranked metrics). */
  tables?: string[];
  /** Notes printed after the table (data subsets used, caveats); stored in the sidecar. */
  notes?: string[];
  /** The checks of the verdict (see `reporting/verdict.ts`). */
  checks: Check[];
  /** What the checks compare with, for the verdict header (default: by profile). */
  against?: string;
  /** The file whose sidecar stores the verdict (default: the last file written). */
  summaryFile?: string;
}

/**
 * The smoke tolerance of a benchmark: how far a fresh smoke row may move from the committed
 * baseline row of the same seed, from the spread its reference file states.
 */
export interface SmokeTolerance {
  /** The compared column (`test_acc`, `tau`). */
  column: string;
  /** max - min over seeds 0-2 per method, measured on the committed baseline. */
  spread: Readonly<Record<string, number>>;
  /** Tolerance = factor x spread ... */
  factor: number;
  /** ... floored at this. */
  floor: number;
}

/** A registered benchmark. */
export interface Benchmark {
  /** CLI name, e.g. `table1`. */
  name: string;
  /** Which table or figure of the paper, e.g. "Table 1". */
  paperTable: string;
  /** One line for `--list`. */
  description: string;
  profiles: Readonly<Record<ProfileName, ProfileInfo>>;
  /** Datasets it can run on, and the ones it runs when none is given. */
  datasets: readonly DatasetName[];
  defaultDatasets: Readonly<Record<ProfileName, readonly DatasetName[]>>;
  /** Seeds used when none is given. */
  defaultSeeds: Readonly<Record<ProfileName, readonly number[]>>;
  /** False for benchmarks that never touch tensors (the backend is then not initialised). */
  usesTensors: boolean;
  run(ctx: BenchmarkContext): Promise<BenchmarkOutcome>;
  /**
   * Rebuild the summary of everything in `runs.csv` (all seeds and datasets present) and compare
   * it with the paper; `run` ends with it, and `bench --merge` calls it after importing rows.
   * Benchmarks without it cannot be merged.
   */
  summarize?(ctx: BenchmarkContext): Promise<BenchmarkOutcome>;
  /** Columns besides method, dataset and seed that identify a row of `runs.csv`. */
  runKeyColumns?: readonly string[];
  /**
   * Stem of the file holding one row per run unit (`runs`; `optima` for nb201-lookup): what
   * `--merge` imports, the committed baseline the smoke verdict compares with, and what
   * `benchmarks/results_check_test.ts` checks.
   */
  runsFile: string;
  /**
   * Flags of this benchmark only (e.g. `compare`'s `--metric`), parsed by `bench` with the common
   * ones; their values reach the run as {@link BenchmarkContext.options}. Giving one to another
   * benchmark is a usage error.
   */
  flags?: Readonly<Record<string, FlagSpec>>;
  /**
   * The smoke tolerance of its checks, when they compare with a committed smoke baseline:
   * `benchmarks/results_check_test.ts` checks that the baseline holds seeds 0-2 with this spread,
   * and `tools/smoke_spread.ts` prints the spread to state after a baseline is regenerated.
   */
  smoke?: SmokeTolerance;
  /**
   * The verdict's checks of `rows` (rows of the runs file) at `profile`; `baseline` holds the
   * committed rows of the same profile (null when there are none). See `reporting/verdict.ts`.
   */
  checks(
    profile: ProfileName,
    rows: readonly Record<string, string | number>[],
    baseline: readonly Record<string, string | number>[] | null,
  ): Check[];
  /**
   * What the run would do, without doing it (`--dry-run`): SuperNets to train, steps,
   * estimated time and disk. Benchmarks without it print that they train nothing.
   */
  plan?(ctx: BenchmarkContext): Promise<RunPlan>;
}

/** One SuperNet a run needs. */
export interface PlannedSuperNet {
  /** Cache key. */
  key: string;
  /** What it trains (dataset, labels, K, seed, images, epochs). */
  description: string;
  /** Already complete in the cache. */
  cached: boolean;
  /** Training steps (0 when cached). */
  steps: number;
  /** Estimated training seconds on the run's backend (NaN when unknown). */
  seconds: number;
  /** Disk of its kept checkpoints, bytes. */
  diskBytes: number;
}

/** What {@link Benchmark.plan} returns. */
export interface RunPlan {
  supernets: PlannedSuperNet[];
  /** Other work, one line each (searches, evaluations), with estimated seconds. */
  other: { description: string; seconds: number }[];
  /** Estimated wall-clock seconds, `--jobs` taken into account (NaN when unknown). */
  seconds: number;
  /** Where the time estimates come from (e.g. the committed perf file and its step time). */
  estimateSource: string;
}
