/**
 * The BN-recalibrated accuracy metric (spec §4; ABS `exps/angle/get_acc.py`), for the
 * accuracy-based rows of Table 2 ("methods A and C").
 *
 * Per architecture: the genotype is set in every search cell; every BatchNorm's running statistics
 * are reset (mean 0, var 1); a FIXED cached set of augmented training images (drawn once with a
 * seed and reused for every architecture) is forwarded in train mode, without gradients, in chunks;
 * then top-1 accuracy is measured in eval mode on the validation images.
 *
 * Recalibration (`bnMomentum`): the official protocol keeps PyTorch's momentum 0.1, so after n
 * chunks the running statistics are an exponential moving average that still weights the reset
 * values (mean 0, var 1) by 0.9^n (40 chunks of the official 20,000 images: 1.5 %) and the chunks
 * by 0.1·0.9^(n-i). With few chunks that reset weight dominates (one chunk: 90 %), so small
 * profiles use `"cumulative"`: PyTorch's `momentum=None`, chunk i (from 1) updates with momentum
 * 1/i, which leaves the mean over the chunks of the batch means and of the unbiased batch
 * variances, and weight 0 on the reset values. {@link resetStatsWeight} gives the weight left. Trainable weights are never changed; the BN running statistics are left as
 * recalibrated for the last scored architecture (with `recalibrate: false` they are left untouched,
 * which gives the "accuracy without recalibration" row).
 *
 * Labels: the validation images are scored against their TRUE labels by default, as in the
 * official loaders. The spec leaves open how method C (random-label SuperNet scored by accuracy)
 * labelled its evaluation data (UNCONFIRMED): pass `evalLabels` to score against any other
 * labelling, e.g. the random-label generator applied to the validation images.
 *
 * Defaults follow the spec: 20 000 calibration images in chunks of 512 (39 x 512 + 1 x 32) at
 * momentum 0.1, the full validation set, eval batch 512. Smaller profiles pass smaller sizes (and
 * `bnMomentum: "cumulative"`, `benchmarks/_nb201/settings.ts`).
 *
 * @module
 */
import { tf } from "../backends/tf.ts";
import type { Tensor, Tensor2D, Tensor4D } from "../backends/tf.ts";
import { makeBatch } from "../datasets/augment.ts";
import type { ImageSet } from "../datasets/image_set.ts";
import { RandomState } from "../labels/random_state.ts";
import { type Genotype as CellGenotype, toGenotype } from "../search_spaces/nb201/encoding.ts";
import { checkGenotype, type Genotype } from "./_layout.ts";

/** What the evaluator needs from a SuperNet (`search_spaces/nb201/supernet.ts` satisfies it). */
export interface RecalibratableNet {
  /**
   * Logits `[n, numClasses]` of NHWC images with one genotype per search cell. In training mode
   * every executed BatchNorm normalises with batch statistics and updates its running statistics
   * with momentum `opts.bnMomentum` (default PyTorch's 0.1); in eval mode it uses the running
   * statistics.
   */
  forward(
    x: Tensor4D,
    paths: readonly CellGenotype[],
    training: boolean,
    opts?: { bnMomentum?: number },
  ): Tensor2D;
  /** Reset the running statistics of every BatchNorm (mean 0, var 1). */
  resetRunningStats(): void;
  /** Number of search cells (15 for NB201); 15 when absent. */
  readonly numSearchCells?: number;
}

/** Sizes and seed of the cached images (the profile decides; defaults = spec §4). */
export interface AccuracyDataOptions {
  /** Number of calibration images (default 20 000). */
  calibImages?: number;
  /** Number of validation images, the first ones of the validation set (default: all). */
  validImages?: number;
  /** Seed of the calibration draw (shuffle order and augmentation; default 0). */
  seed?: number;
}

/** The cached, pre-transformed images of an {@link AccuracyEvaluator}. */
export interface AccuracyData {
  /** Image side in pixels. */
  size: number;
  /** Calibration images, NHWC normalised and augmented (`n * size * size * 3`). */
  calibration: Float32Array;
  /** Validation images, NHWC normalised, eval transform. */
  validation: Float32Array;
  /** True labels of the validation images. */
  validLabels: Int32Array;
}

