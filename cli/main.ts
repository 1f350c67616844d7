/**
 * `deno task bench`: run a registered benchmark and write its results.
 *
 * ```
 * deno task bench <name> [--profile smoke|quick|paper] [--backend wasm|cpu|webgpu|tensorflow]
 *                        [--dataset NAME ...] [--seed N ...] [--data-dir DIR] [--out DIR]
 *                        [--jobs N]
 * deno task bench --list
 * ```
 *
 * Exit codes: 0 success, 1 runtime error (missing data, NaN loss, ...), 2 usage error.
 *
 * @module
 */
import { type BackendName, BACKENDS, DEFAULT_BACKEND, initBackend } from "../backends/backend.ts";
import { getBenchmark, listBenchmarks } from "../benchmarks/registry.ts";
import {
  type Benchmark,
  type BenchmarkContext,
  type BenchmarkOutcome,
  type BenchmarkRow,
  type DatasetName,
  DATASETS,
  type ProfileName,
  PROFILES,
} from "../benchmarks/types.ts";
import { resolveDataDir } from "../datasets/data_dir.ts";
import { formatComparisons } from "../reporting/comparison.ts";
import { newRunId, runEnvironment } from "../reporting/provenance.ts";
import { mergeResults, resultPaths, writeResults } from "../reporting/results_file.ts";
import { flagHelp, type FlagSpec, intListFlag, listFlag, parseFlags, UsageError } from "./args.ts";

const _root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** Largest default of `--jobs` (each job holds its own SuperNet and wasm heap). */
export const MAX_DEFAULT_JOBS = 8;

/**
 * The number of SuperNets trained at the same time: `--jobs`, else one per CPU core (at most
 * {@link MAX_DEFAULT_JOBS}) on the CPU backends, 1 on the GPU backends (one device).
 */
export function resolveJobs(flag: string | undefined, backend: BackendName, cores: number): number {
  const gpu = backend === "webgpu" || backend === "tensorflow";
  if (flag === undefined) return gpu ? 1 : Math.max(1, Math.min(cores, MAX_DEFAULT_JOBS));
  const n = Number(flag);
  if (!Number.isInteger(n) || n < 1) {
    throw new UsageError(`--jobs must be a positive integer, got ${JSON.stringify(flag)}`);
  }
  if (n > 1 && gpu) {
    throw new UsageError(
      `--jobs ${n} needs a CPU backend (wasm or cpu); ${backend} trains one SuperNet at a time`,
    );
  }
  return n;
}

/** The flags of `bench`. */
export const BENCH_FLAGS: Readonly<Record<string, FlagSpec>> = {
  profile: {
    type: "string",
    choices: PROFILES,
    placeholder: "name",
    help: "profile (default smoke)",
  },
  backend: {
    type: "string",
    choices: BACKENDS,
    placeholder: "name",
    help: `tfjs backend (default ${DEFAULT_BACKEND})`,
  },
  dataset: {
    type: "string",
    multiple: true,
    choices: DATASETS,
    placeholder: "name",
    help: "dataset, repeatable or comma-separated (default: the profile's)",
  },
  seed: {
    type: "string",
    multiple: true,
    placeholder: "N",
    help: "seed, repeatable or comma-separated (default: the profile's)",
  },
  "data-dir": {
    type: "string",
    placeholder: "DIR",
    help: "data directory (default $RLNAS_DATA_DIR, ../shared/data, ~/.cache/rlnas-bench)",
  },
  out: { type: "string", placeholder: "DIR", help: "results directory (default results/)" },
  jobs: {
    type: "string",
    placeholder: "N",
    help: "SuperNets trained at the same time, one worker and core each (CPU backends; default: " +
      `the CPU cores, at most ${MAX_DEFAULT_JOBS}; GPU backends: 1)`,
  },
  merge: {
    type: "string",
    placeholder: "DIR",
    help: "run nothing: import the runs of <benchmark>/<profile> from the results directory DIR " +
      "(e.g. a GPU runner's) into --out, keeping their provenance, and rebuild the summary",
  },
  list: { type: "boolean", help: "list the benchmarks and their profiles" },
  help: { type: "boolean", short: "h", help: "show this help" },
};

/** `--help` text. */
export function usage(): string {
  return [
    "Usage: deno task bench <benchmark> [flags]",
    "       deno task bench --list",
    "",
    "Runs one benchmark of the RLNAS paper and writes CSV rows (with provenance) to",
    "<out>/<benchmark>/<profile>/, then prints our numbers next to the paper's.",
    "",
    "Flags:",
    flagHelp(BENCH_FLAGS),
    "",
    `Benchmarks: ${listBenchmarks().map((b) => b.name).join(", ")}`,
  ].join("\n");
}

/** The `--list` table. */
export function listing(): string {
  const rows = listBenchmarks().map((b) => [b.name, b.paperTable, b.description]);
  const w0 = Math.max(4, ...rows.map((r) => r[0].length));
  const w1 = Math.max(5, ...rows.map((r) => r[1].length));
  const out = [`${"name".padEnd(w0)}  ${"table".padEnd(w1)}  description`];
  for (const b of listBenchmarks()) {
    out.push(`${b.name.padEnd(w0)}  ${b.paperTable.padEnd(w1)}  ${b.description}`);
    for (const p of PROFILES) {
      const info = b.profiles[p];
      out.push(
        `${"".padEnd(w0)}  ${"".padEnd(w1)}    ${
          p.padEnd(6)
        } [${info.hardware}] ${info.description}`,
      );
    }
  }
  return out.join("\n");
}

