/**
 * The `accuracy` metric (spec §4): BN-recalibrated top-1 validation accuracy (percent) of each
 * genotype in the SuperNet, via an {@link AccuracyEvaluator} built once per scorer.
 *
 * @module
 */
import { AccuracyEvaluator, buildAccuracyData } from "./accuracy.ts";
import { type ArchMetric, makeScorer, type MetricContext, requireField } from "./metric.ts";

/**
 * Context: `net`, and either `accuracyData` or `train` + `valid`; `accuracy` holds the sizes,
 * seed, `evalLabels` and `recalibrate` (defaults = spec §4).
 */
export const accuracyMetric: ArchMetric = {
  name: "accuracy",
  description:
    "top-1 validation accuracy (%) after BN recalibration on cached train images (spec §4)",
  higherIsBetter: true,
  requires: ["net", "train", "valid"],
  // deno-lint-ignore require-await
  async create(ctx: MetricContext) {
    const net = requireField("accuracy", ctx, "net");
    const opts = ctx.accuracy ?? {};
    const data = ctx.accuracyData ??
      buildAccuracyData(
        requireField("accuracy", ctx, "train"),
        requireField("accuracy", ctx, "valid"),
        opts,
      );
    const ev = new AccuracyEvaluator(net, data, opts);
    return makeScorer("accuracy", (gs) => ev.scoreMany(gs), () => ev.dispose());
  },
};
