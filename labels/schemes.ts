/**
 * Registry of label schemes for supernet training (spec §2).
 *
 * The official RLNAS code has one scheme, `random-uniform-once` (the default): before training,
 * `np.random.seed(s); np.random.randint(low, high, N)` over ALL `N` training images of the
 * dataset. The other random schemes are the paper's Table 6 variants, which have no official
 * code (spec §2.2, **UNCONFIRMED**); their definitions here are our documented choices.
 *
 * Adding a scheme: write one {@link LabelScheme} object and add it to `_SCHEMES`.
 *
 * @module
 */
import { RandomState } from "./random_state.ts";

/** Datasets that have label schemes. */
export type LabelDataset = "cifar10" | "cifar100" | "ImageNet16-120";

/**
 * Number of official training images per dataset (`N` of the official draws). Labels are always
 * produced for all `N` official indices even when a smaller subset of images is loaded.
 */
export const DATASET_TRAIN_SIZE: Readonly<Record<LabelDataset, number>> = Object.freeze({
  cifar10: 50000,
  cifar100: 50000,
  "ImageNet16-120": 151700,
});

/** Real class count per dataset. */
export const DATASET_NUM_CLASSES: Readonly<Record<LabelDataset, number>> = Object.freeze({
  cifar10: 10,
  cifar100: 100,
  "ImageNet16-120": 120,
});

/** What a label scheme needs to know about the run. */
export interface LabelSchemeContext {
  /** Ground-truth labels of the training images, official order (all `N` when available). */
  trueLabels: Int32Array;
  /** Real class count of the dataset. */
  numClasses: number;
  /** `K`, the class count of random schemes (Figure 1 study); default `numClasses`. */
  randomClasses?: number;
  /** Seed of the run (`np.random.seed(seed)` in the official code). */
  seed: number;
  /** Dataset name. */
  dataset: LabelDataset;
  /**
   * Number of official training images to label; default {@link DATASET_TRAIN_SIZE}. Only change
   * it for synthetic data: the official draws always cover the whole training set.
   */
  numImages?: number;
}

/** One label scheme. */
export interface LabelScheme {
  /** Registry key. */
  name: string;
  /** One-line description (printed by the CLI). */
  description: string;
  /** Whether the labels are random (anything except the ground truth). */
  random: boolean;
  /** Whether labels are re-drawn for every batch (then {@link LabelScheme.batch} is defined). */
  perIteration: boolean;
  /**
   * Labels of the whole run, indexed by official training index. For per-iteration schemes these
   * are the labels before the first iteration (the matching once-scheme's labels).
   */
  initial(ctx: LabelSchemeContext): Int32Array;
  /**
   * Per-iteration schemes only: the labels of one batch, given the batch's official image indices,
   * the run's generator `rng` (consumed) and the run's current label array `current`.
   */
  batch?(
    ctx: LabelSchemeContext,
    indices: ArrayLike<number>,
    rng: RandomState,
    current: Int32Array,
  ): Int32Array;
}

/** The default scheme of RLNAS (the only one in the official code). */
export const DEFAULT_LABEL_SCHEME = "random-uniform-once";

/** `K` of random schemes: `ctx.randomClasses ?? ctx.numClasses`, validated. */
export function randomClassCount(ctx: LabelSchemeContext): number {
  const k = ctx.randomClasses ?? ctx.numClasses;
  if (!Number.isInteger(k) || k < 1 || k > 0x7fffffff) {
    throw new RangeError(`randomClasses must be a positive integer, got ${k}`);
  }
  return k;
}

function _checkContext(ctx: LabelSchemeContext): void {
  if (!(ctx.dataset in DATASET_TRAIN_SIZE)) {
    throw new RangeError(
      `unknown dataset "${ctx.dataset}"; valid: ${Object.keys(DATASET_TRAIN_SIZE).join(", ")}`,
    );
  }
  if (!Number.isInteger(ctx.numClasses) || ctx.numClasses < 1) {
    throw new RangeError(`numClasses must be a positive integer, got ${ctx.numClasses}`);
  }
  if (!(ctx.trueLabels instanceof Int32Array)) {
    throw new TypeError("trueLabels must be an Int32Array");
  }
  randomClassCount(ctx);
}

function _numImages(ctx: LabelSchemeContext): number {
  const n = ctx.numImages ?? DATASET_TRAIN_SIZE[ctx.dataset];
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`numImages must be a non-negative integer, got ${n}`);
  }
  return n;
}

/**
 * Checks that the scheme can use the ground truth (non-empty, real class count) and, when
 * `scanValues`, that every label is in range (per-batch callers check only the labels they read).
 */
