/**
 * Architecture metrics for NAS-Bench-201: the RLNAS angle (fast sums, spec §3, and its brute-force
 * oracle), the BN-recalibrated accuracy (spec §4), a seeded random baseline, and the registry
 * that names them.
 *
 * @example
 * ```ts
 * import { angleAll, precomputeAngleStats } from "./mod.ts";
 * // w0, wt: Map<name, {shape, data}> of the epoch-0 and final checkpoints (PyTorch layout).
 * // const theta = angleAll(precomputeAngleStats(w0, wt)); // 15 625 angles, enumeration order
 * ```
 *
 * @module
 */
export type { NetLayout, WeightMap, WeightTensor } from "./_layout.ts";
// `AnglePrecision` and `ANGLE_PRECISIONS` of angle.ts are exported by `benchmarks/types.ts` at
// the top level (same values), so they are not re-exported here.
export {
  angleAll,
  angleFromSums,
  angleFromSums32,
  angleMany,
  angleOf,
  type AngleOptions,
  angleRepresentative,
  type AngleStats,
  type AngleStats32,
  precomputeAngleStats,
} from "./angle.ts";
export { angleBruteForce, angleVector } from "./angle_bruteforce.ts";
export {
  type AccuracyData,
  type AccuracyDataOptions,
  AccuracyEvaluator,
  type AccuracyOptions,
  type BnMomentum,
  buildAccuracyData,
  type RecalibratableNet,
  resetStatsWeight,
  type ScoreOptions,
} from "./accuracy.ts";
export {
  type ArchMetric,
  makeScorer,
  type MetricContext,
  type MetricScorer,
  requireField,
} from "./metric.ts";
export { angleMetric } from "./angle_metric.ts";
export { accuracyMetric } from "./accuracy_metric.ts";
export { randomMetric, randomScoreTable } from "./random_metric.ts";
export { flopsMetric, paramsMetric } from "./cost_metrics.ts";
export { synflowMetric, synflowScore } from "./zc_synflow.ts";
export { snipMetric } from "./zc_snip.ts";
export { gradNormMetric } from "./zc_grad_norm.ts";
export { nwotMetric, nwotScore } from "./zc_nwot.ts";
export { plainMetric } from "./zc_plain.ts";
export { l2NormMetric } from "./zc_l2_norm.ts";
export { fisherMetric, fisherScore } from "./zc_fisher.ts";
export { jacovMetric, jacovScore } from "./zc_jacov.ts";
export { epeNasMetric, epeNasScore } from "./zc_epe_nas.ts";
export { zenMetric, zenScore } from "./zc_zen.ts";
export { GRASP_STEP, graspMetric, graspScore } from "./zc_grasp.ts";
export { getMetric, metricNames, METRICS } from "./registry.ts";
export {
  type BatchStats,
  countParams,
  crossEntropy,
  paramGrads,
  type ProxyForwardOptions,
  type ProxyLayer,
  type ProxyNetwork,
  type ProxyNetworkFactory,
  type ProxyNetworkOptions,
  type ProxyParam,
  type ProxyParamKind,
  restoreParams,
  snapshotParams,
} from "./proxy_network.ts";
