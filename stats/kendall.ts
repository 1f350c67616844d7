/**
 * Kendall's tau-b in O(n log n) (Knight 1966), identical in definition and tie handling to
 * `scipy.stats.kendalltau(x, y)` (default `variant="b"`, `nan_policy="propagate"`).
 *
 * @module
 */
import { _checkSameLength, _countingSortBy, _denseRanks, _hasNaN } from "./_ranks.ts";

/** Pair counts behind a Kendall tau-b value (all counts are numbers of unordered pairs). */
export interface KendallCounts {
  /** Number of observations `n`. */
  n: number;
  /** All pairs, `n (n - 1) / 2`. */
  total: number;
  /** Pairs tied in x (including joint ties). */
  xTies: number;
  /** Pairs tied in y (including joint ties). */
  yTies: number;
  /** Pairs tied in both x and y. */
  jointTies: number;
  /** Discordant pairs. */
  discordant: number;
  /** Concordant pairs: `total - xTies - yTies + jointTies - discordant`. */
  concordant: number;
}

/** Sum over tie groups of `c (c - 1) / 2` for the group sizes in `counts`. */
function _tiePairs(counts: Int32Array | Float64Array): number {
  let s = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (c > 1) s += (c * (c - 1)) / 2;
  }
  return s;
}

/**
 * Concordance counts of the pairs `(x[i], y[i])` (Knight's algorithm: sort by x then y, count
 * ties in x and joint ties along the sorted order, discordant pairs with a Fenwick tree over y's
 * dense ranks, ties in y by counting; sorting is a radix argsort plus two counting sorts). Throws a `RangeError` on length mismatch or NaN input.
 */
export function kendallCounts(x: ArrayLike<number>, y: ArrayLike<number>): KendallCounts {
  _checkSameLength(x, y, "kendallCounts");
  if (_hasNaN(x) || _hasNaN(y)) {
    throw new RangeError("kendallCounts: inputs contain NaN (drop those pairs first)");
  }
  const n = x.length;
  const rx = _denseRanks(x);
  const ry = _denseRanks(y);
  const ny = ry.distinct;
  // Lexicographic (x, y) order: stable counting sort by y rank, then by x rank.
  const identity = new Int32Array(n);
  for (let i = 0; i < n; i++) identity[i] = i;
  const order = _countingSortBy(
    _countingSortBy(identity, ry.ranks, ny),
    rx.ranks,
    rx.distinct,
  );

  // Walk the sorted pairs: tie groups in x and joint ties, and discordant pairs (pairs before k
  // with a larger y; pairs tied in x come sorted by y so they are never counted).
  const tree = new Int32Array(ny + 1); // Fenwick tree over y ranks (1-based)
  let xTies = 0;
  let jointTies = 0;
  let discordant = 0;
  let xRun = 0;
  let jointRun = 0;
  let prevX = -1;
  let prevY = -1;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    const xr = rx.ranks[i];
    const yr = ry.ranks[i];
    if (xr === prevX) {
      xRun++;
      if (yr === prevY) jointRun++;
      else {
        jointTies += (jointRun * (jointRun - 1)) / 2;
        jointRun = 1;
      }
    } else {
      xTies += (xRun * (xRun - 1)) / 2;
      jointTies += (jointRun * (jointRun - 1)) / 2;
      xRun = 1;
      jointRun = 1;
      prevX = xr;
    }
    prevY = yr;
    // number seen before with y rank <= yr
    let le = 0;
    for (let j = yr + 1; j > 0; j -= j & -j) le += tree[j];
    discordant += k - le;
    for (let j = yr + 1; j <= ny; j += j & -j) tree[j]++;
  }
  xTies += (xRun * (xRun - 1)) / 2;
  jointTies += (jointRun * (jointRun - 1)) / 2;

  const yCounts = new Int32Array(ny);
  for (let i = 0; i < n; i++) yCounts[ry.ranks[i]]++;
  const yTies = _tiePairs(yCounts);
  const total = (n * (n - 1)) / 2;
  const concordant = total - xTies - yTies + jointTies - discordant;
  return { n, total, xTies, yTies, jointTies, discordant, concordant };
}

/**
 * Kendall's tau-b of the pairs `(x[i], y[i])`, as `scipy.stats.kendalltau(x, y).statistic`:
 *
 * `tau_b = (C - D) / sqrt(T - X) / sqrt(T - Y)` with `C`/`D` concordant/discordant pairs, `T` all
 * pairs, `X`/`Y` pairs tied in x/y (joint ties included in both), clipped to `[-1, 1]`.
 *
 * Like scipy: returns `NaN` when either input contains NaN (`nan_policy="propagate"`), when the
 * inputs are empty, or when x or y is constant (all pairs tied). Throws a `RangeError` when the
 * lengths differ. O(n log n); n = 15,625 takes a few milliseconds.
 */
export function kendallTau(x: ArrayLike<number>, y: ArrayLike<number>): number {
  _checkSameLength(x, y, "kendallTau");
  if (x.length === 0 || _hasNaN(x) || _hasNaN(y)) return NaN;
  const c = kendallCounts(x, y);
  if (c.xTies === c.total || c.yTies === c.total) return NaN;
  // Same floating-point expression as scipy: con_minus_dis / sqrt(tot - xtie) / sqrt(tot - ytie).
  const conMinusDis = c.total - c.xTies - c.yTies + c.jointTies - 2 * c.discordant;
  const tau = conMinusDis / Math.sqrt(c.total - c.xTies) / Math.sqrt(c.total - c.yTies);
  return Math.min(1, Math.max(-1, tau));
}
