/**
 * A cache of trained SuperNets shared by the NB201 benchmarks: a SuperNet is trained once per
 * (training images, label scheme, class count K, seed, training settings, initialisation,
 * tfjs backend) and
 * reused by every later run that asks for an identical training, so methods A/B share one
 * SuperNet, C/D share one, and `table1`, `table2`, `table6`, `table7` and `figure1` reuse each
 * other's.
 *
 * Layout: `<root>/<key>/` is a checkpoint directory of `training/checkpoint.ts` (`run.json`,
 * `checksums.json`, `epoch-000.safetensors` = W0, ..., `epoch-E.safetensors` = Wt, with the
 * checkpoint retention of `CacheOptions.keepEvery`). `<root>` is `$RLNAS_CACHE_DIR` when set, else
 * `<repo>/.cache/supernets` (gitignored; checkpoints are never committed). `<key>` is the first 20
 * hex digits of the SHA-256 of the resolved training configuration (everything `run.json` holds
 * except free-form `info`), the tfjs backend that trains it ({@link SuperNetSpec.backend}: the
 * backends' kernels differ in rounding, so a SuperNet trained on one is not reused by another), a
 * fingerprint of the training images and labels, and {@link CACHE_VERSION}. The retention is not
 * part of the key. A run interrupted mid-training resumes from its last complete epoch the next
 * time.
 *
 * A lookup ({@link findCachedSuperNet}, {@link obtainSuperNet}) hands out an entry only after
 * checking the SHA-256 of the files it holds (W0 and Wt) against the entry's `checksums.json`, and
 * every load checks again; a corrupt entry throws a `CheckpointIntegrityError` whose message names
 * the file and the entry directory to delete, and is never used.
 *
 * @module
 */
import { imageFingerprint, type ImageSet } from "../../datasets/image_set.ts";
import type { SuperNetInit } from "../../search_spaces/nb201/supernet.ts";
import { SuperNet } from "../../search_spaces/nb201/supernet.ts";
import { tf } from "../../backends/tf.ts";
import {
  epochFile,
  latestCheckpoint,
  loadWeights,
  runFile,
  verifyCheckpointFile,
} from "../../training/checkpoint.ts";
import type { NamedTensor } from "../../training/safetensors.ts";
import {
  formatEpoch,
  resolveTrainConfig,
  type TrainConfig,
  type TrainOptions,
  trainSuperNet,
} from "../../training/trainer.ts";
import type { EnvReader } from "./settings.ts";

/** Bump when a change of the trainer makes earlier cached SuperNets stale. */
export const CACHE_VERSION = 2;

/** What to train. */
export interface SuperNetSpec {
  /** Training images (already limited to the profile's size). */
  train: ImageSet;
  /** Label scheme name (`ground-truth`, `random-uniform-once`, ...). */
  labels: string;
  /**
   * The tfjs backend that trains it (`wasm`, `cpu`, `webgpu`, `tensorflow`): part of the key, and
   * training refuses to run on another backend.
   */
  backend: string;
  /** Random-label class count K (default: the dataset's). */
  numClasses?: number;
  /** Run seed. */
  seed: number;
  /** Epochs. */
  epochs: number;
  /** Batch size. */
  batchSize: number;
  /** SuperNet channels C. */
  channels: number;
  /** Search cells per stage N (default 5; smaller only in tests). */
  cellsPerStage?: number;
  /** Weight initialisation (default `pytorch-uniform`). */
  init?: SuperNetInit;
}

/** A trained SuperNet in the cache. */
export interface CachedSuperNet {
  /** Checkpoint directory. */
  dir: string;
  /** Cache key (directory name). */
  key: string;
  /** True when nothing had to be trained. */
  hit: boolean;
  /** Epoch of the final checkpoint (Wt). */
  epochs: number;
  /** The resolved training configuration. */
  config: TrainConfig;
  /** Seconds spent training in this call (0 on a hit). */
  trainSeconds: number;
}

/** Options of {@link obtainSuperNet}. */
export interface CacheOptions {
  /** Cache root (default {@link cacheRoot}). */
  root?: string;
  /** Progress lines. */
  log?: (line: string) => void;
  /** Recorded in `run.json` (not part of the key), e.g. the device. */
  info?: Record<string, string | number | boolean>;
  /**
   * Checkpoint retention of a training (`TrainOptions.keepEvery`, default
   * `DEFAULT_KEEP_EVERY`); not part of the key.
   */
  keepEvery?: number;
  /**
   * Training progress of the SuperNet `key`: `steps` more optimizer steps are done (reported
   * every few dozen steps and at each epoch's end); `detail` says where (epoch, loss).
   */
  onSteps?: (key: string, steps: number, detail: string) => void;
}

