/**
 * Profile settings shared by the NAS-Bench-201 paper benchmarks (`table1`, `table2`, `table6`,
 * `table7`, `figure1`): SuperNet training sizes, metric sizes and search budgets per profile.
 *
 * | profile | SuperNet training | angle search / tau | accuracy search / tau | BN recalibration (weight left on the reset mean 0 / var 1) |
 * |---|---|---|---|---|
 * | `smoke` | 256 train-split images, 1 epoch, C = 16 | full (P = 100 x 20, all 15,625) | 64 calibration + 100 valid images, P = 8 x 2 generations; tau on 16 seeded archs | 64 images in 1 chunk of 64, cumulative average (PyTorch `momentum=None`): 0 |
 * | `quick` | all train-split images present (~5k CIFAR-10), 18 epochs | full | 128 + 250 images, P = 10 x 3; tau on 100 seeded archs | 128 images in 1 chunk of 128, cumulative average: 0 |
 * | `paper` | full splits, 250 epochs, batch 64 | full | 20,000 + full valid set, P = 100 x 20; tau on all 15,625 | official: 20,000 images in 40 chunks of 512 (39 x 512 + 32), momentum 0.1: 0.9^40 = 1.5 % |
 *
 * BN recalibration (spec §4): the official momentum 0.1 needs at least 38 chunks to bring the
 * reset statistics' weight 0.9^n under 2 %; one chunk would leave 90 % of it, and at 64 or 128
 * images, 38 chunks would be batches of 1-3 images whose train-mode statistics are noise. So the
 * small profiles keep their images and chunk and average cumulatively, which leaves weight 0 on
 * the reset values (with one chunk the running statistics are that chunk's batch statistics). The
 * cost per architecture is unchanged, the forwards are the same: one quick-size evaluation (C = 16,
 * 128 + 250 CIFAR-sized images, wasm, 2 busy cores) took 1.02x the momentum-0.1 time (median of
 * paired runs, ~5.2 s each; within the machine's noise).
 *
 * Dry runs may override the number of epochs and training images with the environment variables
 * `RLNAS_EPOCHS` and `RLNAS_TRAIN_IMAGES` (both are recorded in every result row).
 *
 * @module
 */
import type { BnMomentum } from "../../metrics/accuracy.ts";
import type { EvolutionConfig } from "../../search/evolution.ts";
import type { ProfileName } from "../types.ts";

/** Sizes of the BN-recalibrated accuracy metric (spec §4). */
export interface AccuracySettings {
  /** Calibration (training-split) images forwarded per architecture. */
  calibImages: number;
  /** Validation images scored (the first ones of the valid split); undefined = all. */
  validImages?: number;
  /** Calibration chunk size. */
  chunkSize: number;
  /** Evaluation batch size. */
  evalBatch: number;
  /**
   * BN momentum of the recalibration (`metrics/accuracy.ts`): 0.1 (default, official EMA) or
   * `"cumulative"` (PyTorch `momentum=None`, weight 0 on the reset statistics).
   */
  bnMomentum?: BnMomentum;
}

/** Everything a NB201 benchmark needs to know about its profile. */
export interface Nb201Settings {
  /** The profile these settings belong to. */
  profile: ProfileName;
  /** SuperNet training images (first ones of the train split); undefined = all present. */
  trainImages?: number;
  /** SuperNet training epochs. */
  epochs: number;
  /** Batch size. */
  batchSize: number;
  /** SuperNet channels C (the paper: 16). */
  channels: number;
  /**
   * Evolution settings when the fitness is the angle, or any metric without forward passes
   * ({} = spec §5.1, P = 100 x 20; `Nb201Run.evolutionFor`).
   */
  angleEvolution: Partial<EvolutionConfig>;
  /**
   * Evolution settings when the fitness is the accuracy metric, or any metric scored one
   * architecture at a time (`scoresOneAtATime`: forward passes, zero-cost proxies).
   */
  accuracyEvolution: Partial<EvolutionConfig>;
  /** Accuracy metric sizes. */
  accuracy: AccuracySettings;
  /** Architectures in the seeded tau sample of the accuracy metric; null = all 15,625. */
  accuracyTauSample: number | null;
  /** Architectures of the random-search baseline (Table 7; the paper: 100). */
  randomSearchCount: number;
  /** Random-label class counts K of Figure 1. */
  figure1Classes: number[];
  /** The run refuses subsets of the official data (paper profile). */
  requireFullData: boolean;
  /** The run refuses CPU backends (paper profile). */
  requireGpu: boolean;
}

/** Seed of the fixed architecture sample of the accuracy tau (independent of the run seed). */
export const TAU_SAMPLE_SEED = 2021;

/** K = 10, 20, ..., 200 (Figure 1). */
export const FIGURE1_ALL_CLASSES: readonly number[] = Array.from(
  { length: 20 },
  (_, i) => 10 * (i + 1),
);

