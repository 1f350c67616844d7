/**
 * Speed of the BN-recalibrated accuracy metric for one architecture on a full-size NB201
 * SuperNet (C=16, N=5), CIFAR-10 from the data directory, at smoke sizes (512 calibration images
 * in chunks of 128, 500 validation images, eval batch 100). Backend from `RLNAS_BACKEND`
 * (default wasm). Run with `deno bench -A metrics/accuracy_bench.ts`.
 *
 * Chunks of 256 or more 32x32 images abort the wasm backend (out of wasm memory): the SuperNet's
 * forward keeps every intermediate tensor of the whole network alive until it returns.
 *
 * @module
 */
import { initBackend } from "../backends/backend.ts";
import { resolveDataDir } from "../datasets/data_dir.ts";
import { loadSearchData } from "../datasets/splits.ts";
import { SuperNet } from "../search_spaces/nb201/supernet.ts";
import { AccuracyEvaluator } from "./accuracy.ts";

await initBackend(Deno.env.get("RLNAS_BACKEND") ?? "wasm");
const { train, valid } = await loadSearchData(resolveDataDir(), "cifar10", { validLimit: 500 });
const net = new SuperNet({ numClasses: 10, inputSize: 32, seed: 0 });
const ev = AccuracyEvaluator.fromImageSets(net, train, valid, {
  calibImages: 512,
  chunkSize: 128,
  validImages: 500,
  evalBatch: 100,
});
const g = [3, 3, 3, 3, 3, 3];

Deno.bench(
  "accuracy: one arch, recalibrate 4 x 128 + evaluate 500 (C=16, N=5, CIFAR-10)",
  { n: 3, warmup: 0 },
  async () => {
    await ev.score(g);
  },
);

Deno.bench(
  "accuracy: one arch, evaluate 500 without recalibration",
  { n: 3, warmup: 0 },
  async () => {
    await ev.score(g, { recalibrate: false });
  },
);
