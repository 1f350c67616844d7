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
import {
  angleAll,
  angleFromSums,
  angleFromSums32,
  angleMany,
  angleOf,
  angleRepresentative,
  pairwiseDot32,
  precomputeAngleStats,
} from "./angle.ts";
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

Deno.test("float32 mode equals the numpy float32 reference bit for bit (make_float32_angles.py)", async () => {
  const fx = JSON.parse(
    await Deno.readTextFile(new URL("../fixtures/angle/float32_angles.json", import.meta.url)),
  ) as {
    layout: { C: number; N: number; numClasses: number };
    classes: number;
    representatives: [number, number][];
    members: [number, number][];
    sampledMembersDifferingInOwnOrder: number;
    maxDiffToWholeVectorSum: number;
    float64: { genotype: number[]; angle: number }[];
  };
  const layout = fakeLayout(fx.layout.C, fx.layout.N, fx.layout.numClasses);
  // the reference's integer-formula weights (as in _angle_reference.py), tags in state-dict order
  const tags = new Map([...parameterShapes(layout).keys()].map((n, t) => [n, t]));
  const base = (t: number, i: number) => (((i * 7919 + t * 104729) % 2001) - 1000) / 1000;
  const w0 = fakeWeights(layout, (name, i) => base(tags.get(name)!, i));
  const wt = fakeWeights(layout, (name, i) => {
    const t = tags.get(name)!;
    const b = (((i * 6007 + t * 1301) % 1999) - 999) / 999;
    return 0.8 * base(t, i) + (0.1 + (t % 7) / 10) * b;
  });
  const stats32 = precomputeAngleStats(w0, wt, undefined, { precision: "float32" });
  assert.equal(stats32.precision, "float32");
  const all32 = angleAll(stats32);
  // one class per tie key plus the disconnected class; the same first members as numpy's
  const reps = Array.from({ length: 15625 }, (_, i) => i).filter((i) =>
    angleRepresentative(_decode(i)) === i
  );
  assert.equal(fx.classes, 3850);
  assert.deepEqual(reps, fx.representatives.map(([i]) => i));
  for (const [i, want] of fx.representatives) assert.equal(all32[i], want, `index ${i}`);
  for (const [i, rep] of fx.members) {
    assert.equal(angleRepresentative(_decode(i)), rep);
    assert.equal(all32[i], all32[rep]);
  }
  assert.deepEqual(
    Array.from(angleMany(stats32, fx.float64.map((f) => f.genotype))),
    fx.float64.map((f) => all32[_encode(f.genotype)]),
  );
  // the float32 values are float32 numbers; float64 agrees with numpy's float64 and is within
  // float32 rounding of the float32 mode
  assert.ok(all32.every((v) => Math.fround(v) === v));
  const stats64 = precomputeAngleStats(w0, wt);
  for (const { genotype, angle } of fx.float64) {
    assert.ok(Math.abs(angleOf(stats64, genotype) - angle) < 1e-12, `${genotype}`);
    assert.ok(Math.abs(angleOf(stats32, genotype) - angle) < 2e-6, `${genotype}`);
  }
  // in their own concatenation order, many members would round differently (what the
  // one-value-per-class rule removes); our order and a whole-vector pairwise sum agree closely
  assert.ok(fx.sampledMembersDifferingInOwnOrder > 100);
  assert.ok(fx.maxDiffToWholeVectorSum < 2e-6);
});

Deno.test("identical angle vectors (one tie class) get bit-identical angles in both precisions", () => {
  // (3,0,0,3,0,0), (3,1,0,3,0,0), (1,4,2,3,0,0): only path [0->3] is none-free, so the ops of
  // edges 1<-0, 2<-0 and 2<-1 never enter V: identical vectors. (4,0,0,1,1,0) and (1,0,0,4,1,0)
  // hold the same pieces in another order (one pool constant per cell, on path [0->1->3] in the
  // first, on [0->3] in the second, around the ResNet blocks): mathematically equal angles.
  const groups = [
    [[3, 0, 0, 3, 0, 0], [3, 1, 0, 3, 0, 0], [1, 4, 2, 3, 0, 0]],
    [[4, 0, 0, 1, 1, 0], [1, 0, 0, 4, 1, 0]],
  ];
  for (const precision of ["float64", "float32"] as const) {
    const stats = precomputeAngleStats(W0, WT, 10, { precision });
    const all = angleAll(stats);
    for (const gs of groups) {
      const v = gs.map((g) => angleOf(stats, g));
      assert.ok(v.every((x) => x === v[0]), `${precision} ${JSON.stringify(gs)}: ${v}`);
      assert.equal(all[_encode(gs[1])], v[0]);
    }
    // every tie class of the space holds one value
    const byKey = new Map<number, number>();
    for (let i = 0; i < all.length; i++) {
      const r = angleRepresentative(_decode(i));
      if (!byKey.has(r)) byKey.set(r, all[i]);
      assert.equal(all[i], byKey.get(r), `${precision}: index ${i} vs its class ${r}`);
    }
    assert.equal(byKey.size, 3850);
  }
  // Summed in their own path order, hundreds of members of tie classes would differ from their
  // class's first member in the last bit, e.g. (0,4,0,2,0,2) and (1,0,1,2,4,2) (one pool piece, the
  // conv1x1 kernels of edges 3<-0 and 3<-2 once each): the noise that the tie classes remove.
  const a = [0, 4, 0, 2, 0, 2];
  const b = [1, 0, 1, 2, 4, 2];
  assert.equal(angleRepresentative(b), angleRepresentative(a));
  assert.notEqual(_ownOrderAngle64(STATS, a), _ownOrderAngle64(STATS, b));
  assert.ok(Math.abs(_ownOrderAngle64(STATS, a) - _ownOrderAngle64(STATS, b)) < 1e-12);
  assert.equal(angleOf(STATS, a), angleOf(STATS, b));
  let differing = 0;
  for (let i = 0; i < 15625; i++) {
    const g = _decode(i);
    const r = _decode(angleRepresentative(g));
    if (_ownOrderAngle64(STATS, g) !== _ownOrderAngle64(STATS, r)) differing++;
  }
  assert.ok(differing > 100, `${differing}`);
});

