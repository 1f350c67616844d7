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
import { tableFitness } from "./scorers.ts";
import { round } from "./summary.ts";
import type { CachedSuperNet } from "./supernet_cache.ts";

/** The metric used as fitness. */
export type MetricName = "angle" | "accuracy";

/** The result of {@link searchWithMetric}. */
export interface MethodResult extends Found {
  /** The SuperNet searched. */
  supernet: CachedSuperNet;
  /** Seconds spent in the search (scoring included). */
  searchSeconds: number;
}

/** Evolution with `metric` as fitness on the SuperNet of `req`, then NB201 lookup. */
export async function searchWithMetric(
  run: Nb201Run,
  req: SuperNetRequest,
  metric: MetricName,
): Promise<MethodResult> {
  const supernet = await run.supernet(req);
  const t0 = performance.now();
  let found: Found;
  if (metric === "angle") {
    const angles = await run.angles(supernet);
    found = await evolveAndLookup(
      tableFitness(angles),
      run.settings.angleEvolution,
      req.seed,
      run.table,
      req.dataset,
    );
  } else if (metric === "accuracy") {
    const scorer = await run.accuracy(supernet);
    found = await evolveAndLookup(
      scorer.fitness,
      run.settings.accuracyEvolution,
      req.seed,
      run.table,
      req.dataset,
    );
  } else {
    throw new RangeError(`unknown metric ${JSON.stringify(metric)} (valid: angle, accuracy)`);
  }
  const searchSeconds = (performance.now() - t0) / 1000;
  run.ctx.log(
    `  ${req.dataset} seed ${req.seed} ${req.labels} + ${metric}: ${found.arch} ` +
      `test ${found.testAcc.toFixed(2)} (${found.scored} scored, ${searchSeconds.toFixed(1)} s)`,
  );
  return { ...found, supernet, searchSeconds };
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
  metric: MetricName,
): Promise<Record<string, string | number>> {
  const acc = metric === "accuracy";
  return {
    labels: r.supernet.config.labels,
    metric,
    arch: r.arch,
    nb201_index: r.nb201Index,
    fitness: round(r.fitness, 6),
    valid_acc: r.validAcc,
    test_acc: r.testAcc,
    scored: r.scored,
    ...(await run.dataColumns(dataset)),
    ...run.settingColumns,
    calib_images: acc ? run.settings.accuracy.calibImages : "",
    metric_valid_images: acc ? (await run.accuracy(r.supernet)).validCount : "",
    supernet: r.supernet.key,
    train_s: round(r.supernet.trainSeconds, 1),
    search_s: round(r.searchSeconds, 1),
  };
}
