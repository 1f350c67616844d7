/**
 * Where `compare` takes the RLNAS angle baseline from: the profile's random-label SuperNet
 * (trained, or taken from the cache), a SuperNet folder given with `--supernet DIR` (a cache
 * entry or a copied checkpoint folder), or a file of per-architecture angle scores given with
 * `--angle-scores FILE` (`tools/export_angle_scores.ts`, or a `compare` scores file), which
 * needs no SuperNet at all.
 *
 * @module
 */
import { UsageError } from "../../cli/args.ts";
import type { DatasetName } from "../../datasets/image_set.ts";
import { type ArchMetric, makeScorer } from "../../metrics/metric.ts";
import { readResults } from "../../reporting/results_file.ts";
import { genotypeFromString, genotypeToIndex } from "../../search_spaces/nb201/encoding.ts";
import { type CachedSuperNet, openSuperNetDir } from "../_nb201/supernet_cache.ts";

/** The angle baseline's source. */
export type AngleBaseline =
  | { kind: "train" }
  | { kind: "dir"; entry: CachedSuperNet }
  | { kind: "file"; path: string; metric: ArchMetric };

/** Context fields only a SuperNet provides. */
export const SUPERNET_FIELDS: ReadonlySet<string> = new Set([
  "w0",
  "wt",
  "net",
  "train",
  "valid",
  "accuracy",
]);

/** Whether `m` needs a SuperNet. */
export function needsSuperNet(m: ArchMetric): boolean {
  return m.requires.some((f) => SUPERNET_FIELDS.has(f));
}

/**
 * The metric of a scores file: column `column` (default `angle`) of a CSV with an `arch` column
 * (NB201 architecture strings); architectures the file lacks are an error when scored.
 *
 * @throws UsageError naming the file when it is missing, malformed or lacks the columns
 */
export async function scoresFileMetric(
  path: string,
  column = "angle",
): Promise<ArchMetric> {
  let records: Record<string, string>[];
  let columns: string[];
  try {
    await Deno.stat(path);
    ({ columns, records } = await readResults(path));
  } catch (e) {
    throw new UsageError(`--angle-scores ${path}: ${(e as Error).message.split("\n")[0]}`);
  }
  if (!columns.includes("arch") || !columns.includes(column)) {
    throw new UsageError(
      `--angle-scores ${path}: needs the columns arch and ${column} (has ${columns.join(", ")})`,
    );
  }
  const table = new Map<number, number>();
  for (const [i, r] of records.entries()) {
    const v = Number(r[column]);
    let g: number[];
    try {
      g = [...genotypeFromString(r.arch)];
    } catch (e) {
      throw new UsageError(`--angle-scores ${path}: row ${i + 2}: ${(e as Error).message}`);
    }
    if (r[column] === "" || !Number.isFinite(v)) {
      throw new UsageError(`--angle-scores ${path}: row ${i + 2}: ${column} is not a number`);
    }
    table.set(genotypeToIndex(g), v);
  }
  return {
    name: column,
    description: `${column} read from ${path} (${table.size} architectures)`,
    higherIsBetter: true,
    requires: [],
    create: () =>
      Promise.resolve(makeScorer(column, (gs) =>
        Promise.resolve(Float64Array.from(gs, (g) => {
          const v = table.get(genotypeToIndex(g));
          if (v === undefined) {
            throw new Error(`${path} has no ${column} for ${[...g].join(",")}`);
          }
          return v;
        })))),
  };
}

/**
 * The baseline of `--supernet` / `--angle-scores` (at most one), checked against the datasets.
 *
 * @throws UsageError for both flags, a folder that is no complete SuperNet training, or a
 *   SuperNet of another dataset than the one (only) run
 */
export async function resolveBaseline(
  supernet: string | undefined,
  angleScores: string | undefined,
  datasets: readonly DatasetName[],
): Promise<AngleBaseline> {
  if (supernet !== undefined && angleScores !== undefined) {
    throw new UsageError("--supernet and --angle-scores exclude each other (one angle baseline)");
  }
  if (supernet !== undefined) {
    let entry: CachedSuperNet;
    try {
      entry = await openSuperNetDir(supernet);
    } catch (e) {
      throw new UsageError(`--supernet ${(e as Error).message}`);
    }
    if (datasets.length !== 1 || datasets[0] !== entry.config.dataset) {
      throw new UsageError(
        `--supernet ${supernet}: a ${entry.config.dataset} SuperNet; run it with ` +
          `--dataset ${entry.config.dataset} only (got ${datasets.join(",")})`,
      );
    }
    return { kind: "dir", entry };
  }
  if (angleScores !== undefined) {
    if (datasets.length !== 1) {
      throw new UsageError(`--angle-scores: one dataset at a time (got ${datasets.join(",")})`);
    }
    return { kind: "file", path: angleScores, metric: await scoresFileMetric(angleScores) };
  }
  return { kind: "train" };
}
