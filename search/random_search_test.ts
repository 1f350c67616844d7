import assert from "node:assert/strict";
import {
  genotypeToIndex,
  isConnected,
  NB201_NUM_DISCONNECTED,
  NB201_SIZE,
  NB201_SPACE,
} from "../search_spaces/nb201/encoding.ts";
import type { Genome } from "./fitness.ts";
import { randomSearch, sampleDistinct } from "./random_search.ts";

Deno.test("draws are numpy's randint(0, 5, 6) rows", () => {
  // numpy: r = np.random.RandomState(0); [r.randint(0, 5, 6).tolist() for _ in range(4)]
  assert.deepEqual(sampleDistinct(NB201_SPACE, 0, 4).map((g) => [...g]), [
    [4, 0, 3, 3, 3, 1],
    [3, 2, 4, 0, 0, 4],
    [2, 1, 0, 1, 1, 0],
    [1, 4, 3, 0, 3, 0],
  ]);
});

Deno.test("samples are distinct; the connected filter reaches exactly the 15,284 connected", () => {
  const n = NB201_SIZE - NB201_NUM_DISCONNECTED;
  const all = sampleDistinct(NB201_SPACE, 1, n, isConnected);
  assert.equal(all.length, 15284);
  assert.equal(new Set(all.map(genotypeToIndex)).size, 15284);
  assert.ok(all.every(isConnected));
  assert.throws(
    () => sampleDistinct(NB201_SPACE, 1, n + 1, isConnected, 200_000),
    /15284 of 15285/,
  );
  assert.throws(() => sampleDistinct(NB201_SPACE, 1, 15626), /15626/);
});

Deno.test("scores in batches and keeps the best (first among ties)", async () => {
  const sizes: number[] = [];
  const res = await randomSearch({
    space: NB201_SPACE,
    fitness: (gs: Genome[]) => {
      sizes.push(gs.length);
      return gs.map(genotypeToIndex);
    },
    rng: 2,
    count: NB201_SIZE,
    batchSize: 4000,
  });
  assert.deepEqual(sizes, [4000, 4000, 4000, 3625]);
  assert.equal(res.totalScored, NB201_SIZE);
  // every architecture was scored, so the best is the global optimum of this fitness
  assert.deepEqual([...res.best], [4, 4, 4, 4, 4, 4]);
  assert.equal(res.fitness, 15624);
  assert.equal(res.bestSoFar.at(-1), 15624);
  for (let i = 1; i < res.bestSoFar.length; i++) {
    assert.ok(res.bestSoFar[i] >= res.bestSoFar[i - 1]);
  }

  const flat = await randomSearch({
    space: NB201_SPACE,
    fitness: (gs) => gs.map(() => 1),
    rng: 0,
    count: 3,
  });
  assert.deepEqual([...flat.best], [4, 0, 3, 3, 3, 1]); // the first sample
  await assert.rejects(
    randomSearch({
      space: NB201_SPACE,
      fitness: (gs) => gs.map(() => 1),
      rng: 0,
      count: 3,
      batchSize: 0,
    }),
    /batchSize/,
  );
});
