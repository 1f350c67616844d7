/**
 * The one way the NB201 benchmarks score architectures: a metric of the `METRICS` registry
 * (`metrics/registry.ts`), created on a {@link MetricSource} with a {@link MetricContext} holding
 * exactly what it `requires`, memoised per architecture and oriented for search by its
 * `higherIsBetter` (the search maximises the fitness; the rows keep the metric's own values).
 *
 * A metric needing a context field that its source cannot provide is refused before anything is
 * computed, naming the metric, the missing fields and what the source provides.
 *
 * @module
 */
import type { ArchMetric, MetricContext, MetricScorer, ProxyBatch } from "../../metrics/metric.ts";
import { makeBatch } from "../../datasets/augment.ts";
import { RandomState } from "../../labels/random_state.ts";
import { createNb201Network } from "../../search_spaces/nb201/network.ts";
import type { AnglePrecision } from "../../metrics/angle.ts";
import {
  DATASET_INFO,
  type DatasetName,
  type ImageSet,
  parseDatasetName,
} from "../../datasets/image_set.ts";
import { nb201Cost, nb201CostShape } from "../../search_spaces/nb201/cost.ts";
import type { Genome } from "../../search/fitness.ts";
import {
  genotypeFromIndex,
  genotypeToIndex,
  genotypeToString,
  NB201_SIZE,
} from "../../search_spaces/nb201/encoding.ts";
import { SuperNet, type SuperNetInit } from "../../search_spaces/nb201/supernet.ts";
import type { AccuracySettings } from "./settings.ts";
import { type CachedSuperNet, loadAnglePair, loadTrainedNet } from "./supernet_cache.ts";

/** Two untrained SuperNets of one initialisation and different seeds (Table 7's training free). */
export interface UntrainedPair {
  numClasses: number;
  inputSize: 32 | 16;
  channels: number;
  init: SuperNetInit;
  /** Seed of the SuperNet used as W0. */
  seedA: number;
  /** Seed of the SuperNet used as Wt (must differ from `seedA`). */
  seedB: number;
}

/**
 * What a metric scores: a trained SuperNet of the cache (with the data of its dataset, for
 * metrics that forward images), or an untrained pair.
 */
export type MetricSource =
  | { kind: "trained"; entry: CachedSuperNet; train: ImageSet; valid: ImageSet }
  | { kind: "untrained"; pair: UntrainedPair }
  | { kind: "space"; dataset: DatasetName; seed: number; train: ImageSet };

/** The context fields each kind of source provides. */
export const SOURCE_FIELDS: Readonly<
  Record<MetricSource["kind"], readonly (keyof MetricContext)[]>
> = {
  trained: [
    "w0",
    "wt",
    "numClasses",
    "anglePrecision",
    "net",
    "train",
    "valid",
    "accuracy",
    "seed",
    "cost",
    "network",
    "batch",
  ],
  untrained: ["w0", "wt", "numClasses", "anglePrecision", "seed", "cost"],
  space: ["numClasses", "seed", "cost", "network", "batch"],
};

const _SOURCE_NAMES: Readonly<Record<MetricSource["kind"], string>> = {
  trained: "a trained SuperNet",
  untrained: "an untrained SuperNet pair",
  space: "the search space alone (no SuperNet)",
};

/**
 * Whether `metric` forwards images through a network (the BN-recalibrated accuracy): such metrics
 * are scored one architecture at a time (each a unit of progress) and searched with the profile's
 * smaller accuracy-evolution budget.
 */
export function usesForwardPasses(metric: ArchMetric): boolean {
  return metric.requires.includes("net");
}

/**
 * Whether `metric` is computed one architecture at a time: the forward-pass metrics and those
 * building a standalone network (zero-cost proxies), seconds per architecture on a CPU; the
 * others (the angle, the cost model) score whole batches.
 */
export function scoresOneAtATime(metric: ArchMetric): boolean {
  return usesForwardPasses(metric) || metric.requires.includes("network");
}

/** Throws a `RangeError` unless `source` provides every field `metric` requires. */
export function checkRequires(metric: ArchMetric, kind: MetricSource["kind"]): void {
  const provided = SOURCE_FIELDS[kind];
  const missing = metric.requires.filter((f) => !provided.includes(f));
  if (missing.length > 0) {
    throw new RangeError(
      `metric "${metric.name}" needs ${missing.map((f) => `context.${f}`).join(", ")}, which ` +
        `${_SOURCE_NAMES[kind]} does not provide (it provides: ${provided.join(", ")})`,
    );
  }
}

