import assert from "node:assert/strict";
import {
  allGenotypes,
  genotypeFromIndex,
  genotypeFromNaslib,
  genotypeFromString,
  genotypeToIndex,
  genotypeToNaslib,
  genotypeToString,
  isConnected,
  isGenotype,
  NB201_EDGES,
  NB201_NUM_DISCONNECTED,
  NB201_OPS,
  NB201_PATHS,
  NB201_SIZE,
  NB201_SPACE,
  toGenotype,
} from "./encoding.ts";

// Index 9930 of the NB201 benchmark (the CIFAR-100 optimum, data README).
const BEST_C100 =
  "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|" +
  "nor_conv_3x3~2|";

Deno.test("op set and edge order follow spec §1.2/§1.4", () => {
  assert.deepEqual(
    [...NB201_OPS],
    ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"],
  );
  assert.deepEqual(NB201_EDGES, [[1, 0], [2, 0], [2, 1], [3, 0], [3, 1], [3, 2]]);
  assert.equal(NB201_SIZE, 5 ** 6);
});

Deno.test("genotype <-> NB201 string", () => {
  const g = genotypeFromString(BEST_C100);
  assert.deepEqual([...g], [3, 3, 3, 1, 3, 3]);
  assert.equal(genotypeToString(g), BEST_C100);
  // data row 3 of nb201.csv, with none edges
  const s = "|avg_pool_3x3~0|+|skip_connect~0|none~1|+|none~0|none~1|skip_connect~2|";
  assert.deepEqual([...genotypeFromString(s)], [4, 1, 0, 0, 0, 1]);
  assert.equal(genotypeToString([4, 1, 0, 0, 0, 1]), s);
  for (let i = 0; i < NB201_SIZE; i += 97) {
    const x = genotypeFromIndex(i);
    assert.deepEqual(genotypeFromString(genotypeToString(x)), x);
  }
});

Deno.test("strict string parsing names the bad string", () => {
  const bad = [
    "",
    "|nor_conv_3x3~0|",
    BEST_C100.replace("skip_connect~0", "skip_connect~1"),
    BEST_C100.replace("nor_conv_3x3~0|+", "conv~0|+"),
    BEST_C100.replace("|+|", "+"),
    BEST_C100 + "+|none~0|",
    BEST_C100.replace("~1|+", "~1|none~2|+"),
    ` ${BEST_C100}`,
  ];
  for (const s of bad) {
    assert.throws(() => genotypeFromString(s), (e: Error) => {
      assert.ok(e instanceof RangeError);
      assert.ok(e.message.includes(JSON.stringify(s)), e.message);
      return true;
    });
  }
});

Deno.test("enumeration index is lexicographic, edge 1<-0 most significant", () => {
  assert.equal(genotypeToIndex([0, 0, 0, 0, 0, 0]), 0);
  assert.equal(genotypeToIndex([0, 0, 0, 0, 0, 1]), 1);
  assert.equal(genotypeToIndex([1, 0, 0, 0, 0, 0]), 3125);
  assert.equal(genotypeToIndex([4, 4, 4, 4, 4, 4]), 15624);
  // 3*5^5 + 3*5^4 + 1*5^3 + 3*5^2 + 0*5 + 3 = 11453 (numpy: sum(g*5**(5-i)))
  assert.equal(genotypeToIndex([3, 3, 1, 3, 0, 3]), 11453);
  const all = allGenotypes();
  assert.equal(all.length, NB201_SIZE);
  for (let i = 0; i < all.length; i++) assert.equal(genotypeToIndex(all[i]), i);
  // lexicographic order: each genotype is greater than the previous one
  for (let i = 1; i < all.length; i++) {
    const a = all[i - 1];
    const b = all[i];
    const k = a.findIndex((v, j) => v !== b[j]);
    assert.ok(a[k] < b[k]);
  }
  assert.throws(() => genotypeFromIndex(15625), /15625/);
  assert.throws(() => genotypeFromIndex(-1), /-1/);
  assert.throws(() => genotypeFromIndex(1.5), /1\.5/);
});

