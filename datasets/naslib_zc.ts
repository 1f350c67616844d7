/**
 * NASLib's zero-cost reference file (`zc/zc_nasbench201_725.json` of the data directory):
 * per dataset, 725 NB201 architectures keyed by their op-index tuple (`"(0, 2, 3, 2, 3, 1)"`),
 * each with its validation accuracy and NASLib's score (and time) of every proxy.
 *
 * @module
 */
import { type DataDir, dataFile } from "./data_dir.ts";
import { DataError } from "./errors.ts";

/** The path of the file inside a data directory. */
export const NASLIB_ZC_FILE = "zc/zc_nasbench201_725.json";

/** One architecture of the file. */
export interface NaslibZcEntry {
  /** The op-index tuple key, e.g. `"(0, 2, 3, 2, 3, 1)"`. */
  key: string;
  /** Validation accuracy (percent). */
  valAccuracy: number;
  /** NASLib's score per proxy (`null` where the file has -Infinity or NaN). */
  scores: Record<string, number | null>;
}

/** The file: entries per dataset name, in file order. */
export type NaslibZc = Record<string, NaslibZcEntry[]>;

/** Reads and checks the file (one-line `DataError` naming it when malformed). */
export async function loadNaslibZc(dir: DataDir | string): Promise<NaslibZc> {
  const path = dataFile(dir, NASLIB_ZC_FILE);
  let raw: Record<string, Record<string, Record<string, unknown>>>;
  try {
    // Python's json writes -Infinity / NaN for a few proxy scores: read them as null
    raw = JSON.parse((await Deno.readTextFile(path)).replace(/-?Infinity|NaN/g, "null"));
  } catch (e) {
    throw new DataError(path, `not valid JSON (${(e as Error).message})`);
  }
  const out: NaslibZc = {};
  for (const [dataset, archs] of Object.entries(raw)) {
    out[dataset] = Object.entries(archs).map(([key, v]) => {
      const val = v.val_accuracy;
      if (typeof val !== "number") throw new DataError(path, `${dataset} ${key}: no val_accuracy`);
      const scores: Record<string, number | null> = {};
      for (const [name, s] of Object.entries(v)) {
        if (typeof s === "object" && s !== null && "score" in s) {
          const x = (s as { score: unknown }).score;
          scores[name] = typeof x === "number" ? x : null;
        }
      }
      return { key, valAccuracy: val, scores };
    });
  }
  return out;
}