/** A metric on one source: memoised scores, an oriented fitness, and what it was sized with. */
export interface SourceScorer {
  readonly metric: ArchMetric;
  /** The metric's values of `gs` (each architecture computed once per scorer). */
  scores(gs: readonly Genome[]): Promise<Float64Array>;
  /** The search fitness (a `Fitness`): the value, negated when the metric is lower-is-better. */
  readonly fitness: (gs: Genome[]) => Promise<number[]>;
  /** The values of all 15,625 architectures in enumeration order (computed once). */
  all(): Promise<Float64Array>;
  /** Distinct architectures scored so far. */
  readonly scored: number;
  /**
   * Takes values computed earlier (NB201 enumeration index, value), e.g. of an interrupted run,
   * so that they are not computed again.
   */
  prime(values: Iterable<readonly [number, number]>): void;
  /** Called with every newly computed value (to stream scores to disk). */
  listen(onValue: (index: number, value: number) => void): void;
  /** Calibration / validation images per architecture of a forward-pass metric, else `""`. */
  readonly calibImages: number | "";
  readonly validImages: number | "";
  /** Free what the metric holds (its scorer, a loaded SuperNet). */
  dispose(): void;
}

/** Options of {@link createSourceScorer}. */
export interface SourceScorerOptions {
  /** The run's angle precision. */
  anglePrecision?: AnglePrecision;
  /** The profile's accuracy-metric sizes (forward-pass metrics). */
  accuracy: AccuracySettings;
  /** Called once per newly scored architecture of a forward-pass metric. */
  onScored?: () => void;
  /** Images of the zero-cost proxies' batch (default {@link PROXY_BATCH_SIZE}). */
  proxyBatchSize?: number;
}

/** Images in the zero-cost proxies' batch (zero-cost-nas `nasbench2_pred.py`: 64). */
export const PROXY_BATCH_SIZE = 64;

/**
 * The zero-cost proxies' batch: `count` distinct images of `train` drawn with
 * `RandomState(seed).permutation`, with the training augmentation (flip and padded crop) drawn
 * from the same stream, and their true labels.
 */
export function proxyBatch(train: ImageSet, count: number, seed: number): ProxyBatch {
  if (!Number.isInteger(count) || count < 1 || count > train.count) {
    throw new RangeError(
      `proxy batch: count must be an integer in [1, ${train.count}], got ${count}`,
    );
  }
  const rs = new RandomState(seed);
  const positions = rs.permutation(train.count).subarray(0, count);
  const x = makeBatch(train, positions, { augment: true, rng: () => rs.random() });
  return {
    x,
    labels: Int32Array.from(positions, (p) => train.labels[p]),
    count,
    side: train.size,
    description: `${count} ${train.dataset} ${train.split} images (augmented), seed ${seed}`,
  };
}

