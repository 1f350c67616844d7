/**
 * Single-path one-shot (SPOS) training of the NAS-Bench-201 SuperNet with (random) labels, as the
 * official `rlnas_train_supernet.py` does it (spec §1.3, §1.5, §1.6, §2):
 *
 * 1. seed the random streams ({@link streamSeeds}), build the SuperNet, draw the labels of the
 *    scheme, and write checkpoint `epoch-000` (W0) BEFORE the first step;
 * 2. for each epoch `k = 1..E`: learning rate `cosineLr(k - 1)` (constant in the epoch), a new
 *    shuffled batch order (last partial batch kept), and per batch: one single path per search cell
 *    (`samplePaths`), the augmented batch, its labels, softmax cross-entropy (batch mean), the
 *    gradients of the executed parameters only, one SGD step (Nesterov, weight decay on every
 *    parameter, PyTorch 1.x `zero_grad` semantics by default);
 * 3. after each epoch write checkpoint `epoch-k` with everything needed to resume bit-identically
 *    (see `checkpoint.ts` for the directory layout).
 *
 * The loss and accuracy are accumulated on the device and read back only every
 * `progressEvery` steps and at the end of an epoch. A non-finite loss stops the run with a
 * {@link TrainingDivergedError} naming the epoch and step; the last good checkpoint is kept.
 * Before each checkpoint is written (W0 included) every weight, BN running statistic and
 * momentum value and the epoch's loss are checked to be finite; otherwise the run stops with a
 * {@link TrainingDivergedError} and that checkpoint is not written, so every checkpoint on disk is
 * finite. After each epoch's checkpoint the retention of `checkpoint.ts` (`keepEvery`) deletes the
 * files no longer needed; {@link estimateCheckpointDisk} says how much disk a run keeps. On start
 * (and on resume) the temporary files of killed writes are removed from the checkpoint directory.
 *
 * @module
 */
import { tf } from "../backends/tf.ts";
import type { Tensor1D, Tensor4D, Variable } from "../backends/tf.ts";
import { type DatasetName, type ImageSet, parseDatasetName } from "../datasets/image_set.ts";
import { makeBatch } from "../datasets/augment.ts";
import { batchOrder } from "../datasets/loader.ts";
import { RandomState, type RandomStateSnapshot } from "../labels/random_state.ts";
import { removeStaleTempFiles } from "../reporting/atomic.ts";
import { NB201_EDGES } from "../search_spaces/nb201/encoding.ts";
import {
  batchLabels,
  DATASET_TRAIN_SIZE,
  DEFAULT_LABEL_SCHEME,
  getLabelScheme,
  type LabelSchemeContext,
} from "../labels/schemes.ts";
import { resnetCellIndices, SuperNet, type SuperNetInit } from "../search_spaces/nb201/supernet.ts";
import { samplePaths } from "../search_spaces/nb201/sampling.ts";
import {
  type CheckpointMeta,
  DEFAULT_KEEP_EVERY,
  type EpochRecord,
  findNonFinite,
  LABELS_TENSOR,
  latestCheckpoint,
  loadCheckpoint,
  momentumTensorName,
  type NonFiniteReport,
  pruneCheckpoints,
  runFile,
  saveCheckpoint,
  stateFileMetadata,
  type TrainState,
  weightsFileMetadata,
} from "./checkpoint.ts";
import type { NamedTensor } from "./safetensors.ts";
import { safetensorsFileSize } from "./safetensors.ts";
import { cosineLr, LR_MAX, LR_MIN } from "./lr_schedule.ts";
import { Sgd, ZERO_GRAD_SEMANTICS, type ZeroGradSemantics } from "./sgd.ts";
import { SposStepper } from "./step.ts";

/** Architecture options of the trained SuperNet (defaults: the paper's C = 16, N = 5). */
export interface NetOptions {
  /** Channels of the first stage (default 16). Smaller values only for tests and smoke runs. */
  channels?: number;
  /** Search cells per stage (default 5). */
  cellsPerStage?: number;
  /** Weight initialisation (default `"pytorch-uniform"`). */
  init?: SuperNetInit;
}

/** Progress of a whole epoch (passed to {@link TrainOptions.onEpoch}). */
export interface EpochProgress extends EpochRecord {
  /** Total epochs of the run. */
  epochs: number;
  /** Training throughput of the epoch. */
  imagesPerSecond: number;
  /** Estimated seconds to the end of the run (from this session's mean epoch time). */
  etaSeconds: number;
}

/** Progress inside an epoch (passed to {@link TrainOptions.onBatch}). */
export interface BatchProgress {
  /** 1-based epoch. */
  epoch: number;
  /** Steps done in this epoch. */
  step: number;
  /** Steps of this epoch. */
  steps: number;
  /** Optimizer steps done in the whole run. */
  globalStep: number;
  /** Mean loss over the images of this epoch so far. */
  loss: number;
  /** Training-label accuracy of this epoch so far. */
  accuracy: number;
  /** Learning rate of the epoch. */
  lr: number;
  /** Images per second in this epoch so far. */
  imagesPerSecond: number;
}

