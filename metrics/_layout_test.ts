import assert from "node:assert/strict";
import { fakeLayout, fakeWeights } from "./_fake_weights.ts";
import {
  angleTieKey,
  checkGenotype,
  edgeWeightName,
  genotypeAt,
  genotypeIndex,
  inferLayout,
  pathMultiplicities,
  PATHS,
  tieRepresentatives,
} from "./_layout.ts";
// Tie-class counts rebuilt independently by fixtures/search/make_official_replay.py.
import replay from "../fixtures/search/official_replay.json" with { type: "json" };

Deno.test("inferLayout reads C, N and the class count from the names and shapes", () => {
  const l = inferLayout(fakeWeights(fakeLayout(16, 5, 120), () => 0));
  assert.equal(l.C, 16);
  assert.equal(l.N, 5);
  assert.equal(l.numClasses, 120);
  assert.deepEqual(l.reductionCells, [5, 11]);
  assert.deepEqual(l.cellChannels, [
    ...Array(5).fill(16),
    ...Array(6).fill(32),
    ...Array(6).fill(64),
  ]);
  assert.throws(() => inferLayout(new Map()), /stem\.0\.weight/);
});

Deno.test("edge names and paths follow the spec's edge order", () => {
  assert.equal(edgeWeightName(12, 2, 3), "cells.12.edges.2<-1.3.op.1.weight");
  // Spec §3.2 multiplicities: edge 1<-0 on 2 paths, 2<-0 on 1, 2<-1 on 1, 3<-0 on 1, 3<-1 on 1,
  // 3<-2 on 2.
  const mult = [0, 1, 2, 3, 4, 5].map((e) => PATHS.filter((p) => p.includes(e)).length);
  assert.deepEqual(mult, [2, 1, 1, 1, 1, 2]);
  assert.throws(() => checkGenotype([1, 2, 3, 4, 1, 2.5]), RangeError);
  checkGenotype([0, 1, 2, 3, 4, 0]);
});

Deno.test("angle tie classes: same pieces of V, the counts of the Python reference", () => {
  assert.deepEqual(pathMultiplicities([3, 3, 3, 3, 3, 3]), [2, 1, 1, 1, 1, 2]);
  // (3,0,0,3,0,0): only [0->3] is none-free (3<-1 is none; the |V| of spec §3.5, 315,226 for
  // CIFAR-10, is the fixed part plus one conv3x3 per search cell)
  assert.deepEqual(pathMultiplicities([3, 0, 0, 3, 0, 0]), [0, 0, 0, 1, 0, 0]);
  assert.equal(angleTieKey([2, 0, 0, 0, 0, 2]), null);
  assert.equal(angleTieKey([3, 0, 0, 3, 0, 0]), angleTieKey([1, 4, 2, 3, 0, 0]));
  // skip adds nothing, a pool a constant: moving the pool along a path keeps the class
  assert.equal(angleTieKey([4, 0, 0, 4, 1, 0]), angleTieKey([1, 0, 0, 4, 4, 0]));
  assert.notEqual(angleTieKey([4, 0, 0, 4, 1, 0]), angleTieKey([1, 0, 0, 4, 1, 0]));
  // conv1x1 vs conv3x3 and the kernel's edge matter
  assert.notEqual(angleTieKey([3, 0, 0, 2, 0, 0]), angleTieKey([3, 0, 0, 3, 0, 0]));
  const reps = tieRepresentatives();
  const sizes = new Map<number, number>();
  let disconnected = 0;
  for (let i = 0; i < 15625; i++) {
    assert.equal(genotypeIndex(genotypeAt(i)), i);
    assert.ok(reps[i] <= i);
    assert.equal(angleTieKey(genotypeAt(reps[i])), angleTieKey(genotypeAt(i)));
    if (angleTieKey(genotypeAt(i)) === null) disconnected++;
    else sizes.set(reps[i], (sizes.get(reps[i]) ?? 0) + 1);
  }
  const t = replay.tieClasses;
  assert.equal(sizes.size, t.classes);
  assert.equal([...sizes.values()].filter((n) => n > 1).length, t.multiMemberClasses);
  assert.equal(Math.max(...sizes.values()), t.largestClass);
  assert.equal(disconnected, t.disconnected);
  assert.deepEqual(genotypeAt(3 * 3125 + 1 * 625 + 4 * 125 + 2 * 25 + 0 * 5 + 3), [
    3,
    1,
    4,
    2,
    0,
    3,
  ]);
});
