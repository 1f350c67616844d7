/**
 * Architecture scorers of the NB201 benchmarks:
 *
 * - angle (spec §3) of all 15,625 architectures from a cached SuperNet's W0 and Wt, or between two
 *   differently seeded untrained SuperNets (Table 7 "training free");
 * - BN-recalibrated accuracy (spec §4, with the profile's recalibration, `settings.ts`) of a
 *   cached SuperNet on profile-sized image sets, memoised so that an architecture is scored once
 *   per scorer (evolution, tau sample and random search share the scores).
 *
 * @module
 */
import type { ImageSet } from "../../datasets/image_set.ts";
import { angleAll, type AnglePrecision, precomputeAngleStats } from "../../metrics/angle.ts";
import { AccuracyEvaluator, buildAccuracyData } from "../../metrics/accuracy.ts";
import type { Fitness, Genome } from "../../search/fitness.ts";
import { genotypeToIndex, NB201_SIZE } from "../../search_spaces/nb201/encoding.ts";
import { SuperNet, type SuperNetInit } from "../../search_spaces/nb201/supernet.ts";
import { type CachedSuperNet, loadAnglePair, loadTrainedNet } from "./supernet_cache.ts";
import type { AccuracySettings } from "./settings.ts";

/**
 * The angle of all 15,625 architectures (enumeration order) of a cached SuperNet, in `precision`
 * (`--angle-precision`; float64 by default, float32 as the official GPU code). Architectures of
 * one angle tie class get bit-identical values (`metrics/angle.ts`).
 */
export async function angleScores(
  entry: CachedSuperNet,
  precision: AnglePrecision = "float64",
): Promise<Float64Array> {
  const { w0, wt } = await loadAnglePair(entry);
  return angleAll(precomputeAngleStats(w0, wt, entry.config.numClasses, { precision }));
}

/** Shape of an untrained SuperNet pair (Table 7). */
export interface UntrainedPair {
  numClasses: number;
  inputSize: 32 | 16;
  channels: number;
  init: SuperNetInit;
  /** Seed of the SuperNet used as W0. */
  seedA: number;
  /** Seed of the SuperNet used as Wt (must differ from `seedA`). */
  seedB: number;
  /** Precision of the angle (default float64). */
  precision?: AnglePrecision;
}

/**
 * The angle of all 15,625 architectures between two untrained SuperNets of the same
 * initialisation distribution and different seeds (W0 = seed A, Wt = seed B).
 */
export async function untrainedAngleScores(p: UntrainedPair): Promise<Float64Array> {
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
  return angleAll(
    precomputeAngleStats(weights[0], weights[1], p.numClasses, { precision: p.precision }),
  );
}

/** A fitness that looks scores up in a table over all 15,625 architectures (enumeration order). */
export function tableFitness(table: ArrayLike<number>): Fitness {
  if (table.length !== NB201_SIZE) {
    throw new RangeError(`score table has ${table.length} entries, expected ${NB201_SIZE}`);
  }
  return (gs: Genome[]) => gs.map((g) => table[genotypeToIndex(g)]);
}

/** A memoised accuracy scorer over one cached SuperNet. */
export interface AccuracyScorer {
  /** Batch fitness (percent accuracy); a {@link Fitness}. */
  fitness(gs: Genome[]): Promise<number[]>;
  /** Number of distinct architectures scored so far. */
  readonly scored: number;
  /** Validation images per architecture. */
  readonly validCount: number;
  /** Calibration images per architecture. */
  readonly calibCount: number;
  /** Free the SuperNet and the cached images. */
  dispose(): void;
}

/**
 * Build an accuracy scorer: loads the trained SuperNet of `entry`, caches the calibration images
 * (drawn with `seed` from `train`) and the first `settings.validImages` valid images (true
 * labels, spec §4).
 */
export async function createAccuracyScorer(
  entry: CachedSuperNet,
  train: ImageSet,
  valid: ImageSet,
  settings: AccuracySettings,
  seed: number,
): Promise<AccuracyScorer> {
  const net = await loadTrainedNet(entry);
  let ev: AccuracyEvaluator;
  try {
    const data = buildAccuracyData(train, valid, {
      calibImages: settings.calibImages,
      validImages: Math.min(settings.validImages ?? valid.count, valid.count),
      seed,
    });
    ev = new AccuracyEvaluator(net, data, {
      chunkSize: settings.chunkSize,
      evalBatch: settings.evalBatch,
      bnMomentum: settings.bnMomentum,
    });
  } catch (e) {
    net.dispose();
    throw e;
  }
  const memo = new Map<number, number>();
  return {
    async fitness(gs: Genome[]): Promise<number[]> {
      const out: number[] = [];
      for (const g of gs) {
        const k = genotypeToIndex(g);
        let v = memo.get(k);
        if (v === undefined) {
          v = await ev.score(g);
          memo.set(k, v);
        }
        out.push(v);
      }
      return out;
    },
    get scored() {
      return memo.size;
    },
    validCount: ev.validCount,
    calibCount: ev.calibCount,
    dispose() {
      ev.dispose();
      net.dispose();
    },
  };
}
