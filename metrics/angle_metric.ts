/**
 * The `angle` metric (spec §3): θ between W0 and Wt for each genotype, via the fast
 * {@link ./angle.ts} sums (precomputed once per scorer).
 *
 * @module
 */
import { readSafetensors } from "../training/safetensors.ts";
import type { WeightMap } from "./_layout.ts";
import { angleMany, precomputeAngleStats } from "./angle.ts";
import { type ArchMetric, makeScorer, type MetricContext, requireField } from "./metric.ts";

async function _load(w: WeightMap | string): Promise<WeightMap> {
  return typeof w === "string" ? (await readSafetensors(w)).tensors : w;
}

/**
 * The RLNAS angle metric: context `w0`, `wt` (maps or safetensors paths), optional `numClasses`
 * and `anglePrecision` (default float64).
 */
export const angleMetric: ArchMetric = {
  name: "angle",
  description: "RLNAS angle between epoch-0 and trained SuperNet weights (spec §3; radians)",
  higherIsBetter: true,
  requires: ["w0", "wt"],
  async create(ctx: MetricContext) {
    const w0 = await _load(requireField("angle", ctx, "w0"));
    const wt = await _load(requireField("angle", ctx, "wt"));
    const stats = precomputeAngleStats(w0, wt, ctx.numClasses, { precision: ctx.anglePrecision });
    return makeScorer("angle", (gs) => Promise.resolve(angleMany(stats, gs)));
  },
};