/** Options of {@link AccuracyEvaluator}. */
export interface AccuracyOptions {
  /**
   * Calibration chunk size (default 512, spec §4). It is part of the metric (BN batch statistics
   * are per chunk). Note: on the wasm backend, full-size 32x32 chunks of >= 256 images currently
   * exceed wasm memory because `SuperNet.forward` keeps all intermediates until it returns.
   */
  chunkSize?: number;
  /** Eval batch size (default 512); does not change the result (eval mode is per image). */
  evalBatch?: number;
  /**
   * BN momentum of the recalibration: a number in (0, 1] (default 0.1, the official EMA) or
   * `"cumulative"` (PyTorch `momentum=None`: chunk i uses 1/i, a plain average over the chunks;
   * the reset statistics get weight 0). See the module doc and {@link resetStatsWeight}.
   */
  bnMomentum?: number | "cumulative";
  /**
   * Labels to score against instead of the true ones (one per validation image), e.g. random
   * labels for a random-label SuperNet (spec §4, method C, UNCONFIRMED).
   */
  evalLabels?: Int32Array;
  /** Recalibrate BN before scoring (default true); false scores with the current running stats. */
  recalibrate?: boolean;
  /**
   * Number of search cells (default: `net.numSearchCells`, else 15); the genotype is applied to
   * all of them.
   */
  numSearchCells?: number;
}

/** Options of {@link AccuracyEvaluator.score} that override the evaluator's for one call. */
export interface ScoreOptions {
  /** Recalibrate BN before scoring (default: the evaluator's setting). */
  recalibrate?: boolean;
}

/** The recalibration's BN momentum: a number in (0, 1] or `"cumulative"`. */
export type BnMomentum = number | "cumulative";

function _checkMomentum(m: BnMomentum): BnMomentum {
  if (m !== "cumulative" && !(typeof m === "number" && m > 0 && m <= 1)) {
    throw new RangeError(`bnMomentum must be a number in (0, 1] or "cumulative", got ${m}`);
  }
  return m;
}

/**
 * The weight the reset running statistics (mean 0, var 1) keep after recalibrating with
 * `calibImages` images in chunks of `chunkSize`: `(1 - m)^chunks` for momentum `m`, 0 for
 * `"cumulative"`. The official 20,000 images in chunks of 512 (40 chunks) at 0.1: 0.9^40 = 1.5 %.
 */
export function resetStatsWeight(
  calibImages: number,
  chunkSize: number,
  bnMomentum: BnMomentum = 0.1,
): number {
  const n = Math.ceil(
    _positiveInt("calibImages", calibImages) / _positiveInt("chunkSize", chunkSize),
  );
  return _checkMomentum(bnMomentum) === "cumulative" ? 0 : (1 - (bnMomentum as number)) ** n;
}

