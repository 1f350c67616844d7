/**
 * Mean ± std over seeds of result rows, as the paper reports its NB201 numbers ("three
 * independent runs with different random seeds"). The std is the population standard deviation
 * (numpy's `np.std` default, ddof = 0); 0 for a single seed.
 *
 * @module
 */

/** Mean and population standard deviation. */
export interface MeanStd {
  mean: number;
  std: number;
  n: number;
}

/** Mean and population std (ddof 0) of finite values; NaN mean for none. */
export function meanStd(values: readonly number[]): MeanStd {
  const xs = values.filter((v) => Number.isFinite(v));
  const n = xs.length;
  if (n === 0) return { mean: NaN, std: NaN, n: 0 };
  const mean = xs.reduce((s, v) => s + v, 0) / n;
  const v = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / n;
  return { mean, std: Math.sqrt(v), n };
}

/** A row of a results CSV (numbers or strings, as written or as read back). */
export type LooseRow = Record<string, string | number>;

/** Numeric value of a cell, NaN for an empty or non-numeric one. */
export function num(v: string | number | undefined): number {
  if (v === undefined || v === "") return NaN;
  return typeof v === "number" ? v : Number(v);
}

/** One group of {@link summarize}. */
export interface SummaryGroup {
  /** The values of the group columns. */
  key: Record<string, string>;
  /** Seeds in the group, ascending (as strings). */
  seeds: string[];
  /** Mean ± std of each value column. */
  values: Record<string, MeanStd>;
}

/**
 * Group `rows` by `groupBy` columns (first-appearance order) and compute mean ± std of each
 * `valueColumns` column over the rows of each group.
 */
export function summarize(
  rows: readonly LooseRow[],
  groupBy: readonly string[],
  valueColumns: readonly string[],
): SummaryGroup[] {
  const groups = new Map<string, LooseRow[]>();
  for (const r of rows) {
    const k = groupBy.map((c) => String(r[c] ?? "")).join("\u0000");
    const g = groups.get(k);
    if (g === undefined) groups.set(k, [r]);
    else g.push(r);
  }
  return [...groups.values()].map((rs) => ({
    key: Object.fromEntries(groupBy.map((c) => [c, String(rs[0][c] ?? "")])),
    seeds: [...new Set(rs.map((r) => String(r.seed ?? "")))].sort((a, b) => num(a) - num(b)),
    values: Object.fromEntries(valueColumns.map((c) => [c, meanStd(rs.map((r) => num(r[c])))])),
  }));
}

/** Round for CSV output (fixed decimals, no trailing noise); empty for NaN. */
export function round(x: number, digits = 4): number | "" {
  return Number.isFinite(x) ? Number(x.toFixed(digits)) : "";
}
