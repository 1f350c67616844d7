/**
 * `deno task perf`: training speed of the NB201 SuperNet and speed of the search-side metrics.
 *
 * ```
 * deno task perf [--backend wasm|cpu|webgpu|tensorflow ...] [--steps N] [--warmup N] [--batch N]
 *                [--seed N] [--reps N] [--out DIR] [--pytorch [--torch-threads N]
 *                [--torch-device auto|cpu|cuda] [--python PATH]] [--profile] [--no-write]
 *                [--proxies synflow,snip,nwot [--proxy-archs N] [--only proxies]]
 * ```
 *
 * On each requested backend it times, with `--warmup` untimed repetitions first and the median of
 * `--steps` timed ones:
 *
 * - `train_step`: the real SPOS training step of the full SuperNet (C = 16, N = 5, 10 classes) at
 *   batch `--batch` on CIFAR-10 shapes (synthetic N(0, 1) images, uniform labels): upload of the
 *   batch, train-mode forward with one random genotype per search cell, cross-entropy, gradients of
 *   the executed parameters, SGD (Nesterov, weight decay, PyTorch 1.x `zero_grad` semantics) via
 *   {@link SposStepper}, and one read-back of the loss (which also waits for the device). The
 *   paths come from `samplePaths(RandomState(seed))`: every run times the same sequence of paths.
 * - `forward`: a train-mode forward alone (BN batch statistics) and a read-back of the logits.
 *
 * Once per run (plain JavaScript, no tfjs backend): `angle_all` (the angle of all 15,625
 * architectures from two in-memory checkpoints, W0 and the weights after the timed steps:
 * `precomputeAngleStats` + `angleAll`), `angle_all_safetensors` (the same including reading both
 * checkpoints from safetensors files) and `kendall_tau_b` (15,625 pairs), each the median of
 * `--reps` repetitions.
 *
 * With `--pytorch`, `tools/pytorch_perf.py` times the same step in PyTorch in the same run (on the
 * CPU for CPU backends, on CUDA for `webgpu` unless `--torch-device` says otherwise), and the tfjs
 * rows get the PyTorch time and the ratio tfjs / PyTorch.
 *
 * With `--proxies`, the zero-cost proxies named are timed per architecture on each backend
 * (`proxy_<name>` rows, see `perf_proxies.ts`; `--only proxies` skips the SuperNet and metric rows),
 * and with `--pytorch` also by `tools/pytorch_zero_cost.py perf` (CPU only).
 *
 * Rows (with the provenance columns of `reporting/`) are upserted into
 * `<out>/<cpu|gpu>/perf.csv` (`gpu` for `webgpu` and CUDA rows; a row is keyed by method, seed,
 * backend, device, batch and threads), the per-step times into the JSON sidecar. Every timed row
 * also records the median process CPU time (user + system) and the load average, since wall
 * times on a shared machine are only comparable at a similar load. Exit codes: 0 success, 1
 * runtime error, 2 usage error.
 *
 * @module
 */
import { type BackendInfo, type BackendName, BACKENDS, initBackend } from "../backends/backend.ts";
import { cpuModel } from "../backends/cpu_model.ts";
import { tf } from "../backends/tf.ts";
import { RandomState } from "../labels/random_state.ts";
import { angleAll, precomputeAngleStats } from "../metrics/angle.ts";
import { newRunId, type RunEnvironment, runEnvironment } from "../reporting/provenance.ts";
import { writeResults } from "../reporting/results_file.ts";
import type { CsvRecord } from "../reporting/csv.ts";
import { samplePaths } from "../search_spaces/nb201/sampling.ts";
import { type CellPaths, SuperNet } from "../search_spaces/nb201/supernet.ts";
import { kendallTau } from "../stats/kendall.ts";
import { readSafetensors, writeSafetensors } from "../training/safetensors.ts";
import { Sgd } from "../training/sgd.ts";
import { SposStepper } from "../training/step.ts";
import process from "node:process";
import {
  flagHelp,
  type FlagSpec,
  intFlag,
  listFlag,
  parseFlags,
  SEED_RANGE,
  stringFlag,
  UsageError,
} from "./args.ts";
import {
  parseProxies,
  proxyGenotypes,
  proxyPerfBatch,
  runTorchProxies,
  timeProxies,
  torchProxyMeasurements,
} from "./perf_proxies.ts";
import {
  aggregateKernels,
  formatKernelTable,
  imagesPerSecond,
  type KernelRecord,
  median,
  ratio,
  summarize,
  type TimingSummary,
} from "./perf_stats.ts";

