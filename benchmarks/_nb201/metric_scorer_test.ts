import assert from "node:assert/strict";
import { initBackend } from "../../backends/backend.ts";
import { tf } from "../../backends/tf.ts";
import { resolveDataDir } from "../../datasets/data_dir.ts";
import { loadSearchData } from "../../datasets/splits.ts";
import type { AnglePrecision } from "../../metrics/angle.ts";
import { type ArchMetric, makeScorer } from "../../metrics/metric.ts";
import { getMetric, METRICS } from "../../metrics/registry.ts";
import { genotypeToIndex } from "../../search_spaces/nb201/encoding.ts";
import { SuperNet } from "../../search_spaces/nb201/supernet.ts";
import { RandomState } from "../../labels/random_state.ts";
import {
  checkRequires,
  createSourceScorer,
  proxyBatch,
  SOURCE_FIELDS,
  type UntrainedPair,
  usesForwardPasses,
} from "./metric_scorer.ts";
import { obtainSuperNet } from "./supernet_cache.ts";
import { tinyData, tinySpec } from "./_tiny_spec.ts";

await initBackend("wasm");

const _ACCURACY = {
  calibImages: 8,
  validImages: 20,
  chunkSize: 4,
  evalBatch: 10,
  bnMomentum: "cumulative" as const,
};

async function _untrainedAngles(
  p: Omit<UntrainedPair, "seedA" | "seedB">,
  precision?: AnglePrecision,
): Promise<Float64Array> {
  const s = await createSourceScorer(
    getMetric("angle"),
    { kind: "untrained", pair: { ...p, seedA: 0, seedB: 1 } },
    { anglePrecision: precision, accuracy: _ACCURACY },
  );
  try {
    return await s.all();
  } finally {
    s.dispose();
  }
}

/** A weights-only test metric: value = f(index), with the given orientation. */
function _fake(
  name: string,
  higherIsBetter: boolean,
  f: (i: number) => number,
  requires: ArchMetric["requires"] = ["w0"],
): ArchMetric {
  return {
    name,
    description: "test metric",
    higherIsBetter,
    requires,
    create: () =>
      Promise.resolve(
        makeScorer(
          name,
          (gs) => Promise.resolve(Float64Array.from(gs, (g) => f(genotypeToIndex(g)))),
        ),
      ),
  };
}

const _PAIR = { numClasses: 10, inputSize: 32 as const, channels: 2, init: "normal" as const };