/** Options of {@link trainSuperNet}. */
export interface TrainOptions {
  /** Training images (e.g. `loadSearchData(...).train`); true labels, official indices. */
  train: ImageSet;
  /** Label scheme name (default `"random-uniform-once"`, the official RLNAS labels). */
  labels?: string;
  /** Seed of the label draws (default: `seed`, as in the official code). */
  labelSeed?: number;
  /**
   * Number of random classes `K` (random schemes only; default the dataset's class count). The
   * classifier is built with `K` outputs.
   */
  numClasses?: number;
  /** Number of epochs `E` (the paper: 250). */
  epochs: number;
  /** Batch size (default 64). */
  batchSize?: number;
  /** Initial learning rate (default 0.025). */
  lrMax?: number;
  /** Final learning rate (default 0.001). */
  lrMin?: number;
  /** Weight decay (default 5e-4). */
  weightDecay?: number;
  /** Momentum (default 0.9). */
  momentum?: number;
  /** Nesterov momentum (default true). */
  nesterov?: boolean;
  /** `zero_grad` semantics (default `"pytorch1"`, the official runs). */
  zeroGrad?: ZeroGradSemantics;
  /** Run seed (default 0); see {@link streamSeeds}. */
  seed?: number;
  /** Train on the first `maxImages` images of `train` only. */
  maxImages?: number;
  /** SuperNet architecture options. */
  net?: NetOptions;
  /** Where checkpoints go (see `checkpoint.ts`); none are written when absent. */
  checkpointDir?: string;
  /** Continue from the latest complete checkpoint in `checkpointDir` (same configuration). */
  resume?: boolean;
  /**
   * Checkpoint retention (see `checkpoint.ts`): keep W0, the latest checkpoint and the weights of
   * every `keepEvery`-th epoch, delete the rest (default {@link DEFAULT_KEEP_EVERY}; 1 keeps the
   * weights of every epoch). Not part of the configuration: a resume may change it.
   */
  keepEvery?: number;
  /** Stop (as if killed, without a checkpoint) once the run has taken this many steps in total. */
  stopAfterSteps?: number;
  /** Stop (as if killed) before the next step once this signal is aborted. */
  signal?: AbortSignal;
  /** Read the loss back every this many steps (default 50) for `onBatch` and the NaN check. */
  progressEvery?: number;
  /** Called after every epoch (default: {@link printEpoch}; `null` for silence). */
  onEpoch?: ((p: EpochProgress) => void) | null;
  /** Called every `progressEvery` steps. */
  onBatch?: (p: BatchProgress) => void;
  /** Extra configuration recorded in `run.json` and checkpoints (e.g. the backend). */
  info?: Record<string, string | number | boolean>;
}

/** What {@link trainSuperNet} returns. */
export interface TrainResult {
  /** The trained SuperNet (the caller disposes it). */
  net: SuperNet;
  /** Records of all completed epochs (including those before a resume). */
  history: EpochRecord[];
  /** Completed epochs. */
  epochsDone: number;
  /** Optimizer steps taken in the whole run. */
  globalStep: number;
  /** True when the run stopped early (`stopAfterSteps` or `signal`). */
  stopped: boolean;
  /** Epoch of the checkpoint the run resumed from, `null` for a fresh run. */
  resumedFrom: number | null;
  /** How labels are indexed: by official training index, or by position in the set. */
  labelIndexing: "official" | "position";
  /** The resolved configuration (what `run.json` holds). */
  config: TrainConfig;
}

/** The resolved, JSON-serialisable configuration of a run (the content of `run.json`). */
export interface TrainConfig {
  /** Dataset of the training images. */
  dataset: DatasetName;
  /** Split name of the training set. */
  split: string;
  /** Number of training images used (the first `images` of the set). */
  images: number;
  /** Official index of the first image used. */
  firstIndex: number;
  /** Official index of the last image used. */
  lastIndex: number;
  /** Label scheme name. */
  labels: string;
  /** Seed of the scheme's label draws. */
  labelSeed: number;
  /** Classifier width (`K` for random schemes). */
  numClasses: number;
  /** Input side in pixels. */
  inputSize: 32 | 16;
  /** SuperNet channels `C`. */
  channels: number;
  /** Search cells per stage `N`. */
  cellsPerStage: number;
  /** Weight initialisation. */
  init: SuperNetInit;
  /** Epochs `E`. */
  epochs: number;
  /** Batch size. */
  batchSize: number;
  /** Initial learning rate. */
  lrMax: number;
  /** Final learning rate. */
  lrMin: number;
  /** Weight decay. */
  weightDecay: number;
  /** Momentum. */
  momentum: number;
  /** Nesterov momentum. */
  nesterov: boolean;
  /** `zero_grad` semantics. */
  zeroGrad: ZeroGradSemantics;
  /** Run seed. */
  seed: number;
  /** Seeds of the random streams. */
  seeds: StreamSeeds;
  /**
   * Free-form information (e.g. the backend). Not compared on resume: a run may resume on another
   * backend, but bit-identity with an uninterrupted run is only guaranteed on the same backend.
   */
  info: Record<string, string | number | boolean>;
}