function _positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${v}`);
  }
  return v;
}

/**
 * Draw the cached images of the accuracy metric. Calibration: the first `calibImages` images of
 * the training set in shuffled order (a numpy-compatible `RandomState(seed)` permutation; a new
 * permutation per pass when more images than the set holds are asked for, like successive epochs
 * of a shuffled loader), augmented with the training transform (flip + padded crop, draws from the
 * same `RandomState`). Validation: the first `validImages` images of `valid`, eval transform.
 */
export function buildAccuracyData(
  train: ImageSet,
  valid: ImageSet,
  opts: AccuracyDataOptions = {},
): AccuracyData {
  if (train.size !== valid.size) {
    throw new RangeError(`train images are ${train.size}px but valid images ${valid.size}px`);
  }
  const nCal = _positiveInt("calibImages", opts.calibImages ?? 20_000);
  const nVal = _positiveInt("validImages", opts.validImages ?? valid.count);
  if (nVal > valid.count) {
    throw new RangeError(`validImages ${nVal} exceeds the ${valid.count} validation images`);
  }
  if (train.count < 1) throw new RangeError("the training set is empty");
  const rs = new RandomState(opts.seed ?? 0);
  const positions = new Int32Array(nCal);
  for (let at = 0; at < nCal;) {
    const perm = rs.permutation(train.count);
    const take = Math.min(perm.length, nCal - at);
    positions.set(perm.subarray(0, take), at);
    at += take;
  }
  const calibration = makeBatch(train, positions, { augment: true, rng: () => rs.random() });
  const valPos = Int32Array.from({ length: nVal }, (_, i) => i);
  const validation = makeBatch(valid, valPos, { augment: false });
  return { size: train.size, calibration, validation, validLabels: valid.labels.slice(0, nVal) };
}

/**
 * Scores genotypes by BN-recalibrated top-1 accuracy (percent, 0..100). Holds the calibration
 * chunks and validation batches as tensors, built once; call {@link dispose} when done.
 */
export class AccuracyEvaluator {
  readonly #net: RecalibratableNet;
  readonly #calib: Tensor4D[] = [];
  readonly #valid: { x: Tensor4D; y: Tensor }[] = [];
  readonly #recalibrate: boolean;
  readonly #momentum: BnMomentum;
  readonly #numCells: number;
  /** Number of validation images scored. */
  readonly validCount: number;
  /** Number of calibration images forwarded per recalibration. */
  readonly calibCount: number;
  #disposed = false;

  /** Upload `data` (see {@link buildAccuracyData}) as tensors for `net`. */
  constructor(net: RecalibratableNet, data: AccuracyData, opts: AccuracyOptions = {}) {
    const chunk = _positiveInt("chunkSize", opts.chunkSize ?? 512);
    const batch = _positiveInt("evalBatch", opts.evalBatch ?? 512);
    this.#momentum = _checkMomentum(opts.bnMomentum ?? 0.1);
    this.#numCells = _positiveInt(
      "numSearchCells",
      opts.numSearchCells ?? net.numSearchCells ?? 15,
    );
    const s = data.size;
    const stride = s * s * 3;
    if (data.calibration.length % stride !== 0 || data.validation.length % stride !== 0) {
      throw new RangeError(`image data is not a whole number of ${s}x${s}x3 images`);
    }
    this.calibCount = data.calibration.length / stride;
    this.validCount = data.validation.length / stride;
    if (data.validLabels.length !== this.validCount) {
      throw new RangeError(
        `${data.validLabels.length} validation labels for ${this.validCount} validation images`,
      );
    }
    const labels = opts.evalLabels ?? data.validLabels;
    if (labels.length !== this.validCount) {
      throw new RangeError(
        `evalLabels has ${labels.length} labels, expected one per validation image ` +
          `(${this.validCount})`,
      );
    }
    if (this.validCount < 1) throw new RangeError("no validation images to score");
    this.#net = net;
    this.#recalibrate = opts.recalibrate ?? true;
    for (let i = 0; i < this.calibCount; i += chunk) {
      const n = Math.min(chunk, this.calibCount - i);
      this.#calib.push(
        tf.tensor4d(data.calibration.subarray(i * stride, (i + n) * stride), [n, s, s, 3]),
      );
    }
    for (let i = 0; i < this.validCount; i += batch) {
      const n = Math.min(batch, this.validCount - i);
      this.#valid.push({
        x: tf.tensor4d(data.validation.subarray(i * stride, (i + n) * stride), [n, s, s, 3]),
        y: tf.tensor1d(labels.subarray(i, i + n), "int32"),
      });
    }
  }

  /**
   * Build the cached images from image sets ({@link buildAccuracyData}) and upload them.
   * `opts` holds both the data sizes and the evaluator options.
   */
  static fromImageSets(
    net: RecalibratableNet,
    train: ImageSet,
    valid: ImageSet,
    opts: AccuracyDataOptions & AccuracyOptions = {},
  ): AccuracyEvaluator {
    return new AccuracyEvaluator(net, buildAccuracyData(train, valid, opts), opts);
  }

  #check(): void {
    if (this.#disposed) throw new Error("AccuracyEvaluator used after dispose()");
  }

  #paths(g: Genotype): CellGenotype[] {
    checkGenotype(g);
    const cell = toGenotype(g);
    return Array.from({ length: this.#numCells }, () => cell);
  }

  /**
   * Reset every BN's running statistics and forward the calibration chunks in train mode, with
   * the evaluator's `bnMomentum` (`"cumulative"`: chunk i, from 1, with momentum 1/i).
   */
  recalibrate(g: Genotype): void {
    this.#check();
    const paths = this.#paths(g);
    this.#net.resetRunningStats();
    this.#calib.forEach((x, i) => {
      const bnMomentum = this.#momentum === "cumulative" ? 1 / (i + 1) : this.#momentum;
      tf.tidy(() => void this.#net.forward(x, paths, true, { bnMomentum }));
    });
  }

  /** The BN momentum of the recalibration. */
  get bnMomentum(): BnMomentum {
    return this.#momentum;
  }

  /** Top-1 accuracy (percent) of `g` in eval mode with the current running statistics. */
  async evaluate(g: Genotype): Promise<number> {
    this.#check();
    const paths = this.#paths(g);
    let correct: Tensor = tf.scalar(0, "int32");
    for (const { x, y } of this.#valid) {
      const next = tf.tidy(() => {
        const pred = tf.argMax(this.#net.forward(x, paths, false), 1).toInt();
        return tf.add(correct, tf.sum(tf.equal(pred, y).toInt()));
      });
      correct.dispose();
      correct = next;
    }
    const count = (await correct.data())[0];
    correct.dispose();
    return (100 * count) / this.validCount;
  }

  /** Recalibrate (unless disabled) and evaluate one genotype: top-1 accuracy in percent. */
  async score(g: Genotype, opts: ScoreOptions = {}): Promise<number> {
    checkGenotype(g);
    if (opts.recalibrate ?? this.#recalibrate) this.recalibrate(g);
    return await this.evaluate(g);
  }

  /** Score many genotypes in order (one recalibration each). */
  async scoreMany(gs: readonly Genotype[], opts: ScoreOptions = {}): Promise<Float64Array> {
    for (const g of gs) checkGenotype(g);
    const out = new Float64Array(gs.length);
    for (let i = 0; i < gs.length; i++) out[i] = await this.score(gs[i], opts);
    return out;
  }

  /** Free the cached tensors. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const t of this.#calib) t.dispose();
    for (const { x, y } of this.#valid) {
      x.dispose();
      y.dispose();
    }
  }
}