const _repoRoot = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");

function _denoEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

/** The cache root: `$RLNAS_CACHE_DIR`, else `<repo>/.cache/supernets`. */
export function cacheRoot(env: EnvReader = _denoEnv): string {
  const v = env("RLNAS_CACHE_DIR");
  return v !== undefined && v !== "" ? v.replace(/\/$/, "") : `${_repoRoot}/.cache/supernets`;
}

function _trainOptions(spec: SuperNetSpec): TrainOptions {
  return {
    train: spec.train,
    labels: spec.labels,
    numClasses: spec.numClasses,
    seed: spec.seed,
    epochs: spec.epochs,
    batchSize: spec.batchSize,
    net: {
      channels: spec.channels,
      cellsPerStage: spec.cellsPerStage ?? 5,
      init: spec.init ?? "pytorch-uniform",
    },
  };
}

function _canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(_canonical);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, _canonical(o[k])]));
  }
  return v;
}

/** The cache key of `spec` (20 hex digits; see the module documentation). */
export async function supernetKey(spec: SuperNetSpec): Promise<string> {
  const { info: _info, ...cfg } = resolveTrainConfig(_trainOptions(spec));
  const text = JSON.stringify(_canonical({
    version: CACHE_VERSION,
    backend: spec.backend,
    config: cfg,
    data: imageFingerprint(spec.train, cfg.images),
  }));
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("")
    .slice(0, 20);
}

async function _exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/**
 * The cached SuperNet of `spec` when the cache holds it complete, else null (nothing is trained).
 */
export async function findCachedSuperNet(
  spec: SuperNetSpec,
  opts: CacheOptions = {},
): Promise<CachedSuperNet | null> {
  return await _cached(spec, await _lookup(spec, opts), opts);
}

interface _Lookup {
  key: string;
  dir: string;
  config: TrainConfig;
  /** Latest complete checkpoint epoch, null when the run has not started. */
  done: number | null;
}

async function _lookup(spec: SuperNetSpec, opts: CacheOptions): Promise<_Lookup> {
  const key = await supernetKey(spec);
  const dir = `${opts.root ?? cacheRoot()}/${key}`;
  const config = resolveTrainConfig(_trainOptions(spec));
  const done = (await _exists(runFile(dir))) ? await latestCheckpoint(dir) : null;
  return { key, dir, config, done };
}

async function _cached(
  spec: SuperNetSpec,
  c: _Lookup,
  opts: CacheOptions,
): Promise<CachedSuperNet | null> {
  if (c.done === null || c.done < spec.epochs) return null;
  // the files the entry hands out (W0 for the angle, Wt for the angle and the accuracy)
  for (const epoch of [0, spec.epochs]) await verifyCheckpointFile(epochFile(c.dir, epoch));
  opts.log?.(`SuperNet ${c.key} (${describeSpec(spec)}): cached in ${c.dir}`);
  const { dir, key, config } = c;
  return { dir, key, hit: true, epochs: spec.epochs, config, trainSeconds: 0 };
}

/**
 * Return the cached SuperNet of `spec`, training it (or finishing an interrupted training) when
 * the cache does not hold it complete.
 */
export async function obtainSuperNet(
  spec: SuperNetSpec,
  opts: CacheOptions = {},
): Promise<CachedSuperNet> {
  const c = await _lookup(spec, opts);
  const cached = await _cached(spec, c, opts);
  if (cached !== null) return cached;
  const { key, dir, done } = c;
  const log = opts.log ?? (() => {});
  log(
    `SuperNet ${key} (${describeSpec(spec)}): ${
      done === null ? "training" : `resuming after epoch ${done}`
    } in ${dir}`,
  );
  const active = tf.getBackend();
  if (active !== spec.backend) {
    throw new Error(
      `SuperNet ${key} (${describeSpec(spec)}) is keyed to backend ${spec.backend} but the ` +
        `active tfjs backend is ${active}; initialise ${spec.backend} to train it`,
    );
  }
  // steps are reported from the resumed point on, so a resume does not count done work again
  let reported = (done ?? 0) * stepsPerEpoch(spec);
  const report = (stepsDone: number, detail: string) => {
    if (stepsDone > reported) opts.onSteps?.(key, stepsDone - reported, detail);
    reported = Math.max(reported, stepsDone);
  };
  const t0 = performance.now();
  const result = await trainSuperNet({
    ..._trainOptions(spec),
    checkpointDir: dir,
    resume: done !== null,
    info: { backend: spec.backend, ...(opts.info ?? {}) },
    keepEvery: opts.keepEvery,
    progressEvery: 10,
    onEpoch: (p) => {
      log(`  ${formatEpoch(p)}`);
      report(p.epoch * p.steps, `epoch ${p.epoch}/${p.epochs} loss ${p.loss.toFixed(4)}`);
    },
    onBatch: (p) =>
      report(
        (p.epoch - 1) * p.steps + p.step,
        `epoch ${p.epoch} step ${p.step}/${p.steps} loss ${p.loss.toFixed(4)}`,
      ),
  });
  result.net.dispose();
  return {
    dir,
    key,
    hit: false,
    epochs: spec.epochs,
    config: result.config,
    trainSeconds: (performance.now() - t0) / 1000,
  };
}