const _root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** Where PyTorch runs: `auto` = CUDA for `webgpu`, the CPU for the other backends. */
export type TorchDevice = "auto" | "cpu" | "cuda";

/** The valid {@link TorchDevice} values. */
export const TORCH_DEVICES: readonly TorchDevice[] = ["auto", "cpu", "cuda"];

/** The flags of `perf`. */
export const PERF_FLAGS: Readonly<Record<string, FlagSpec>> = {
  backend: {
    type: "string",
    multiple: true,
    choices: BACKENDS,
    placeholder: "name",
    help: "tfjs backend, repeatable or comma-separated (default wasm)",
  },
  steps: { type: "string", placeholder: "N", help: "timed steps, median reported (default 10)" },
  warmup: { type: "string", placeholder: "N", help: "untimed warm-up steps (default 2)" },
  batch: { type: "string", placeholder: "N", help: "batch size (default 64)" },
  seed: { type: "string", placeholder: "N", help: "seed of weights, inputs, paths (default 0)" },
  reps: {
    type: "string",
    placeholder: "N",
    help: "repetitions of the angle and tau timings (default 5)",
  },
  out: { type: "string", placeholder: "DIR", help: "results directory (default results/perf)" },
  pytorch: { type: "boolean", help: "also time the PyTorch reference (tools/pytorch_perf.py)" },
  "torch-threads": {
    type: "string",
    placeholder: "N",
    help: "torch.set_num_threads for the PyTorch reference (default: torch's)",
  },
  "torch-device": {
    type: "string",
    choices: TORCH_DEVICES,
    placeholder: "dev",
    help: "PyTorch device (default auto: cuda for webgpu, else cpu)",
  },
  python: {
    type: "string",
    placeholder: "PATH",
    help: "Python with torch for --pytorch (default /usr/bin/python3)",
  },
  profile: { type: "boolean", help: "print the time per kernel type of one training step" },
  "tf-flag": {
    type: "string",
    multiple: true,
    placeholder: "K=V",
    help: "set a tfjs environment flag after the backend starts (repeatable), e.g. " +
      "WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE=64; recorded in the notes",
  },
  proxies: {
    type: "string",
    multiple: true,
    placeholder: "names",
    help: "also time these zero-cost proxies per architecture (e.g. synflow,snip,nwot)",
  },
  "proxy-archs": {
    type: "string",
    placeholder: "N",
    help: "architectures timed per proxy (all-conv3x3 + N-1 from RandomState(seed); default 8)",
  },
  only: {
    type: "string",
    choices: ["proxies"],
    placeholder: "what",
    help: "time only the proxy rows (needs --proxies)",
  },
  "no-write": { type: "boolean", help: "print only, write no CSV" },
  help: { type: "boolean", short: "h", help: "show this help" },
};

/** Resolved options of a perf run. */
export interface PerfOptions {
  backends: BackendName[];
  steps: number;
  warmup: number;
  batch: number;
  seed: number;
  reps: number;
  outDir: string;
  pytorch: boolean;
  /** 0 = torch's default. */
  torchThreads: number;
  torchDevice: TorchDevice;
  python: string;
  profile: boolean;
  /** tfjs flags set after the backend starts (`--tf-flag`). */
  tfFlags: [string, number | boolean][];
  /** Zero-cost proxies to time (`--proxies`), empty for none. */
  proxies: string[];
  proxyArchs: number;
  /** Only the proxy rows (`--only proxies`). */
  onlyProxies: boolean;
  write: boolean;
  help: boolean;
}