Deno.test("genotype validation", () => {
  assert.ok(isGenotype([0, 1, 2, 3, 4, 0]));
  assert.ok(isGenotype(new Int32Array([0, 1, 2, 3, 4, 0])));
  assert.ok(!isGenotype([0, 1, 2, 3, 4]));
  assert.ok(!isGenotype([0, 1, 2, 3, 4, 5]));
  assert.ok(!isGenotype([0, 1, 2, 3, 4, 0.5]));
  assert.ok(!isGenotype("012340"));
  assert.throws(() => toGenotype([0, 1, 2, 3, 4, 5]), /\[0, 1, 2, 3, 4, 5\]/);
  assert.ok(Object.isFrozen(toGenotype([0, 0, 0, 0, 0, 0])));
});

Deno.test("paths and connectivity: exactly 341 disconnected archs", () => {
  assert.deepEqual(NB201_PATHS, [[3], [1, 5], [0, 2, 5], [0, 4]]);
  // each path is a chain of edges 0 -> ... -> 3
  for (const path of NB201_PATHS) {
    let node = 0;
    for (const e of path) {
      assert.equal(NB201_EDGES[e][1], node);
      node = NB201_EDGES[e][0];
    }
    assert.equal(node, 3);
  }
  const disconnected = allGenotypes().filter((g) => !isConnected(g));
  assert.equal(disconnected.length, NB201_NUM_DISCONNECTED);
  assert.equal(disconnected.length, 341);
  assert.ok(!isConnected([0, 0, 0, 0, 0, 0]));
  assert.ok(isConnected([0, 0, 0, 1, 0, 0])); // 0->3 skip
  assert.ok(!isConnected([3, 3, 3, 0, 0, 0])); // nothing reaches node 3
  assert.ok(isConnected([3, 0, 3, 0, 0, 3])); // 0->1->2->3
  assert.ok(!isConnected([0, 3, 3, 0, 3, 0])); // node 1 and node 2 cut
});

Deno.test("NASLib tuples (zc JSON keys) convert to genotypes", () => {
  // NASLib: ops (skip, none, conv3x3, conv1x1, avgpool), edges (1<-0, 2<-0, 3<-0, 2<-1, 3<-1, 3<-2)
  // "(0, 2, 3, 2, 3, 1)": 1<-0 skip, 2<-0 conv3x3, 3<-0 conv1x1, 2<-1 conv3x3, 3<-1 conv1x1,
  // 3<-2 none.
  const g = genotypeFromNaslib("(0, 2, 3, 2, 3, 1)");
  assert.deepEqual([...g], [1, 3, 3, 2, 2, 0]);
  assert.deepEqual(genotypeToNaslib(g), [0, 2, 3, 2, 3, 1]);
  for (let i = 0; i < NB201_SIZE; i += 13) {
    const x = genotypeFromIndex(i);
    assert.deepEqual(genotypeFromNaslib(genotypeToNaslib(x)), x);
  }
  assert.throws(() => genotypeFromNaslib("(0, 2, 3)"), /\(0, 2, 3\)/);
});

Deno.test("NB201_SPACE description", () => {
  assert.equal(NB201_SPACE.name, "nb201");
  assert.equal(NB201_SPACE.numGenes, 6);
  assert.equal(NB201_SPACE.numOps, 5);
  assert.equal(NB201_SPACE.size, 15625);
  assert.deepEqual(NB201_SPACE.mutationRange, [1, 5]);
  assert.equal(NB201_SPACE.encode([3, 3, 1, 3, 0, 3]), 11453);
  assert.deepEqual([...NB201_SPACE.decode(11453)], [3, 3, 1, 3, 0, 3]);
  assert.equal(NB201_SPACE.toString([3, 3, 3, 1, 3, 3]), BEST_C100);
  assert.deepEqual([...NB201_SPACE.fromString(BEST_C100)], [3, 3, 3, 1, 3, 3]);
  assert.ok(NB201_SPACE.isValid([0, 0, 0, 0, 0, 0]));
});
