/**
 * The zero-cost proxy rows of `deno task perf` (`--proxies synflow,snip,nwot`).
 *
 * Per proxy, the time per architecture of what a benchmark does for each architecture: build the
 * fresh standalone NB201 network (C = 16, N = 5, 10 classes, 32x32x3 input, weights from
 * `RandomState(seed)`) and compute its score on the proxy batch (`getMetric(name).create(...)`,
 * one genotype per call). The architectures are fixed: the all-`nor_conv_3x3` cell first, then
 * `--proxy-archs - 1` indices from `RandomState(seed).randint(0, 15625)`. One untimed warm-up
 * architecture (the first) comes first; the row holds the median over the architectures. The
 * batch is `--batch` synthetic N(0, 1) images from `RandomState(seed + 1)` (as the `train_step`
 * row) and labels `floor(10 * random())` from the same stream.
 *
 * With `--pytorch`, `tools/pytorch_zero_cost.py perf` times the same proxies (its `p_*`
 * definitions, `TinyNetwork` + `init_like_tfjs`) on the same genotypes and the same batch, which it
 * draws from numpy's `RandomState(seed + 1)`; the labels it prints are checked against ours.
 *
 * @module
 */
import { RandomState } from "../labels/random_state.ts";
import type { ProxyBatch } from "../metrics/metric.ts";
import { getMetric, metricNames } from "../metrics/registry.ts";
import {
  type Genotype,
  genotypeFromIndex,
  genotypeToString,
  NB201_SIZE,
} from "../search_spaces/nb201/encoding.ts";
import { createNb201Network } from "../search_spaces/nb201/network.ts";
import process from "node:process";
import { UsageError } from "./args.ts";
import { median, summarize } from "./perf_stats.ts";
import type { Measurement } from "./perf.ts";

/** The metrics `--proxies` accepts: those that need only a network, a batch and a seed. */
export function proxyNames(): string[] {
  const ok = new Set(["network", "batch", "seed"]);
  return metricNames().filter((n) => getMetric(n).requires.every((r) => ok.has(r)));
}

/** Parse the `--proxies` list (already split); throws {@link UsageError} naming the valid ones. */
export function parseProxies(names: string[]): string[] {
  const valid = proxyNames();
  const out = [...new Set(names)];
  for (const n of out) {
    if (!valid.includes(n)) {
      throw new UsageError(`--proxies: unknown proxy '${n}', valid: ${valid.join(", ")}`);
    }
  }
  return out;
}

/** The all-`nor_conv_3x3` cell (the heaviest of NB201), always the first timed architecture. */
export const CONV3_GENOTYPE: Genotype = [3, 3, 3, 3, 3, 3];

/** `count` fixed genotypes: {@link CONV3_GENOTYPE}, then `RandomState(seed).randint(0, 15625)`. */
export function proxyGenotypes(seed: number, count: number): Genotype[] {
  const idx = count > 1 ? new RandomState(seed).randint(0, NB201_SIZE, count - 1) : [];
  return [CONV3_GENOTYPE, ...Array.from(idx, (i) => genotypeFromIndex(i))];
}

/** The proxy batch: N(0, 1) NHWC images, then labels `floor(10 * random())`, `RandomState(seed + 1)`. */
export function proxyPerfBatch(seed: number, batch: number, classes = 10): ProxyBatch {
  const rs = new RandomState(seed + 1);
  const x = Float32Array.from(rs.standardNormal(batch * 32 * 32 * 3));
  const labels = Int32Array.from({ length: batch }, () => Math.floor(classes * rs.random()));
  return {
    x,
    labels,
    count: batch,
    side: 32,
    description: `${batch} RandomState(${seed + 1}) standard-normal 32x32x3 images (perf)`,
  };
}

/** Settings of {@link timeProxies}. */
export interface ProxyTimingOptions {
  names: string[];
  genotypes: Genotype[];
  batch: ProxyBatch;
  seed: number;
  /** The tfjs backend of the rows. */
  backend: string;
  device: string;
  threads?: number;
}

/** One row per proxy: time per architecture (fresh network + score), warm-up = one architecture. */
export async function timeProxies(
  o: ProxyTimingOptions,
  log: (s: string) => void = () => {},
): Promise<{ measurements: Measurement[]; scores: Record<string, number[]> }> {
  const measurements: Measurement[] = [];
  const scores: Record<string, number[]> = {};
  for (const name of o.names) {
    const scorer = await getMetric(name).create({
      network: (g) => createNb201Network(g, { numClasses: 10, inputSize: 32, seed: o.seed }),
      batch: o.batch,
      seed: o.seed,
    });
    try {
      await scorer([o.genotypes[0]]); // warm-up (kernels, JIT), untimed
      const times: number[] = [];
      const cpu: number[] = [];
      const vals: number[] = [];
      for (const g of o.genotypes) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const [v] = await scorer([g]);
        times.push(performance.now() - t0);
        const u = process.cpuUsage(c0);
        cpu.push((u.user + u.system) / 1000);
        vals.push(v);
      }
      scores[name] = vals;
      const m = proxyMeasurement(name, times, cpu, o);
      log(`  proxy_${name}: ${m.timing.median.toFixed(1)} ms per architecture (median)`);
      measurements.push(m);
    } finally {
      scorer.dispose();
    }
  }
  return { measurements, scores };
}