function _checkTrueLabels(ctx: LabelSchemeContext, scheme: string, scanValues = true): void {
  if (ctx.trueLabels.length === 0) {
    throw new RangeError(`label scheme "${scheme}" needs ctx.trueLabels, got an empty array`);
  }
  if (ctx.randomClasses !== undefined && ctx.randomClasses !== ctx.numClasses) {
    throw new RangeError(
      `label scheme "${scheme}" keeps the real ${ctx.numClasses} classes; ` +
        `randomClasses=${ctx.randomClasses} is only valid for the random-uniform schemes`,
    );
  }
  if (scanValues) {
    for (let i = 0; i < ctx.trueLabels.length; i++) _checkLabel(ctx, i);
  }
}

function _checkLabel(ctx: LabelSchemeContext, i: number): void {
  const v = ctx.trueLabels[i];
  if (v < 0 || v >= ctx.numClasses) {
    throw new RangeError(
      `trueLabels[${i}] = ${v} is outside [0, ${
        ctx.numClasses - 1
      }] (numClasses=${ctx.numClasses})`,
    );
  }
}

function _checkIndices(indices: ArrayLike<number>, n: number, scheme: string): void {
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i];
    if (!Number.isInteger(j) || j < 0 || j >= n) {
      throw new RangeError(
        `label scheme "${scheme}": batch index ${j} is outside [0, ${n - 1}]`,
      );
    }
  }
}

/**
 * The official random labels: `np.random.seed(seed); np.random.randint(low, high, N)` over all
 * `N` training images. With `K` = the real class count: CIFAR `randint(0, K, N)`; ImageNet16-120
 * `randint(1, 121, N) - 1` (the dataset's built-in shift); with any other `K`: `randint(0, K, N)`.
 */
export function uniformRandomLabels(ctx: LabelSchemeContext): Int32Array {
  _checkContext(ctx);
  return _drawUniform(
    new RandomState(ctx.seed),
    ctx.dataset,
    randomClassCount(ctx),
    _numImages(ctx),
  );
}

/** The official draw of `n` labels in `0..k-1` from `rs` (consumed), see {@link uniformRandomLabels}. */
function _drawUniform(rs: RandomState, dataset: LabelDataset, k: number, n: number): Int32Array {
  if (dataset === "ImageNet16-120" && k === DATASET_NUM_CLASSES["ImageNet16-120"]) {
    const labels = rs.randint(1, k + 1, n);
    for (let i = 0; i < n; i++) labels[i] -= 1;
    return labels;
  }
  return rs.randint(0, k, n);
}

/**
 * The random state every NB201 search continues from: numpy's global RNG after the official
 * evolution script's seeding and label draw (spec §5.1, "state after the seed + label
 * generation"). `rlnas_evolution_search_with_angle.py` calls `prepare_seed(seed)` and then
 * `get_datasets(dataset, ..., rand_seed=seed)`, whose random-label dataset runs
 * `np.random.seed(seed); np.random.randint(lo, hi, N)` over all `N` training images (CIFAR-10
 * `randint(0, 10, 50000)`, CIFAR-100 `randint(0, 100, 50000)`, ImageNet16-120
 * `randint(1, 121, 151700)`); the evolution's first draw is the next one. So this is
 * `RandomState(seed)` advanced by exactly that draw.
 *
 * It depends on the dataset and the seed only, never on the SuperNet searched: the script draws
 * the dataset's labels whatever labels the SuperNet was trained on (ground truth, a Table 6
 * variant, an untrained pair), and always with the real class count, because no script exposes
 * the dataset's `num_classes` (so Figure 1's K-class SuperNets are searched from the same state as
 * the 10/100/120-class ones). One function for every search (evolution and random search,
 * `benchmarks/_nb201/search.ts`).
 */
export function stateAfterLabelDraws(dataset: LabelDataset, seed: number): RandomState {
  if (!Object.hasOwn(DATASET_TRAIN_SIZE, dataset)) {
    throw new RangeError(
      `unknown dataset "${dataset}"; valid: ${Object.keys(DATASET_TRAIN_SIZE).join(", ")}`,
    );
  }
  const rs = new RandomState(seed);
  _drawUniform(rs, dataset, DATASET_NUM_CLASSES[dataset], DATASET_TRAIN_SIZE[dataset]);
  return rs;
}

/**
 * Ground-truth labels permuted once: `labels = trueLabels.copy();
 * np.random.RandomState(seed).shuffle(labels)` (equal to `trueLabels[permutation(len)]`). The
 * histogram over all given labels is kept exactly.
 */
export function shuffledLabels(
  ctx: LabelSchemeContext,
  scheme = "random-shuffle-once",
): Int32Array {
  _checkContext(ctx);
  _checkTrueLabels(ctx, scheme);
  return new RandomState(ctx.seed).shuffle(ctx.trueLabels.slice());
}

