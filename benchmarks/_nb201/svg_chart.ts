/**
 * A hand-written SVG line chart (no dependency) for Figure 1: axes with ticks and tick labels,
 * axis titles, a title, one polyline with point markers per series, optional highlighted points
 * (the paper's red marker at the real class count) and a legend right of the plot.
 *
 * @module
 */

/** One point. */
export interface ChartPoint {
  x: number;
  y: number;
}

/** One line of the chart. */
export interface ChartSeries {
  /** Legend label. */
  name: string;
  /** CSS colour. */
  color: string;
  /** Points (drawn in ascending x; non-finite y are skipped). */
  points: ChartPoint[];
  /** x of a point drawn as a red marker (e.g. the real class count), if present in `points`. */
  highlightX?: number;
}

/** A chart. */
export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
  /** Tick positions on the x axis (default: nice ticks of the data range). */
  xTicks?: number[];
  /** Pixel size (default 720 x 440). */
  width?: number;
  height?: number;
  /** Caption of the highlighted markers in the legend (default none). */
  highlightLabel?: string;
}

/** Escape text for SVG/XML. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/**
 * About `count` "nice" tick values (steps 1, 2, 2.5 or 5 x 10^k) covering [min, max]; the first
 * tick is <= min and the last >= max. A degenerate range is widened by 1 on each side.
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) {
    throw new RangeError(`niceTicks: range must be finite, got [${min}, ${max}]`);
  }
  if (max < min) [min, max] = [max, min];
  if (max === min) {
    min -= 1;
    max += 1;
  }
  const raw = (max - min) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const lo = Math.floor(min / step + 1e-9) * step;
  const hi = Math.ceil(max / step - 1e-9) * step;
  const out: number[] = [];
  for (let v = lo; v <= hi + step * 1e-6; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function _fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

/** Render `chart` as a standalone SVG document. */
export function lineChartSvg(chart: LineChart): string {
  const width = chart.width ?? 720;
  const height = chart.height ?? 440;
  const m = { left: 72, right: 190, top: 48, bottom: 64 };
  const pw = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  const pts = chart.series.flatMap((s) => s.points.filter((p) => Number.isFinite(p.y)));
  if (pts.length === 0) throw new RangeError(`chart "${chart.title}" has no finite points`);
  const xs = pts.map((p) => p.x);
  const ys = pts.map((p) => p.y);
  const xTicks = chart.xTicks ?? niceTicks(Math.min(...xs), Math.max(...xs), 8);
  const yTicks = niceTicks(Math.min(...ys), Math.max(...ys), 6);
  const x0 = Math.min(xTicks[0], ...xs);
  const x1 = Math.max(xTicks[xTicks.length - 1], ...xs);
  const y0 = yTicks[0];
  const y1 = yTicks[yTicks.length - 1];
  const sx = (x: number) => m.left + ((x - x0) / (x1 - x0 || 1)) * pw;
  const sy = (y: number) => m.top + ph - ((y - y0) / (y1 - y0 || 1)) * ph;
  const f = (v: number) => v.toFixed(1);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
      `viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Arial, sans-serif" ` +
      `font-size="12">`,
    `<title>${escapeXml(chart.title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="white"/>`,
    `<text x="${f(m.left + pw / 2)}" y="26" text-anchor="middle" font-size="15" ` +
      `font-weight="bold">${escapeXml(chart.title)}</text>`,
  );
  // grid and ticks
  out.push(`<g class="y-axis">`);
  for (const t of yTicks) {
    const y = f(sy(t));
    out.push(
      `<line x1="${m.left}" y1="${y}" x2="${m.left + pw}" y2="${y}" stroke="#e3e3e3"/>`,
      `<line x1="${m.left - 5}" y1="${y}" x2="${m.left}" y2="${y}" stroke="black"/>`,
      `<text x="${m.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${
        _fmt(t)
      }</text>`,
    );
  }
  out.push(`</g>`, `<g class="x-axis">`);
  for (const t of xTicks) {
    const x = f(sx(t));
    out.push(
      `<line x1="${x}" y1="${m.top}" x2="${x}" y2="${m.top + ph}" stroke="#f0f0f0"/>`,
      `<line x1="${x}" y1="${m.top + ph}" x2="${x}" y2="${m.top + ph + 5}" stroke="black"/>`,
      `<text x="${x}" y="${m.top + ph + 20}" text-anchor="middle">${_fmt(t)}</text>`,
    );
  }
  out.push(`</g>`);
  // axes
  out.push(
    `<line x1="${m.left}" y1="${m.top + ph}" x2="${m.left + pw}" y2="${m.top + ph}" ` +
      `stroke="black"/>`,
    `<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${m.top + ph}" stroke="black"/>`,
    `<text x="${f(m.left + pw / 2)}" y="${height - 18}" text-anchor="middle" font-size="13">${
      escapeXml(chart.xLabel)
    }</text>`,
    `<text x="18" y="${f(m.top + ph / 2)}" text-anchor="middle" font-size="13" ` +
      `transform="rotate(-90 18 ${f(m.top + ph / 2)})">${escapeXml(chart.yLabel)}</text>`,
  );
  // series
  for (const s of chart.series) {
    const p = s.points.filter((q) => Number.isFinite(q.y)).sort((a, b) => a.x - b.x);
    if (p.length === 0) continue;
    out.push(`<g class="series" data-name="${escapeXml(s.name)}">`);
    out.push(
      `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${
        p.map((q) => `${f(sx(q.x))},${f(sy(q.y))}`).join(" ")
      }"/>`,
    );
    for (const q of p) {
      const hl = s.highlightX !== undefined && q.x === s.highlightX;
      out.push(
        `<circle cx="${f(sx(q.x))}" cy="${f(sy(q.y))}" r="${hl ? 6 : 3.5}" fill="${
          hl ? "red" : s.color
        }" stroke="${hl ? "black" : "white"}" stroke-width="1"/>`,
      );
    }
    out.push(`</g>`);
  }
  // legend
  const lx = m.left + pw + 16;
  out.push(`<g class="legend">`);
  chart.series.forEach((s, i) => {
    const y = m.top + 10 + i * 22;
    out.push(
      `<line x1="${lx}" y1="${y}" x2="${lx + 26}" y2="${y}" stroke="${s.color}" ` +
        `stroke-width="2"/>`,
      `<circle cx="${lx + 13}" cy="${y}" r="3.5" fill="${s.color}"/>`,
      `<text x="${lx + 34}" y="${y}" dominant-baseline="middle">${escapeXml(s.name)}</text>`,
    );
  });
  if (chart.highlightLabel !== undefined) {
    const y = m.top + 10 + chart.series.length * 22;
    out.push(
      `<circle cx="${lx + 13}" cy="${y}" r="6" fill="red" stroke="black" stroke-width="1"/>`,
      `<text x="${lx + 34}" y="${y}" dominant-baseline="middle">${
        escapeXml(chart.highlightLabel)
      }</text>`,
    );
  }
  out.push(`</g>`, `</svg>`, "");
  return out.join("\n");
}