/** `--help` text. */
export function usage(): string {
  return [
    "Usage: deno task perf [flags]",
    "",
    "Times the NB201 SuperNet SPOS training step (batch 64, CIFAR-10 shapes, fixed per-cell random",
    "paths, warm-up excluded, median), the train-mode forward, the angle of all 15,625",
    "architectures and Kendall tau-b over 15,625 pairs; optionally the PyTorch reference in the",
    "same run. Writes <out>/<cpu|gpu>/perf.csv with provenance. With --proxies, also the",
    "zero-cost proxies per architecture (fresh network + score, median; --only proxies: only",
    "those rows), with tools/pytorch_zero_cost.py perf as the PyTorch reference.",
    "",
    "Flags:",
    flagHelp(PERF_FLAGS),
  ].join("\n");
}

function _tfFlag(kv: string): [string, number | boolean] {
  const m = /^([A-Z0-9_]+)=(true|false|-?\d+(?:\.\d+)?)$/.exec(kv);
  if (m === null) {
    throw new UsageError(`--tf-flag takes NAME=true|false|number, got '${kv}'`);
  }
  const v = m[2] === "true" ? true : m[2] === "false" ? false : Number(m[2]);
  return [m[1], v];
}

/** Parse the command line of `perf`; throws {@link UsageError} for bad flags or values. */
export function parsePerfArgs(args: string[]): PerfOptions {
  const { values, positionals } = parseFlags(args, PERF_FLAGS);
  if (positionals.length > 0) {
    throw new UsageError(`perf takes no positional arguments, got '${positionals.join(" ")}'`);
  }
  const backends = [...new Set(listFlag(values.backend))] as BackendName[];
  const pytorch = values.pytorch === true;
  for (const f of ["torch-threads", "torch-device", "python"]) {
    if (values[f] !== undefined && !pytorch) throw new UsageError(`--${f} needs --pytorch`);
  }
  const proxies = parseProxies(listFlag(values.proxies));
  for (const f of ["proxy-archs", "only"]) {
    if (values[f] !== undefined && proxies.length === 0) {
      throw new UsageError(`--${f} needs --proxies`);
    }
  }
  return {
    backends: backends.length > 0 ? backends : ["wasm"],
    steps: intFlag("steps", values.steps, { min: 1, default: 10 }),
    warmup: intFlag("warmup", values.warmup, { min: 0, default: 2 }),
    batch: intFlag("batch", values.batch, { min: 2, default: 64 }),
    seed: intFlag("seed", values.seed, { ...SEED_RANGE, default: 0 }),
    reps: intFlag("reps", values.reps, { min: 1, default: 5 }),
    outDir: stringFlag("out", values.out, { default: `${_root}/results/perf` }),
    pytorch,
    torchThreads: intFlag("torch-threads", values["torch-threads"], { min: 1, default: 0 }),
    torchDevice: stringFlag("torch-device", values["torch-device"], {
      default: "auto",
    }) as TorchDevice,
    python: stringFlag("python", values.python, { default: "/usr/bin/python3" }),
    profile: values.profile === true,
    tfFlags: listFlag(values["tf-flag"]).map(_tfFlag),
    proxies,
    proxyArchs: intFlag("proxy-archs", values["proxy-archs"], { min: 1, default: 8 }),
    onlyProxies: values.only === "proxies",
    write: values["no-write"] !== true,
    help: values.help === true,
  };
}

/** The PyTorch device that pairs with a tfjs backend under `--torch-device`. */
export function torchDeviceFor(backend: BackendName, flag: TorchDevice): "cpu" | "cuda" {
  if (flag !== "auto") return flag;
  return backend === "webgpu" ? "cuda" : "cpu";
}

/** The results sub-folder (hardware class) of a row: `gpu` for webgpu and CUDA, else `cpu`. */
export function hardwareClass(backend: string): "cpu" | "gpu" {
  return backend === "webgpu" || backend === "pytorch-cuda" ? "gpu" : "cpu";
}

/** What `tools/pytorch_perf.py` prints (the fields used here). */
export interface TorchResult {
  torch_version: string;
  device: "cpu" | "cuda";
  device_name: string;
  threads: number;
  batch: number;
  warmup: number;
  steps: number;
  train_step_ms: number[];
  forward_ms: number[];
  /** Process CPU time per timed step (all threads), ms. */
  train_step_cpu_ms?: number[];
  losses: number[];
}