/** The float64 angle of `g` summed in its own path order (what angleOf did before issue 11). */
function _ownOrderAngle64(stats: ReturnType<typeof precomputeAngleStats>, g: number[]): number {
  const paths = [[3], [1, 5], [0, 2, 5], [0, 4]];
  let dot = 0, n0 = 0, nt = 0, any = false;
  for (const p of paths) {
    if (p.some((e) => g[e] === 0)) continue;
    any = true;
    for (const e of p) {
      const at = (e * 5 + g[e]) * 3;
      dot += stats.table[at];
      n0 += stats.table[at + 1];
      nt += stats.table[at + 2];
    }
  }
  const f = stats.fixed;
  return any ? angleFromSums(dot + f[0], n0 + f[1], nt + f[2]) : 0;
}

Deno.test("float32 mode: PyTorch's float32 cosine, float32 results close to float64", () => {
  // w12 / sqrt(max(w1 * w2, eps^2)) in float32, then acos rounded to float32
  const f = Math.fround;
  assert.equal(angleFromSums32(3, 4, 9), f(Math.acos(f(3 / f(Math.sqrt(36))))));
  assert.equal(angleFromSums32(0, 0, 0), f(Math.PI / 2));
  assert.equal(angleFromSums32(4, 4, 4), 0);
  assert.equal(angleFromSums32(-5, 4, 4), f(Math.PI)); // clamped, not NaN
  const stats32 = precomputeAngleStats(W0, WT, 10, { precision: "float32" });
  const a32 = angleAll(stats32);
  const a64 = angleAll(STATS);
  let maxDiff = 0;
  for (let i = 0; i < a32.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a32[i] - a64[i]));
  assert.ok(maxDiff > 0 && maxDiff < 1e-5, `${maxDiff}`);
  assert.throws(
    () => precomputeAngleStats(W0, WT, 10, { precision: "float16" as never }),
    /precision must be one of float64, float32/,
  );
});

Deno.test("pairwiseDot32 is numpy's float32 np.sum(a * b)", () => {
  // sizes around numpy's unroll (8) and block (128) boundaries; values with float32 rounding
  const rng = mulberry32(99);
  for (const n of [1, 7, 8, 9, 127, 128, 129, 136, 1000, 4097]) {
    const a = Float32Array.from({ length: n }, () => rng() * 3 - 1);
    const b = Float32Array.from({ length: n }, () => rng() * 5 - 2);
    // independent slow version: the pairwise recursion over an explicit product array
    const p = Float32Array.from(a, (x, i) => Math.fround(x * b[i]));
    assert.equal(pairwiseDot32(a, b), _numpyPairwise(p, 0, n), `n = ${n}`);
  }
});

/** numpy's `FLOAT_pairwise_sum` (loops_utils.h.src), transcribed over a float32 array. */
function _numpyPairwise(x: Float32Array, lo: number, n: number): number {
  const f = Math.fround;
  if (n < 8) {
    let r = -0;
    for (let i = 0; i < n; i++) r = f(r + x[lo + i]);
    return r;
  }
  if (n <= 128) {
    const r = Array.from({ length: 8 }, (_, k) => x[lo + k]);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let k = 0; k < 8; k++) r[k] = f(r[k] + x[lo + i + k]);
    let res = f(f(f(r[0] + r[1]) + f(r[2] + r[3])) + f(f(r[4] + r[5]) + f(r[6] + r[7])));
    for (; i < n; i++) res = f(res + x[lo + i]);
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return f(_numpyPairwise(x, lo, n2) + _numpyPairwise(x, lo + n2, n - n2));
}

function _encode(g: readonly number[]): number {
  return g.reduce((i, op) => i * 5 + op, 0);
}
