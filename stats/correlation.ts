/**
 * Pearson and Spearman correlation, matching `scipy.stats.pearsonr` and `scipy.stats.spearmanr`
 * (to floating-point rounding, ~1e-15).
 *
 * @module
 */
import { sampleCorrelation } from "simple-statistics";
import { _averageRanks, _checkSameLength, _hasNaN } from "./_ranks.ts";

function _isConstant(v: ArrayLike<number>): boolean {
  for (let i = 1; i < v.length; i++) if (v[i] !== v[0]) return false;
  return true;
}

function _check(x: ArrayLike<number>, y: ArrayLike<number>, what: string): void {
  _checkSameLength(x, y, what);
  if (x.length < 2) {
    throw new RangeError(`${what}: needs at least 2 pairs, got ${x.length}`);
  }
}

/**
 * Pearson's correlation coefficient `r` (`scipy.stats.pearsonr(x, y).statistic`), computed with
 * simple-statistics' `sampleCorrelation` (two-pass: mean-centred covariance over the two sample
 * standard deviations). Returns `NaN` when an input contains NaN or is constant (scipy warns and
 * returns NaN); throws a `RangeError` for different lengths or fewer than 2 pairs.
 */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  _check(x, y, "pearson");
  if (_hasNaN(x) || _hasNaN(y) || _isConstant(x) || _isConstant(y)) return NaN;
  const r = sampleCorrelation(Array.from(x), Array.from(y));
  return Math.min(1, Math.max(-1, r));
}

/**
 * Spearman's rank correlation `rho` (`scipy.stats.spearmanr(x, y).statistic`): Pearson's `r` of
 * the average ranks (`scipy.stats.rankdata(method="average")`, ties share the mean rank).
 * Returns `NaN` when an input contains NaN or is constant; throws a `RangeError` for different
 * lengths or fewer than 2 pairs.
 */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  _check(x, y, "spearman");
  if (_hasNaN(x) || _hasNaN(y)) return NaN;
  return pearson(_averageRanks(x), _averageRanks(y));
}

/**
 * Average ranks 1..n of `values` (`scipy.stats.rankdata(values, method="average")`). Throws a
 * `RangeError` if `values` contains NaN.
 */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  if (_hasNaN(values)) throw new RangeError("averageRanks: values contain NaN");
  return _averageRanks(values);
}
