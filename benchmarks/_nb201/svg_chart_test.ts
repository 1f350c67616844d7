import assert from "node:assert/strict";
import { escapeXml, lineChartSvg, niceTicks } from "./svg_chart.ts";

Deno.test("niceTicks: steps of 1, 2, 2.5 or 5 x 10^k covering the range", () => {
  assert.deepEqual(niceTicks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  // raw step 5.3 / 5 = 1.06 -> the next nice step is 2
  assert.deepEqual(niceTicks(88.3, 93.6, 5), [88, 90, 92, 94]);
  assert.deepEqual(niceTicks(10, 200, 8), [0, 25, 50, 75, 100, 125, 150, 175, 200]);
  assert.deepEqual(niceTicks(5, 5, 4), [4, 4.5, 5, 5.5, 6]);
  assert.throws(() => niceTicks(0, Infinity), /range must be finite/);
});

Deno.test("escapeXml: markup characters are escaped", () => {
  assert.equal(escapeXml(`a<b & "c">`), "a&lt;b &amp; &quot;c&quot;&gt;");
});

Deno.test("lineChartSvg: axes, ticks, one polyline and legend entry per series, highlight", () => {
  const svg = lineChartSvg({
    title: "T <1>",
    xLabel: "K",
    yLabel: "acc",
    xTicks: [10, 100, 200],
    highlightLabel: "real class count",
    series: [
      {
        name: "CIFAR-10",
        color: "#1f77b4",
        highlightX: 10,
        points: [{ x: 10, y: 90 }, { x: 200, y: 92 }],
      },
      { name: "CIFAR-100", color: "#2ca02c", points: [{ x: 100, y: 70 }, { x: 10, y: NaN }] },
    ],
  });
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  assert.ok(svg.trimEnd().endsWith("</svg>"));
  assert.ok(svg.includes("<title>T &lt;1&gt;</title>"));
  assert.equal(svg.match(/<polyline /g)?.length, 2);
  // x ticks as given; y ticks from niceTicks(70, 92, 6) = 70..92 step 5 -> 70, 75, ..., 95
  for (const t of ["10", "100", "200"]) assert.ok(svg.includes(`>${t}</text>`), t);
  for (const t of ["70", "75", "80", "85", "90", "95"]) assert.ok(svg.includes(`>${t}</text>`), t);
  assert.equal(svg.match(/fill="red"/g)?.length, 2); // the highlighted point + the legend marker
  assert.ok(svg.includes(">CIFAR-10</text>") && svg.includes(">CIFAR-100</text>"));
  assert.ok(svg.includes(">real class count</text>"));
  // the NaN point is skipped: CIFAR-100's polyline has a single point
  const poly = svg.match(
    /<g class="series" data-name="CIFAR-100">\n<polyline[^>]*points="([^"]*)"/,
  );
  assert.equal(poly?.[1].split(" ").length, 1);
  // well-formed enough for a parser: every opened <g> is closed
  assert.equal(svg.match(/<g[ >]/g)?.length, svg.match(/<\/g>/g)?.length);
});

Deno.test("lineChartSvg: a chart without finite points is an error", () => {
  assert.throws(
    () => lineChartSvg({ title: "x", xLabel: "", yLabel: "", series: [] }),
    /chart "x" has no finite points/,
  );
});
