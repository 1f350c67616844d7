/**
 * Renders the report's data as one self-contained HTML page (inline CSS and SVG, no script).
 *
 * @module
 */
import type { BenchmarkResult, Provenance, ReportData, ScoreSet, Table } from "./load.ts";
import type { NightSeries } from "./nights.ts";
import { PROVENANCE_COLUMNS } from "../provenance.ts";
import { barChartSvg, escapeXml, PALETTE, subsample, xyChartSvg } from "./svg.ts";

/** Most points of one scatter plot (the page stays small). */
export const MAX_SCATTER_POINTS = 800;
/** Most line charts of the history section (the rest is in its table). */
export const MAX_NIGHT_CHARTS = 24;

/** Row columns the rows table leaves to the provenance block (method, dataset, seed stay). */
const _PROV = new Set<string>([
  ...PROVENANCE_COLUMNS.filter((c) => c !== "method" && c !== "dataset" && c !== "seed"),
  "source_runs",
  "arch",
  "top1_arch",
  "evo_arch",
  "supernet",
]);

const e = escapeXml;

function _table(cls: string, header: readonly string[], body: readonly string[][]): string {
  return `<table class="${cls}"><thead><tr>${header.map((h) => `<th>${e(h)}</th>`).join("")}` +
    `</tr></thead><tbody>${
      body.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("")
    }</tbody></table>`;
}

function _provenance(p: Provenance, file: string): string {
  const li = (k: string, v: readonly string[]) =>
    `<li><b>${e(k)}</b>: ${v.length === 0 ? "-" : v.map(e).join("; ")}</li>`;
  return `<details class="provenance" open><summary>provenance of ${e(file)}</summary><ul>` +
    li("git revision", p.gitRevs) + li("backend", p.backends) + li("device", p.devices) +
    li("versions", p.versions) + li("run ids", p.runIds) +
    li("started", p.started === null ? [] : [`${p.started[0]} to ${p.started[1]}`]) +
    li("data subsets", p.data) + `</ul></details>`;
}

/** The columns of a table worth showing: everything but provenance and architecture strings. */
function _valueColumns(t: Table): string[] {
  return t.columns.filter((c) => !_PROV.has(c));
}

function _plain(t: Table): string {
  const cols = _valueColumns(t);
  return _table("data", cols, t.rows.map((r) => cols.map((c) => e(r[c] ?? ""))));
}

/** Summary rows: our mean ± std next to the paper's value and the difference. */
function _summary(t: Table): string {
  const means = t.columns.filter((c) => c.endsWith("_mean")).map((c) => c.slice(0, -5));
  const keys = _valueColumns(t).filter((c) =>
    !c.endsWith("_mean") && !c.endsWith("_std") && !c.startsWith("paper_") && c !== "seed"
  );
  const header = [...keys];
  for (const v of means) {
    header.push(`${v} (ours, mean ± std)`);
    if (t.columns.includes(`paper_${v}`)) header.push(`${v} (paper)`, `${v} diff`);
  }
  const body = t.rows.map((r) => {
    const cells = keys.map((k) => e(r[k] ?? ""));
    for (const v of means) {
      cells.push(`${e(r[`${v}_mean`])} ± ${e(r[`${v}_std`] ?? "")}`);
      if (t.columns.includes(`paper_${v}`)) {
        const p = r[`paper_${v}`];
        const d = p === "" || p === undefined ? NaN : Number(r[`${v}_mean`]) - Number(p);
        cells.push(e(p ?? ""), Number.isFinite(d) ? (d >= 0 ? "+" : "") + d.toFixed(4) : "-");
      }
    }
    return cells;
  });
  return _table("data summary", header, body);
}

function _verdict(b: BenchmarkResult): string {
  const v = b.verdict;
  const cls = (s: string) => s === "PASS" ? "pass" : s === "FAIL" ? "fail" : "nc";
  return `<p class="verdict">verdict: <span class="${cls(v.overall)}">${e(v.overall)}</span>` +
    ` (checks of <code>Benchmark.checks</code>, profile ${e(b.profile)})</p>` +
    _table(
      "checks",
      ["status", "check", "detail"],
      v.checks.map((
        c,
      ) => [`<span class="${cls(c.status)}">${e(c.status)}</span>`, e(c.name), e(c.detail)]),
    );
}

function _groupMeanStd(
  rows: readonly Record<string, string>[],
  x: string,
  y: string,
): { x: number; y: number; err?: number }[] {
  const by = new Map<number, number[]>();
  for (const r of rows) {
    const xv = Number(r[x]);
    const yv = Number(r[y]);
    if (!Number.isFinite(xv) || !Number.isFinite(yv) || r[y] === "") continue;
    by.set(xv, [...(by.get(xv) ?? []), yv]);
  }
  return [...by.entries()].map(([xv, ys]) => {
    const mean = ys.reduce((a, b) => a + b, 0) / ys.length;
    if (ys.length < 2) return { x: xv, y: mean };
    const sd = Math.sqrt(ys.reduce((a, b) => a + (b - mean) ** 2, 0) / (ys.length - 1));
    return { x: xv, y: mean, err: sd };
  });
}

