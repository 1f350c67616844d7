import assert from "node:assert/strict";
import { barChartSvg, subsample, xyChartSvg } from "./svg.ts";

Deno.test("xyChartSvg draws error bars, axis titles and the legend; refuses no points", () => {
  const svg = xyChartSvg({
    title: "t",
    xLabel: "K (classes)",
    yLabel: "acc (%)",
    series: [{
      name: "s",
      color: "red",
      mode: "line",
      points: [{ x: 1, y: 2, err: 0.5 }, { x: 2, y: 3 }],
    }],
  });
  assert.match(svg, /K \(classes\)/);
  assert.match(svg, /acc \(%\)/);
  assert.equal((svg.match(/<circle/g) ?? []).length, 2);
  assert.equal((svg.match(/<path d="M/g) ?? []).length, 1); // one error bar
  assert.throws(() => xyChartSvg({ title: "e", xLabel: "", yLabel: "", series: [] }), RangeError);
});

Deno.test("barChartSvg draws one bar per finite value and the reference line", () => {
  const svg = barChartSvg({
    title: "r",
    xLabel: "ratio",
    bars: [{ label: "a", value: 2 }, { label: "b", value: NaN }],
    reference: { value: 1, label: "PyTorch" },
  });
  assert.equal((svg.match(/<rect x=/g) ?? []).length, 1); // one bar (the background has no x)
  assert.match(svg, /stroke-dasharray/);
});

Deno.test("subsample keeps at most max items, evenly strided", () => {
  assert.deepEqual(subsample([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 5), [0, 2, 4, 6, 8]);
  assert.deepEqual(subsample([1, 2], 5), [1, 2]);
});