/** Optimizer steps of one epoch of `spec` (the last partial batch counts). */
export function stepsPerEpoch(spec: SuperNetSpec): number {
  return Math.ceil(spec.train.count / spec.batchSize);
}

/**
 * Optimizer steps still to take for `spec`: 0 when the cache holds it complete, the steps after
 * the last complete epoch when a training was interrupted, all of them otherwise.
 */
export async function remainingSteps(spec: SuperNetSpec, opts: CacheOptions = {}): Promise<number> {
  const c = await _lookup(spec, opts);
  if (c.done !== null && c.done >= spec.epochs) return 0;
  return (spec.epochs - (c.done ?? 0)) * stepsPerEpoch(spec);
}

/** One line naming what `spec` trains (dataset, labels, K, seed, images, epochs, init). */
export function describeSpec(spec: SuperNetSpec): string {
  const k = spec.numClasses === undefined ? "" : `, K=${spec.numClasses}`;
  const init = spec.init && spec.init !== "pytorch-uniform" ? `, ${spec.init} init` : "";
  return `${spec.train.dataset}, ${spec.labels}${k}, seed ${spec.seed}, ` +
    `${spec.train.count} images, ${spec.epochs} epochs${init}`;
}

/** W0 (epoch 0) and Wt (final epoch) of a cached SuperNet, PyTorch layout. */
export async function loadAnglePair(
  entry: CachedSuperNet,
): Promise<{ w0: Map<string, NamedTensor>; wt: Map<string, NamedTensor> }> {
  const w0 = (await loadWeights(entry.dir, 0)).weights;
  const wt = (await loadWeights(entry.dir, entry.epochs)).weights;
  return { w0, wt };
}

/** A SuperNet holding the final weights and BN statistics of a cached run (caller disposes). */
export async function loadTrainedNet(entry: CachedSuperNet): Promise<SuperNet> {
  const c = entry.config;
  const net = new SuperNet({
    numClasses: c.numClasses,
    inputSize: c.inputSize,
    channels: c.channels,
    cellsPerStage: c.cellsPerStage,
    seed: c.seeds.init,
    init: c.init,
  });
  try {
    net.importWeights((await loadWeights(entry.dir, entry.epochs)).weights);
  } catch (e) {
    net.dispose();
    throw e;
  }
  return net;
}

/**
 * A complete SuperNet training folder given by path (a cache entry, or a checkpoint folder
 * copied from elsewhere): its `run.json` and its final and epoch-0 checkpoints, verified against
 * `checksums.json`.
 *
 * @throws Error naming the folder when it holds no `run.json`, or the training is not complete
 */
export async function openSuperNetDir(dir: string): Promise<CachedSuperNet> {
  const path = dir.replace(/\/+$/, "");
  let config: TrainConfig;
  try {
    config = JSON.parse(await Deno.readTextFile(runFile(path)));
  } catch (e) {
    throw new Error(
      `${path}: not a SuperNet training folder (no readable run.json: ${(e as Error).message})`,
    );
  }
  const done = await latestCheckpoint(path);
  if (done === null || done < config.epochs) {
    throw new Error(
      `${path}: the training is not complete (latest checkpoint epoch ${done ?? "none"} of ` +
        `${config.epochs})`,
    );
  }
  for (const epoch of [0, config.epochs]) await verifyCheckpointFile(epochFile(path, epoch));
  return {
    dir: path,
    key: path.split("/").at(-1)!,
    hit: true,
    epochs: config.epochs,
    config,
    trainSeconds: 0,
  };
}