function _figure1(b: BenchmarkResult): string {
  const rows = b.runs.rows;
  const seeds = new Set(rows.map((r) => r.seed)).size;
  const note = seeds > 1
    ? `mean over ${seeds} seeds, error bars ± 1 std`
    : "one seed: no error bars";
  const chart = (col: string, label: string, sub: string) =>
    `<figure class="chart" data-chart="figure1${sub}">` + xyChartSvg({
      title: `Figure 1 (${sub}) ${b.profile}: ${label} vs number of random classes K`,
      xLabel: "K, number of random-label classes (log scale)",
      yLabel: label,
      logX: true,
      series: [...new Set(rows.map((r) => r.dataset))].map((d, i) => ({
        name: `${d} (${note.split(",")[0]})`,
        color: PALETTE[i % PALETTE.length],
        mode: "line" as const,
        points: _groupMeanStd(rows.filter((r) => r.dataset === d), "classes", col),
      })),
    }) + `<figcaption>${e(note)}</figcaption></figure>`;
  return chart("test_acc", "NB201 test accuracy of the searched arch (%)", "a") +
    chart("tau", "Kendall tau of the angle vs test accuracy", "b");
}

function _scatter(s: ScoreSet, i: number): string {
  const pts = subsample(
    s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)),
    MAX_SCATTER_POINTS,
  );
  if (pts.length === 0) return "";
  return `<figure class="chart" data-chart="scatter">` + xyChartSvg({
    title: s.title,
    xLabel: "NB201 test accuracy (%)",
    yLabel: `${s.metric} score`,
    width: 560,
    height: 360,
    series: [{
      name: `${pts.length}${pts.length < s.points.length ? ` of ${s.points.length}` : ""} archs`,
      color: PALETTE[i % PALETTE.length],
      mode: "scatter",
      points: pts,
    }],
  }) + `<figcaption>${e(s.source)}</figcaption></figure>`;
}

/** `bench compare`'s metrics ranked by mean tau over seeds. */
function _compareRanked(b: BenchmarkResult): string {
  const cols = [
    "tau",
    "tau_b",
    "spearman",
    "tau_valid",
    "p_at_10",
    "p_at_5pct",
    "top1_test_acc",
    "evo_test_acc",
    "ms_per_arch",
  ];
  const by = new Map<string, Record<string, string>[]>();
  for (const r of b.runs.rows) by.set(r.metric, [...(by.get(r.metric) ?? []), r]);
  const mean = (rs: Record<string, string>[], c: string) => {
    const v = rs.map((r) => Number(r[c])).filter((x, i) => rs[i][c] !== "" && Number.isFinite(x));
    return v.length === 0 ? NaN : v.reduce((a, x) => a + x, 0) / v.length;
  };
  const ranked = [...by.entries()].sort((a, z) => mean(z[1], "tau") - mean(a[1], "tau"));
  return _table(
    "data ranked",
    ["rank", "metric", "seeds", ...cols.map((c) => `${c} (mean)`)],
    ranked.map(([m, rs], i) => [
      String(i + 1),
      e(m),
      String(rs.length),
      ...cols.map((c) => {
        const v = mean(rs, c);
        return Number.isFinite(v) ? String(Number(v.toPrecision(4))) : "-";
      }),
    ]),
  );
}

function _perf(data: ReportData): string {
  if (data.perf.length === 0) return "<p>No perf results in the folder.</p>";
  return data.perf.map((p) => {
    const rows = p.table.rows;
    const withRatio = rows.filter((r) =>
      r.ratio_vs_pytorch !== undefined && r.ratio_vs_pytorch !== ""
    );
    const label = (r: Record<string, string>) =>
      `${r.method} ${r.backend} b${r.batch} t${r.threads}`;
    const chart = withRatio.length === 0 ? "" : `<figure class="chart" data-chart="perf">` +
      barChartSvg({
        title: `${p.file}: our step time / PyTorch's (lower is faster)`,
        xLabel: "ratio of median step times (ours / PyTorch, 1 = as fast)",
        bars: withRatio.map((r) => ({ label: label(r), value: Number(r.ratio_vs_pytorch) })),
        reference: { value: 1, label: "PyTorch" },
      }) + `</figure>`;
    const cols = [
      "method",
      "backend",
      "batch",
      "threads",
      "ms_median",
      "pytorch_ms",
      "ratio_vs_pytorch",
      "images_per_s",
      "pytorch_device",
    ]
      .filter((c) => p.table.columns.includes(c));
    return `<h3>${e(p.file)}</h3>` + chart +
      _table(
        "data perf",
        cols.map((c) => c === "ms_median" || c === "pytorch_ms" ? `${c} (ms)` : c),
        rows.map((r) => cols.map((c) => e(r[c] ?? ""))),
      ) +
      _provenance(p.provenance, p.file);
  }).join("\n");
}

