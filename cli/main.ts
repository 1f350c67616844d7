/**
 * `deno task bench`: run a registered benchmark, write its results with provenance, and end with
 * a verdict.
 *
 * ```
 * deno task bench <name> [--profile smoke|quick|paper] [--backend wasm|cpu|webgpu|tensorflow]
 *                        [--dataset NAME ...] [--seed N ...] [--data-dir DIR] [--out DIR]
 *                        [--jobs N] [--keep-every K] [--summarize-all] [--quiet] [--dry-run]
 *                        [--shard i/n] [--history PATH]
 * deno task bench <name> --profile P --merge RESULTS_DIR [--merge RESULTS_DIR ...] [--out DIR]
 * deno task bench --list
 * ```
 *
 * Results go to `runs/` in the repository (git-ignored) unless `--out` says otherwise; refreshing
 * the committed baselines is an explicit `--out results`. Every run ends with a verdict block
 * (`reporting/verdict.ts`): each check PASS / FAIL / NOT CHECKED, then the overall verdict, which is
 * also stored in the summary file's sidecar.
 *
 * `--shard i/n` runs a deterministic 1/n of the benchmark's units (a dataset and a seed each: their
 * SuperNets and the searches on them; see `benchmarks/shard.ts`) into its own `--out`; its verdict
 * judges the shard's own rows only, as a run of those seeds would. `--merge` (repeatable) imports
 * the rows of other results folders (the shards', a GPU runner's) and summarises and judges every
 * row of `--out`: merging all shards of a run gives the verdict of the unsharded run. With
 * `--history`, a merge records every row of `--out` as one run (the merge's run id).
 *
 * Exit codes ({@link EXIT_CODES}): 0 PASS, 1 runtime error, 2 usage error, 3 FAIL, 4 NOT CHECKED
 * (no check had data).
 *
 * @module
 */
import { resolve } from "node:path";
import { type BackendName, BACKENDS, DEFAULT_BACKEND, initBackend } from "../backends/backend.ts";
import { getBenchmark, listBenchmarks } from "../benchmarks/registry.ts";
import {
  ANGLE_PRECISIONS,
  type AnglePrecision,
  type Benchmark,
  type BenchmarkContext,
  type BenchmarkOutcome,
  type DatasetName,
  DATASETS,
  type ProfileName,
  PROFILES,
  type RunPlan,
} from "../benchmarks/types.ts";
import { formatBytes } from "../benchmarks/_nb201/plan.ts";
import {
  formatShard,
  formatUnit,
  parseShard,
  planShard,
  shardConfig,
  shardCoverage,
  type ShardPlan,
} from "../benchmarks/shard.ts";
import { resolveDataDir } from "../datasets/data_dir.ts";
import { formatComparisons } from "../reporting/comparison.ts";
import { formatDuration } from "../reporting/progress.ts";
import { newRunId, runEnvironment } from "../reporting/provenance.ts";
import {
  annotateSidecar,
  mergeResults,
  readResults,
  type ResultLocation,
  resultPaths,
} from "../reporting/results_file.ts";
import {
  checkedAgainst,
  EXIT_CODES,
  exitCodeOf,
  formatVerdict,
  verdictOf,
} from "../reporting/verdict.ts";
import { DEFAULT_KEEP_EVERY } from "../training/checkpoint.ts";
import {
  flagHelp,
  type FlagSpec,
  type FlagValue,
  intFlag,
  intListFlag,
  listFlag,
  parseFlags,
  reportCliError,
  SEED_RANGE,
  stringFlag,
  UsageError,
} from "./args.ts";
import { createContext } from "./context.ts";
import { appendRun, historyPath } from "../reporting/history.ts";
import { checkOutputDir } from "./out_dir.ts";

const _root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** The default output folder: `runs/` in the repository (git-ignored). */
export const DEFAULT_OUT_DIR = `${_root}/runs`;

/** The committed baselines: `results/` in the repository. */
export const BASELINE_DIR = `${_root}/results`;

/** Largest default of `--jobs` (each job holds its own SuperNet and wasm heap). */
export const MAX_DEFAULT_JOBS = 8;

