import assert from "node:assert/strict";
import type { ImageSet } from "../../datasets/image_set.ts";
import { resolveDataDir } from "../../datasets/data_dir.ts";
import { checkBackend, loadBenchData, missingForPaper } from "./data.ts";
import { nb201Settings } from "./settings.ts";

const noEnv = () => undefined;
const forced = (n: string) => (n === "RLNAS_FORCE" ? "1" : undefined);

function _set(count: number): ImageSet {
  return {
    dataset: "cifar10",
    split: "x",
    size: 32,
    count,
    images: new Uint8Array(0),
    labels: new Int32Array(count),
    indices: new Int32Array(count),
    numClasses: 10,
  };
}

Deno.test("missingForPaper: names every set smaller than the official one (spec §1.5)", () => {
  const full = { train: _set(25000), valid: _set(25000), notes: [] };
  assert.deepEqual(missingForPaper("cifar10", full), []);
  const sub = { train: _set(4978), valid: _set(5022), notes: [] };
  assert.deepEqual(missingForPaper("cifar10", sub), [
    "cifar10: 4978 of the 25000 official SuperNet training images",
    "cifar10: 5022 of the 25000 official valid images",
  ]);
});

Deno.test("checkBackend: the paper profile refuses CPU backends unless forced", () => {
  const paper = nb201Settings("paper", {}, noEnv);
  assert.throws(
    () => checkBackend(paper, "wasm", noEnv),
    /profile paper needs a GPU backend .*got wasm/,
  );
  checkBackend(paper, "webgpu", noEnv);
  checkBackend(paper, "wasm", forced);
  checkBackend(nb201Settings("smoke", {}, noEnv), "wasm", noEnv);
});

Deno.test("loadBenchData: the paper profile refuses the shared subsets, naming what is missing", async () => {
  const dir = resolveDataDir();
  const paper = nb201Settings("paper", {}, noEnv);
  await assert.rejects(
    () => loadBenchData(dir, "cifar10", paper, noEnv),
    /profile paper needs the full official data.*cifar10: 4978 of the 25000 official SuperNet training images; cifar10: 5022 of the 25000 official valid images/,
  );
  const d = await loadBenchData(dir, "cifar10", nb201Settings("smoke", {}, noEnv), noEnv);
  assert.equal(d.train.count, 256);
});
