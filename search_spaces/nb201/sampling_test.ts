import assert from "node:assert/strict";
import { RandomState } from "../../labels/random_state.ts";
import { samplePaths, uniformPaths } from "./sampling.ts";

/** A scripted rng returning the given doubles in order. */
function scripted(values: number[]) {
  let i = 0;
  return {
    random(): number {
      if (i >= values.length) throw new Error("scripted rng exhausted");
      return values[i++];
    },
  };
}

function chiSquare(counts: Map<string, number>, categories: number, total: number): number {
  const expected = total / categories;
  let s = 0;
  for (const c of counts.values()) s += (c - expected) ** 2 / expected;
  // categories never seen contribute `expected` each
  s += (categories - counts.size) * expected;
  return s;
}

Deno.test("samplePaths: op = floor(5u) per edge, node by node, redraw all edges of an all-none node", () => {
  // node 1: 0.1 -> none (redraw), 0.5 -> op 2
  // node 2: (0.19, 0.0) -> none, none (redraw both); (0.1, 0.99) -> (0, 4)
  // node 3: (0.2, 0.4, 0.6) -> (1, 2, 3)
  const rng = scripted([0.1, 0.5, 0.19, 0.0, 0.1, 0.99, 0.2, 0.4, 0.6]);
  assert.deepEqual(samplePaths(rng, 1), [[2, 0, 4, 1, 2, 3]]);
});

Deno.test("samplePaths: per-node distributions are uniform over the non-all-none choices", () => {
  const rng = new RandomState(2021);
  const cells = samplePaths(rng, 20000);
  assert.equal(cells.length, 20000);
  const n1 = new Map<string, number>();
  const n2 = new Map<string, number>();
  const n3 = new Map<string, number>();
  const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const g of cells) {
    assert.equal(g.length, 6);
    assert.ok(g.every((op) => Number.isInteger(op) && op >= 0 && op <= 4));
    assert.notEqual(g[0], 0, "node 1 all none");
    assert.ok(g[1] !== 0 || g[2] !== 0, "node 2 all none");
    assert.ok(g[3] !== 0 || g[4] !== 0 || g[5] !== 0, "node 3 all none");
    inc(n1, `${g[0]}`);
    inc(n2, `${g[1]},${g[2]}`);
    inc(n3, `${g[3]},${g[4]},${g[5]}`);
  }
  assert.equal(n1.size, 4);
  assert.equal(n2.size, 24);
  assert.equal(n3.size, 124);
  // chi-square critical values at p = 0.001 (scipy.stats.chi2.ppf(0.999, df))
  assert.ok(chiSquare(n1, 4, 20000) < 16.266, `node 1 chi2 ${chiSquare(n1, 4, 20000)}`);
  assert.ok(chiSquare(n2, 24, 20000) < 49.728, `node 2 chi2 ${chiSquare(n2, 24, 20000)}`);
  assert.ok(chiSquare(n3, 124, 20000) < 177.21, `node 3 chi2 ${chiSquare(n3, 124, 20000)}`);
});

Deno.test("samplePaths: same seed same paths, 15 cells by default", () => {
  const a = samplePaths(new RandomState(7));
  const b = samplePaths(new RandomState(7));
  assert.equal(a.length, 15);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, samplePaths(new RandomState(8)));
});

Deno.test("uniformPaths repeats the genotype; bad input is rejected", () => {
  const p = uniformPaths([3, 0, 1, 2, 4, 0]);
  assert.equal(p.length, 15);
  for (const g of p) assert.deepEqual(g, [3, 0, 1, 2, 4, 0]);
  (p[0] as unknown as number[])[0] = 1; // copies, not aliases
  assert.equal(p[1][0], 3);
  assert.deepEqual(uniformPaths([1, 1, 1, 1, 1, 1], 3).length, 3);
  assert.throws(() => uniformPaths([1, 2, 3]), /6 op indices, got 3/);
  assert.throws(() => uniformPaths([1, 2, 3, 5, 0, 0]), /op 5 at edge 3 is invalid/);
  assert.throws(() => samplePaths(new RandomState(0), 0), /numCells must be a positive integer/);
});
