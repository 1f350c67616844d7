/**
 * `deno bench stats/kendall_bench.ts`: Kendall tau-b on 15,625 pairs (the NB201 space size),
 * the speed target of the project (< 20 ms per call).
 *
 * @module
 */
import { kendallTau } from "./kendall.ts";
import { officialKendallTau } from "./ranking.ts";
import { RandomState } from "../labels/random_state.ts";

const N = 15625;
const rs = new RandomState(0);
const u = rs.rand(N);
const noise = rs.rand(N);
// Accuracy-like values with many ties (2 decimals) and a correlated, tied metric.
const gt = Float64Array.from(u, (v) => Math.round(v * 10000) / 100);
const metric = Float64Array.from(u, (v, i) => Math.round((v + 0.3 * noise[i]) * 1000) / 1000);
const distinctX = rs.rand(N);
const distinctY = Float64Array.from(distinctX, (v, i) => v + noise[i]);

Deno.bench("kendallTau, 15,625 pairs with ties", { baseline: true }, () => {
  kendallTau(metric, gt);
});

Deno.bench("kendallTau, 15,625 distinct pairs", () => {
  kendallTau(distinctX, distinctY);
});

Deno.bench("officialKendallTau (stable ranks + tau), 15,625 pairs", () => {
  officialKendallTau(metric, gt);
});
