/**
 * Small hand-written SVG charts for the report (no dependency): an x-y chart whose series are
 * lines or scatter points, with optional error bars, and a horizontal bar chart. Axes carry nice
 * ticks, tick labels and titles with units; a legend sits right of the plot. Tick and escape
 * helpers are those of Figure 1's chart (`benchmarks/_nb201/svg_chart.ts`).
 *
 * @module
 */
import { escapeXml, niceTicks } from "../../benchmarks/_nb201/svg_chart.ts";

export { escapeXml };

/** One point; `err` draws an error bar of ± err (e.g. the std over seeds). */
export interface XyPoint {
  x: number;
  y: number;
  err?: number;
}

/** One series of an {@link XyChart}. */
export interface XySeries {
  name: string;
  color: string;
  /** `line`: a polyline with markers (points sorted by x); `scatter`: points only. */
  mode: "line" | "scatter";
  points: XyPoint[];
}

/** An x-y chart. */
export interface XyChart {
  title: string;
  /** Axis titles, with units (e.g. "NB201 test accuracy (%)"). */
  xLabel: string;
  yLabel: string;
  series: XySeries[];
  /** Logarithmic x axis (base 10; x must be > 0). */
  logX?: boolean;
  width?: number;
  height?: number;
}

/** A palette of distinguishable colours. */
export const PALETTE: readonly string[] = [
  "#1f77b4",
  "#d62728",
  "#2ca02c",
  "#ff7f0e",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#17becf",
];

function _fmt(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(1);
  return String(Number(v.toPrecision(4)));
}

function _header(w: number, h: number, title: string): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" ` +
    `font-family="DejaVu Sans, Arial, sans-serif" font-size="12" role="img">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${w}" height="${h}" fill="white"/>`,
    `<text x="${w / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${
      escapeXml(title)
    }</text>`,
  ];
}

function _legend(out: string[], x: number, y: number, items: { name: string; color: string }[]) {
  items.forEach((s, i) => {
    const yy = y + i * 18;
    out.push(
      `<rect x="${x}" y="${yy - 9}" width="12" height="12" fill="${s.color}"/>`,
      `<text x="${x + 18}" y="${yy + 1}">${escapeXml(s.name)}</text>`,
    );
  });
}

/** The SVG of an x-y chart; throws a RangeError when no series has a finite point. */
export function xyChartSvg(chart: XyChart): string {
  const width = chart.width ?? 640;
  const height = chart.height ?? 400;
  const m = { left: 72, right: 170, top: 36, bottom: 56 };
  const pw = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  const tx = (x: number) => (chart.logX ? Math.log10(x) : x);
  const ok = (p: XyPoint) =>
    Number.isFinite(p.y) && Number.isFinite(tx(p.x)) && (p.err === undefined || isFinite(p.err));
  const series = chart.series.map((s) => ({ ...s, points: s.points.filter(ok) }));
  const pts = series.flatMap((s) => s.points);
  if (pts.length === 0) throw new RangeError(`chart "${chart.title}" has no finite points`);
  const xs = pts.map((p) => tx(p.x));
  const ys = pts.flatMap((p) => [p.y - (p.err ?? 0), p.y + (p.err ?? 0)]);
  const xTicks = niceTicks(Math.min(...xs), Math.max(...xs), 6);
  const yTicks = niceTicks(Math.min(...ys), Math.max(...ys), 6);
  const [x0, x1] = [xTicks[0], xTicks[xTicks.length - 1]];
  const [y0, y1] = [yTicks[0], yTicks[yTicks.length - 1]];
  const sx = (x: number) => m.left + ((tx(x) - x0) / (x1 - x0 || 1)) * pw;
  const sy = (y: number) => m.top + ph - ((y - y0) / (y1 - y0 || 1)) * ph;
  const f = (v: number) => v.toFixed(1);
  const out = _header(width, height, chart.title);
  out.push(
    `<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`,
  );
  for (const t of xTicks) {
    const x = m.left + ((t - x0) / (x1 - x0 || 1)) * pw;
    out.push(
      `<line x1="${f(x)}" y1="${m.top}" x2="${f(x)}" y2="${m.top + ph}" stroke="#eee"/>`,
      `<text x="${f(x)}" y="${m.top + ph + 16}" text-anchor="middle">${
        _fmt(chart.logX ? 10 ** t : t)
      }</text>`,
    );
  }
  for (const t of yTicks) {
    out.push(
      `<line x1="${m.left}" y1="${f(sy(t))}" x2="${m.left + pw}" y2="${f(sy(t))}" stroke="#eee"/>`,
      `<text x="${m.left - 6}" y="${f(sy(t) + 4)}" text-anchor="end">${_fmt(t)}</text>`,
    );
  }
  out.push(
    `<text x="${m.left + pw / 2}" y="${height - 14}" text-anchor="middle">${
      escapeXml(chart.xLabel)
    }</text>`,
    `<text transform="translate(18 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">${
      escapeXml(chart.yLabel)
    }</text>`,
  );
  for (const s of series) {
    const p = s.mode === "line" ? [...s.points].sort((a, b) => a.x - b.x) : s.points;
    if (s.mode === "line" && p.length > 1) {
      out.push(
        `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${
          p.map((q) => `${f(sx(q.x))},${f(sy(q.y))}`).join(" ")
        }"/>`,
      );
    }
    for (const q of p) {
      if (q.err !== undefined && q.err > 0) {
        const [a, b] = [sy(q.y - q.err), sy(q.y + q.err)];
        const x = f(sx(q.x));
        out.push(
          `<path d="M${x} ${f(a)}V${f(b)}M${f(sx(q.x) - 4)} ${f(a)}h8M${f(sx(q.x) - 4)} ${
            f(b)
          }h8" stroke="${s.color}" fill="none"/>`,
        );
      }
      const r = s.mode === "line" ? 3.5 : 2;
      out.push(
        `<circle cx="${f(sx(q.x))}" cy="${f(sy(q.y))}" r="${r}" fill="${s.color}"${
          s.mode === "scatter" ? ' fill-opacity="0.5"' : ""
        }/>`,
      );
    }
  }
  _legend(out, m.left + pw + 16, m.top + 12, series);
  out.push("</svg>");
  return out.join("\n");
}

