import assert from "node:assert/strict";
import {
  fakeLayout,
  fakeWeights,
  gaussian,
  gaussianWeights,
  mulberry32,
  parameterShapes,
} from "./_fake_weights.ts";
import { POOL_VALUE, type WeightTensor } from "./_layout.ts";
import { angleAll, angleFromSums, angleMany, angleOf, precomputeAngleStats } from "./angle.ts";
import { angleBruteForce } from "./angle_bruteforce.ts";

const LAYOUT = fakeLayout(16, 5, 10);
const W0 = gaussianWeights(LAYOUT, 1, 0.1);

/** Wt = W0 + per-tensor scaled noise, so different ops move by different amounts. */
function _trained(w0: Map<string, WeightTensor>, seed: number): Map<string, WeightTensor> {
  const noise = gaussian(seed);
  const scale = mulberry32(seed + 1);
  const out = new Map<string, WeightTensor>();
  for (const [name, t] of w0) {
    const s = 0.3 * scale();
    out.set(name, { shape: t.shape, data: t.data.map((v) => v + s * noise()) });
  }
  return out;
}
const WT = _trained(W0, 7);
const STATS = precomputeAngleStats(W0, WT, 10);

function _decode(i: number): number[] {
  const g: number[] = [];
  for (let e = 0; e < 6; e++) g.push(Math.floor(i / 5 ** (5 - e)) % 5);
  return g;
}

/** Independent definition: node 3 is reachable from node 0 through non-none edges. */
function _connected(g: number[]): boolean {
  const edges = [[1, 0], [2, 0], [2, 1], [3, 0], [3, 1], [3, 2]];
  const reach = [true, false, false, false];
  for (let node = 1; node <= 3; node++) {
    edges.forEach(([i, j], e) => {
      if (i === node && g[e] !== 0 && reach[j]) reach[node] = true;
    });
  }
  return reach[3];
}

Deno.test("fast angle equals the brute-force angle for 200 random architectures", () => {
  const rng = mulberry32(2021);
  for (let n = 0; n < 200; n++) {
    const g = Array.from({ length: 6 }, () => Math.floor(rng() * 5));
    const fast = angleOf(STATS, g);
    const brute = angleBruteForce(W0, WT, g);
    assert.ok(Math.abs(fast - brute) <= 1e-6, `genotype ${g}: fast ${fast} vs brute ${brute}`);
  }
});

Deno.test("angleAll: enumeration order, exactly the 341 disconnected archs score 0", () => {
  const all = angleAll(STATS);
  assert.equal(all.length, 15625);
  let zeros = 0;
  for (let i = 0; i < all.length; i++) {
    const g = _decode(i);
    if (all[i] === 0) zeros++;
    assert.equal(all[i] === 0, !_connected(g), `genotype ${g}`);
  }
  assert.equal(zeros, 341);
  // Index = base-5 number of the 6-tuple, edge 1<-0 most significant (spec §1.4).
  assert.equal(
    all[3 * 3125 + 1 * 625 + 4 * 125 + 2 * 25 + 0 * 5 + 3],
    angleOf(STATS, [3, 1, 4, 2, 0, 3]),
  );
  assert.equal(all[15624], angleOf(STATS, [4, 4, 4, 4, 4, 4]));
  const some = [[3, 3, 3, 3, 3, 3], [1, 2, 3, 4, 1, 2], [0, 0, 0, 0, 0, 0]];
  assert.deepEqual(Array.from(angleMany(STATS, some)), some.map((g) => angleOf(STATS, g)));
  // The angles are spread (the 1e-6 agreement with the oracle is not a degenerate check).
  const connected = all.filter((v) => v > 0);
  assert.ok(Math.max(...connected) - Math.min(...connected) > 0.1);
});

Deno.test("identical checkpoints: angle 0 for every connected architecture", () => {
  const all = angleAll(precomputeAngleStats(W0, W0));
  for (let i = 0; i < all.length; i++) assert.ok(all[i] <= 1e-7, `index ${i}: ${all[i]}`);
});