/** The {@link Measurement} of one proxy's per-architecture times. */
export function proxyMeasurement(
  name: string,
  times: number[],
  cpuMs: number[],
  o: Pick<ProxyTimingOptions, "genotypes" | "batch" | "seed" | "backend" | "device" | "threads">,
): Measurement {
  return {
    method: `proxy_${name}`,
    dataset: "cifar10",
    backend: o.backend,
    device: o.device,
    batch: o.batch.count,
    warmup: 1,
    timing: summarize(times),
    times,
    cpuMs: cpuMs.length ? median(cpuMs) : undefined,
    threads: o.threads,
    notes: `per architecture: fresh NB201 net (C16 N5, seed ${o.seed}) + score; ` +
      `${o.genotypes.length} archs (${genotypeToString(o.genotypes[0])} + RandomState(${o.seed}))`,
  };
}

/** What `tools/pytorch_zero_cost.py perf` prints. */
export interface TorchProxyResult {
  torch_version: string;
  device: "cpu";
  device_name: string;
  threads: number;
  batch: number;
  seed: number;
  labels: number[];
  genotypes: number[][];
  /** ms per architecture, per proxy (warm-up excluded). */
  times_ms: Record<string, number[]>;
  cpu_ms: Record<string, number[]>;
  scores: Record<string, number[]>;
}

/** Parse and check the last stdout line of `pytorch_zero_cost.py perf` against what was asked. */
export function parseTorchProxyResult(
  stdout: string,
  expect: { names: string[]; genotypes: Genotype[]; labels: ArrayLike<number> },
): TorchProxyResult {
  const line = stdout.trim().split("\n").pop() ?? "";
  let r: TorchProxyResult;
  try {
    r = JSON.parse(line);
  } catch {
    throw new Error(
      `pytorch_zero_cost.py perf printed no JSON (last line: '${line.slice(0, 200)}')`,
    );
  }
  if (typeof r.torch_version !== "string" || typeof r.threads !== "number") {
    throw new Error("pytorch_zero_cost.py perf result lacks torch_version / threads");
  }
  if (JSON.stringify(r.labels) !== JSON.stringify(Array.from(expect.labels))) {
    throw new Error("pytorch_zero_cost.py perf drew other labels: the batches differ");
  }
  if (JSON.stringify(r.genotypes) !== JSON.stringify(expect.genotypes)) {
    throw new Error("pytorch_zero_cost.py perf timed other genotypes");
  }
  for (const n of expect.names) {
    const t = r.times_ms?.[n];
    if (!Array.isArray(t) || t.length !== expect.genotypes.length) {
      throw new Error(
        `pytorch_zero_cost.py perf result lacks ${expect.genotypes.length} times of '${n}'`,
      );
    }
  }
  return r;
}

/** The arguments of `tools/pytorch_zero_cost.py perf`. */
export function torchProxyArgs(
  root: string,
  o: { names: string[]; genotypes: Genotype[]; batch: number; seed: number; threads: number },
): string[] {
  const args = [
    `${root}/tools/pytorch_zero_cost.py`,
    "perf",
    "--proxies",
    o.names.join(","),
    "--genotypes",
    o.genotypes.map((g) => g.join("")).join(","),
    "--batch",
    String(o.batch),
    "--seed",
    String(o.seed),
  ];
  if (o.threads > 0) args.push("--threads", String(o.threads));
  return args;
}

/** Run the PyTorch proxy timing; throws with its stderr on failure. */
export async function runTorchProxies(
  python: string,
  root: string,
  o: { names: string[]; genotypes: Genotype[]; batch: ProxyBatch; seed: number; threads: number },
): Promise<TorchProxyResult> {
  const args = torchProxyArgs(root, { ...o, batch: o.batch.count });
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(python, { args, stdout: "piped", stderr: "piped" }).output();
  } catch (e) {
    throw new Error(`cannot run ${python} (--python): ${(e as Error).message}`);
  }
  const dec = new TextDecoder();
  if (!out.success) {
    const err = dec.decode(out.stderr).trim().split("\n").slice(-5).join("\n");
    throw new Error(`${python} tools/pytorch_zero_cost.py perf failed (exit ${out.code}):\n${err}`);
  }
  return parseTorchProxyResult(dec.decode(out.stdout), {
    names: o.names,
    genotypes: o.genotypes,
    labels: o.batch.labels,
  });
}

/** The `pytorch-cpu` rows of a {@link TorchProxyResult}. */
export function torchProxyMeasurements(r: TorchProxyResult, genotypes: Genotype[]): Measurement[] {
  return Object.keys(r.times_ms).map((name) => ({
    method: `proxy_${name}`,
    dataset: "cifar10",
    backend: `pytorch-${r.device}`,
    device: r.device_name,
    batch: r.batch,
    warmup: 1,
    timing: summarize(r.times_ms[name]),
    times: r.times_ms[name],
    cpuMs: r.cpu_ms?.[name]?.length ? median(r.cpu_ms[name]) : undefined,
    threads: r.threads,
    notes: `torch ${r.torch_version}; tools/pytorch_zero_cost.py perf (p_${name}); ` +
      `TinyNetwork C16 N5 + init_like_tfjs(${r.seed}); ${genotypes.length} archs`,
  }));
}
