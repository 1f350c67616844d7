/**
 * An example plug-in metric for `deno task bench compare`: one file whose default export is an
 * `ArchMetric`. It scores an NB201 genotype (6 op indices: none 0, skip_connect 1, nor_conv_1x1
 * 2, nor_conv_3x3 3, avg_pool_3x3 4) by the kernel area of its convolutions, a training-free
 * guess that bigger cells are better.
 *
 * ```
 * deno task bench compare --metric examples/conv_ops_metric.ts
 * ```
 *
 * `requires` names the context fields the metric reads (`metrics/metric.ts`: e.g. `w0`/`wt`
 * for SuperNet weights, `cost` for the space's cost model); `[]` here. `create` returns a scorer
 * that maps a batch of genotypes to one finite number each. From outside the clone, import
 * `makeScorer` from `<clone>/mod.ts` instead.
 *
 * @module
 */
import { type ArchMetric, makeScorer } from "../metrics/metric.ts";

const AREA = [0, 0, 1, 9, 0]; // per op index: only the convolutions count

const convOps: ArchMetric = {
  name: "conv_ops",
  description: "kernel area of the cell's convolutions (3x3 = 9, 1x1 = 1); an example plug-in",
  higherIsBetter: true,
  requires: [],
  create: () =>
    Promise.resolve(
      makeScorer("conv_ops", (gs) =>
        Promise.resolve(
          Float64Array.from(gs, (g) => Array.from(g).reduce((s, op) => s + AREA[op], 0)),
        )),
    ),
};

export default convOps;