/**
 * Parse and check the JSON output of `tools/pytorch_perf.py` (the last non-empty stdout line).
 * Throws an `Error` naming the missing or malformed field.
 */
export function parseTorchResult(stdout: string): TorchResult {
  const line = stdout.trim().split("\n").pop() ?? "";
  let obj: Record<string, unknown>;
  try {
    obj = JSON.parse(line);
  } catch {
    throw new Error(`pytorch_perf.py printed no JSON result (last line: '${line.slice(0, 200)}')`);
  }
  for (const k of ["torch_version", "device", "device_name"]) {
    if (typeof obj[k] !== "string") throw new Error(`pytorch_perf.py result lacks string '${k}'`);
  }
  for (const k of ["threads", "batch", "warmup", "steps"]) {
    if (typeof obj[k] !== "number") throw new Error(`pytorch_perf.py result lacks number '${k}'`);
  }
  for (const k of ["train_step_ms", "forward_ms", "losses"]) {
    const v = obj[k];
    if (!Array.isArray(v) || v.some((x) => typeof x !== "number")) {
      throw new Error(`pytorch_perf.py result lacks number list '${k}'`);
    }
  }
  if ((obj.train_step_ms as number[]).length === 0) {
    throw new Error("pytorch_perf.py result has no timed training steps");
  }
  return obj as unknown as TorchResult;
}

/** One measurement of a run (becomes one CSV row). */
export interface Measurement {
  method: string;
  dataset: string;
  backend: string;
  device: string;
  /** Images per step (0 for the metric timings). */
  batch: number;
  warmup: number;
  timing: TimingSummary;
  /** Raw timed repetitions (ms), kept in the sidecar. */
  times: number[];
  /** Median process CPU time (user + system) per repetition, ms. */
  cpuMs?: number;
  threads?: number;
  /** PyTorch reference of this measurement, when measured. */
  torch?: { ms: number; device: string; version: string; threads: number };
  notes?: string;
}

/** CSV columns of `perf.csv` after the provenance columns. */
export const PERF_COLUMNS = [
  "batch",
  "steps",
  "warmup",
  "ms_median",
  "ms_mean",
  "ms_min",
  "ms_max",
  "cpu_ms_median",
  "images_per_s",
  "threads",
  "pytorch_ms",
  "ratio_vs_pytorch",
  "pytorch_device",
  "pytorch_version",
  "pytorch_threads",
  "load_avg",
  "notes",
] as const;

const _r3 = (x: number) => Number(x.toFixed(3));

/** The CSV columns of one measurement (without provenance). */
export function measurementRow(m: Measurement, loadAvg: string): CsvRecord {
  const t = m.timing;
  return {
    method: m.method,
    dataset: m.dataset,
    backend: m.backend,
    device: m.device,
    batch: m.batch,
    steps: t.n,
    warmup: m.warmup,
    ms_median: _r3(t.median),
    ms_mean: _r3(t.mean),
    ms_min: _r3(t.min),
    ms_max: _r3(t.max),
    cpu_ms_median: m.cpuMs === undefined ? "" : _r3(m.cpuMs),
    images_per_s: m.batch > 0 ? Number(imagesPerSecond(m.batch, t.median).toFixed(1)) : "",
    threads: m.threads ?? "",
    pytorch_ms: m.torch ? _r3(m.torch.ms) : "",
    ratio_vs_pytorch: m.torch ? Number(ratio(t.median, m.torch.ms).toFixed(3)) : "",
    pytorch_device: m.torch?.device ?? "",
    pytorch_version: m.torch?.version ?? "",
    pytorch_threads: m.torch?.threads ?? "",
    load_avg: loadAvg,
    notes: m.notes ?? "",
  };
}

/** The 1-, 5- and 15-minute load averages (`Deno.loadavg`, needs `--allow-sys`), or `""`. */
export function loadAverage(): string {
  try {
    return Deno.loadavg().map((x) => x.toFixed(2)).join(" ");
  } catch {
    return "";
  }
}

/** Deterministic inputs of the timed steps: images, labels and the sequence of paths. */
export interface StepInputs {
  x: Float32Array;
  y: Int32Array;
  paths: CellPaths[];
}