const _groundTruth: LabelScheme = {
  name: "ground-truth",
  description: "the dataset's true labels",
  random: false,
  perIteration: false,
  initial(ctx) {
    _checkContext(ctx);
    _checkTrueLabels(ctx, "ground-truth");
    return ctx.trueLabels.slice();
  },
};

const _uniformOnce: LabelScheme = {
  name: "random-uniform-once",
  description: "official RLNAS: i.i.d. uniform labels drawn once before training " +
    "(np.random.seed(s); np.random.randint(lo, hi, N) over all N training images)",
  random: true,
  perIteration: false,
  initial: uniformRandomLabels,
};

const _shuffleOnce: LabelScheme = {
  name: "random-shuffle-once",
  description: "ground-truth labels permuted once with RandomState(seed).shuffle " +
    "(keeps the label histogram; UNCONFIRMED paper variant)",
  random: true,
  perIteration: false,
  initial: (ctx) => shuffledLabels(ctx, "random-shuffle-once"),
};

/**
 * UNCONFIRMED paper variant: fresh i.i.d. uniform labels for every batch from the run's generator.
 * `initial` gives the once-labels (what the run would use before any re-draw).
 */
const _uniformPerIteration: LabelScheme = {
  name: "random-uniform-per-iteration",
  description: "every batch's labels re-drawn uniformly: rng.randint(0, K, batchSize) " +
    "(UNCONFIRMED paper variant)",
  random: true,
  perIteration: true,
  initial: uniformRandomLabels,
  batch(ctx, indices, rng) {
    _checkContext(ctx);
    _checkIndices(indices, _numImages(ctx), "random-uniform-per-iteration");
    // randint(1, K+1) - 1 consumes the generator exactly like randint(0, K): same values.
    return rng.randint(0, randomClassCount(ctx), indices.length);
  },
};

/**
 * Our choice for the UNCONFIRMED "shuffled labels, re-drawn during training" variant: each batch
 * keeps the multiset of its own ground-truth labels, permuted among its images with the run's
 * generator (`lab = y[indices].copy(); rng.shuffle(lab)`). Since the loader shuffles images, these
 * are the labels of random other training images; the label histogram is kept exactly per batch.
 * An image keeps its true class with probability about `1/K + 1/B` (B = batch size).
 */
const _shufflePerIteration: LabelScheme = {
  name: "random-shuffle-per-iteration",
  description: "every batch gets its own ground-truth labels permuted within the batch: " +
    "lab = y[indices]; rng.shuffle(lab) (keeps the batch histogram; UNCONFIRMED paper variant)",
  random: true,
  perIteration: true,
  initial: (ctx) => shuffledLabels(ctx, "random-shuffle-per-iteration"),
  batch(ctx, indices, rng) {
    _checkContext(ctx);
    _checkTrueLabels(ctx, "random-shuffle-per-iteration", false);
    _checkIndices(indices, ctx.trueLabels.length, "random-shuffle-per-iteration");
    const labels = new Int32Array(indices.length);
    for (let i = 0; i < indices.length; i++) {
      _checkLabel(ctx, indices[i]);
      labels[i] = ctx.trueLabels[indices[i]];
    }
    return rng.shuffle(labels);
  },
};

/** All schemes, in display order. Add new schemes here. */
const _SCHEMES: readonly LabelScheme[] = [
  _groundTruth,
  _uniformOnce,
  _shuffleOnce,
  _uniformPerIteration,
  _shufflePerIteration,
];

/** The registry: scheme name -> scheme. */
export const labelSchemes: Readonly<Record<string, LabelScheme>> = Object.freeze(
  Object.fromEntries(_SCHEMES.map((s) => [s.name, s])),
);

/** Names of all registered schemes, in display order. */
export function labelSchemeNames(): string[] {
  return _SCHEMES.map((s) => s.name);
}

/** The scheme called `name`; throws a `RangeError` listing the valid names otherwise. */
export function getLabelScheme(name: string): LabelScheme {
  const s = Object.hasOwn(labelSchemes, name) ? labelSchemes[name] : undefined;
  if (s === undefined) {
    throw new RangeError(
      `unknown label scheme "${name}"; valid: ${labelSchemeNames().join(", ")}`,
    );
  }
  return s;
}

/**
 * Labels of one training batch under `scheme`: `scheme.batch(...)` for per-iteration schemes,
 * otherwise `current[indices]` (the labels fixed by `scheme.initial`).
 */
export function batchLabels(
  scheme: LabelScheme,
  ctx: LabelSchemeContext,
  indices: ArrayLike<number>,
  rng: RandomState,
  current: Int32Array,
): Int32Array {
  if (scheme.batch !== undefined) return scheme.batch(ctx, indices, rng, current);
  _checkIndices(indices, current.length, scheme.name);
  const out = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = current[indices[i]];
  return out;
}
