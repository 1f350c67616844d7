/**
 * The `params` and `flops` metrics (zero-cost baselines of NASLib / zero-cost-nas,
 * `../shared/spec/zero-cost-proxies.md`): the parameter count and the FLOPs of the evaluated
 * network of each architecture, in millions, from the search space's cost model (context
 * `cost`; NB201: `search_spaces/nb201/cost.ts`, the dataset's head and input size). Larger is
 * better, as NASLib ranks them.
 *
 * @module
 */
import { type ArchMetric, makeScorer, type MetricContext, requireField } from "./metric.ts";

function _costMetric(name: "params" | "flops", description: string): ArchMetric {
  return {
    name,
    description,
    higherIsBetter: true,
    requires: ["cost"],
    // deno-lint-ignore require-await
    async create(ctx: MetricContext) {
      const cost = requireField(name, ctx, "cost");
      const pick = name === "params" ? (g: readonly number[]) => cost(g).paramsM : (
        g: readonly number[],
      ) => cost(g).flopsM;
      return makeScorer(name, (gs) => Promise.resolve(Float64Array.from(gs, (g) => pick(g))));
    },
  };
}

/** Parameters of the evaluated network, in millions. */
export const paramsMetric: ArchMetric = _costMetric(
  "params",
  "parameters of the evaluated network (millions; zero-cost baseline)",
);

/** FLOPs of the evaluated network, in millions. */
export const flopsMetric: ArchMetric = _costMetric(
  "flops",
  "FLOPs of the evaluated network (millions; zero-cost baseline)",
);
