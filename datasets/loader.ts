/**
 * Epoch batching: shuffled batch order for training, sequential batches for evaluation.
 *
 * Training order follows NB201's loader (batch 64, shuffled every epoch, last partial batch
 * kept). The shuffle is a numpy `RandomState.permutation` (use `labels/random_state.ts`): one
 * generator per run, called once per epoch, makes every epoch's order different and the whole run
 * deterministic for a seed. (PyTorch's `RandomSampler` uses torch's generator, which is not
 * reproduced; the order is therefore not bit-identical to the official code.)
 *
 * @module
 */

/** Anything with numpy's `permutation(n)` (e.g. `RandomState` of `labels/random_state.ts`). */
export interface PermutationSource {
  /** A random permutation of `0 .. n-1`. */
  permutation(n: number): ArrayLike<number>;
}

function _check(count: number, batchSize: number): void {
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`count must be a non-negative integer, got ${count}`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  }
}

/** Number of batches of an epoch with the last partial batch kept: `ceil(count / batchSize)`. */
export function numBatches(count: number, batchSize: number): number {
  _check(count, batchSize);
  return Math.ceil(count / batchSize);
}

function _chunk(order: ArrayLike<number>, batchSize: number): Int32Array[] {
  const all = Int32Array.from(order);
  const out: Int32Array[] = [];
  for (let at = 0; at < all.length; at += batchSize) {
    out.push(all.slice(at, Math.min(all.length, at + batchSize)));
  }
  return out;
}

/**
 * One epoch's batches: `rng.permutation(count)` cut into batches of `batchSize` positions, the
 * last one partial when `batchSize` does not divide `count`.
 */
export function batchOrder(count: number, batchSize: number, rng: PermutationSource): Int32Array[] {
  _check(count, batchSize);
  const perm = rng.permutation(count);
  if (perm.length !== count) {
    throw new RangeError(`permutation(${count}) returned ${perm.length} entries`);
  }
  return _chunk(perm, batchSize);
}

/** Unshuffled batches `0 .. count-1` (evaluation), last partial batch kept. */
export function sequentialBatches(count: number, batchSize: number): Int32Array[] {
  _check(count, batchSize);
  return _chunk(Array.from({ length: count }, (_, i) => i), batchSize);
}

/** The labels at `positions` of `labels` (e.g. `set.labels` or random labels by position). */
export function gatherLabels(labels: ArrayLike<number>, positions: ArrayLike<number>): Int32Array {
  const out = new Int32Array(positions.length);
  for (let k = 0; k < positions.length; k++) {
    const p = positions[k];
    if (p < 0 || p >= labels.length) {
      throw new RangeError(`Position ${p} is outside the labels (0..${labels.length - 1})`);
    }
    out[k] = labels[p];
  }
  return out;
}
