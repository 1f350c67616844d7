import assert from "node:assert/strict";
import { initBackend } from "../../backends/backend.ts";
import { tf } from "../../backends/tf.ts";
import { resolveDataDir } from "../../datasets/data_dir.ts";
import { loadSearchData } from "../../datasets/splits.ts";
import { genotypeToIndex } from "../../search_spaces/nb201/encoding.ts";
import { SuperNet } from "../../search_spaces/nb201/supernet.ts";
import {
  angleScores,
  createAccuracyScorer,
  tableFitness,
  untrainedAngleScores,
} from "./scorers.ts";
import { obtainSuperNet } from "./supernet_cache.ts";

await initBackend("wasm");

Deno.test("tableFitness: looks each genome up by enumeration index", async () => {
  const table = Float64Array.from({ length: 15625 }, (_, i) => i * 0.5);
  const f = tableFitness(table);
  const g = [1, 2, 3, 4, 0, 1];
  assert.deepEqual(await f([g, [0, 0, 0, 0, 0, 0]]), [genotypeToIndex(g) * 0.5, 0]);
  assert.throws(() => tableFitness([1, 2]), /score table has 2 entries, expected 15625/);
});

Deno.test("untrainedAngleScores: spec §3 on two seeded untrained SuperNets", async () => {
  const p = { numClasses: 10, inputSize: 32 as const, channels: 2, init: "normal" as const };
  await assert.rejects(() => untrainedAngleScores({ ...p, seedA: 3, seedB: 3 }), /different seeds/);
  const angles = await untrainedAngleScores({ ...p, seedA: 0, seedB: 1 });
  assert.equal(angles.length, 15625);
  assert.equal(angles[0], 0); // all-none genotype: the official early return (spec §3.3)
  // skip on edge 3<-0 only: the path [0->3] is none-free and adds nothing, so V holds exactly
  // the fixed segments (spec §3.1): every parameter outside the search cells' edges.
  const w = [];
  for (const seed of [0, 1]) {
    const net = new SuperNet({ ...p, seed });
    w.push(await net.exportWeights());
    net.dispose();
  }
  let dot = 0, n0 = 0, n1 = 0;
  for (const [name, t] of w[0]) {
    if (name.includes(".edges.")) continue;
    const u = w[1].get(name)!.data;
    for (let i = 0; i < t.data.length; i++) {
      dot += t.data[i] * u[i];
      n0 += t.data[i] ** 2;
      n1 += u[i] ** 2;
    }
  }
  const expected = Math.acos(dot / Math.sqrt(n0 * n1));
  const got = angles[genotypeToIndex([0, 0, 0, 1, 0, 0])];
  assert.ok(Math.abs(got - expected) < 1e-9, `${got} vs ${expected}`);
  // float32: the same angles to float32 rounding; tie classes bit-identical in both
  const angles32 = await untrainedAngleScores({ ...p, seedA: 0, seedB: 1, precision: "float32" });
  assert.ok(Math.abs(angles32[genotypeToIndex([0, 0, 0, 1, 0, 0])] - expected) < 1e-6);
  for (const a of [angles, angles32]) {
    // skip on 3<-0 with any op on 1<-0, 2<-0, 2<-1 (their paths end in a none): one vector
    const tied = [[0, 0, 0, 1, 0, 0], [3, 2, 4, 1, 0, 0], [4, 1, 3, 1, 0, 0]];
    assert.ok(tied.every((g) => a[genotypeToIndex(g)] === a[genotypeToIndex(tied[0])]));
  }
});

Deno.test("createAccuracyScorer: memoised percent accuracy, tensors freed", async () => {
  const data = await loadSearchData(resolveDataDir(), "cifar10", { trainLimit: 8 });
  const root = await Deno.makeTempDir({ prefix: "rlnas-scorer-" });
  try {
    const entry = await obtainSuperNet({
      train: data.train,
      labels: "ground-truth",
      backend: "wasm",
      seed: 0,
      epochs: 1,
      batchSize: 8,
      channels: 2,
      cellsPerStage: 1,
    }, { root });
    const before = tf.memory().numTensors;
    const settings = {
      calibImages: 8,
      validImages: 20,
      chunkSize: 4,
      evalBatch: 10,
      bnMomentum: "cumulative" as const,
    };
    const s = await createAccuracyScorer(entry, data.train, data.valid, settings, 0);
    assert.equal(s.validCount, 20);
    assert.equal(s.calibCount, 8);
    const g = [3, 3, 3, 3, 3, 3];
    const [a, b] = await s.fitness([g, [1, 2, 0, 4, 1, 3]]);
    const [a2] = await s.fitness([g]);
    assert.equal(s.scored, 2);
    assert.equal(a2, a);
    for (const v of [a, b]) {
      assert.ok(v >= 0 && v <= 100);
      assert.ok(Math.abs(v / 5 - Math.round(v / 5)) < 1e-9, `${v} is not k * 100 / 20`);
    }
    s.dispose();
    assert.equal(tf.memory().numTensors, before);
    // the angles of the cached SuperNet in both precisions
    const a64 = await angleScores(entry);
    const a32 = await angleScores(entry, "float32");
    assert.equal(a32.length, 15625);
    let maxDiff = 0;
    for (let i = 0; i < 15625; i++) {
      assert.equal(Math.fround(a32[i]), a32[i]);
      // compare cosines: one epoch barely moves the weights, so the angles are near 0 where
      // arccos amplifies float32 rounding
      maxDiff = Math.max(maxDiff, Math.abs(Math.cos(a32[i]) - Math.cos(a64[i])));
    }
    assert.ok(maxDiff > 0 && maxDiff < 1e-6, `${maxDiff}`);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