/** The seeds of the separate random streams of a run. */
export interface StreamSeeds {
  /** SuperNet initial weights (`SuperNet({seed})`, a numpy `RandomState`). */
  init: number;
  /** Label draws of the scheme (`np.random.seed(labelSeed)` in the official code). */
  labels: number;
  /** Per-batch label draws of per-iteration schemes. */
  labelIter: number;
  /** Batch order (`permutation` once per epoch). */
  order: number;
  /** Augmentation (flip + crop draws, `random()`). */
  augment: number;
  /** Path sampling (one genotype per search cell per step). */
  paths: number;
}

/** Stream salts: `streamSeed = (seed XOR salt) >>> 0`. */
const _SALT = { labelIter: 0x6c62272e, order: 0x2545f491, augment: 0x9e3779b9, paths: 0x7f4a7c15 };

/**
 * The seeds of a run's random streams, one numpy-compatible `RandomState` each: `init = seed`,
 * `labels = labelSeed` (default `seed`, which reproduces the official label draws exactly), and
 * `order`, `augment`, `paths`, `labelIter` = `seed XOR` a fixed 32-bit salt (0x2545f491,
 * 0x9e3779b9, 0x7f4a7c15, 0x6c62272e) so that the streams are independent. (The official code
 * seeds Python `random`, numpy and torch with the same seed; torch's and Python's generators are
 * not reproduced, so the batch order, augmentation and paths are not bit-identical to it.)
 */
export function streamSeeds(seed: number, labelSeed = seed): StreamSeeds {
  for (const [name, v] of [["seed", seed], ["labelSeed", labelSeed]] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
      throw new RangeError(`${name} must be an integer in [0, 4294967295], got ${v}`);
    }
  }
  return {
    init: seed,
    labels: labelSeed,
    labelIter: (seed ^ _SALT.labelIter) >>> 0,
    order: (seed ^ _SALT.order) >>> 0,
    augment: (seed ^ _SALT.augment) >>> 0,
    paths: (seed ^ _SALT.paths) >>> 0,
  };
}

/** Non-finite values found in the weights / BN statistics / momentum before a checkpoint. */
export interface NonFiniteValues extends NonFiniteReport {
  /** What holds them, e.g. `"weights, BN statistics"`. */
  what: string;
}

/**
 * A non-finite loss, or non-finite weights, BN statistics or momentum before a checkpoint, were
 * met; the run stopped, that checkpoint was not written and the last complete checkpoint is kept.
 *
 * Messages: `training diverged: non-finite loss at epoch 3, step 17 (lr 0.025); the last good
 * checkpoint is epoch 2`, or `training diverged: non-finite weights, BN statistics after epoch 1,
 * step 2 (lr 1000000): 338287 values in 120 tensors (first cells.0.edges.1<-0.2.op.1.weight);
 * checkpoint epoch-001 was not written, the last good checkpoint is epoch 0`.
 */
export class TrainingDivergedError extends Error {
  /** 1-based epoch of the first non-finite loss (0: W0). */
  readonly epoch: number;
  /** 1-based step inside that epoch (the epoch's last step for non-finite values at its end). */
  readonly step: number;
  /** The non-finite weights, BN statistics or momentum; absent for a non-finite loss. */
  readonly values?: NonFiniteValues;
  constructor(
    epoch: number,
    step: number,
    lastCheckpoint: number | null,
    lr: number,
    values?: NonFiniteValues,
  ) {
    const last = lastCheckpoint === null
      ? "no checkpoint was written"
      : `the last good checkpoint is epoch ${lastCheckpoint}`;
    super(
      values === undefined
        ? `training diverged: non-finite loss at epoch ${epoch}, step ${step} (lr ${lr}); ${last}`
        : `training diverged: non-finite ${values.what} after epoch ${epoch}, step ${step} ` +
          `(lr ${lr}): ${values.values} values in ${values.tensors.length} tensors ` +
          `(first ${values.tensors[0]}); checkpoint epoch-${String(epoch).padStart(3, "0")} ` +
          `was not written, ${last}`,
    );
    this.name = "TrainingDivergedError";
    this.epoch = epoch;
    this.step = step;
    if (values !== undefined) this.values = values;
  }
}

/**
 * The non-finite values of a checkpoint about to be written (weights with BN statistics, and
 * momentum), or `null` when all are finite.
 */
