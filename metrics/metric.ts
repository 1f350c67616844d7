/**
 * The architecture-metric interface: a named factory that turns a {@link MetricContext}
 * (checkpoints, a SuperNet and data, ...) into a {@link MetricScorer} for batches of genotypes.
 * Metrics are listed in {@link ./registry.ts}; the NB201 benchmarks score only through it
 * (`benchmarks/_nb201/metric_scorer.ts`: the context holds what `requires` names, checked up
 * front, and searches maximise the value, negated when `higherIsBetter` is false).
 *
 * @module
 */
import type { ImageSet } from "../datasets/image_set.ts";
import type { Genotype, WeightMap } from "./_layout.ts";
import type { AnglePrecision } from "./angle.ts";
import type { ProxyNetwork } from "./proxy_network.ts";
import type {
  AccuracyData,
  AccuracyDataOptions,
  AccuracyOptions,
  RecalibratableNet,
} from "./accuracy.ts";

/** Everything a metric may need; each metric reads only its own fields. */
export interface MetricContext {
  /** Angle: the epoch-0 checkpoint W0, loaded or as a safetensors path. */
  w0?: WeightMap | string;
  /** Angle: the trained checkpoint Wt, loaded or as a safetensors path. */
  wt?: WeightMap | string;
  /** Classifier width; checked against the checkpoints when given. */
  numClasses?: number;
  /** Angle: precision of the cosine, `"float64"` (default) or `"float32"` (see `angle.ts`). */
  anglePrecision?: AnglePrecision;
  /** Accuracy: the SuperNet holding the trained weights. */
  net?: RecalibratableNet;
  /** Accuracy: the training split the calibration images are drawn from. */
  train?: ImageSet;
  /** Accuracy: the validation split that is scored. */
  valid?: ImageSet;
  /** Accuracy: pre-built cached images (instead of `train` + `valid`). */
  accuracyData?: AccuracyData;
  /** Accuracy: sizes, seed, labels and recalibration switch (profile values). */
  accuracy?: AccuracyDataOptions & AccuracyOptions;
  /** Seed of stochastic metrics (`random`); default 0. */
  seed?: number;
  /**
   * Cost model of the search space for the dataset scored: parameters and FLOPs (millions) of
   * the evaluated network of a genotype (`params`, `flops`).
   */
  cost?: (g: readonly number[]) => { paramsM: number; flopsM: number };
  /**
   * Zero-cost proxies: builds the standalone network of a genotype, freshly initialised with the
   * PyTorch default (the caller disposes it); NB201: `search_spaces/nb201/network.ts`.
   */
  network?: (g: readonly number[]) => ProxyNetwork;
  /** Zero-cost proxies: one batch of training images and their true labels. */
  batch?: ProxyBatch;
}

/**
 * One batch of training images (training augmentation) for the zero-cost proxies: NHWC
 * float32, normalised like the training data.
 */
export interface ProxyBatch {
  /** `count * side * side * 3` values. */
  x: Float32Array;
  /** True labels, one per image. */
  labels: Int32Array;
  count: number;
  /** Image side in pixels. */
  side: number;
  /** How it was drawn (recorded with every score), e.g. `64 cifar10 train images, seed 0`. */
  description: string;
}

/** Scores genotypes (one value per genotype, in order); `dispose` frees what it holds. */
export interface MetricScorer {
  /** The scores of `gs`, in order. */
  (gs: readonly Genotype[]): Promise<Float64Array>;
  /** Free held resources (tensors); further calls throw. */
  dispose(): void;
}

/** A registered architecture metric. */
export interface ArchMetric {
  /** Registry name (what benchmarks and methods name the metric by). */
  readonly name: string;
  /** One line for listings. */
  readonly description: string;
  /** Whether larger scores mean better architectures. */
  readonly higherIsBetter: boolean;
  /** The context fields the metric needs. */
  readonly requires: readonly (keyof MetricContext)[];
  /** Build a scorer; throws naming a missing context field. */
  create(ctx: MetricContext): Promise<MetricScorer>;
}

/**
 * Wrap `fn` as a {@link MetricScorer} that refuses calls after `dispose()`; synchronous throws of
 * `fn` become rejections.
 */
export function makeScorer(
  name: string,
  fn: (gs: readonly Genotype[]) => Promise<Float64Array>,
  release: () => void = () => {},
): MetricScorer {
  let disposed = false;
  const scorer = (gs: readonly Genotype[]) => {
    if (disposed) return Promise.reject(new Error(`metric "${name}": scorer used after dispose()`));
    try {
      return fn(gs);
    } catch (e) {
      return Promise.reject(e);
    }
  };
  return Object.assign(scorer, {
    dispose() {
      if (disposed) return;
      disposed = true;
      release();
    },
  });
}

/** Throw unless `ctx[field]` is set, naming the metric and the field. */
export function requireField<K extends keyof MetricContext>(
  metric: string,
  ctx: MetricContext,
  field: K,
): NonNullable<MetricContext[K]> {
  const v = ctx[field];
  if (v === undefined || v === null) {
    throw new Error(`metric "${metric}" needs context.${String(field)}`);
  }
  return v as NonNullable<MetricContext[K]>;
}
