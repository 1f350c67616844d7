/**
 * Internal rank helpers shared by the statistics (not exported from `mod.ts`): a stable O(n) radix
 * argsort of doubles and the rank transforms built on it.
 *
 * @module
 */

/** Throws a `RangeError` unless `x` and `y` have the same length. */
export function _checkSameLength(x: ArrayLike<number>, y: ArrayLike<number>, what: string): void {
  if (x.length !== y.length) {
    throw new RangeError(
      `${what}: x and y must have the same length, got ${x.length} and ${y.length}`,
    );
  }
}

/** Whether any entry is NaN. */
export function _hasNaN(v: ArrayLike<number>): boolean {
  for (let i = 0; i < v.length; i++) if (Number.isNaN(v[i])) return true;
  return false;
}

const _LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Indices of `v` sorted ascending (or descending), STABLE: equal values (`-0 == 0`) keep their
 * input order. `v` must not contain NaN. LSD radix sort on the IEEE-754 bits (8 byte passes), so
 * the cost is linear in `n`.
 */
export function _argsortStable(v: ArrayLike<number>, descending = false): Int32Array {
  const n = v.length;
  const f = new Float64Array(n);
  // `+ 0` turns -0 into +0 so that both zeros get the same key.
  for (let i = 0; i < n; i++) f[i] = (descending ? -v[i] : v[i]) + 0;
  let idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  if (!_LITTLE_ENDIAN) {
    return idx.sort((i, j) => f[i] < f[j] ? -1 : f[i] > f[j] ? 1 : i - j);
  }
  // Order-preserving map of doubles to unsigned 64-bit keys: negative -> flip all bits,
  // non-negative -> flip the sign bit.
  const w = new Uint32Array(f.buffer);
  for (let i = 0; i < n; i++) {
    const hi = w[2 * i + 1];
    if (hi & 0x80000000) {
      w[2 * i] = ~w[2 * i];
      w[2 * i + 1] = ~hi;
    } else {
      w[2 * i + 1] = hi ^ 0x80000000;
    }
  }
  const bytes = new Uint8Array(f.buffer);
  let tmp = new Int32Array(n);
  const count = new Int32Array(256);
  for (let b = 0; b < 8; b++) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[bytes[8 * i + b]]++;
    if (n === 0 || count[bytes[b]] === n) continue; // all equal in this byte: order unchanged
    let sum = 0;
    for (let c = 0; c < 256; c++) {
      const t = count[c];
      count[c] = sum;
      sum += t;
    }
    for (let k = 0; k < n; k++) {
      const i = idx[k];
      tmp[count[bytes[8 * i + b]]++] = i;
    }
    const s = idx;
    idx = tmp;
    tmp = s;
  }
  return idx;
}

/**
 * Dense ranks 0..u-1 of `v` (equal values share a rank; `-0 == 0`), and the number of distinct
 * values `u`. `v` must not contain NaN.
 */
export function _denseRanks(v: ArrayLike<number>): { ranks: Int32Array; distinct: number } {
  const order = _argsortStable(v);
  const ranks = new Int32Array(v.length);
  let r = -1;
  let prev = NaN;
  for (let k = 0; k < order.length; k++) {
    const x = v[order[k]];
    if (x !== prev) {
      r++;
      prev = x;
    }
    ranks[order[k]] = r;
  }
  return { ranks, distinct: r + 1 };
}

/**
 * Average (fractional) ranks 1..n like `scipy.stats.rankdata(v, method="average")`: tied values
 * get the mean of the positions they occupy. `v` must not contain NaN.
 */
export function _averageRanks(v: ArrayLike<number>): Float64Array {
  const order = _argsortStable(v);
  const out = new Float64Array(v.length);
  let start = 0;
  for (let k = 1; k <= order.length; k++) {
    if (k === order.length || v[order[k]] !== v[order[start]]) {
      const avg = (start + k + 1) / 2; // mean of positions start+1 .. k
      for (let j = start; j < k; j++) out[order[j]] = avg;
      start = k;
    }
  }
  return out;
}

/**
 * Stable counting sort of the index list `order` by the small integer keys `key[i]` in
 * `[0, buckets)`.
 */
export function _countingSortBy(
  order: Int32Array,
  key: Int32Array,
  buckets: number,
): Int32Array {
  const count = new Int32Array(buckets + 1);
  for (let k = 0; k < order.length; k++) count[key[order[k]] + 1]++;
  for (let c = 0; c < buckets; c++) count[c + 1] += count[c];
  const out = new Int32Array(order.length);
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    out[count[key[i]]++] = i;
  }
  return out;
}