function _nonFinite(
  weights: ReadonlyMap<string, NamedTensor>,
  momentum: ReadonlyMap<string, NamedTensor>,
): NonFiniteValues | null {
  const w = findNonFinite(weights);
  const m = findNonFinite(momentum);
  if (w === null && m === null) return null;
  const what: string[] = [];
  if (w !== null) {
    const bn = w.tensors.filter((n) => /\.running_(mean|var)$/.test(n)).length;
    if (bn < w.tensors.length) what.push("weights");
    if (bn > 0) what.push("BN statistics");
  }
  if (m !== null) what.push("momentum");
  return {
    what: what.join(", "),
    values: (w?.values ?? 0) + (m?.values ?? 0),
    tensors: [...(w?.tensors ?? []), ...(m?.tensors ?? []).map((n) => `momentum/${n}`)],
  };
}

function _fmtTime(s: number): string {
  if (!Number.isFinite(s)) return "?";
  const t = Math.max(0, Math.round(s));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  return `${h}:${String(m).padStart(2, "0")}:${String(t % 60).padStart(2, "0")}`;
}

/** Default epoch printer: `epoch 3/250  lr 0.024957  loss 2.3012  acc 0.1093  812 img/s  ETA 1:02:03`. */
export function formatEpoch(p: EpochProgress): string {
  return `epoch ${p.epoch}/${p.epochs}  lr ${p.lr.toFixed(6)}  loss ${p.loss.toFixed(4)}  ` +
    `acc ${p.accuracy.toFixed(4)}  ${Math.round(p.imagesPerSecond)} img/s  ` +
    `ETA ${_fmtTime(p.etaSeconds)}`;
}

/** Prints {@link formatEpoch} to the console. */
export function printEpoch(p: EpochProgress): void {
  console.log(formatEpoch(p));
}

function _posInt(name: string, v: number, min = 1): number {
  if (!Number.isInteger(v) || v < min) {
    throw new RangeError(`${name} must be an integer >= ${min}, got ${v}`);
  }
  return v;
}

function _nonNeg(name: string, v: number): number {
  if (!Number.isFinite(v) || v < 0) {
    throw new RangeError(`${name} must be a finite number >= 0, got ${v}`);
  }
  return v;
}

/** Resolve and validate the options into the run's configuration (no side effects). */
export function resolveTrainConfig(opts: TrainOptions): TrainConfig {
  const set = opts.train;
  const dataset = parseDatasetName(set.dataset);
  const labels = opts.labels ?? DEFAULT_LABEL_SCHEME;
  const scheme = getLabelScheme(labels);
  const seed = opts.seed ?? 0;
  const labelSeed = opts.labelSeed ?? seed;
  const seeds = streamSeeds(seed, labelSeed);
  if (set.count < 1) throw new RangeError(`the training set ${set.split} holds no images`);
  const images = opts.maxImages === undefined
    ? set.count
    : Math.min(_posInt("maxImages", opts.maxImages), set.count);
  let numClasses = set.numClasses;
  if (opts.numClasses !== undefined) {
    _posInt("numClasses", opts.numClasses, 2);
    if (!scheme.random && opts.numClasses !== set.numClasses) {
      throw new RangeError(
        `numClasses ${opts.numClasses} needs a random label scheme; "${labels}" keeps the ` +
          `${set.numClasses} real classes`,
      );
    }
    numClasses = opts.numClasses;
  }
  if (set.size !== 32 && set.size !== 16) {
    throw new RangeError(`image size must be 32 or 16, got ${set.size}`);
  }
  const zeroGrad = opts.zeroGrad ?? "pytorch1";
  if (!ZERO_GRAD_SEMANTICS.includes(zeroGrad)) {
    throw new RangeError(
      `zeroGrad must be one of ${ZERO_GRAD_SEMANTICS.join(", ")}, got ${String(zeroGrad)}`,
    );
  }
  const cfg: TrainConfig = {
    dataset,
    split: set.split,
    images,
    firstIndex: set.indices[0],
    lastIndex: set.indices[images - 1],
    labels,
    labelSeed,
    numClasses,
    inputSize: set.size,
    channels: _posInt("net.channels", opts.net?.channels ?? 16),
    cellsPerStage: _posInt("net.cellsPerStage", opts.net?.cellsPerStage ?? 5),
    init: opts.net?.init ?? "pytorch-uniform",
    epochs: _posInt("epochs", opts.epochs),
    batchSize: _posInt("batchSize", opts.batchSize ?? 64),
    lrMax: _nonNeg("lrMax", opts.lrMax ?? LR_MAX),
    lrMin: _nonNeg("lrMin", opts.lrMin ?? LR_MIN),
    weightDecay: _nonNeg("weightDecay", opts.weightDecay ?? 5e-4),
    momentum: _nonNeg("momentum", opts.momentum ?? 0.9),
    nesterov: opts.nesterov ?? true,
    zeroGrad,
    seed,
    seeds,
    info: { ...(opts.info ?? {}) },
  };
  _posInt("numClasses", cfg.numClasses, 2);
  if (opts.progressEvery !== undefined) _posInt("progressEvery", opts.progressEvery);
  if (opts.keepEvery !== undefined) _posInt("keepEvery", opts.keepEvery);
  if (opts.stopAfterSteps !== undefined) _posInt("stopAfterSteps", opts.stopAfterSteps, 0);
  return cfg;
}

