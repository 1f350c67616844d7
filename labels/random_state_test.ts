import assert from "node:assert/strict";
import { RandomState, type RandomStateSnapshot } from "./random_state.ts";
// Golden vectors from numpy 2.4.6 written by fixtures/labels/make_random_state.py; each case
// carries the Python expression that produced it.
import fixture from "../fixtures/labels/random_state.json" with { type: "json" };

const C = fixture.cases;

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

Deno.test("RandomState(0).randint(0, 10, 50000) matches numpy (task golden)", () => {
  // numpy: np.random.RandomState(0).randint(0, 10, 50000)
  const a = new RandomState(0).randint(0, 10, 50000);
  assert.deepEqual(
    Array.from(a.subarray(0, 20)),
    [5, 0, 3, 3, 7, 9, 3, 5, 2, 4, 7, 6, 8, 8, 1, 6, 7, 7, 8, 1],
  );
  assert.equal(sum(a), 224618);
  assert.deepEqual(Array.from(a.subarray(a.length - 5)), [1, 0, 6, 7, 1]);
});

Deno.test("RandomState(1).randint(0, 100, 50000) matches numpy (task golden)", () => {
  const a = new RandomState(1).randint(0, 100, 50000);
  assert.deepEqual(Array.from(a.subarray(0, 10)), [37, 12, 72, 9, 75, 5, 79, 64, 16, 1]);
  assert.equal(sum(a), 2476827);
});

Deno.test("RandomState(0).randint(1, 121, 151700) - 1 matches numpy (task golden)", () => {
  const a = new RandomState(0).randint(1, 121, 151700).map((v) => v - 1);
  assert.deepEqual(Array.from(a.subarray(0, 10)), [44, 47, 117, 64, 67, 67, 103, 9, 83, 21]);
  assert.equal(sum(a), 9054805);
});

Deno.test("RandomState(2).permutation(10) matches numpy (task golden)", () => {
  assert.deepEqual(Array.from(new RandomState(2).permutation(10)), [4, 1, 5, 0, 7, 2, 3, 6, 9, 8]);
});

Deno.test("seeding is init_genrand and raw words match numpy's MT19937", () => {
  const st = new RandomState(0).getState();
  assert.deepEqual(st.key.slice(0, 4), C.state_seed0_fresh.key_head);
  assert.deepEqual(st.key.slice(-2), C.state_seed0_fresh.key_tail);
  assert.equal(st.pos, C.state_seed0_fresh.pos);
  const r0 = new RandomState(0);
  assert.deepEqual(
    C.raw_seed0.expected.map(() => r0.nextUint32()),
    C.raw_seed0.expected,
  );
  const rMax = new RandomState(4294967295);
  assert.deepEqual(C.raw_seed_max.expected.map(() => rMax.nextUint32()), C.raw_seed_max.expected);
  const r = new RandomState(12345);
  const raw = Array.from({ length: 1000 }, () => r.nextUint32());
  assert.deepEqual(raw.slice(-6), C.raw_seed_12345_after_block.expected);
});

Deno.test("randint matches numpy over many ranges, including full 32-bit and size-1 ranges", () => {
  for (const c of C.randint) {
    const got = Array.from(new RandomState(c.seed).randint(c.low, c.high, c.size));
    assert.deepEqual(got, c.expected, c.python);
  }
});

Deno.test("rand / random give numpy's 53-bit doubles exactly", () => {
  assert.deepEqual(Array.from(new RandomState(3).rand(10)), C.rand_seed3.expected);
  const r = new RandomState(3);
  assert.equal(r.random(), C.rand_seed3.expected[0]);
});

Deno.test("permutation and shuffle match numpy's legacy Fisher-Yates", () => {
  for (const c of C.permutation) {
    assert.deepEqual(Array.from(new RandomState(c.seed).permutation(c.n)), c.expected, c.python);
  }
  const x = Array.from({ length: 12 }, (_, i) => (10 + i) * 3);
  new RandomState(17).shuffle(x);
  assert.deepEqual(x, C.shuffle_seed17.expected);
  // Shuffling a typed array consumes the generator exactly like a plain array.
  const y = Float64Array.from({ length: 12 }, (_, i) => (10 + i) * 3);
  new RandomState(17).shuffle(y);
  assert.deepEqual(Array.from(y), C.shuffle_seed17.expected);
  assert.deepEqual(Array.from(new RandomState(0).permutation(0)), []);
});