/** Creates `metric` on `source` (see the module documentation). */
export async function createSourceScorer(
  metric: ArchMetric,
  source: MetricSource,
  opts: SourceScorerOptions,
): Promise<SourceScorer> {
  checkRequires(metric, source.kind);
  const needs = new Set(metric.requires);
  const held: { dispose(): void }[] = [];
  const ctx: MetricContext = { anglePrecision: opts.anglePrecision };
  let calibImages: number | "" = "";
  let validImages: number | "" = "";
  let inner: MetricScorer;
  try {
    if (source.kind === "trained") {
      const { entry } = source;
      ctx.numClasses = entry.config.numClasses;
      ctx.seed = entry.config.seed;
      // the evaluated network of the dataset (its real head, whatever K the SuperNet had)
      const shape = nb201CostShape(parseDatasetName(entry.config.dataset));
      ctx.cost = (g) => nb201Cost(g, shape);
      _proxyFields(ctx, needs, shape, source.train, entry.config.seed, opts);
      if (needs.has("w0") || needs.has("wt")) Object.assign(ctx, await loadAnglePair(entry));
      if (needs.has("net")) {
        const net = await loadTrainedNet(entry);
        held.push(net);
        validImages = Math.min(opts.accuracy.validImages ?? source.valid.count, source.valid.count);
        calibImages = opts.accuracy.calibImages;
        Object.assign(ctx, {
          net,
          train: source.train,
          valid: source.valid,
          accuracy: {
            calibImages,
            validImages,
            seed: entry.config.seed,
            chunkSize: opts.accuracy.chunkSize,
            evalBatch: opts.accuracy.evalBatch,
            bnMomentum: opts.accuracy.bnMomentum,
          },
        });
      }
    } else if (source.kind === "space") {
      ctx.numClasses = DATASET_INFO[source.dataset].numClasses;
      ctx.seed = source.seed;
      const shape = nb201CostShape(source.dataset);
      ctx.cost = (g) => nb201Cost(g, shape);
      _proxyFields(ctx, needs, shape, source.train, source.seed, opts);
    } else {
      ctx.numClasses = source.pair.numClasses;
      ctx.seed = source.pair.seedA;
      const shape = { numClasses: source.pair.numClasses, inputSize: source.pair.inputSize };
      ctx.cost = (g) => nb201Cost(g, shape);
      if (needs.has("w0") || needs.has("wt")) {
        Object.assign(ctx, await untrainedWeights(source.pair));
      }
    }
    inner = await metric.create(ctx);
  } catch (e) {
    for (const h of held) h.dispose();
    throw e;
  }
  const memo = new Map<number, number>();
  const oneAtATime = scoresOneAtATime(metric);
  const counts = usesForwardPasses(metric);
  let listener: ((index: number, value: number) => void) | undefined;
  const sign = metric.higherIsBetter ? 1 : -1;
  const scores = async (gs: readonly Genome[]): Promise<Float64Array> => {
    const keys = gs.map((g) => genotypeToIndex(g));
    const todo = [...new Set(keys.filter((k) => !memo.has(k)))];
    if (oneAtATime) {
      for (const k of todo) {
        const v = _finite(metric, k, (await inner([genotypeFromIndex(k)]))[0]);
        memo.set(k, v);
        if (counts) opts.onScored?.();
        listener?.(k, v);
      }
    } else if (todo.length > 0) {
      const v = await inner(todo.map((k) => genotypeFromIndex(k)));
      if (v.length !== todo.length) {
        throw new Error(
          `metric "${metric.name}" returned ${v.length} scores for ${todo.length} architectures`,
        );
      }
      todo.forEach((k, i) => memo.set(k, _finite(metric, k, v[i])));
      if (listener !== undefined) { for (const k of todo) listener(k, memo.get(k)!); }
    }
    return Float64Array.from(keys, (k) => memo.get(k)!);
  };
  let all: Float64Array | null = null;
  return {
    metric,
    scores,
    fitness: async (gs) => Array.from(await scores(gs), (v) => sign * v),
    async all() {
      all ??= await scores(Array.from({ length: NB201_SIZE }, (_, i) => genotypeFromIndex(i)));
      return all;
    },
    get scored() {
      return memo.size;
    },
    prime(values) {
      for (const [k, v] of values) memo.set(k, _finite(metric, k, v));
    },
    listen(onValue) {
      listener = onValue;
    },
    calibImages,
    validImages,
    dispose() {
      inner.dispose();
      for (const h of held) h.dispose();
    },
  };
}

/** The zero-cost proxies' fields: the standalone network (seeded init) and the batch. */
function _proxyFields(
  ctx: MetricContext,
  needs: ReadonlySet<string>,
  shape: { numClasses: number; inputSize: number },
  train: ImageSet,
  seed: number,
  opts: SourceScorerOptions,
): void {
  if (needs.has("network")) ctx.network = (g) => createNb201Network(g, { ...shape, seed });
  if (needs.has("batch")) {
    ctx.batch = proxyBatch(train, opts.proxyBatchSize ?? PROXY_BATCH_SIZE, seed);
  }
}

function _finite(metric: ArchMetric, index: number, v: number | undefined): number {
  if (v === undefined || !Number.isFinite(v)) {
    throw new Error(
      `metric "${metric.name}" gave ${v} for architecture ${index} ` +
        `(${genotypeToString(genotypeFromIndex(index))})`,
    );
  }
  return v;
}

/** The exported weights of the two SuperNets of `p` (W0 = seed A, Wt = seed B). */
export async function untrainedWeights(
  p: UntrainedPair,
): Promise<Pick<MetricContext, "w0" | "wt">> {
  if (p.seedA === p.seedB) {
    throw new RangeError(`the two untrained SuperNets need different seeds, got ${p.seedA} twice`);
  }
  const weights = [];
  for (const seed of [p.seedA, p.seedB]) {
    const net = new SuperNet({
      numClasses: p.numClasses,
      inputSize: p.inputSize,
      channels: p.channels,
      seed,
      init: p.init,
    });
    try {
      weights.push(await net.exportWeights());
    } finally {
      net.dispose();
    }
  }
  return { w0: weights[0], wt: weights[1] };
}
