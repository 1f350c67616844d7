/**
 * The supernet learning-rate schedule of the official `SPOS.config` (spec §1.6): cosine annealing
 * evaluated once per epoch and held constant inside the epoch.
 *
 * @module
 */

/** Parameters of {@link cosineLr}. */
export interface CosineLrOptions {
  /** Total number of epochs `E` (250 in the paper). */
  epochs: number;
  /** Learning rate at epoch 0 (default 0.025). */
  lrMax?: number;
  /** Learning rate reached at epoch `E` (default 0.001). */
  lrMin?: number;
}

/** The paper's initial learning rate. */
export const LR_MAX = 0.025;
/** The paper's final learning rate. */
export const LR_MIN = 0.001;

/**
 * Learning rate of the 0-based epoch `epoch`:
 * `lrMin + (lrMax - lrMin) * (1 + cos(pi * epoch / epochs)) / 2`.
 *
 * The trainer's epoch `k` (1-based, the one that produces checkpoint `epoch-k`) runs with
 * `cosineLr(k - 1, ...)`, so the first epoch uses `lrMax` exactly.
 *
 * @throws {RangeError} if `epochs` is not a positive integer, `epoch` is not an integer in
 * `[0, epochs]`, or a learning rate is negative or not finite.
 */
export function cosineLr(epoch: number, opts: CosineLrOptions): number {
  const { epochs, lrMax = LR_MAX, lrMin = LR_MIN } = opts;
  if (!Number.isInteger(epochs) || epochs < 1) {
    throw new RangeError(`epochs must be a positive integer, got ${epochs}`);
  }
  if (!Number.isInteger(epoch) || epoch < 0 || epoch > epochs) {
    throw new RangeError(`epoch must be an integer in [0, ${epochs}], got ${epoch}`);
  }
  for (const [name, v] of [["lrMax", lrMax], ["lrMin", lrMin]] as const) {
    if (!Number.isFinite(v) || v < 0) {
      throw new RangeError(`${name} must be a finite number >= 0, got ${v}`);
    }
  }
  return lrMin + (lrMax - lrMin) * (1 + Math.cos(Math.PI * epoch / epochs)) / 2;
}

/** The whole schedule: `cosineLr(e)` for `e = 0 .. epochs - 1` (one value per trained epoch). */
export function cosineSchedule(opts: CosineLrOptions): number[] {
  cosineLr(0, opts);
  return Array.from({ length: opts.epochs }, (_, e) => cosineLr(e, opts));
}