Deno.test("choice matches numpy (uniform/weighted, with/without replacement)", () => {
  for (const c of C.choice) {
    const got = new RandomState(c.seed).choice(c.a, c.size, {
      replace: c.replace,
      p: c.p ?? undefined,
    });
    assert.deepEqual(Array.from(got), c.expected, c.python);
  }
});

Deno.test("standardNormal matches numpy's legacy polar method", () => {
  const got = new RandomState(7).standardNormal(9);
  C.standard_normal_seed7.expected.forEach((v, i) => {
    assert.ok(Math.abs(got[i] - v) <= 1e-15 * Math.max(1, Math.abs(v)), `${i}: ${got[i]} vs ${v}`);
  });
});

Deno.test("a mixed sequence of calls consumes the generator like numpy", () => {
  const e = C.sequence_seed123.expected;
  const r = new RandomState(123);
  assert.deepEqual(Array.from(r.randint(0, 10, 7)), e.randint);
  assert.deepEqual(Array.from(r.rand(3)), e.rand);
  assert.deepEqual(Array.from(r.permutation(6)), e.permutation);
  const n = r.standardNormal(3);
  e.normal.forEach((v, i) => assert.ok(Math.abs(n[i] - v) <= 1e-15 * Math.max(1, Math.abs(v))));
  assert.deepEqual(Array.from(r.randint(0, 100, 5)), e.randint2);
});

Deno.test("getState equals numpy's get_state and setState resumes exactly", () => {
  const s = C.state_seed99;
  const r = new RandomState(99);
  r.randint(0, 10, 700);
  r.standardNormal(1);
  const st = r.getState();
  assert.deepEqual(st.key, s.key);
  assert.equal(st.pos, s.pos);
  assert.equal(st.hasGauss, s.has_gauss);
  assert.ok(Math.abs(st.cachedGaussian - s.cached_gaussian) <= 1e-15);

  // JSON round trip, restore into a generator seeded differently.
  const restored = new RandomState(5);
  restored.setState(JSON.parse(JSON.stringify(st)) as RandomStateSnapshot);
  const n = restored.standardNormal(2);
  s.next_normal.forEach((v, i) =>
    assert.ok(Math.abs(n[i] - v) <= 1e-15 * Math.max(1, Math.abs(v)))
  );
  assert.deepEqual(Array.from(restored.randint(0, 1000, 5)), s.next_randint);

  // Restoring numpy's own state (cached Gaussian taken verbatim) continues numpy's stream.
  const fromNumpy = new RandomState(0);
  fromNumpy.setState({
    algorithm: "MT19937",
    key: s.key,
    pos: s.pos,
    hasGauss: 1,
    cachedGaussian: s.cached_gaussian,
  });
  assert.equal(fromNumpy.standardNormal(1)[0], s.cached_gaussian);
  // clone() is independent of the original.
  const a = new RandomState(4);
  const b = a.clone();
  assert.deepEqual(Array.from(a.randint(0, 50, 20)), Array.from(b.randint(0, 50, 20)));
});

Deno.test("bad input throws errors naming the value", () => {
  assert.throws(() => new RandomState(-1), /seed must be an integer in \[0, 4294967295\], got -1/);
  assert.throws(() => new RandomState(1.5), /got 1.5/);
  assert.throws(() => new RandomState(2 ** 32), /got 4294967296/);
  const r = new RandomState(0);
  assert.throws(() => r.randint(5, 5, 3), /low >= high \(low=5, high=5\)/);
  assert.throws(() => r.randint(0, 2 ** 31 + 1, 3), /bounds/);
  assert.throws(() => r.randint(0, 10, -1), /size must be a non-negative integer, got -1/);
  assert.throws(() => r.permutation(-2), /got -2/);
  assert.throws(() => r.choice(3, 4, { replace: false }), /larger sample \(4\)/);
  assert.throws(() => r.choice(3, 2, { p: [0.5, 0.5] }), /length 2/);
  assert.throws(() => r.choice(2, 2, { p: [0.7, 0.7] }), /do not sum to 1/);
  assert.throws(() => r.choice(2, 2, { p: [-0.5, 1.5] }), />= 0, got -0.5/);
  assert.throws(() => r.choice(3, 2, { replace: false, p: [1, 0, 0] }), /fewer non-zero/);
  assert.throws(
    () => r.setState({ ...r.getState(), key: [1, 2] }),
    /624 uint32 words, got length 2/,
  );
  assert.throws(() => r.setState({ ...r.getState(), pos: 625 }), /got 625/);
});