/** The configuration keys that must match for a resume (everything but `info`). */
function _sameRun(a: TrainConfig, b: TrainConfig): (keyof TrainConfig)[] {
  const diff: (keyof TrainConfig)[] = [];
  for (const k of Object.keys(a) as (keyof TrainConfig)[]) {
    if (k === "info") continue;
    if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) diff.push(k);
  }
  return diff;
}

interface _Labels {
  ctx: LabelSchemeContext;
  current: Int32Array;
  indexing: "official" | "position";
}

/**
 * The labels of the run. Labels are indexed by official training index (so random draws equal the
 * official ones over all N images). Schemes that read the true labels of every image (ground
 * truth, shuffles) cannot do so when the set is a subset of the official training set; they then
 * work on the set itself, indexed by position (a shuffle then permutes the subset's labels).
 */
function _makeLabels(set: ImageSet, cfg: TrainConfig): _Labels {
  const scheme = getLabelScheme(cfg.labels);
  const n = DATASET_TRAIN_SIZE[cfg.dataset];
  const full = new Int32Array(n).fill(-1);
  let complete = set.count === n;
  for (let p = 0; p < set.count; p++) {
    const i = set.indices[p];
    if (i < 0 || i >= n) {
      throw new RangeError(`image ${p} has official index ${i}, outside [0, ${n - 1}]`);
    }
    full[i] = set.labels[p];
  }
  if (complete) complete = !full.includes(-1);
  const base = {
    numClasses: set.numClasses,
    randomClasses: scheme.random ? cfg.numClasses : undefined,
    seed: cfg.labelSeed,
    dataset: cfg.dataset,
  };
  const official: LabelSchemeContext = { ...base, trueLabels: full };
  try {
    return { ctx: official, current: scheme.initial(official), indexing: "official" };
  } catch (e) {
    // a scheme that scans the true labels meets the -1 of the images that are not in the set
    if (complete || !(e instanceof RangeError) || !/trueLabels/.test(e.message)) throw e;
  }
  const positional: LabelSchemeContext = {
    ...base,
    trueLabels: set.labels.slice(0, set.count),
    numImages: set.count,
  };
  return { ctx: positional, current: scheme.initial(positional), indexing: "position" };
}

interface _Streams {
  order: RandomState;
  augment: RandomState;
  paths: RandomState;
  labelIter: RandomState;
}

function _streams(s: StreamSeeds): _Streams {
  return {
    order: new RandomState(s.order),
    augment: new RandomState(s.augment),
    paths: new RandomState(s.paths),
    labelIter: new RandomState(s.labelIter),
  };
}

function _snapshot(st: _Streams): Record<string, unknown> {
  return {
    order: st.order.getState(),
    augment: st.augment.getState(),
    paths: st.paths.getState(),
    labelIter: st.labelIter.getState(),
  };
}

function _restore(st: _Streams, rng: Record<string, unknown>, where: string): void {
  for (const k of ["order", "augment", "paths", "labelIter"] as const) {
    if (rng[k] === undefined) throw new Error(`${where}: random stream "${k}" missing`);
    st[k].setState(rng[k] as RandomStateSnapshot);
  }
}

/**
 * Train the SuperNet (see the module documentation). Returns the trained net, which the caller
 * disposes. Throws {@link TrainingDivergedError} on a non-finite loss.
 */