/** Images N(0, 1) and labels U{0..9} from `RandomState(seed + 1)`, paths from `RandomState(seed)`. */
export function stepInputs(seed: number, batch: number, count: number, cells = 15): StepInputs {
  const rs = new RandomState(seed + 1);
  const x = Float32Array.from(rs.standardNormal(batch * 32 * 32 * 3));
  const y = Int32Array.from({ length: batch }, () => Math.floor(10 * rs.random()));
  const prs = new RandomState(seed);
  const paths = Array.from({ length: count }, () => samplePaths(prs, cells));
  return { x, y, paths };
}

function _cpuMs(start: { user: number; system: number }): number {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1000;
}

interface _BackendRun {
  step: Measurement;
  forward: Measurement;
  w0: Map<string, { shape: number[]; data: Float32Array }>;
  wt: Map<string, { shape: number[]; data: Float32Array }>;
  losses: number[];
  tensorsGrew: number;
}

async function _timeBackend(
  info: BackendInfo,
  o: PerfOptions,
  log: (s: string) => void,
): Promise<_BackendRun> {
  const n = o.warmup + o.steps;
  const inp = stepInputs(o.seed, o.batch, n);
  const net = new SuperNet({ numClasses: 10, inputSize: 32, seed: o.seed });
  const sgd = new Sgd(net.params);
  try {
    const stepper = new SposStepper(net, sgd);
    const w0 = await net.exportWeights();
    const shape: [number, number, number, number] = [o.batch, 32, 32, 3];
    const stepMs: number[] = [];
    const stepCpu: number[] = [];
    const losses: number[] = [];
    let before = 0;
    for (let i = 0; i < n; i++) {
      if (i === o.warmup) before = tf.memory().numTensors;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const x = tf.tensor4d(inp.x, shape);
      const y = tf.tensor1d(inp.y, "int32");
      const r = stepper.step(x, y, inp.paths[i], 0.025);
      const loss = (await r.loss.data())[0];
      const dt = performance.now() - t0;
      const cpu = _cpuMs(c0);
      tf.dispose([x, y, r.loss, r.correct]);
      if (!Number.isFinite(loss)) throw new Error(`non-finite loss ${loss} at step ${i + 1}`);
      if (i >= o.warmup) {
        stepMs.push(dt);
        stepCpu.push(cpu);
        losses.push(loss);
      }
      log(
        `  ${info.name} step ${i + 1}/${n}${i < o.warmup ? " (warm-up)" : ""}: ` +
          `${dt.toFixed(1)} ms (cpu ${cpu.toFixed(1)} ms), loss ${loss.toFixed(4)}`,
      );
    }
    const tensorsGrew = tf.memory().numTensors - before;
    const fwdMs: number[] = [];
    const fwdCpu: number[] = [];
    for (let i = 0; i < n; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const x = tf.tensor4d(inp.x, shape);
      const logits = tf.tidy(() => net.forward(x, inp.paths[i], true));
      await logits.data();
      const dt = performance.now() - t0;
      const cpu = _cpuMs(c0);
      tf.dispose([x, logits]);
      if (i >= o.warmup) {
        fwdMs.push(dt);
        fwdCpu.push(cpu);
      }
    }
    if (o.profile) {
      const x = tf.tensor4d(inp.x, shape);
      const y = tf.tensor1d(inp.y, "int32");
      const prof = await tf.profile(() => {
        const r = stepper.step(x, y, inp.paths[0], 0.025);
        tf.dispose([r.loss, r.correct]);
      });
      tf.dispose([x, y]);
      console.log(
        `\nkernels of one ${info.name} training step (tf.profile, nested kernels twice):`,
      );
      console.log(formatKernelTable(aggregateKernels(prof.kernels as unknown as KernelRecord[])));
    }
    const wt = await net.exportWeights();
    const common = { dataset: "cifar10", backend: info.name, device: info.device };
    const notes =
      `C=16 N=5 10 classes; synthetic CIFAR-10-shaped batch; paths RandomState(${o.seed})` +
      (info.customKernels.length > 0 ? `; kernels ${info.customKernels.join(" ")}` : "") +
      (o.tfFlags.length > 0
        ? `; tf flags ${o.tfFlags.map(([k, v]) => `${k}=${v}`).join(" ")}`
        : "") +
      (tensorsGrew !== 0 ? `; WARNING tensor count grew by ${tensorsGrew}` : "");
    return {
      step: {
        ...common,
        method: "train_step",
        batch: o.batch,
        warmup: o.warmup,
        timing: summarize(stepMs),
        times: stepMs,
        cpuMs: median(stepCpu),
        threads: info.threads,
        notes,
      },
      forward: {
        ...common,
        method: "forward",
        batch: o.batch,
        warmup: o.warmup,
        timing: summarize(fwdMs),
        times: fwdMs,
        cpuMs: median(fwdCpu),
        threads: info.threads,
        notes: "train-mode forward + logits read-back",
      },
      w0,
      wt,
      losses,
      tensorsGrew,
    };
  } finally {
    sgd.dispose();
    net.dispose();
  }
}

