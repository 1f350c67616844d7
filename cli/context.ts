/**
 * The {@link BenchmarkContext} of a run: the CLI's resolved choices, the result writer that adds
 * the provenance columns and stores the resolved configuration in each file's JSON sidecar, and
 * the progress reporter. `bench` builds one per run; tests build one the same way.
 *
 * @module
 */
import type { FlagValue } from "./args.ts";
import type { BackendName } from "../backends/backend.ts";
import type {
  AnglePrecision,
  Benchmark,
  BenchmarkContext,
  BenchmarkRow,
  DatasetName,
  ProfileName,
} from "../benchmarks/types.ts";
import type { DataDir } from "../datasets/data_dir.ts";
import { Progress } from "../reporting/progress.ts";
import { portable, type RunEnvironment } from "../reporting/provenance.ts";
import { writeResults } from "../reporting/results_file.ts";

/** What {@link createContext} needs. */
export interface ContextOptions {
  bench: Benchmark;
  profile: ProfileName;
  backend: BackendName | "none";
  device: string;
  datasets: DatasetName[];
  seeds: number[];
  dataDir: DataDir;
  jobs: number;
  outDir: string;
  runId: string;
  startedAt: Date;
  env: RunEnvironment;
  /** The committed baseline rows (see {@link BenchmarkContext.baseline}). */
  baseline?: Record<string, string>[] | null;
  summarizeAll?: boolean;
  keepEvery: number;
  anglePrecision?: AnglePrecision;
  /** Values of the benchmark's own flags. */
  options?: Record<string, FlagValue>;
  quiet?: boolean;
  /** Where messages go (default stderr). */
  log?: (line: string) => void;
  /** The run's configuration as the CLI resolved it (argv, flags); stored in every sidecar. */
  config?: Record<string, unknown>;
}

/** The context of one run (see the module documentation). */
export function createContext(o: ContextOptions): BenchmarkContext & {
  /** The configuration stored in the sidecars (the CLI's, plus what the benchmark recorded). */
  readonly config: Record<string, unknown>;
} {
  const sink = o.log ?? ((l: string) => console.error(l));
  const log = o.quiet ? () => {} : sink;
  const resolved: Record<string, unknown> = {};
  const config: Record<string, unknown> = {
    benchmark: o.bench.name,
    paper_table: o.bench.paperTable,
    profile: o.profile,
    profile_description: o.bench.profiles[o.profile].description,
    backend: o.backend,
    device: o.device,
    datasets: o.datasets,
    seeds: o.seeds,
    jobs: o.jobs,
    keep_every: o.keepEvery,
    angle_precision: o.anglePrecision ?? "float64",
    summarize_all: o.summarizeAll ?? false,
    options: o.options ?? {},
    data_dir: { source: o.dataDir.source, path: portable(o.dataDir.path) },
    out_dir: portable(o.outDir),
    started_at: o.startedAt.toISOString(),
    env: o.env,
    ...(o.config ?? {}),
    resolved,
  };
  const bench = o.bench;
  return {
    config,
    profile: o.profile,
    backend: o.backend,
    device: o.device,
    datasets: o.datasets,
    seeds: o.seeds,
    dataDir: o.dataDir,
    jobs: o.jobs,
    outDir: o.outDir,
    runId: o.runId,
    startedAt: o.startedAt,
    env: o.env,
    baseline: o.baseline ?? null,
    summarizeAll: o.summarizeAll ?? false,
    keepEvery: o.keepEvery,
    anglePrecision: o.anglePrecision ?? "float64",
    options: o.options ?? {},
    log,
    progress: new Progress({ log: sink, quiet: o.quiet }),
    record(section, value) {
      resolved[section] = value;
    },
    write(file, columns, rows: readonly BenchmarkRow[], opts = {}) {
      const rowStart = opts.startedAt ?? o.startedAt;
      const duration = opts.durationS ?? (Date.now() - rowStart.getTime()) / 1000;
      return writeResults({
        outDir: o.outDir,
        benchmark: bench.name,
        profile: o.profile,
        name: file,
        columns,
        keyColumns: opts.keyColumns,
        replace: opts.replace,
        provenance: opts.provenance,
        runId: o.runId,
        config: portable(JSON.parse(JSON.stringify(config))),
        sidecarExtra: opts.sidecar,
        rows: rows.map((r) => ({
          benchmark: bench.name,
          paper_table: bench.paperTable,
          profile: o.profile,
          backend: o.backend,
          device: o.device,
          git_rev: o.env.git_rev,
          deno_version: o.env.deno_version,
          tfjs_version: o.env.tfjs_version,
          started_at: rowStart.toISOString(),
          duration_s: Number(duration.toFixed(3)),
          ...r,
        })),
      });
    },
  };
}