Deno.test("angle on an untrained pair: spec §3 on two seeded SuperNets, both precisions, ties", async () => {
  await assert.rejects(
    () =>
      createSourceScorer(getMetric("angle"), {
        kind: "untrained",
        pair: { ..._PAIR, seedA: 3, seedB: 3 },
      }, { accuracy: _ACCURACY }),
    /different seeds/,
  );
  const angles = await _untrainedAngles(_PAIR);
  assert.equal(angles.length, 15625);
  assert.equal(angles[0], 0); // all-none genotype: the official early return (spec §3.3)
  // skip on edge 3<-0 only: the path [0->3] is none-free and adds nothing, so V holds exactly
  // the fixed segments (spec §3.1): every parameter outside the search cells' edges.
  const w = [];
  for (const seed of [0, 1]) {
    const net = new SuperNet({ ..._PAIR, seed });
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
  const angles32 = await _untrainedAngles(_PAIR, "float32");
  assert.ok(Math.abs(angles32[genotypeToIndex([0, 0, 0, 1, 0, 0])] - expected) < 1e-6);
  for (const a of [angles, angles32]) {
    // skip on 3<-0 with any op on 1<-0, 2<-0, 2<-1 (their paths end in a none): one vector
    const tied = [[0, 0, 0, 1, 0, 0], [3, 2, 4, 1, 0, 0], [4, 1, 3, 1, 0, 0]];
    assert.ok(tied.every((g) => a[genotypeToIndex(g)] === a[genotypeToIndex(tied[0])]));
  }
});

Deno.test("accuracy on a trained SuperNet: memoised percent accuracy, one at a time, tensors freed", async () => {
  const data = tinyData;
  const root = await Deno.makeTempDir({ prefix: "rlnas-scorer-" });
  try {
    const entry = await obtainSuperNet(tinySpec({ labels: "ground-truth" }), { root });
    const before = tf.memory().numTensors;
    let ticks = 0;
    const source = { kind: "trained" as const, entry, train: data.train, valid: data.valid };
    const s = await createSourceScorer(getMetric("accuracy"), source, {
      accuracy: _ACCURACY,
      onScored: () => ticks++,
    });
    assert.equal(s.validImages, 20);
    assert.equal(s.calibImages, 8);
    const g = [3, 3, 3, 3, 3, 3];
    const [a, b] = await s.fitness([g, [1, 2, 0, 4, 1, 3], g]);
    const [a2] = await s.scores([g]);
    assert.equal(s.scored, 2);
    assert.equal(ticks, 2);
    assert.equal(a2, a);
    for (const v of [a, b]) {
      assert.ok(v >= 0 && v <= 100);
      assert.ok(Math.abs(v / 5 - Math.round(v / 5)) < 1e-9, `${v} is not k * 100 / 20`);
    }
    s.dispose();
    assert.equal(tf.memory().numTensors, before);
    // the angles of the cached SuperNet in both precisions
    const angles = async (anglePrecision: AnglePrecision) => {
      const sc = await createSourceScorer(getMetric("angle"), source, {
        anglePrecision,
        accuracy: _ACCURACY,
      });
      assert.equal(sc.calibImages, "");
      const all = await sc.all();
      sc.dispose();
      return all;
    };
    const a64 = await angles("float64");
    const a32 = await angles("float32");
    assert.equal(a32.length, 15625);
    let maxDiff = 0;
    for (let i = 0; i < 15625; i++) {
      assert.equal(Math.fround(a32[i]), a32[i]);
      // compare cosines: one epoch barely moves the weights, so the angles are near 0 where
      // arccos amplifies float32 rounding
      maxDiff = Math.max(maxDiff, Math.abs(Math.cos(a32[i]) - Math.cos(a64[i])));
    }
    assert.ok(maxDiff > 0 && maxDiff < 1e-6, `${maxDiff}`);
    assert.equal(tf.memory().numTensors, before);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("orientation: the fitness of a lower-is-better metric is its negated value", async () => {
  const source = { kind: "untrained" as const, pair: { ..._PAIR, seedA: 0, seedB: 1 } };
  const opts = { accuracy: _ACCURACY };
  const low = await createSourceScorer(_fake("low", false, (i) => i), source, opts);
  const high = await createSourceScorer(_fake("high", true, (i) => i), source, opts);
  const gs = [[0, 0, 0, 0, 0, 1], [4, 4, 4, 4, 4, 4]];
  assert.deepEqual([...await low.scores(gs)], [1, 15624]);
  assert.deepEqual(await low.fitness(gs), [-1, -15624]);
  assert.deepEqual(await high.fitness(gs), [1, 15624]);
  low.dispose();
  high.dispose();
});

Deno.test("bad metrics: missing context fields refused up front; NaN and wrong counts named", async () => {
  const source = { kind: "untrained" as const, pair: { ..._PAIR, seedA: 0, seedB: 1 } };
  const opts = { accuracy: _ACCURACY };
  assert.throws(
    () => checkRequires(getMetric("accuracy"), "untrained"),
    /metric "accuracy" needs context\.net, context\.train, context\.valid, which an untrained SuperNet pair does not provide \(it provides: w0, wt/,
  );
  await assert.rejects(
    () => createSourceScorer(_fake("x", true, () => 0, ["net"]), source, opts),
    /metric "x" needs context\.net/,
  );
  const nan = await createSourceScorer(_fake("nan", true, (i) => i === 7 ? NaN : 1), source, opts);
  await assert.rejects(
    () => nan.scores([[0, 0, 0, 0, 1, 2]]),
    /metric "nan" gave NaN for architecture 7/,
  );
  const short: ArchMetric = {
    ..._fake("short", true, () => 1),
    create: () => Promise.resolve(makeScorer("short", () => Promise.resolve(new Float64Array(1)))),
  };
  const s = await createSourceScorer(short, source, opts);
  await assert.rejects(
    () => s.scores([[0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 2]]),
    /metric "short" returned 1 scores for 2 architectures/,
  );
});

Deno.test("every registered metric's requires is provided by a trained SuperNet", () => {
  for (const m of METRICS.values()) {
    checkRequires(m, "trained");
    assert.equal(usesForwardPasses(m), m.requires.includes("net"));
  }
  assert.ok(SOURCE_FIELDS.untrained.every((f) => SOURCE_FIELDS.trained.includes(f)));
});

Deno.test("proxyBatch: distinct seeded images with their true labels, augmented, reproducible", async () => {
  const data = await loadSearchData(resolveDataDir(), "cifar10", { trainLimit: 200 });
  const a = proxyBatch(data.train, 16, 3);
  const b = proxyBatch(data.train, 16, 3);
  assert.deepEqual(a.x, b.x);
  assert.equal(a.x.length, 16 * 32 * 32 * 3);
  assert.equal(a.side, 32);
  assert.match(a.description, /^16 cifar10 train images \(augmented\), seed 3$/);
  const positions = new RandomState(3).permutation(200).subarray(0, 16);
  assert.deepEqual(a.labels, Int32Array.from(positions, (p) => data.train.labels[p]));
  assert.notDeepEqual(proxyBatch(data.train, 16, 4).x, a.x);
  assert.throws(() => proxyBatch(data.train, 0, 0), /count must be an integer in \[1, 200\]/);
});

Deno.test("prime and listen: primed values are not recomputed; new ones reach the listener", async () => {
  let computed = 0;
  const m: ArchMetric = {
    ..._fake("counting", true, (i) => i),
    create: () =>
      Promise.resolve(makeScorer("counting", (gs) => {
        computed += gs.length;
        return Promise.resolve(Float64Array.from(gs, (g) => genotypeToIndex(g)));
      })),
  };
  const source = { kind: "untrained" as const, pair: { ..._PAIR, seedA: 0, seedB: 1 } };
  const s = await createSourceScorer(m, source, { accuracy: _ACCURACY });
  const heard: [number, number][] = [];
  s.prime([[genotypeToIndex([0, 0, 0, 0, 0, 1]), 42]]);
  s.listen((k, v) => heard.push([k, v]));
  const got = await s.scores([[0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 2]]);
  assert.deepEqual([...got], [42, 2]);
  assert.equal(computed, 1);
  assert.deepEqual(heard, [[2, 2]]);
  assert.throws(() => s.prime([[3, NaN]]), /gave NaN for architecture 3/);
  s.dispose();
});