export async function trainSuperNet(opts: TrainOptions): Promise<TrainResult> {
  const cfg = resolveTrainConfig(opts);
  const dir = opts.checkpointDir;
  if (opts.resume && dir === undefined) {
    throw new RangeError("resume needs checkpointDir");
  }
  const progressEvery = opts.progressEvery ?? 50;
  const keepEvery = opts.keepEvery ?? DEFAULT_KEEP_EVERY;
  const onEpoch = opts.onEpoch === undefined ? printEpoch : opts.onEpoch;
  const set = opts.train;
  const scheme = getLabelScheme(cfg.labels);
  const lab = _makeLabels(set, cfg);
  const labelIndex = lab.indexing === "official"
    ? set.indices.slice(0, cfg.images)
    : Int32Array.from({ length: cfg.images }, (_, p) => p);
  const streams = _streams(cfg.seeds);
  const meta: CheckpointMeta = {
    dataset: cfg.dataset,
    numClasses: cfg.numClasses,
    inputSize: cfg.inputSize,
    labels: cfg.labels,
    seed: cfg.seed,
    config: cfg,
  };

  const net = new SuperNet({
    numClasses: cfg.numClasses,
    inputSize: cfg.inputSize,
    channels: cfg.channels,
    cellsPerStage: cfg.cellsPerStage,
    seed: cfg.seeds.init,
    init: cfg.init,
  });
  let sgd: Sgd | undefined;
  const acc: Variable[] = [];
  try {
    sgd = new Sgd(net.params, {
      momentum: cfg.momentum,
      weightDecay: cfg.weightDecay,
      nesterov: cfg.nesterov,
      zeroGrad: cfg.zeroGrad,
    });
    let history: EpochRecord[] = [];
    let epochsDone = 0;
    let globalStep = 0;
    let resumedFrom: number | null = null;

    const state = (): Promise<TrainState> =>
      sgd!.exportState().then((s) => {
        const st: TrainState = {
          epoch: epochsDone,
          globalStep,
          sgd: s,
          rng: _snapshot(streams),
          history: [...history],
        };
        if (scheme.perIteration) st.labels = lab.current;
        return st;
      });

    /** Check (see the module documentation), then write checkpoint `epochsDone`. */
    const checkpoint = async (step: number, lr: number, last: number | null): Promise<void> => {
      const weights = await net.exportWeights({ buffers: true });
      const st = await state();
      const bad = _nonFinite(weights, st.sgd.momentum);
      if (bad !== null) throw new TrainingDivergedError(epochsDone, step, last, lr, bad);
      await saveCheckpoint(dir!, weights, st, meta);
    };

    if (dir !== undefined) await removeStaleTempFiles(dir);
    const latest = opts.resume ? await latestCheckpoint(dir!) : null;
    if (latest !== null) {
      const prev = JSON.parse(await Deno.readTextFile(runFile(dir!))) as TrainConfig;
      const diff = _sameRun(prev, cfg);
      if (diff.length > 0) {
        throw new Error(
          `cannot resume from ${dir}: the configuration differs in ${diff.join(", ")} ` +
            `(checkpoint: ${diff.map((k) => `${k}=${JSON.stringify(prev[k])}`).join(", ")})`,
        );
      }
      const ck = await loadCheckpoint(dir!, latest);
      net.importWeights(ck.weights);
      sgd.importState(ck.state.sgd);
      _restore(streams, ck.state.rng, `checkpoint ${latest} in ${dir}`);
      if (ck.state.labels !== undefined) lab.current = ck.state.labels;
      history = ck.state.history;
      epochsDone = latest;
      globalStep = ck.state.globalStep;
      resumedFrom = latest;
    } else if (dir !== undefined) {
      const stale = await latestCheckpoint(dir);
      if (stale !== null) {
        throw new Error(
          `${dir} already holds checkpoints (latest epoch ${stale}); resume the run or use an ` +
            `empty directory`,
        );
      }
      await Deno.mkdir(dir, { recursive: true });
      await Deno.writeTextFile(runFile(dir), JSON.stringify(cfg, null, 2) + "\n");
      await checkpoint(0, cfg.lrMax, null);
    }
    let lastCheckpoint: number | null = dir === undefined ? null : epochsDone;

    for (let i = 0; i < 3; i++) acc.push(tf.tidy(() => tf.variable(tf.scalar(0), false)));
    const [lossSum, correct, badStep] = acc;
    const stepper = new SposStepper(net, sgd);
    const sessionStart = performance.now();
    let sessionEpochs = 0;
    let stopped = false;

    for (let epoch = epochsDone + 1; epoch <= cfg.epochs && !stopped; epoch++) {
      const lr = cosineLr(epoch - 1, { epochs: cfg.epochs, lrMax: cfg.lrMax, lrMin: cfg.lrMin });
      const batches = batchOrder(cfg.images, cfg.batchSize, streams.order);
      tf.tidy(() => {
        lossSum.assign(tf.scalar(0));
        correct.assign(tf.scalar(0));
        badStep.assign(tf.scalar(-1));
      });
      const t0 = performance.now();
      let seen = 0;
      const readBack = async (step: number): Promise<[number, number]> => {
        const [l, c, b] = await Promise.all([lossSum.data(), correct.data(), badStep.data()]);
        if (b[0] >= 0 || !Number.isFinite(l[0])) {
          throw new TrainingDivergedError(epoch, b[0] >= 0 ? b[0] : step, lastCheckpoint, lr);
        }
        return [l[0] / seen, c[0] / seen];
      };
      for (let s = 0; s < batches.length; s++) {
        if (
          (opts.stopAfterSteps !== undefined && globalStep >= opts.stopAfterSteps) ||
          opts.signal?.aborted
        ) {
          stopped = true;
          break;
        }
        const positions = batches[s];
        const b = positions.length;
        const paths = samplePaths(streams.paths, net.numSearchCells);
        const x = makeBatch(set, positions, {
          augment: true,
          rng: () => streams.augment.random(),
        });
        const idx = new Int32Array(b);
        for (let j = 0; j < b; j++) idx[j] = labelIndex[positions[j]];
        const y = batchLabels(scheme, lab.ctx, idx, streams.labelIter, lab.current);
        for (let j = 0; j < b; j++) {
          if (!(y[j] >= 0 && y[j] < cfg.numClasses)) {
            throw new RangeError(
              `label ${y[j]} of image ${positions[j]} is outside [0, ${cfg.numClasses - 1}]`,
            );
          }
        }
        const stepNo = s + 1;
        tf.tidy(() => {
          const xT = tf.tensor4d(x, [b, cfg.inputSize, cfg.inputSize, 3]) as Tensor4D;
          const yT = tf.tensor1d(y, "int32") as Tensor1D;
          const r = stepper.step(xT, yT, paths, lr);
          lossSum.assign(tf.add(lossSum, tf.mul(r.loss, b)));
          correct.assign(tf.add(correct, r.correct));
          const bad = tf.logicalAnd(tf.less(badStep, 0), tf.logicalNot(tf.isFinite(r.loss)));
          badStep.assign(tf.where(bad, tf.scalar(stepNo), badStep as tf.Scalar));
          tf.dispose([r.loss, r.correct]); // kept by the stepper, so not this tidy's
        });
        seen += b;
        globalStep++;
        if (stepNo % progressEvery === 0 && stepNo < batches.length) {
          const [loss, accuracy] = await readBack(stepNo);
          opts.onBatch?.({
            epoch,
            step: stepNo,
            steps: batches.length,
            globalStep,
            loss,
            accuracy,
            lr,
            imagesPerSecond: seen / ((performance.now() - t0) / 1000),
          });
        }
      }
      if (stopped) break;
      const [loss, accuracy] = await readBack(batches.length);
      if (!Number.isFinite(loss)) {
        throw new TrainingDivergedError(epoch, batches.length, lastCheckpoint, lr);
      }
      const seconds = (performance.now() - t0) / 1000;
      const rec: EpochRecord = {
        epoch,
        lr,
        loss,
        accuracy,
        images: seen,
        steps: batches.length,
        seconds,
      };
      history.push(rec);
      epochsDone = epoch;
      sessionEpochs++;
      if (dir !== undefined) {
        await checkpoint(batches.length, lr, lastCheckpoint);
        lastCheckpoint = epoch;
        await pruneCheckpoints(dir, epoch, keepEvery);
      }
      const mean = (performance.now() - sessionStart) / 1000 / sessionEpochs;
      onEpoch?.({
        ...rec,
        epochs: cfg.epochs,
        imagesPerSecond: seen / seconds,
        etaSeconds: mean * (cfg.epochs - epoch),
      });
    }
    return {
      net,
      history,
      epochsDone,
      globalStep,
      stopped,
      resumedFrom,
      labelIndexing: lab.indexing,
      config: cfg,
    };
  } catch (e) {
    net.dispose();
    throw e;
  } finally {
    sgd?.dispose();
    for (const v of acc) v.dispose();
  }
}