/**
 * The number of SuperNets trained at the same time: `--jobs`, else one per CPU core (at most
 * {@link MAX_DEFAULT_JOBS}) on the CPU backends, 1 on the GPU backends (one device).
 */
export function resolveJobs(flag: string | undefined, backend: BackendName, cores: number): number {
  const gpu = backend === "webgpu" || backend === "tensorflow";
  if (flag === undefined) return gpu ? 1 : Math.max(1, Math.min(cores, MAX_DEFAULT_JOBS));
  const n = intFlag("jobs", flag, { min: 1 })!;
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
    help: "seed in [0, 4294967295], repeatable or comma-separated (default: the profile's)",
  },
  "data-dir": {
    type: "string",
    placeholder: "DIR",
    help: "data directory (default $RLNAS_DATA_DIR, ../shared/data, ~/.cache/rlnas-bench)",
  },
  out: {
    type: "string",
    placeholder: "DIR",
    help: "output folder (default runs/, git-ignored; --out results refreshes the baselines)",
  },
  jobs: {
    type: "string",
    placeholder: "N",
    help: "SuperNets trained at the same time, one worker and core each (CPU backends; default: " +
      `the CPU cores, at most ${MAX_DEFAULT_JOBS}; GPU backends: 1)`,
  },
  "keep-every": {
    type: "string",
    placeholder: "K",
    help: `keep the checkpoint of every K-th epoch besides W0 and the latest (default ` +
      `${DEFAULT_KEEP_EVERY}; 1 keeps every epoch)`,
  },
  "angle-precision": {
    type: "string",
    choices: ANGLE_PRECISIONS,
    placeholder: "p",
    help: "cosine of the angle in float64 (default) or float32 as the official GPU code",
  },
  merge: {
    type: "string",
    multiple: true,
    placeholder: "DIR",
    help: "run nothing: import the runs of <benchmark>/<profile> from the results directory DIR " +
      "(repeatable: e.g. every shard's --out, a GPU runner's) into --out, keeping their " +
      "provenance, and summarise and judge all rows",
  },
  shard: {
    type: "string",
    placeholder: "i/n",
    help: "run shard i of n (1 <= i <= n): unit k of the (dataset, seed) units, in a stable " +
      "order, goes to shard (k mod n) + 1; the verdict judges this shard's rows only (merge the " +
      "shards' --out folders with --merge for the benchmark's)",
  },
  "summarize-all": {
    type: "boolean",
    help: "summarise every row of the output folder's runs file, not only this run's",
  },
  "allow-software-gpu": {
    type: "boolean",
    help: "let quick and paper runs use a software WebGPU adapter (llvmpipe, SwiftShader)",
  },
  "dry-run": {
    type: "boolean",
    help: "print the plan (SuperNets to train, steps, estimated time and disk) and exit",
  },
  history: {
    type: "string",
    placeholder: "PATH",
    help: "also append the run's rows and verdict to this history database (default: " +
      "$RLNAS_HISTORY when set, else not recorded; see deno task history / regress)",
  },
  quiet: { type: "boolean", help: "no progress lines (results, verdict and errors still print)" },
  list: { type: "boolean", help: "list the benchmarks and their profiles" },
  help: { type: "boolean", short: "h", help: "show this help" },
};

/**
 * The flags `bench` parses: {@link BENCH_FLAGS} and every registered benchmark's own flags
 * (`Benchmark.flags`); a benchmark flag may not reuse a common flag's name.
 */
export function allFlags(): Record<string, FlagSpec> {
  const out: Record<string, FlagSpec> = { ...BENCH_FLAGS };
  for (const b of listBenchmarks()) {
    for (const [name, spec] of Object.entries(b.flags ?? {})) {
      if (name in BENCH_FLAGS) throw new Error(`benchmark ${b.name} redeclares --${name}`);
      out[name] = spec;
    }
  }
  return out;
}

/** The values of `bench`'s own flags; another benchmark's flag is a usage error. */
function _benchmarkOptions(
  bench: Benchmark,
  values: Record<string, FlagValue>,
): Record<string, FlagValue> {
  const own = bench.flags ?? {};
  const options: Record<string, FlagValue> = {};
  for (const b of listBenchmarks()) {
    for (const name of Object.keys(b.flags ?? {})) {
      if (values[name] === undefined) continue;
      if (!(name in own)) {
        const owners = listBenchmarks().filter((x) => name in (x.flags ?? {})).map((x) => x.name);
        throw new UsageError(
          `--${name} is a flag of ${owners.join(", ")}, not of ${bench.name}`,
        );
      }
      options[name] = values[name];
    }
  }
  return options;
}

