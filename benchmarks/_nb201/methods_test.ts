import assert from "node:assert/strict";
import { initBackend } from "../../backends/backend.ts";
import { tf } from "../../backends/tf.ts";
import { genotypeToIndex } from "../../search_spaces/nb201/encoding.ts";
import type { DatasetName } from "../types.ts";
import { fakeContext } from "./_fake_context.ts";
import { resultColumns, searchWithMetric } from "./methods.ts";
import { Nb201Run } from "./run.ts";
import { nb201Settings } from "./settings.ts";

await initBackend("wasm");

const _NO_WORK = { supernets: () => [] };

const _tiny = nb201Settings("smoke", {
  trainImages: 16,
  channels: 2,
  batchSize: 16,
  accuracyEvolution: {
    populationSize: 4,
    topK: 2,
    mutationCount: 2,
    crossoverCount: 2,
    generations: 1,
  },
  accuracy: { calibImages: 8, validImages: 10, chunkSize: 8, evalBatch: 10 },
}, () => undefined);

Deno.test("Nb201Run: the paper profile refuses a CPU backend before any work", async () => {
  const ctx = fakeContext("t", "/nonexistent");
  await assert.rejects(
    () => Nb201Run.start(ctx, nb201Settings("paper", {}, () => undefined), _NO_WORK),
    /profile paper needs a GPU backend/,
  );
});

Deno.test("searchWithMetric: angle and accuracy searches share one cached SuperNet", async () => {
  const cache = await Deno.makeTempDir({ prefix: "rlnas-methods-" });
  const prev = Deno.env.get("RLNAS_CACHE_DIR");
  Deno.env.set("RLNAS_CACHE_DIR", cache);
  try {
    const ctx = fakeContext("t", cache);
    const run = await Nb201Run.start(ctx, _tiny, _NO_WORK);
    const before = tf.memory().numTensors;
    const req = { dataset: "cifar10" as const, labels: "random-uniform-once", seed: 0 };
    const d = await searchWithMetric(run, req, "angle");
    assert.equal(d.supernet.hit, false);
    assert.equal(d.scored, 2000);
    const angles = await d.scorer.all();
    assert.equal(d.fitness, angles[genotypeToIndex(d.genotype)]);
    assert.equal(d.testAcc, run.table.accuracy(d.genotype, "cifar10", "test"));
    const c = await searchWithMetric(run, req, "accuracy");
    assert.equal(c.supernet.hit, true);
    assert.equal(c.supernet.key, d.supernet.key);
    assert.equal(c.scored, 4); // one generation of P = 4
    const cols = await resultColumns(run, "cifar10", c);
    assert.equal(cols.train_images, 16);
    assert.equal(cols.metric_valid_images, 10);
    assert.equal(cols.calib_images, 8);
    assert.equal(cols.valid_acc, run.table.accuracy(c.genotype, "cifar10", "valid"));
    const angleCols = await resultColumns(run, "cifar10", d);
    assert.equal(angleCols.calib_images, "");
    run.dispose();
    assert.equal(tf.memory().numTensors, before);
    assert.ok(run.notes.some((n) => /limited to the first 16/.test(n)));
  } finally {
    if (prev === undefined) Deno.env.delete("RLNAS_CACHE_DIR");
    else Deno.env.set("RLNAS_CACHE_DIR", prev);
    await Deno.remove(cache, { recursive: true });
  }
});

Deno.test("Nb201Run.prefetch: trains every SuperNet of the work (in workers with jobs > 1); first request gets the training time", async () => {
  const cache = await Deno.makeTempDir({ prefix: "rlnas-prefetch-" });
  const prev = Deno.env.get("RLNAS_CACHE_DIR");
  Deno.env.set("RLNAS_CACHE_DIR", cache);
  try {
    const labels = ["ground-truth", "random-uniform-once"];
    const work = {
      supernets: (dataset: DatasetName, seed: number) =>
        labels.map((l) => ({ dataset, labels: l, seed })),
    };
    const ctx = fakeContext("t", cache, "smoke", { jobs: 2 });
    const run = await Nb201Run.start(ctx, _tiny, work);
    await run.prefetch();
    assert.equal([...Deno.readDirSync(cache)].length, 2);
    assert.ok(run.notes.some((n) => /trained up to 2 at a time/.test(n)));
    for (const l of labels) {
      const first = await run.supernet({ dataset: "cifar10", labels: l, seed: 0 });
      assert.equal(first.hit, false);
      assert.ok(first.trainSeconds > 0);
      const second = await run.supernet({ dataset: "cifar10", labels: l, seed: 0 });
      assert.deepEqual([second.hit, second.trainSeconds, second.key], [true, 0, first.key]);
    }
  } finally {
    if (prev === undefined) Deno.env.delete("RLNAS_CACHE_DIR");
    else Deno.env.set("RLNAS_CACHE_DIR", prev);
    await Deno.remove(cache, { recursive: true });
  }
});