function _one(v: string | boolean | string[] | undefined): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** Resolve the datasets of a run: flags, else the benchmark's defaults for the profile. */
function _datasets(b: Benchmark, profile: ProfileName, flag: string[]): DatasetName[] {
  const list = flag.length > 0 ? flag as DatasetName[] : [...b.defaultDatasets[profile]];
  for (const d of list) {
    if (!b.datasets.includes(d)) {
      throw new UsageError(
        `benchmark ${b.name} does not run on ${d} (valid: ${b.datasets.join(", ")})`,
      );
    }
  }
  return [...new Set(list)];
}

/** Run the CLI; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  try {
    const { values, positionals } = parseFlags(args, BENCH_FLAGS);
    if (values.help) {
      console.log(usage());
      return 0;
    }
    if (values.list) {
      console.log(listing());
      return 0;
    }
    if (positionals.length !== 1) {
      const names = listBenchmarks().map((b) => b.name).join(", ");
      throw new UsageError(
        positionals.length === 0
          ? `missing benchmark name (valid: ${names})`
          : `one benchmark at a time, got ${positionals.join(" ")} (valid: ${names})`,
      );
    }
    const bench = getBenchmark(positionals[0]);
    const profile = (_one(values.profile) ?? "smoke") as ProfileName;
    const datasets = _datasets(bench, profile, listFlag(values.dataset));
    const seedFlag = intListFlag("seed", values.seed);
    const seeds = seedFlag.length > 0 ? seedFlag : [...bench.defaultSeeds[profile]];
    const backendName = (_one(values.backend) ?? DEFAULT_BACKEND) as BackendName;
    const dataDir = resolveDataDir(_one(values["data-dir"]));
    const outDir = _one(values.out) ?? `${_root}/results`;
    const jobs = resolveJobs(_one(values.jobs), backendName, navigator.hardwareConcurrency ?? 1);

    const mergeFrom = _one(values.merge);
    if (mergeFrom !== undefined && bench.summarize === undefined) {
      throw new UsageError(`benchmark ${bench.name} has no runs to merge`);
    }

    const env = await runEnvironment();
    let device = env.cpu;
    let backend: BackendName | "none" = "none";
    if (bench.usesTensors && mergeFrom === undefined) {
      const info = await initBackend(backendName);
      backend = backendName;
      device = info.device;
    }
    const startedAt = new Date();
    const runId = newRunId(startedAt);
    const log = (line: string) => console.error(line);
    const config = {
      benchmark: bench.name,
      paper_table: bench.paperTable,
      profile,
      profile_description: bench.profiles[profile].description,
      backend,
      device,
      datasets,
      seeds,
      jobs,
      data_dir: dataDir,
      out_dir: outDir,
      started_at: startedAt.toISOString(),
      env,
      argv: args,
    };
    const ctx: BenchmarkContext = {
      profile,
      backend,
      device,
      datasets,
      seeds,
      dataDir,
      jobs,
      outDir,
      runId,
      startedAt,
      env,
      log,
      write(file, columns, rows: readonly BenchmarkRow[], opts = {}) {
        const rowStart = opts.startedAt ?? startedAt;
        const duration = opts.durationS ?? (Date.now() - rowStart.getTime()) / 1000;
        return writeResults({
          outDir,
          benchmark: bench.name,
          profile,
          name: file,
          columns,
          keyColumns: opts.keyColumns,
          runId,
          config,
          rows: rows.map((r) => ({
            benchmark: bench.name,
            paper_table: bench.paperTable,
            profile,
            backend,
            device,
            git_rev: env.git_rev,
            deno_version: env.deno_version,
            tfjs_version: env.tfjs_version,
            started_at: rowStart.toISOString(),
            duration_s: Number(duration.toFixed(3)),
            ...r,
          })),
        });
      },
    };
    log(
      mergeFrom !== undefined
        ? `${bench.name} (${bench.paperTable}) profile=${profile}: merging ${mergeFrom} into ${outDir}`
        : `${bench.name} (${bench.paperTable}) profile=${profile} backend=${backend} ` +
          `device=${device} datasets=${datasets.join(",")} seeds=${seeds.join(",")} ` +
          `jobs=${jobs} data=${dataDir.path}`,
    );
    let outcome: BenchmarkOutcome;
    if (mergeFrom !== undefined) {
      const where = (dir: string) => ({
        outDir: dir,
        benchmark: bench.name,
        profile,
        name: "runs",
      });
      const m = await mergeResults(where(mergeFrom), where(outDir), bench.runKeyColumns);
      log(`merged ${m.merged} rows from ${resultPaths(where(mergeFrom)).csv} into ${m.csv}`);
      outcome = await bench.summarize!(ctx);
      outcome = { ...outcome, files: [m.csv, ...outcome.files] };
    } else {
      outcome = await bench.run(ctx);
    }
    if (outcome.comparisons.length > 0) {
      console.log(
        formatComparisons(
          `${bench.name} (${bench.paperTable}), profile ${profile}`,
          outcome.comparisons,
          2,
          outcome.referenceName ?? "paper",
        ),
      );
    }
    for (const n of outcome.notes ?? []) console.log(`note: ${n}`);
    for (const f of outcome.files) console.log(`wrote ${f}`);
    console.log(`done in ${((Date.now() - startedAt.getTime()) / 1000).toFixed(1)} s`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`error: ${e.message}`);
      return 2;
    }
    const err = e as Error;
    console.error(`error: ${err.message}`);
    if (Deno.env.get("RLNAS_DEBUG")) console.error(err.stack);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
