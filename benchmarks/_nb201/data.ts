/**
 * Loading the search data of a NB201 benchmark run, and the `paper` profile's refusal to run on
 * subsets of the official data or on a CPU backend (unless `RLNAS_FORCE=1`).
 *
 * @module
 */
import type { DataDir } from "../../datasets/data_dir.ts";
import type { DatasetName } from "../../datasets/image_set.ts";
import { loadSearchData, type SearchData } from "../../datasets/splits.ts";
import type { EnvReader, Nb201Settings } from "./settings.ts";

/** Official sizes of the SuperNet training set and of the "valid" set (spec §1.5). */
export const OFFICIAL_SEARCH_SIZES: Readonly<
  Record<DatasetName, { train: number; valid: number }>
> = {
  "cifar10": { train: 25_000, valid: 25_000 },
  "cifar100": { train: 50_000, valid: 5_000 },
  "ImageNet16-120": { train: 151_700, valid: 3_000 },
};

/** Backends that count as a GPU for the `paper` profile. */
export const GPU_BACKENDS: readonly string[] = ["webgpu", "tensorflow"];

function _force(env: EnvReader): boolean {
  const v = env("RLNAS_FORCE");
  return v !== undefined && v !== "" && v !== "0";
}

function _denoEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

/**
 * What is missing for the `paper` profile: one message per dataset whose train or valid set is
 * smaller than the official one. Empty when everything is there.
 */
export function missingForPaper(dataset: DatasetName, data: SearchData): string[] {
  const want = OFFICIAL_SEARCH_SIZES[dataset];
  const out: string[] = [];
  if (data.train.count < want.train) {
    out.push(
      `${dataset}: ${data.train.count} of the ${want.train} official SuperNet training images`,
    );
  }
  if (data.valid.count < want.valid) {
    out.push(`${dataset}: ${data.valid.count} of the ${want.valid} official valid images`);
  }
  return out;
}

/** Throw unless `backend` is a GPU backend or the run is forced (settings.requireGpu only). */
export function checkBackend(
  settings: Nb201Settings,
  backend: string,
  env: EnvReader = _denoEnv,
): void {
  if (!settings.requireGpu || GPU_BACKENDS.includes(backend) || _force(env)) return;
  throw new Error(
    `profile ${settings.profile} needs a GPU backend (${GPU_BACKENDS.join(" or ")}), got ` +
      `${backend}: 250-epoch SuperNets take weeks on a CPU (set RLNAS_FORCE=1 to run anyway)`,
  );
}

/**
 * Load the SuperNet training set and the valid set of `dataset` (first `settings.trainImages`
 * training images). With `settings.requireFullData`, throws an `Error` naming every missing part
 * unless `RLNAS_FORCE=1`.
 */
export async function loadBenchData(
  dataDir: DataDir,
  dataset: DatasetName,
  settings: Nb201Settings,
  env: EnvReader = _denoEnv,
): Promise<SearchData> {
  const data = await loadSearchData(dataDir, dataset, {
    trainLimit: settings.trainImages,
    requireTrain: settings.requireFullData && !_force(env),
  });
  if (settings.requireFullData && !_force(env)) {
    const missing = missingForPaper(dataset, data);
    if (missing.length > 0) {
      throw new Error(
        `profile ${settings.profile} needs the full official data, but the data directory ` +
          `${dataDir.path} has only ${missing.join("; ")}. Download it (deno task download) ` +
          `or set RLNAS_FORCE=1 to run on the subset anyway.`,
      );
    }
  }
  return data;
}