/** `--help` text. */
export function usage(): string {
  return [
    "Usage: deno task bench <benchmark> [flags]",
    "       deno task bench --list",
    "",
    "Runs one benchmark of the RLNAS paper, writes CSV rows (with provenance) to",
    "<out>/<benchmark>/<profile>/, prints our numbers next to the paper's and ends with a",
    "verdict: PASS, FAIL or NOT CHECKED for every check, then overall.",
    "",
    "Flags:",
    flagHelp(BENCH_FLAGS),
    "",
    ...listBenchmarks().filter((b) => b.flags !== undefined).flatMap((b) => [
      `Flags of ${b.name}:`,
      flagHelp(b.flags!),
      "",
    ]),
    "Exit codes: 0 PASS, 1 runtime error, 2 usage error, 3 FAIL, 4 NOT CHECKED (nothing to check).",
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

/** Seconds as h:mm:ss, or days when longer than two. */
export function humanDuration(s: number): string {
  if (Number.isFinite(s) && s > 2 * 86400) return `${(s / 86400).toFixed(1)} days`;
  return formatDuration(s);
}

/** The `--dry-run` text of a plan. */
export function formatPlan(plan: RunPlan, jobs: number, keepEvery: number): string {
  const train = plan.supernets.filter((s) => !s.cached);
  const lines = [
    `SuperNets: ${plan.supernets.length} (${train.length} to train, ` +
    `${plan.supernets.length - train.length} cached)`,
  ];
  for (const s of plan.supernets) {
    lines.push(
      `  ${s.key === "-" ? "(key needs the data)" : s.key}  ${s.description}: ` +
        (s.cached ? "cached" : `${s.steps} steps, ~${humanDuration(s.seconds)}`) +
        `, ${formatBytes(s.diskBytes)} of checkpoints`,
    );
  }
  if (plan.other.length > 0) {
    lines.push("other work:");
    for (const o of plan.other) {
      lines.push(`  ${o.description}${o.seconds > 0 ? `: ~${humanDuration(o.seconds)}` : ""}`);
    }
  }
  const steps = train.reduce((a, s) => a + s.steps, 0);
  const disk = plan.supernets.reduce((a, s) => a + s.diskBytes, 0);
  lines.push(
    `total: ${steps} training steps, estimated ${humanDuration(plan.seconds)} ` +
      `(${Math.min(jobs, Math.max(1, train.length))} at a time); disk ${formatBytes(disk)} ` +
      `of checkpoints (keep every ${keepEvery} epochs)`,
    `estimates from ${plan.estimateSource}`,
  );
  return lines.join("\n");
}

/**
 * The folders of `--merge` (repeatable), as given, duplicates dropped.
 *
 * @throws UsageError for an empty value or the output folder itself
 */
export function mergeDirs(flag: FlagValue, outDir: string): string[] {
  const given = flag === undefined || typeof flag === "boolean"
    ? []
    : Array.isArray(flag)
    ? flag
    : [flag];
  const out: string[] = [];
  const seen = new Set<string>();
  for (const dir of given) {
    if (dir === "") throw new UsageError("--merge must be a non-empty value, got ''");
    const abs = resolve(dir);
    if (abs === outDir) {
      throw new UsageError(
        `--merge '${dir}' is the output folder itself (valid: another results folder; --out ` +
          `names where the rows go)`,
      );
    }
    if (seen.has(abs)) continue;
    seen.add(abs);
    out.push(dir);
  }
  return out;
}

/** `shard 1/2: 1 of 2 units (cifar10 seed 0)`. */
export function describeShard(plan: ShardPlan): string {
  return `shard ${formatShard(plan.shard)}: ${plan.units.length} of ${plan.all.length} unit` +
    `${plan.all.length === 1 ? "" : "s"} (${plan.units.map(formatUnit).join(", ")})`;
}

/** The plans of a shard's blocks as one (SuperNets and other work listed, times added). */
export function combinePlans(plans: readonly RunPlan[]): RunPlan {
  if (plans.length === 1) return plans[0];
  return {
    supernets: plans.flatMap((p) => p.supernets),
    other: plans.flatMap((p) => p.other),
    seconds: plans.reduce((a, p) => a + p.seconds, 0),
    estimateSource: plans[0]?.estimateSource ?? "no plan",
  };
}

/** The sections a shard's blocks recorded, as one: objects merged, arrays joined, else the last. */
function _combineRecords(values: readonly unknown[]): unknown {
  if (values.every((v) => Array.isArray(v))) {
    return [...new Set((values as unknown[][]).flat().map((v) => JSON.stringify(v)))].map((v) =>
      JSON.parse(v)
    );
  }
  if (values.every((v) => v !== null && typeof v === "object" && !Array.isArray(v))) {
    return Object.assign({}, ...values);
  }
  return values[values.length - 1];
}

/**
 * Run shard `plan` of `bench` as one run: each block of its units (datasets x seeds) is one
 * `bench.run` with the context's run id, so every row carries it and the last block's summary
 * covers the shard's rows; the sections the blocks record are combined in the sidecar. Returns
 * the last block's outcome with every block's files and notes (an earlier block's `summary of`
 * note is dropped: the last summary replaced it), and a note that the verdict judges this
 * shard's rows only.
 */
export async function runShard(
  bench: Benchmark,
  ctx: BenchmarkContext,
  plan: ShardPlan,
): Promise<BenchmarkOutcome> {
  const sections = new Map<string, unknown[]>();
  const record = (section: string, value: unknown) => {
    const list = sections.get(section) ?? [];
    list.push(value);
    sections.set(section, list);
    ctx.record(section, list.length === 1 ? value : { toJSON: () => _combineRecords(list) });
  };
  const files: string[] = [];
  const notes: string[] = [];
  let last: BenchmarkOutcome | undefined;
  for (const [i, b] of plan.blocks.entries()) {
    const final = i === plan.blocks.length - 1;
    if (plan.blocks.length > 1) {
      ctx.log(
        `shard ${formatShard(plan.shard)}, block ${i + 1} of ${plan.blocks.length}: ` +
          `${b.datasets.join(",")} x seeds ${b.seeds.join(",")}`,
      );
    }
    last = await bench.run({
      ...ctx,
      datasets: b.datasets,
      seeds: b.seeds,
      shard: plan.shard,
      record,
    });
    for (const f of last.files) if (!files.includes(f)) files.push(f);
    for (const n of last.notes ?? []) {
      if (!notes.includes(n) && (final || !n.startsWith("summary of "))) notes.push(n);
    }
  }
  if (plan.shard.count > 1) {
    notes.push(
      `shard ${formatShard(plan.shard)}: this verdict judges this shard's rows only ` +
        `(${plan.units.map(formatUnit).join(", ")}); merge the ${plan.shard.count} shards' ` +
        `folders (bench ${bench.name} --merge DIR --merge DIR ...) for the benchmark's verdict`,
    );
  }
  return { ...last!, files, notes };
}

/** The run configs of a result sidecar, by run id (none when it is absent or unreadable). */
async function _sidecarRuns(path: string): Promise<Record<string, unknown>> {
  try {
    const parsed = JSON.parse(await Deno.readTextFile(path));
    return parsed !== null && typeof parsed === "object" && parsed.runs ? parsed.runs : {};
  } catch {
    return {};
  }
}

async function _baseline(bench: Benchmark, profile: ProfileName) {
  const { csv } = resultPaths({
    outDir: BASELINE_DIR,
    benchmark: bench.name,
    profile,
    name: bench.runsFile,
  });
  try {
    await Deno.stat(csv);
  } catch {
    return null;
  }
  return (await readResults(csv)).records;
}

/** Run the CLI; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  try {
    const { values, positionals } = parseFlags(args, allFlags());
    if (values.help) {
      console.log(usage());
      return EXIT_CODES.pass;
    }
    if (values.list) {
      console.log(listing());
      return EXIT_CODES.pass;
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
    const options = _benchmarkOptions(bench, values);
    const profile = stringFlag("profile", values.profile, { default: "smoke" }) as ProfileName;
    const datasets = _datasets(bench, profile, listFlag(values.dataset));
    const seedFlag = intListFlag("seed", values.seed, SEED_RANGE);
    const seeds = seedFlag.length > 0 ? [...new Set(seedFlag)] : [...bench.defaultSeeds[profile]];
    const backendName = stringFlag("backend", values.backend, {
      default: DEFAULT_BACKEND,
    }) as BackendName;
    const outDir = resolve(stringFlag("out", values.out, { default: DEFAULT_OUT_DIR }));
    checkOutputDir(outDir);
    const jobs = resolveJobs(
      stringFlag("jobs", values.jobs),
      backendName,
      navigator.hardwareConcurrency ?? 1,
    );
    const keepEvery = intFlag("keep-every", values["keep-every"], {
      min: 1,
      default: DEFAULT_KEEP_EVERY,
    });
    const anglePrecision = stringFlag("angle-precision", values["angle-precision"], {
      default: "float64",
    }) as AnglePrecision;
    const mergeFrom = mergeDirs(values.merge, outDir);
    const merging = mergeFrom.length > 0;
    if (merging && bench.summarize === undefined) {
      throw new UsageError(`benchmark ${bench.name} has no runs to merge (--merge)`);
    }
    const dryRun = values["dry-run"] === true;
    if (dryRun && merging) {
      throw new UsageError("--dry-run and --merge exclude each other (--merge trains nothing)");
    }
    const shardFlag = stringFlag("shard", values.shard);
    if (shardFlag !== undefined && merging) {
      throw new UsageError(
        "--shard and --merge exclude each other (merge every shard's folder in one run: " +
          "--merge DIR --merge DIR ...)",
      );
    }
    const shardPlan = shardFlag === undefined
      ? undefined
      : planShard(bench, datasets, seeds, parseShard(shardFlag));
    const quiet = values.quiet === true;
    const historyFlag = stringFlag("history", values.history);
    const historyFile = historyFlag !== undefined || Deno.env.get("RLNAS_HISTORY")
      ? historyPath(historyFlag)
      : undefined;
    const dataDir = resolveDataDir(stringFlag("data-dir", values["data-dir"]));

    // Everything that can fail on input is checked before any work: the output folder above, the
    // existing results file (parsed now, not after training) and the committed baseline.
    const where = (dir: string): ResultLocation => ({
      outDir: dir,
      benchmark: bench.name,
      profile,
      name: bench.runsFile,
    });
    await readResults(resultPaths(where(outDir)).csv);
    for (const dir of mergeFrom) await readResults(resultPaths(where(dir)).csv);
    const baseline = await _baseline(bench, profile);

    const env = await runEnvironment();
    const base = {
      bench,
      profile,
      datasets,
      seeds,
      dataDir,
      jobs,
      outDir,
      env,
      baseline,
      keepEvery,
      anglePrecision,
      options,
      quiet,
      summarizeAll: values["summarize-all"] === true || merging,
    };
    if (dryRun) {
      const ctx = createContext({
        ...base,
        backend: backendName,
        device: "(not started: --dry-run)",
        runId: "dry-run",
        startedAt: new Date(),
      });
      console.log(
        `${bench.name} (${bench.paperTable}) profile=${profile} backend=${backendName} ` +
          `datasets=${datasets.join(",")} seeds=${seeds.join(",")} jobs=${jobs}: plan (--dry-run)`,
      );
      if (shardPlan !== undefined) console.log(describeShard(shardPlan));
      const plans = bench.plan === undefined
        ? []
        : await Promise.all((shardPlan?.blocks ?? [{ datasets, seeds }]).map((b) =>
          bench.plan!({ ...ctx, datasets: b.datasets, seeds: b.seeds, shard: shardPlan?.shard })
        ));
      console.log(
        bench.plan === undefined
          ? "trains nothing: a table lookup, seconds at most"
          : formatPlan(combinePlans(plans), jobs, keepEvery),
      );
      return EXIT_CODES.pass;
    }

    let device = env.cpu;
    let backend: BackendName | "none" = "none";
    if (bench.usesTensors && !merging) {
      const info = await initBackend(backendName);
      backend = backendName;
      device = info.device;
      if (info.software) {
        if (profile !== "smoke" && values["allow-software-gpu"] !== true) {
          throw new UsageError(
            `--backend ${backendName} found only a software adapter (${info.device}): the ` +
              `${profile} profile would run on the CPU at a few images per second; use ` +
              `--backend wasm, a GPU driver, or --allow-software-gpu to run anyway`,
          );
        }
        if (!quiet) {
          console.error(
            `warning: ${backendName} runs on a software adapter (${info.device}), far slower ` +
              `than --backend wasm`,
          );
        }
      }
    }
    const startedAt = new Date();
    const ctx = createContext({
      ...base,
      backend,
      device,
      runId: newRunId(startedAt),
      startedAt,
      config: {
        argv: args,
        // one folder is recorded as a string, as before --merge repeated
        ...(!merging ? {} : { merged_from: mergeFrom.length === 1 ? mergeFrom[0] : mergeFrom }),
        ...(shardPlan === undefined ? {} : shardConfig(shardPlan)),
      },
    });
    ctx.log(
      merging
        ? `${bench.name} (${bench.paperTable}) profile=${profile}: merging ${
          mergeFrom.join(", ")
        } into ${outDir}`
        : `${bench.name} (${bench.paperTable}) profile=${profile} backend=${backend} ` +
          `device=${device} datasets=${datasets.join(",")} seeds=${seeds.join(",")} ` +
          `jobs=${jobs} data=${dataDir.path} out=${outDir}`,
    );
    if (shardPlan !== undefined) ctx.log(describeShard(shardPlan));
    let outcome: BenchmarkOutcome;
    if (merging) {
      let csv = "";
      for (const dir of mergeFrom) {
        const m = await mergeResults(where(dir), where(outDir), bench.runKeyColumns);
        csv = m.csv;
        ctx.log(`merged ${m.merged} rows from ${resultPaths(where(dir)).csv} into ${m.csv}`);
      }
      outcome = await bench.summarize!(ctx);
      const coverage = shardCoverage(await _sidecarRuns(resultPaths(where(outDir)).sidecar));
      for (const c of coverage.filter((c) => c.includes("missing"))) {
        console.error(`warning: ${c}`);
      }
      outcome = {
        ...outcome,
        files: [csv, ...outcome.files],
        notes: [...coverage, ...outcome.notes ?? []],
      };
    } else if (shardPlan !== undefined) {
      outcome = await runShard(bench, ctx, shardPlan);
    } else {
      outcome = await bench.run(ctx);
    }
    for (const t of outcome.tables ?? []) console.log(t);
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
    const verdict = verdictOf(outcome.checks, outcome.against ?? checkedAgainst(profile));
    const summaryFile = outcome.summaryFile ?? outcome.files.find((f) => f.endsWith(".csv"));
    if (summaryFile !== undefined) {
      const name = summaryFile.slice(summaryFile.lastIndexOf("/") + 1).replace(/\.csv$/, "");
      await annotateSidecar({ outDir, benchmark: bench.name, profile, name }, "verdict", {
        run_id: ctx.runId,
        ...verdict,
        notes: outcome.notes ?? [],
      });
    }
    if (historyFile !== undefined) {
      // a run records its own rows; a merge records every row it judged, as one run (its run id)
      const { records } = await readResults(resultPaths(where(outDir)).csv);
      try {
        const r = appendRun(historyFile, {
          runId: ctx.runId,
          benchmark: bench.name,
          profile,
          rows: merging ? records : records.filter((x) => x.run_id === ctx.runId),
          keyColumns: bench.runKeyColumns,
          verdict: verdict.overall,
          source: merging ? "bench --merge" : "bench",
        });
        ctx.log(`recorded ${r.added} rows in the history ${historyFile} as run ${ctx.runId}`);
      } catch (e) {
        console.error(`warning: run not recorded in the history: ${(e as Error).message}`);
      }
    }
    console.log(formatVerdict(verdict));
    console.log(`done in ${((Date.now() - startedAt.getTime()) / 1000).toFixed(1)} s`);
    return exitCodeOf(verdict);
  } catch (e) {
    return reportCliError(e);
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