/** One bar. */
export interface Bar {
  label: string;
  value: number;
}

/** A horizontal bar chart with a reference line (e.g. ratio 1 = as fast as PyTorch). */
export interface BarChart {
  title: string;
  /** Title of the value axis, with units. */
  xLabel: string;
  bars: Bar[];
  /** Value of a dashed reference line, with its caption. */
  reference?: { value: number; label: string };
  width?: number;
}

/** The SVG of a bar chart; throws a RangeError when no bar is finite. */
export function barChartSvg(chart: BarChart): string {
  const bars = chart.bars.filter((b) => Number.isFinite(b.value));
  if (bars.length === 0) throw new RangeError(`chart "${chart.title}" has no finite bars`);
  const width = chart.width ?? 640;
  const m = { left: 260, right: 40, top: 36, bottom: 56 };
  const height = m.top + m.bottom + bars.length * 22;
  const pw = width - m.left - m.right;
  const vals = [0, ...bars.map((b) => b.value), chart.reference?.value ?? 0];
  const ticks = niceTicks(Math.min(...vals), Math.max(...vals), 6);
  const [v0, v1] = [ticks[0], ticks[ticks.length - 1]];
  const sx = (v: number) => m.left + ((v - v0) / (v1 - v0 || 1)) * pw;
  const f = (v: number) => v.toFixed(1);
  const out = _header(width, height, chart.title);
  const bottom = height - m.bottom;
  for (const t of ticks) {
    out.push(
      `<line x1="${f(sx(t))}" y1="${m.top}" x2="${f(sx(t))}" y2="${bottom}" stroke="#eee"/>`,
      `<text x="${f(sx(t))}" y="${bottom + 16}" text-anchor="middle">${_fmt(t)}</text>`,
    );
  }
  bars.forEach((b, i) => {
    const y = m.top + i * 22 + 3;
    const [a, c] = [sx(Math.min(0, b.value)), sx(Math.max(0, b.value))];
    out.push(
      `<rect x="${f(a)}" y="${y}" width="${f(c - a)}" height="16" fill="${PALETTE[0]}"/>`,
      `<text x="${m.left - 6}" y="${y + 12}" text-anchor="end">${escapeXml(b.label)}</text>`,
      `<text x="${f(c + 4)}" y="${y + 12}" font-size="11">${_fmt(b.value)}</text>`,
    );
  });
  if (chart.reference !== undefined) {
    const x = f(sx(chart.reference.value));
    out.push(
      `<line x1="${x}" y1="${m.top}" x2="${x}" y2="${bottom}" stroke="#d62728" stroke-dasharray="4 3"/>`,
      `<text x="${x}" y="${m.top - 4}" text-anchor="middle" fill="#d62728" font-size="11">${
        escapeXml(chart.reference.label)
      }</text>`,
    );
  }
  out.push(
    `<line x1="${m.left}" y1="${bottom}" x2="${m.left + pw}" y2="${bottom}" stroke="#333"/>`,
    `<text x="${m.left + pw / 2}" y="${height - 14}" text-anchor="middle">${
      escapeXml(chart.xLabel)
    }</text>`,
    "</svg>",
  );
  return out.join("\n");
}

/** At most `max` items of `xs`, evenly strided (deterministic), keeping order. */
export function subsample<T>(xs: readonly T[], max: number): T[] {
  if (xs.length <= max) return [...xs];
  const step = xs.length / max;
  return Array.from({ length: max }, (_, i) => xs[Math.floor(i * step)]);
}
