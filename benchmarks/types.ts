/**
 * The benchmark interface: a benchmark is a folder under `benchmarks/` whose `mod.ts` exports one
 * {@link Benchmark}; `registry.ts` lists them.
 *
 * @module
 */
import type { BackendName } from "../backends/backend.ts";
import type { DataDir } from "../datasets/data_dir.ts";
import { DATASET_NAMES, type DatasetName } from "../datasets/image_set.ts";
import type { Comparison } from "../reporting/comparison.ts";
import type { CsvRecord } from "../reporting/csv.ts";
import type { RunEnvironment } from "../reporting/provenance.ts";

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
  /** Progress and messages (stderr). */
  log(line: string): void;
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

/** What a run returns for the printed summary. */
export interface BenchmarkOutcome {
  /** Result files written. */
  files: string[];
  /** Our numbers next to the reference's. */
  comparisons: Comparison[];
  /** Name of the reference in the printed table (default "paper"). */
  referenceName?: string;
  /** Notes printed after the table (data subsets used, caveats). */
  notes?: string[];
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
}
