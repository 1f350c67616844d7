/**
 * One search method of the NB201 tables: obtain the SuperNet (label scheme, seed, K), search by
 * evolution with the angle or the BN-recalibrated accuracy as fitness, look the result up in
 * NB201, and describe it as CSV columns.
 *
 * @module
 */
import type { DatasetName } from "../../datasets/image_set.ts";
import type { Nb201Run, SuperNetRequest } from "./run.ts";
import { evolveAndLookup, type Found } from "./search.ts";
import type { SourceScorer } from "./metric_scorer.ts";
import { round } from "./summary.ts";
import type { CachedSuperNet } from "./supernet_cache.ts";

/**
 * A metric of the `METRICS` registry (`metrics/registry.ts`) by name, e.g. `"angle"`,
 * `"accuracy"`.
 */
export type MetricName = string;

/** The result of {@link searchWithMetric}. */
export interface MethodResult extends Found {
  /** The SuperNet searched. */
  supernet: CachedSuperNet;
  /** The metric's scorer on it (its sizes go into the row). */
  scorer: SourceScorer;
  /** Seconds spent in the search (scoring included). */
  searchSeconds: number;
}

/**
 * Evolution with the registered metric `metric` as fitness (oriented by its `higherIsBetter`;
 * `fitness` in the result is the metric's own value) on the SuperNet of `req`, with the
 * profile's evolution settings for that metric, then NB201 lookup.
 */
export async function searchWithMetric(
  run: Nb201Run,
  req: SuperNetRequest,
  metric: MetricName,
): Promise<MethodResult> {
  const supernet = await run.supernet(req);
  const scorer = await run.scorer(metric, supernet);
  const t0 = performance.now();
  const found = await evolveAndLookup(
    scorer.fitness,
    run.evolutionFor(metric),
    req.seed,
    run.table,
    req.dataset,
  );
  const searchSeconds = (performance.now() - t0) / 1000;
  run.ctx.log(
    `  ${req.dataset} seed ${req.seed} ${req.labels} + ${metric}: ${found.arch} ` +
      `test ${found.testAcc.toFixed(2)} (${found.scored} scored, ${searchSeconds.toFixed(1)} s)`,
  );
  const fitness = scorer.metric.higherIsBetter ? found.fitness : -found.fitness;
  return { ...found, fitness, supernet, scorer, searchSeconds };
}

/** The CSV columns saying how the SuperNet and the metric were sized (tables 1, 2, 6, 7, Figure 1). */
export const SUPERNET_COLUMNS = [
  "train_images",
  "epochs",
  "batch_size",
  "channels",
  "calib_images",
  "metric_valid_images",
  "supernet",
  "train_s",
] as const;

/** The CSV columns describing a search result (shared by tables 1, 6, 7 and Figure 1). */
export const RESULT_COLUMNS = [
  "labels",
  "metric",
  "arch",
  "nb201_index",
  "fitness",
  "valid_acc",
  "test_acc",
  "scored",
  ...SUPERNET_COLUMNS,
  "search_s",
] as const;

/** The values of {@link RESULT_COLUMNS} for a result. */
export async function resultColumns(
  run: Nb201Run,
  dataset: DatasetName,
  r: MethodResult,
): Promise<Record<string, string | number>> {
  return {
    labels: r.supernet.config.labels,
    metric: r.scorer.metric.name,
    arch: r.arch,
    nb201_index: r.nb201Index,
    fitness: round(r.fitness, 6),
    valid_acc: r.validAcc,
    test_acc: r.testAcc,
    scored: r.scored,
    ...(await run.dataColumns(dataset)),
    ...run.settingColumns,
    calib_images: r.scorer.calibImages,
    metric_valid_images: r.scorer.validImages,
    supernet: r.supernet.key,
    train_s: round(r.supernet.trainSeconds, 1),
    search_s: round(r.searchSeconds, 1),
  };
}