Deno.test("Wt = -W0: pi without pools; hand-derived value with the shared pool constants", () => {
  const neg = new Map<string, WeightTensor>();
  for (const [name, t] of W0) neg.set(name, { shape: t.shape, data: t.data.map((v) => -v) });
  const stats = precomputeAngleStats(W0, neg);
  for (
    const g of [[3, 3, 3, 3, 3, 3], [2, 1, 3, 2, 3, 1], [1, 1, 1, 1, 1, 1], [3, 0, 0, 3, 0, 0]]
  ) {
    assert.ok(Math.abs(angleOf(stats, g) - Math.PI) < 1e-7, `genotype ${g}`);
  }
  // Constant weights 0.5 / -0.5, all-pool genotype, C10. Spec §3.5: 73 306 fixed values (the
  // all-skip length) and 113 626 - 73 306 = 40 320 pool values 1/9 (same sign in both vectors).
  const plus = fakeWeights(LAYOUT, () => 0.5);
  const minus = fakeWeights(LAYOUT, () => -0.5);
  const F = 0.25 * 73_306;
  const P = 40_320 * POOL_VALUE * POOL_VALUE;
  const expected = Math.acos((P - F) / (P + F));
  const got = angleOf(precomputeAngleStats(plus, minus), [4, 4, 4, 4, 4, 4]);
  assert.ok(Math.abs(got - expected) < 1e-12, `${got} vs ${expected}`);
  // With only one pool edge on path [0->3] (the rest skip): 9 * 560 pool values.
  const P1 = 9 * 560 * POOL_VALUE * POOL_VALUE;
  const got1 = angleOf(precomputeAngleStats(plus, minus), [1, 1, 1, 4, 1, 1]);
  assert.ok(Math.abs(got1 - Math.acos((P1 - F) / (P1 + F))) < 1e-12);
});

Deno.test("BN running statistics are ignored", () => {
  const changed = new Map(WT);
  for (const [name, t] of WT) {
    if (name.includes("running")) changed.set(name, { shape: t.shape, data: t.data.map(() => -3) });
  }
  assert.deepEqual(precomputeAngleStats(W0, changed).table, STATS.table);
  assert.deepEqual(precomputeAngleStats(W0, changed).fixed, STATS.fixed);
});

Deno.test("angleFromSums follows x.y / max(|x||y|, 1e-8) and clamps", () => {
  assert.equal(angleFromSums(0, 0, 0), Math.PI / 2);
  assert.equal(angleFromSums(4, 4, 4), 0);
  assert.equal(angleFromSums(-4.0000001, 4, 4), Math.PI);
  // |x| = |y| = 1e-9: product 1e-18 < eps -> cos = 1e-18 / 1e-8.
  assert.ok(Math.abs(angleFromSums(1e-18, 1e-18, 1e-18) - Math.acos(1e-10)) < 1e-15);
});

Deno.test("precomputeAngleStats / angleOf reject bad input with clear messages", () => {
  assert.throws(() => angleOf(STATS, [1, 2, 3, 4, 5, 0]), RangeError);
  assert.throws(() => angleOf(STATS, [1, 2]), /expected 6 op indices/);
  assert.throws(() => precomputeAngleStats(W0, WT, 100), /numClasses 100/);
  const other = gaussianWeights(fakeLayout(16, 5, 100), 3);
  assert.throws(() => precomputeAngleStats(W0, other), /differ in layout/);
  const bad = new Map(WT);
  bad.set("cells.12.edges.2<-1.2.op.1.weight", { shape: [64, 64], data: new Float32Array(4096) });
  assert.throws(() => precomputeAngleStats(W0, bad), /cells\.12\.edges\.2<-1\.2\.op\.1\.weight/);
});

Deno.test("fast and brute-force angles equal the numpy reference (_angle_reference.py)", () => {
  // Deterministic integer-formula weights, regenerated bit-identically by _angle_reference.py.
  const tags = new Map([...parameterShapes(LAYOUT).keys()].map((n, t) => [n, t]));
  const base = (t: number, i: number) => (((i * 7919 + t * 104729) % 2001) - 1000) / 1000;
  const w0 = fakeWeights(LAYOUT, (name, i) => base(tags.get(name)!, i));
  const wt = fakeWeights(LAYOUT, (name, i) => {
    const t = tags.get(name)!;
    const b = (((i * 6007 + t * 1301) % 1999) - 999) / 999;
    return 0.8 * base(t, i) + (0.1 + (t % 7) / 10) * b;
  });
  const stats = precomputeAngleStats(w0, wt);
  // `python3 metrics/_angle_reference.py` (numpy 2.4, float64 literal concatenation).
  const golden: [number[], number][] = [
    [[3, 3, 3, 3, 3, 3], 0.5069969269316706],
    [[4, 4, 4, 4, 4, 4], 0.3719036777775228],
    [[1, 2, 3, 4, 0, 1], 0.4518820759325071],
    [[3, 0, 0, 3, 0, 0], 0.46792885301409726],
    [[2, 4, 1, 3, 2, 4], 0.4766262932309398],
    [[1, 1, 1, 1, 1, 1], 0.37566103387119537],
    [[2, 0, 0, 0, 0, 2], 0],
  ];
  // Tolerance: float64 sums of ~2 M terms in different orders (numpy sums pairwise) differ by
  // ~1e-12 in the angle.
  for (const [g, want] of golden) {
    assert.ok(Math.abs(angleOf(stats, g) - want) < 1e-10, `fast ${g}`);
    assert.ok(Math.abs(angleBruteForce(w0, wt, g) - want) < 1e-10, `brute ${g}`);
  }
});
