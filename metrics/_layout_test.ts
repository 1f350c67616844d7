import assert from "node:assert/strict";
import { fakeLayout, fakeWeights } from "./_fake_weights.ts";
import { checkGenotype, edgeWeightName, inferLayout, PATHS } from "./_layout.ts";

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
