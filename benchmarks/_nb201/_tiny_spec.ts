/**
 * Test helper: a SuperNet spec that trains in about a second (8 CIFAR-10 images, C = 2, one cell
 * per stage, one epoch), on the wasm backend.
 *
 * @module
 */
import { initBackend } from "../../backends/backend.ts";
import { resolveDataDir } from "../../datasets/data_dir.ts";
import { loadSearchData } from "../../datasets/splits.ts";
import type { SuperNetSpec } from "./supernet_cache.ts";

await initBackend("wasm");

/** The training set of {@link tinySpec}: the first 8 CIFAR-10 train-split images. */
export const tinyData = await loadSearchData(resolveDataDir(), "cifar10", { trainLimit: 8 });

/** The tiny spec with `extra` applied. */
export function tinySpec(extra: Partial<SuperNetSpec> = {}): SuperNetSpec {
  return {
    train: tinyData.train,
    labels: "random-uniform-once",
    backend: "wasm",
    seed: 0,
    epochs: 1,
    batchSize: 8,
    channels: 2,
    cellsPerStage: 1,
    ...extra,
  };
}
