/**
 * Speed of the angle metric on a full-size NB201 SuperNet (C=16, N=5, 10 classes): reducing a
 * checkpoint pair to sums, and scoring all 15 625 architectures. Run with
 * `deno bench -A metrics/angle_bench.ts`.
 *
 * @module
 */
import { fakeLayout, gaussianWeights } from "./_fake_weights.ts";
import { angleAll, precomputeAngleStats } from "./angle.ts";
import { angleBruteForce } from "./angle_bruteforce.ts";

const layout = fakeLayout(16, 5, 10);
const w0 = gaussianWeights(layout, 1, 0.1);
const wt = gaussianWeights(layout, 2, 0.1);
const stats = precomputeAngleStats(w0, wt);

Deno.bench("angle: precompute + all 15 625 archs (from loaded checkpoints)", () => {
  angleAll(precomputeAngleStats(w0, wt));
});

Deno.bench("angle: precomputeAngleStats (checkpoint pair -> sums)", () => {
  precomputeAngleStats(w0, wt);
});

Deno.bench("angle: angleAll (15 625 archs from sums)", () => {
  angleAll(stats);
});

Deno.bench("angle: brute force, one all-conv3x3 arch (2 M-value vectors)", () => {
  angleBruteForce(w0, wt, [3, 3, 3, 3, 3, 3]);
});
