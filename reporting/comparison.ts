/**
 * Printed comparison of our numbers against the paper's (or another reference).
 *
 * @module
 */

/** One compared quantity. */
export interface Comparison {
  /** What is compared, e.g. "D (RLNAS) cifar10 test acc". */
  label: string;
  /** Our value (mean over seeds), or null when not measured. */
  ours: number | null;
  /** Spread of our value (std over seeds), if any. */
  oursStd?: number | null;
  /** The reference value, or null when the reference has none. */
  reference: number | null;
  /** Allowed absolute difference, or null when no tolerance applies. */
  tolerance: number | null;
  /** Decimals to print (default: the table's). */
  digits?: number;
}

/** Verdict of one comparison: true/false, or null when it cannot be judged. */
export function withinTolerance(c: Comparison): boolean | null {
  if (c.ours === null || c.reference === null || c.tolerance === null) return null;
  if (!Number.isFinite(c.ours)) return false;
  return Math.abs(c.ours - c.reference) <= c.tolerance + 1e-12;
}

function _num(x: number | null | undefined, digits: number): string {
  return x === null || x === undefined ? "-" : x.toFixed(digits);
}

/** Render comparisons as an aligned text table. */
export function formatComparisons(
  title: string,
  comps: readonly Comparison[],
  tableDigits = 2,
  referenceName = "paper",
): string {
  const header = ["", "ours", referenceName, "diff", "tol", "ok"];
  const body = comps.map((c) => {
    const digits = c.digits ?? tableDigits;
    const ok = withinTolerance(c);
    const ours = c.oursStd !== undefined && c.oursStd !== null
      ? `${_num(c.ours, digits)} ± ${_num(c.oursStd, digits)}`
      : _num(c.ours, digits);
    const diff = c.ours !== null && c.reference !== null ? c.ours - c.reference : null;
    return [
      c.label,
      ours,
      _num(c.reference, digits),
      diff === null ? "-" : (diff >= 0 ? "+" : "") + diff.toFixed(digits),
      _num(c.tolerance, digits),
      ok === null ? "n/a" : ok ? "yes" : "NO",
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  return [title, line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)]
    .join("\n");
}
