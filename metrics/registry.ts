/**
 * The registry of architecture metrics. Adding a metric = one new file exporting an
 * {@link ArchMetric} + one line in {@link METRICS}.
 *
 * @module
 */
import { accuracyMetric } from "./accuracy_metric.ts";
import { angleMetric } from "./angle_metric.ts";
import { flopsMetric, paramsMetric } from "./cost_metrics.ts";
import type { ArchMetric } from "./metric.ts";
import { randomMetric } from "./random_metric.ts";
import { synflowMetric } from "./zc_synflow.ts";
import { snipMetric } from "./zc_snip.ts";
import { gradNormMetric } from "./zc_grad_norm.ts";
import { nwotMetric } from "./zc_nwot.ts";
import { plainMetric } from "./zc_plain.ts";
import { l2NormMetric } from "./zc_l2_norm.ts";
import { fisherMetric } from "./zc_fisher.ts";
import { jacovMetric } from "./zc_jacov.ts";
import { epeNasMetric } from "./zc_epe_nas.ts";
import { zenMetric } from "./zc_zen.ts";
import { graspMetric } from "./zc_grasp.ts";

/** All registered metrics, by name. */
export const METRICS: ReadonlyMap<string, ArchMetric> = new Map(
  [
    angleMetric,
    accuracyMetric,
    randomMetric,
    paramsMetric,
    flopsMetric,
    synflowMetric,
    snipMetric,
    gradNormMetric,
    nwotMetric,
    plainMetric,
    l2NormMetric,
    fisherMetric,
    jacovMetric,
    epeNasMetric,
    zenMetric,
    graspMetric,
  ].map((m) => [m.name, m]),
);

/** Names of the registered metrics, in registration order. */
export function metricNames(): string[] {
  return [...METRICS.keys()];
}

/** The metric called `name`; throws a `RangeError` listing the valid names. */
export function getMetric(name: string): ArchMetric {
  const m = METRICS.get(name);
  if (m === undefined) {
    throw new RangeError(
      `unknown metric "${name}": expected one of ${metricNames().map((n) => `"${n}"`).join(", ")}`,
    );
  }
  return m;
}