const _BASE: Readonly<Record<ProfileName, Nb201Settings>> = {
  smoke: {
    profile: "smoke",
    trainImages: 256,
    epochs: 1,
    batchSize: 64,
    channels: 16,
    angleEvolution: {},
    accuracyEvolution: {
      populationSize: 8,
      topK: 3,
      mutationCount: 4,
      crossoverCount: 4,
      generations: 2,
    },
    accuracy: {
      calibImages: 64,
      validImages: 100,
      chunkSize: 64,
      evalBatch: 100,
      bnMomentum: "cumulative",
    },
    accuracyTauSample: 16,
    randomSearchCount: 8,
    figure1Classes: [10, 100, 200],
    requireFullData: false,
    requireGpu: false,
  },
  quick: {
    profile: "quick",
    trainImages: undefined,
    // 18 epochs: the angle ranking's top forms only after a few epochs at a high learning rate. With
    // 7 and 12 epochs (cosine schedule) the angle-best architectures of the random-label
    // SuperNet of seed 0 stayed the 1-conv tie group
    // (|nor_conv_3x3~0|+|none~0|skip_connect~1|+|none~0|skip_connect~1|skip_connect~2| and the
    // archs differing from it only in parameter-free ops, NB201 test acc 88.0-91.9), so D's
    // search returned an 88.00 % arch; in the 18-epoch schedule the top moves to a 2-conv arch
    // (92.72 %, top-10 mean 92.80-92.87 %) at epoch 5 (seed 0) and 2 (seed 1) on wasm
    // (tools/angle_by_epoch.ts), and D beats C on both seeds (results/table1/quick). Time on this
    // 2-core machine (wasm, ~35 img/s per training): 18 x 4,978 images per SuperNet, the two
    // SuperNets of table1/table2 side by side (`--jobs`, one per core), plus the searches: table1
    // took 43.7 min end to end (seed 1).
    epochs: 18,
    batchSize: 64,
    channels: 16,
    angleEvolution: {},
    accuracyEvolution: {
      populationSize: 10,
      topK: 3,
      mutationCount: 5,
      crossoverCount: 5,
      generations: 3,
    },
    accuracy: {
      calibImages: 128,
      validImages: 250,
      chunkSize: 128,
      evalBatch: 250,
      bnMomentum: "cumulative",
    },
    accuracyTauSample: 100,
    randomSearchCount: 100,
    figure1Classes: [...FIGURE1_ALL_CLASSES],
    requireFullData: false,
    requireGpu: false,
  },
  paper: {
    profile: "paper",
    trainImages: undefined,
    epochs: 250,
    batchSize: 64,
    channels: 16,
    angleEvolution: {},
    accuracyEvolution: {},
    accuracy: {
      calibImages: 20_000,
      validImages: undefined,
      chunkSize: 512,
      evalBatch: 512,
      bnMomentum: 0.1,
    },
    accuracyTauSample: null,
    randomSearchCount: 100,
    figure1Classes: [...FIGURE1_ALL_CLASSES],
    requireFullData: true,
    requireGpu: true,
  },
};

/** Reads an environment variable (injectable for tests). */
export type EnvReader = (name: string) => string | undefined;

function _denoEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

function _envInt(env: EnvReader, name: string): number | undefined {
  const raw = env(name);
  if (raw === undefined || raw === "") return undefined;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  }
  return v;
}

/**
 * The settings of `profile`, with `overrides` (benchmark-specific changes) applied, then the
 * `RLNAS_EPOCHS` / `RLNAS_TRAIN_IMAGES` environment overrides.
 */
export function nb201Settings(
  profile: ProfileName,
  overrides: Partial<Nb201Settings> = {},
  env: EnvReader = _denoEnv,
): Nb201Settings {
  const base = _BASE[profile];
  if (base === undefined) {
    throw new RangeError(
      `unknown profile ${JSON.stringify(profile)} (valid: ${Object.keys(_BASE).join(", ")})`,
    );
  }
  const s: Nb201Settings = {
    ...base,
    ...overrides,
    accuracy: { ...base.accuracy, ...(overrides.accuracy ?? {}) },
  };
  const epochs = _envInt(env, "RLNAS_EPOCHS");
  if (epochs !== undefined) s.epochs = epochs;
  const images = _envInt(env, "RLNAS_TRAIN_IMAGES");
  if (images !== undefined) s.trainImages = images;
  return s;
}

/** One line describing the settings (for `--list` and notes). */
export function describeSettings(s: Nb201Settings): string {
  const imgs = s.trainImages === undefined ? "all train-split images" : `${s.trainImages} images`;
  const acc = s.accuracyEvolution.populationSize === undefined
    ? "P=100x20"
    : `P=${s.accuracyEvolution.populationSize}x${s.accuracyEvolution.generations}`;
  return `SuperNet ${imgs}, ${s.epochs} epoch${s.epochs === 1 ? "" : "s"}, batch ${s.batchSize}; ` +
    `angle search P=100x20; accuracy search ${acc} on ${s.accuracy.calibImages} calib + ` +
    `${s.accuracy.validImages ?? "all"} valid images`;
}