function _nights(series: readonly NightSeries[] | null): string {
  if (series === null) {
    return "<p>No history database given (<code>--history PATH</code> or <code>RLNAS_HISTORY</code>).</p>";
  }
  if (series.length === 0) return "<p>The history has no runs.</p>";
  const charts = series.filter((s) => s.points.length > 1).slice(0, MAX_NIGHT_CHARTS).map((s, i) =>
    `<figure class="chart" data-chart="night">` + xyChartSvg({
      title: `${s.label}: ${s.column}`,
      xLabel: "night (run number, oldest first)",
      yLabel: s.column === "ms_median"
        ? "ms_median (ms)"
        : s.column === "test_acc"
        ? "test_acc (%)"
        : s.column,
      width: 480,
      height: 300,
      series: [{
        name: s.column,
        color: PALETTE[i % PALETTE.length],
        mode: "line",
        points: s.points.map((p, j) => ({ x: j + 1, y: p.value })),
      }],
    }) + `</figure>`
  ).join("");
  const body = series.map((s) => {
    const last = s.points[s.points.length - 1];
    const d = s.points.length > 1 ? last.value - s.points[0].value : NaN;
    return [
      e(s.label),
      e(s.column),
      String(s.points.length),
      e(s.points.map((p) => String(p.value)).join(", ")),
      Number.isFinite(d) ? d.toFixed(4) : "-",
      e(`${last.runId} (${last.gitRev})`),
    ];
  });
  return charts +
    _table("data nights", [
      "value",
      "column",
      "nights",
      "values (oldest first)",
      "last - first",
      "latest run",
    ], body);
}

/** The whole page. `generatedAt` is shown in the header. */
export function reportHtml(
  data: ReportData,
  nights: readonly NightSeries[] | null,
  generatedAt: string,
): string {
  const tables = data.benchmarks.map((b) => {
    const id = `${b.benchmark}-${b.profile}`;
    const extra = b.benchmark === "figure1"
      ? _figure1(b)
      : b.benchmark === "compare"
      ? `<h4>metrics ranked by tau</h4>${_compareRanked(b)}`
      : "";
    return `<section class="bench" id="${e(id)}"><h3>${e(b.paperTable)}: ${e(b.benchmark)} (${
      e(b.profile)
    })</h3>` +
      `<p>${e(b.description)}</p>` +
      (b.summary !== null ? `<h4>summary: ours vs the paper</h4>${_summary(b.summary)}` : "") +
      extra + _verdict(b) +
      `<details><summary>rows of ${e(b.file)} (${b.runs.rows.length})</summary>${
        _plain(b.runs)
      }</details>` +
      _provenance(b.provenance, b.file) + `</section>`;
  }).join("\n");
  const toc = data.benchmarks.map((b) =>
    `<a href="#${e(b.benchmark)}-${e(b.profile)}">${e(b.benchmark)} ${e(b.profile)}</a>`
  ).join(" · ");
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>rlnas-bench report</title>
<style>
body{font-family:DejaVu Sans,Arial,sans-serif;margin:24px;max-width:1240px;color:#222}
table{border-collapse:collapse;margin:8px 0;font-size:12px}th,td{border:1px solid #ccc;padding:2px 6px;text-align:left}
th{background:#f0f0f0}.pass{color:#1a7f37;font-weight:bold}.fail{color:#c00;font-weight:bold}.nc{color:#8a6d00}
figure.chart{display:inline-block;margin:6px}figcaption{font-size:11px;color:#555}
.provenance{font-size:11px;color:#444}section.bench{border-top:2px solid #ddd;margin-top:16px}
</style></head><body>
<h1>rlnas-bench report</h1>
<p>Results folder <code>${e(data.resultsDir)}</code>, generated ${
    e(generatedAt)
  }. Tables of the paper
(<i>Neural Architecture Search with Random Labels</i>, CVPR 2021) next to ours, with the verdicts of the benchmarks' own checks.</p>
<nav>${toc}</nav>
<h2 id="tables">Tables and figures</h2>
${tables}
<h2 id="scores">Scores against NB201 test accuracy, per architecture</h2>
<div>${data.scores.map(_scatter).join("")}</div>
<h2 id="perf">Training speed against PyTorch</h2>
${_perf(data)}
<h2 id="history">History over nights</h2>
${_nights(nights)}
</body></html>
`;
}