/** The run {@link estimateCheckpointDisk} estimates (a {@link TrainConfig} fits). */
export interface CheckpointDiskRun {
  /** Epochs `E`. */
  epochs: number;
  /** Classifier width. */
  numClasses: number;
  /** SuperNet channels `C` (default 16). */
  channels?: number;
  /** Search cells per stage `N` (default 5). */
  cellsPerStage?: number;
  /** Dataset (default `"cifar10"`). */
  dataset?: DatasetName;
  /** Label scheme (default the official random labels). */
  labels?: string;
  /** Training images (default the dataset's training-set size). */
  images?: number;
  /** Batch size (default 64). */
  batchSize?: number;
}

/** What {@link estimateCheckpointDisk} returns (bytes and file counts). */
export interface CheckpointDiskEstimate {
  /** Size of one `epoch-K.safetensors` (weights + BN statistics). */
  weightsFileBytes: number;
  /** Size of one `state-K.safetensors` once every parameter has a momentum buffer. */
  stateFileBytes: number;
  /** Weights files kept at the end of the run (W0, every `keepEvery`-th epoch, the last). */
  weightsFiles: number;
  /** State files kept at the end of the run (the last). */
  stateFiles: number;
  /** Bytes of checkpoint files kept at the end of the run. */
  bytes: number;
  /** Most bytes during the run (while a new checkpoint is written before the old is pruned). */
  peakBytes: number;
  /** Parameter values (trainable). */
  parameters: number;
  /** BN running-statistic values. */
  bnStatistics: number;
}

/**
 * PyTorch names and shapes of the SuperNet's parameters and BN buffers, in the layout of
 * `SuperNet` (`search_spaces/nb201/supernet.ts`), without building it.
 */