async function _timeMetrics(
  w0: _BackendRun["w0"],
  wt: _BackendRun["wt"],
  reps: number,
  device: string,
): Promise<Measurement[]> {
  const time = async (f: () => unknown | Promise<unknown>): Promise<number[]> => {
    await f(); // warm-up (JIT)
    const out: number[] = [];
    for (let i = 0; i < reps; i++) {
      const t0 = performance.now();
      await f();
      out.push(performance.now() - t0);
    }
    return out;
  };
  let angles: ArrayLike<number> = new Float64Array(0);
  const mem = await time(() => {
    angles = angleAll(precomputeAngleStats(w0, wt));
  });
  const dir = await Deno.makeTempDir({ prefix: "rlnas-perf-" });
  let disk: number[];
  try {
    await writeSafetensors(`${dir}/w0.safetensors`, w0);
    await writeSafetensors(`${dir}/wt.safetensors`, wt);
    disk = await time(async () => {
      const [a, b] = await Promise.all([
        readSafetensors(`${dir}/w0.safetensors`),
        readSafetensors(`${dir}/wt.safetensors`),
      ]);
      angleAll(precomputeAngleStats(a.tensors, b.tensors));
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  // Accuracy-like ground truth correlated with the angles, with ties (two decimals).
  const rs = new RandomState(12345);
  const noise = rs.rand(angles.length);
  const gt = Float64Array.from(angles, (a, i) => Math.round((a + 0.5 * noise[i]) * 100) / 100);
  const tau = await time(() => kendallTau(angles, gt));
  const base = { dataset: "nb201-15625", backend: "none", device, batch: 0, warmup: 1 };
  return [
    {
      ...base,
      method: "angle_all",
      timing: summarize(mem),
      times: mem,
      notes: "precomputeAngleStats + angleAll from in-memory weights (W0, W after the steps)",
    },
    {
      ...base,
      method: "angle_all_safetensors",
      timing: summarize(disk),
      times: disk,
      notes: "read 2 safetensors checkpoints + precomputeAngleStats + angleAll",
    },
    {
      ...base,
      method: "kendall_tau_b",
      timing: summarize(tau),
      times: tau,
      notes: "kendallTau over 15,625 pairs with ties",
    },
  ];
}

/** Run `tools/pytorch_perf.py` and parse its result; throws with its stderr on failure. */
export async function runTorch(
  o: PerfOptions,
  device: "cpu" | "cuda",
): Promise<TorchResult> {
  const args = [
    `${_root}/tools/pytorch_perf.py`,
    "--device",
    device,
    "--steps",
    String(o.steps),
    "--warmup",
    String(o.warmup),
    "--batch",
    String(o.batch),
    "--seed",
    String(o.seed),
  ];
  if (o.torchThreads > 0) args.push("--threads", String(o.torchThreads));
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(o.python, { args, stdout: "piped", stderr: "piped" }).output();
  } catch (e) {
    throw new Error(`cannot run ${o.python} (--python): ${(e as Error).message}`);
  }
  const dec = new TextDecoder();
  if (!out.success) {
    const err = dec.decode(out.stderr).trim().split("\n").slice(-5).join("\n");
    throw new Error(`${o.python} tools/pytorch_perf.py failed (exit ${out.code}):\n${err}`);
  }
  return parseTorchResult(dec.decode(out.stdout));
}

function _torchMeasurements(t: TorchResult, o: PerfOptions): Measurement[] {
  const common = {
    dataset: "cifar10",
    backend: `pytorch-${t.device}`,
    device: t.device_name,
    batch: t.batch,
    warmup: t.warmup,
    threads: t.threads,
  };
  const out: Measurement[] = [{
    ...common,
    method: "train_step",
    timing: summarize(t.train_step_ms),
    times: t.train_step_ms,
    cpuMs: t.train_step_cpu_ms?.length ? median(t.train_step_cpu_ms) : undefined,
    notes: `torch ${t.torch_version}; tools/pytorch_perf.py; paths random.Random(${o.seed})`,
  }];
  if (t.forward_ms.length > 0) {
    out.push({
      ...common,
      method: "forward",
      timing: summarize(t.forward_ms),
      times: t.forward_ms,
      notes: `torch ${t.torch_version}; train-mode forward under no_grad`,
    });
  }
  return out;
}

function _fmt(m: Measurement): string {
  const t = m.timing;
  const ips = m.batch > 0
    ? `${imagesPerSecond(m.batch, t.median).toFixed(1).padStart(8)} img/s`
    : "";
  const vs = m.torch ? `  ${ratio(t.median, m.torch.ms).toFixed(2)}x PyTorch` : "";
  const cpu = m.cpuMs === undefined ? "" : `, cpu ${m.cpuMs.toFixed(1)}`;
  return `${m.method.padEnd(22)} ${m.backend.padEnd(13)} ${t.median.toFixed(2).padStart(10)} ms ` +
    `(min ${t.min.toFixed(2)}${cpu}, n ${t.n}) ${ips}${vs}`;
}

/** Run the CLI; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  let o: PerfOptions;
  try {
    o = parsePerfArgs(args);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`error: ${e.message}`);
      return 2;
    }
    throw e;
  }
  if (o.help) {
    console.log(usage());
    return 0;
  }
  let failed = false;
  try {
    const env: RunEnvironment = await runEnvironment();
    const startedAt = new Date();
    const runId = newRunId(startedAt);
    const loadBefore = loadAverage();
    const log = (s: string) => console.error(s);
    log(
      `perf: backends ${o.backends.join(", ")}, batch ${o.batch}, ${o.warmup} warm-up + ` +
        `${o.steps} timed steps, load average ${loadBefore}`,
    );
    const measurements: Measurement[] = [];
    const genotypes = proxyGenotypes(o.seed, o.proxyArchs);
    const proxyOpts = {
      names: o.proxies,
      genotypes,
      batch: proxyPerfBatch(o.seed, o.batch),
      seed: o.seed,
    };
    const proxyScores: Record<string, Record<string, number[]>> = {};
    const infos: BackendInfo[] = [];
    let weights: Pick<_BackendRun, "w0" | "wt"> | undefined;
    for (const b of o.backends) {
      const info = await initBackend(b);
      for (const [k, v] of o.tfFlags) tf.env().set(k, v);
      infos.push(info);
      log(
        `${b}: ${info.device}${info.threads ? `, ${info.threads} thread(s)` : ""}` +
          (info.customKernels.length ? `, custom kernels ${info.customKernels.join(", ")}` : ""),
      );
      if (!o.onlyProxies) {
        const run = await _timeBackend(info, o, log);
        measurements.push(run.step, run.forward);
        weights ??= run;
      }
      if (o.proxies.length > 0) {
        log(`${b}: proxies ${o.proxies.join(", ")} on ${genotypes.length} architectures...`);
        const r = await timeProxies(
          { ...proxyOpts, backend: b, device: info.device, threads: info.threads },
          log,
        );
        measurements.push(...r.measurements);
        proxyScores[b] = r.scores;
      }
    }
    const torchRuns = new Map<string, TorchResult>();
    let torchProxies: Awaited<ReturnType<typeof runTorchProxies>> | undefined;
    if (o.pytorch && o.proxies.length > 0) {
      log(
        `pytorch proxies (${o.python}, cpu${
          o.torchThreads ? `, ${o.torchThreads} threads` : ""
        })...`,
      );
      try {
        torchProxies = await runTorchProxies(o.python, _root, {
          ...proxyOpts,
          names: o.proxies,
          threads: o.torchThreads,
        });
        measurements.push(...torchProxyMeasurements(torchProxies, genotypes));
        for (const m of measurements) {
          if (!m.method.startsWith("proxy_") || m.backend.startsWith("pytorch-")) continue;
          if (torchDeviceFor(m.backend as BackendName, o.torchDevice) !== "cpu") continue;
          const ms = summarize(torchProxies.times_ms[m.method.slice("proxy_".length)]).median;
          m.torch = {
            ms,
            device: torchProxies.device_name,
            version: torchProxies.torch_version,
            threads: torchProxies.threads,
          };
        }
      } catch (e) {
        console.error(`error: ${(e as Error).message}`);
        failed = true;
      }
    }
    if (o.pytorch && !o.onlyProxies) {
      const devices = [...new Set(o.backends.map((b) => torchDeviceFor(b, o.torchDevice)))];
      for (const d of devices) {
        log(`pytorch (${o.python}, ${d}${o.torchThreads ? `, ${o.torchThreads} threads` : ""})...`);
        try {
          const t = await runTorch(o, d);
          torchRuns.set(d, t);
          measurements.push(..._torchMeasurements(t, o));
        } catch (e) {
          console.error(`error: ${(e as Error).message}`);
          failed = true;
        }
      }
      for (const m of measurements) {
        if (m.backend.startsWith("pytorch-") || m.method.startsWith("proxy_")) continue;
        const t = torchRuns.get(torchDeviceFor(m.backend as BackendName, o.torchDevice));
        if (t === undefined) continue;
        const ms = summarize(m.method === "train_step" ? t.train_step_ms : t.forward_ms).median;
        m.torch = { ms, device: t.device_name, version: t.torch_version, threads: t.threads };
      }
    }
    if (weights !== undefined) {
      log("angle of all 15,625 architectures and Kendall tau-b...");
      measurements.push(...await _timeMetrics(weights.w0, weights.wt, o.reps, await cpuModel()));
    }
    const loadAfter = loadAverage();
    const loadAvg = `${loadBefore} / ${loadAfter}`;

    console.log(`\nperf (load average before / after: ${loadAvg})`);
    for (const m of measurements) console.log(_fmt(m));

    if (o.write) {
      const config = {
        argv: args,
        options: o,
        started_at: startedAt.toISOString(),
        env,
        backends: infos,
        pytorch: Object.fromEntries(torchRuns),
        ...(o.proxies.length > 0
          ? {
            proxies: {
              genotypes,
              batch: proxyOpts.batch.description,
              scores: proxyScores,
              pytorch_scores: torchProxies?.scores,
            },
          }
          : {}),
        times_ms: Object.fromEntries(
          measurements.map((m) => [`${m.method}/${m.backend}`, m.times.map(_r3)]),
        ),
      };
      const duration = Number(((Date.now() - startedAt.getTime()) / 1000).toFixed(3));
      const outParts = o.outDir.replace(/\/+$/, "").split("/");
      const benchDir = outParts.pop()!;
      const parent = outParts.join("/") || ".";
      for (const hw of ["cpu", "gpu"] as const) {
        const rows = measurements.filter((m) => hardwareClass(m.backend) === hw).map((m) => ({
          benchmark: "perf",
          paper_table: "-",
          profile: hw,
          seed: o.seed,
          git_rev: env.git_rev,
          deno_version: env.deno_version,
          tfjs_version: env.tfjs_version,
          started_at: startedAt.toISOString(),
          duration_s: duration,
          ...measurementRow(m, loadAvg),
        }));
        if (rows.length === 0) continue;
        const file = await writeResults({
          outDir: parent,
          benchmark: benchDir,
          profile: hw,
          name: "perf",
          columns: PERF_COLUMNS,
          keyColumns: ["backend", "device", "batch", "threads"],
          runId,
          config,
          rows,
        });
        console.log(`wrote ${file}`);
      }
    }
    return failed ? 1 : 0;
  } catch (e) {
    const err = e as Error;
    console.error(`error: ${err.message}`);
    if (Deno.env.get("RLNAS_DEBUG")) console.error(err.stack);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
