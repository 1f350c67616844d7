/**
 * `--dry-run` of a NB201 benchmark: the SuperNets the run would train (or find in the cache), their
 * steps, the estimated time from the committed perf results of the run's backend
 * (`results/perf/*\/perf.csv`, the median step time of `deno task perf`) and the disk their kept
 * checkpoints take. Nothing is trained and no tfjs backend is started.
 *
 * When the data directory lacks what the profile needs (the paper profile's full splits), the
 * plan uses the official sizes and says that the run itself would stop.
 *
 * @module
 */
import { readResults } from "../../reporting/results_file.ts";
import { DATASET_INFO } from "../../datasets/image_set.ts";
import { type EvolutionConfig, NB201_EVOLUTION } from "../../search/evolution.ts";
import { estimateCheckpointDisk } from "../../training/trainer.ts";
import type { BenchmarkContext, PlannedSuperNet, RunPlan } from "../types.ts";
import { checkBackend, loadBenchData, OFFICIAL_SEARCH_SIZES } from "./data.ts";
import type { Nb201Work } from "./run.ts";
import {
  describeSpec,
  findCachedSuperNet,
  supernetKey,
  type SuperNetSpec,
} from "./supernet_cache.ts";
import type { Nb201Settings } from "./settings.ts";

const _root = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");

/** A committed perf measurement of one backend. */
export interface PerfEstimate {
  /** Median milliseconds of one batch-64 training step. */
  stepMs: number;
  /** Median milliseconds of one batch-64 forward (train mode), NaN when not measured. */
  forwardMs: number;
  /** Where the figures come from. */
  source: string;
}

/**
 * The latest committed `train_step` / `forward` medians of `backend` in the perf results under
 * `dir` (default `<repo>/results/perf`), or null when none exists.
 */
export async function perfEstimate(
  backend: string,
  dir = `${_root}/results/perf`,
): Promise<PerfEstimate | null> {
  let best:
    | { step: Record<string, string>; forward?: Record<string, string>; file: string }
    | null = null;
  for (const sub of ["cpu", "gpu"]) {
    const file = `${dir}/${sub}/perf.csv`;
    const { records } = await readResults(file);
    const steps = records.filter((r) => r.method === "train_step" && r.backend === backend);
    for (const s of steps) {
      if (best === null || s.started_at > best.step.started_at) {
        const forward = records.find((r) => r.method === "forward" && r.run_id === s.run_id);
        best = { step: s, forward, file: `results/perf/${sub}/perf.csv` };
      }
    }
  }
  if (best === null) return null;
  const stepMs = Number(best.step.ms_median);
  const forwardMs = best.forward ? Number(best.forward.ms_median) : NaN;
  return {
    stepMs,
    forwardMs,
    source: `${best.file} (${backend} on ${best.step.device}, ${stepMs} ms per batch-64 step, ` +
      `run ${best.step.run_id})`,
  };
}

/**
 * The plan of a NB201 benchmark: the SuperNets its work lists for every dataset and seed of the
 * run, and its accuracy evaluations per dataset and seed.
 */
export async function nb201Plan(
  ctx: BenchmarkContext,
  settings: Nb201Settings,
  work: Nb201Work,
): Promise<RunPlan> {
  const warnings: string[] = [];
  try {
    checkBackend(settings, ctx.backend);
  } catch (e) {
    warnings.push(`the run would stop: ${(e as Error).message}`);
  }
  const perf = await perfEstimate(ctx.backend);
  const stepS = perf === null ? NaN : perf.stepMs / 1000;
  const seen = new Set<string>();
  const supernets: PlannedSuperNet[] = [];
  const other: RunPlan["other"] = [];
  for (const dataset of ctx.datasets) {
    let images: { train: number; valid: number };
    let data: Awaited<ReturnType<typeof loadBenchData>> | null = null;
    try {
      data = await loadBenchData(ctx.dataDir, dataset, settings);
      images = { train: data.train.count, valid: data.valid.count };
    } catch (e) {
      warnings.push(`the run would stop: ${(e as Error).message}`);
      const want = OFFICIAL_SEARCH_SIZES[dataset];
      images = { train: settings.trainImages ?? want.train, valid: want.valid };
    }
    for (const seed of ctx.seeds) {
      for (const req of work.supernets(dataset, seed)) {
        const numClasses = req.numClasses ?? DATASET_INFO[dataset].numClasses;
        const steps = settings.epochs * Math.ceil(images.train / settings.batchSize);
        let key = "-";
        let description = `${dataset}, ${req.labels}${
          req.numClasses === undefined ? "" : `, K=${req.numClasses}`
        }, seed ${seed}, ${images.train} images, ${settings.epochs} epochs`;
        let cached = false;
        if (data !== null) {
          const spec: SuperNetSpec = {
            train: data.train,
            labels: req.labels,
            backend: ctx.backend,
            numClasses: req.numClasses,
            seed,
            epochs: settings.epochs,
            batchSize: settings.batchSize,
            channels: settings.channels,
            init: req.init,
          };
          key = await supernetKey(spec);
          description = describeSpec(spec);
          cached = (await findCachedSuperNet(spec).catch(() => null)) !== null;
        }
        const id = key === "-" ? description : key;
        if (seen.has(id)) continue;
        seen.add(id);
        const disk = estimateCheckpointDisk({
          epochs: settings.epochs,
          numClasses,
          channels: settings.channels,
          dataset,
          labels: req.labels,
          images: images.train,
          batchSize: settings.batchSize,
        }, ctx.keepEvery);
        supernets.push({
          key,
          description,
          cached,
          steps: cached ? 0 : steps,
          seconds: cached ? 0 : steps * stepS,
          diskBytes: disk.bytes,
        });
      }
      const ev = work.evaluations?.(settings);
      if (ev !== undefined && ev.archs > 0) {
        const perArch = settings.accuracy.calibImages +
          Math.min(settings.accuracy.validImages ?? images.valid, images.valid);
        const forwardS = perf === null ? NaN : perf.forwardMs / 1000 / 64;
        other.push({
          description: `${dataset} seed ${seed}: ${ev.description}, up to ${ev.archs} ` +
            `architectures x ${perArch} images forwarded`,
          seconds: ev.archs * perArch * forwardS,
        });
      }
    }
  }
  const training = supernets.map((s) => s.seconds).filter((s) => s > 0);
  const lanes = Math.max(1, Math.min(ctx.jobs, training.length));
  const trainSeconds = training.reduce((a, b) => a + b, 0) / lanes;
  const seconds = trainSeconds + other.reduce((a, o) => a + o.seconds, 0);
  for (const w of warnings) other.push({ description: w, seconds: 0 });
  return {
    supernets,
    other,
    seconds,
    estimateSource: perf === null
      ? `no committed perf result for backend ${ctx.backend} (run deno task perf)`
      : perf.source,
  };
}

/** The maximum number of architectures an evolution of `config` scores (population x generations). */
export function evolutionBudget(config: Partial<EvolutionConfig>): number {
  return (config.populationSize ?? NB201_EVOLUTION.populationSize) *
    (config.generations ?? NB201_EVOLUTION.generations);
}

/** Bytes as "48.0 MB". */
export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e3).toFixed(1)} kB`;
}