export function supernetTensorShapes(
  net: { channels?: number; cellsPerStage?: number; numClasses: number },
): { params: Map<string, number[]>; buffers: Map<string, number[]> } {
  const c = net.channels ?? 16;
  const n = net.cellsPerStage ?? 5;
  const params = new Map<string, number[]>();
  const buffers = new Map<string, number[]>();
  const bn = (prefix: string, ch: number, affine: boolean) => {
    if (affine) {
      params.set(`${prefix}.weight`, [ch]);
      params.set(`${prefix}.bias`, [ch]);
    }
    buffers.set(`${prefix}.running_mean`, [ch]);
    buffers.set(`${prefix}.running_var`, [ch]);
  };
  params.set("stem.0.weight", [c, 3, 3, 3]);
  bn("stem.1", c, true);
  const resnet = resnetCellIndices(n);
  let prev = c;
  for (let k = 0; k < 3 * n + 2; k++) {
    if (resnet.includes(k)) {
      const out = prev * 2;
      params.set(`cells.${k}.conv_a.op.1.weight`, [out, prev, 3, 3]);
      bn(`cells.${k}.conv_a.op.2`, out, true);
      params.set(`cells.${k}.conv_b.op.1.weight`, [out, out, 3, 3]);
      bn(`cells.${k}.conv_b.op.2`, out, true);
      params.set(`cells.${k}.downsample.1.weight`, [out, prev, 1, 1]);
      prev = out;
    } else {
      for (const [i, j] of NB201_EDGES) {
        for (const [op, ks] of [[2, 1], [3, 3]]) {
          const prefix = `cells.${k}.edges.${i}<-${j}.${op}.op`;
          params.set(`${prefix}.1.weight`, [prev, prev, ks, ks]);
          bn(`${prefix}.2`, prev, false);
        }
      }
    }
  }
  bn("lastact.0", prev, true);
  params.set("classifier.weight", [net.numClasses, prev]);
  params.set("classifier.bias", [net.numClasses]);
  return { params, buffers };
}

function _numel(shapes: ReadonlyMap<string, readonly number[]>): number {
  let total = 0;
  for (const s of shapes.values()) total += s.reduce((a, b) => a * b, 1);
  return total;
}

/**
 * The disk a checkpointed run takes with retention `keepEvery` (see `checkpoint.ts`), computed
 * from the SuperNet's tensor shapes (4 bytes per value) and the files' exact headers: the weights
 * file holds every parameter and BN statistic; the state file the momentum of every parameter
 * (the worst case: every op has been sampled, as after the first epoch of a full-size run), the
 * labels of per-iteration label schemes, and the JSON state with `E` epoch records.
 */
export function estimateCheckpointDisk(
  run: CheckpointDiskRun,
  keepEvery: number = DEFAULT_KEEP_EVERY,
): CheckpointDiskEstimate {
  _posInt("epochs", run.epochs);
  _posInt("numClasses", run.numClasses, 2);
  _posInt("keepEvery", keepEvery);
  const dataset = run.dataset ?? "cifar10";
  const labels = run.labels ?? DEFAULT_LABEL_SCHEME;
  const images = run.images ?? DATASET_TRAIN_SIZE[dataset];
  const steps = Math.ceil(images / (run.batchSize ?? 64));
  const { params, buffers } = supernetTensorShapes(run);
  const seed = (run as Partial<TrainConfig>).seed ?? 0;
  const meta: CheckpointMeta = {
    dataset,
    numClasses: run.numClasses,
    inputSize: (run as Partial<TrainConfig>).inputSize ?? (dataset === "ImageNet16-120" ? 16 : 32),
    labels,
    seed,
    config: run,
  };
  const weightShapes = new Map([...params, ...buffers]);
  const weightsFileBytes = safetensorsFileSize(
    weightShapes,
    weightsFileMetadata(run.epochs, meta),
  );
  const stateShapes = new Map<string, number[]>();
  for (const [name, shape] of params) stateShapes.set(momentumTensorName(name), shape);
  if (getLabelScheme(labels).perIteration) {
    stateShapes.set(LABELS_TENSOR, [DATASET_TRAIN_SIZE[dataset]]);
  }
  const streams = _streams(streamSeeds(seed));
  const record: EpochRecord = {
    epoch: run.epochs,
    lr: 0.012345678901234568,
    loss: 2.3025850929940457,
    accuracy: 0.10123456789012345,
    images,
    steps,
    seconds: 1234.5678901234567,
  };
  const stateFileBytes = safetensorsFileSize(
    stateShapes,
    stateFileMetadata({
      epoch: run.epochs,
      globalStep: run.epochs * steps,
      sgd: { momentum: new Map(), touched: [...params.keys()], steps: run.epochs * steps },
      rng: _snapshot(streams),
      history: Array.from({ length: run.epochs }, () => record),
    }),
  );
  const e = run.epochs;
  const weightsFiles = 1 + Math.floor(e / keepEvery) + (e % keepEvery === 0 ? 0 : 1);
  const bytes = weightsFiles * weightsFileBytes + stateFileBytes;
  return {
    weightsFileBytes,
    stateFileBytes,
    weightsFiles,
    stateFiles: 1,
    bytes,
    peakBytes: bytes + weightsFileBytes + stateFileBytes,
    parameters: _numel(params),
    bnStatistics: _numel(buffers),
  };
}
