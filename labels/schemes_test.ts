import assert from "node:assert/strict";
import { RandomState } from "./random_state.ts";
import {
  batchLabels,
  DATASET_NUM_CLASSES,
  DATASET_TRAIN_SIZE,
  DEFAULT_LABEL_SCHEME,
  getLabelScheme,
  type LabelDataset,
  type LabelSchemeContext,
  labelSchemeNames,
  labelSchemes,
  shuffledLabels,
  stateAfterLabelDraws,
  uniformRandomLabels,
} from "./schemes.ts";
// numpy references written by fixtures/labels/make_schemes.py (each case stores its Python).
import fx from "../fixtures/labels/schemes.json" with { type: "json" };
// The official search's random state after the label draws: fixtures/search/make_official_replay.py.
import replay from "../fixtures/search/official_replay.json" with { type: "json" };

/** The fixture's synthetic ground truth: y = (np.arange(n) * 7 + 3) % k. */
function synthetic(n: number, k: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => (i * 7 + 3) % k);
}

function ctxFor(dataset: LabelDataset, seed: number, extra: Partial<LabelSchemeContext> = {}) {
  return {
    dataset,
    seed,
    numClasses: DATASET_NUM_CLASSES[dataset],
    trueLabels: new Int32Array(0),
    ...extra,
  } satisfies LabelSchemeContext;
}

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

Deno.test("registry: names, default, lookup errors", () => {
  assert.deepEqual(labelSchemeNames(), [
    "ground-truth",
    "random-uniform-once",
    "random-shuffle-once",
    "random-uniform-per-iteration",
    "random-shuffle-per-iteration",
  ]);
  assert.equal(DEFAULT_LABEL_SCHEME, "random-uniform-once");
  assert.equal(getLabelScheme(DEFAULT_LABEL_SCHEME), labelSchemes["random-uniform-once"]);
  for (const name of labelSchemeNames()) {
    const s = getLabelScheme(name);
    assert.equal(s.name, name);
    assert.equal(s.perIteration, s.batch !== undefined);
    assert.equal(s.random, name !== "ground-truth");
  }
  assert.throws(
    () => getLabelScheme("uniform"),
    /unknown label scheme "uniform"; valid: ground-truth, random-uniform-once/,
  );
  assert.throws(() => getLabelScheme("toString"), /unknown label scheme "toString"/);
  assert.deepEqual(DATASET_TRAIN_SIZE, {
    cifar10: 50000,
    cifar100: 50000,
    "ImageNet16-120": 151700,
  });
});

Deno.test("random-uniform-once reproduces the official numpy draws over all N images", () => {
  const scheme = getLabelScheme("random-uniform-once");
  for (const c of fx.uniform_once) {
    const ds = c.dataset as LabelDataset;
    const labels = scheme.initial(ctxFor(ds, c.seed));
    assert.equal(labels.length, DATASET_TRAIN_SIZE[ds], c.python);
    assert.deepEqual(Array.from(labels.subarray(0, 12)), c.head, c.python);
    assert.deepEqual(Array.from(labels.subarray(labels.length - 4)), c.tail, c.python);
    assert.equal(sum(labels), c.sum, c.python);
    const hist = new Array(5).fill(0);
    for (const v of labels) if (v < 5) hist[v]++;
    assert.deepEqual(hist, c.hist, c.python);
  }
  // Task goldens (numpy): seed 0 CIFAR-10 sums to 224618; ImageNet16-120 (1..120) - 1 to 9054805.
  assert.equal(sum(uniformRandomLabels(ctxFor("cifar10", 0))), 224618);
  const in16 = uniformRandomLabels(ctxFor("ImageNet16-120", 0));
  assert.equal(sum(in16), 9054805);
  assert.deepEqual(Array.from(in16.subarray(0, 4)), [44, 47, 117, 64]);
});

Deno.test("random-uniform-once with K random classes draws randint(0, K, N)", () => {
  for (const c of fx.uniform_once_k) {
    const ds = c.dataset as LabelDataset;
    const labels = uniformRandomLabels(ctxFor(ds, c.seed, { randomClasses: c.k }));
    assert.equal(labels.length, DATASET_TRAIN_SIZE[ds]);
    assert.deepEqual(Array.from(labels.subarray(0, 12)), c.head, c.python);
    assert.equal(sum(labels), c.sum, c.python);
    assert.equal(labels.reduce((m, v) => Math.max(m, v), 0), c.max, c.python);
  }
  // numImages override (synthetic data): a prefix of the full draw, same generator stream.
  const small = uniformRandomLabels(ctxFor("cifar10", 0, { numImages: 20 }));
  assert.deepEqual(Array.from(small), [5, 0, 3, 3, 7, 9, 3, 5, 2, 4, 7, 6, 8, 8, 1, 6, 7, 7, 8, 1]);
});

Deno.test("random-shuffle-once equals numpy's RandomState(seed).shuffle of the true labels", () => {
  const c = fx.shuffle_once;
  const y = synthetic(c.n, c.k);
  const labels = getLabelScheme("random-shuffle-once").initial(
    ctxFor("cifar10", c.seed, { trueLabels: y }),
  );
  assert.deepEqual(Array.from(labels.subarray(0, 15)), c.head, c.python);
  let h = 0;
  for (let i = 0; i < labels.length; i++) h = (h + labels[i] * i) % 1000003;
  assert.equal(h, c.idx_sum);
  // The histogram is kept exactly (and the input is not modified).
  const count = (a: Int32Array) => {
    const out = new Array(c.k).fill(0);
    for (const v of a) out[v]++;
    return out;
  };
  assert.deepEqual(count(labels), count(y));
  assert.deepEqual(Array.from(y.subarray(0, 3)), [3, 0, 7]);
  assert.deepEqual(
    shuffledLabels(ctxFor("cifar10", c.seed, { trueLabels: y })),
    labels,
  );
});

Deno.test("ground-truth returns a copy of the true labels and validates them", () => {
  const y = synthetic(30, 10);
  const s = getLabelScheme("ground-truth");
  const labels = s.initial(ctxFor("cifar10", 0, { trueLabels: y }));
  assert.deepEqual(labels, y);
  assert.notEqual(labels, y);
  assert.throws(
    () => s.initial(ctxFor("cifar10", 0, { trueLabels: Int32Array.of(1, 10) })),
    /trueLabels\[1\] = 10 is outside \[0, 9\]/,
  );
  assert.throws(() => s.initial(ctxFor("cifar10", 0)), /needs ctx.trueLabels/);
  assert.throws(
    () => s.initial(ctxFor("cifar10", 0, { trueLabels: y, randomClasses: 5 })),
    /randomClasses=5 is only valid for the random-uniform schemes/,
  );
});

Deno.test("random-uniform-per-iteration draws rng.randint(0, K, B) per batch like numpy", () => {
  const c = fx.uniform_per_iteration;
  const s = getLabelScheme("random-uniform-per-iteration");
  const ctx = ctxFor("cifar10", 0);
  const current = s.initial(ctx);
  assert.equal(sum(current), 224618); // before the first iteration: the once-labels
  const rng = new RandomState(c.seed);
  const got = c.batches.map((b) => Array.from(batchLabels(s, ctx, b, rng, current)));
  assert.deepEqual(got, c.expected, c.python);
  // ImageNet16-120 (labels 1..120 shifted) consumes and yields exactly like randint(0, 120).
  const a = s.batch!(ctxFor("ImageNet16-120", 0), [0, 1, 2], new RandomState(0), current);
  assert.deepEqual(Array.from(a), [44, 47, 117]);
  assert.throws(
    () => s.batch!(ctx, [50000], new RandomState(0), current),
    /batch index 50000 is outside \[0, 49999\]/,
  );
});

Deno.test("random-shuffle-per-iteration permutes each batch's true labels like numpy", () => {
  const c = fx.shuffle_per_iteration;
  const y = synthetic(c.n, c.k);
  const s = getLabelScheme("random-shuffle-per-iteration");
  const ctx = ctxFor("cifar10", 0, { trueLabels: y });
  const current = s.initial(ctx);
  const rng = new RandomState(c.seed);
  const got = c.batches.map((b) => Array.from(batchLabels(s, ctx, b, rng, current)));
  assert.deepEqual(got, c.expected, c.python);
  assert.throws(() => s.batch!(ctx, [-1], rng, current), /batch index -1 is outside/);
});

Deno.test("batchLabels of a once-scheme gathers the fixed labels", () => {
  const s = getLabelScheme("random-uniform-once");
  const ctx = ctxFor("cifar10", 0);
  const current = s.initial(ctx);
  const rng = new RandomState(1);
  const before = JSON.stringify(rng.getState());
  assert.deepEqual(Array.from(batchLabels(s, ctx, [1, 0, 5, 5], rng, current)), [0, 5, 9, 9]);
  assert.equal(JSON.stringify(rng.getState()), before); // no draws
  assert.throws(() => batchLabels(s, ctx, [60000], rng, current), /60000 is outside/);
});

Deno.test("bad contexts throw errors naming the value", () => {
  const s = getLabelScheme("random-uniform-once");
  assert.throws(
    () => s.initial({ ...ctxFor("cifar10", 0), dataset: "mnist" as LabelDataset }),
    /unknown dataset "mnist"; valid: cifar10, cifar100, ImageNet16-120/,
  );
  assert.throws(() => s.initial(ctxFor("cifar10", 0, { randomClasses: 0 })), /got 0/);
  assert.throws(() => s.initial(ctxFor("cifar10", -3)), /seed must be an integer.*got -3/);
  assert.throws(() => s.initial(ctxFor("cifar10", 0, { numImages: -1 })), /numImages/);
  assert.throws(() => s.initial(ctxFor("cifar10", 0, { numClasses: 0 })), /numClasses/);
});

Deno.test("stateAfterLabelDraws: numpy's state after seed + the dataset's label draw", () => {
  // Python: np.random.seed(s); np.random.randint(lo, hi, N); then the next draws.
  assert.equal(replay.afterLabels.length, 6);
  for (const ref of replay.afterLabels) {
    const rs = stateAfterLabelDraws(ref.dataset as LabelDataset, ref.seed);
    for (const row of ref.randint_0_5_6) assert.deepEqual(Array.from(rs.randint(0, 5, 6)), row);
    for (const v of ref.random_sample) assert.equal(rs.random(), v);
  }
  // exactly the draw of the default scheme: the same generator advanced past its labels
  const rs = new RandomState(3);
  assert.deepEqual(rs.randint(0, 100, 50000), uniformRandomLabels(ctxFor("cifar100", 3)));
  assert.equal(stateAfterLabelDraws("cifar100", 3).random(), rs.random());
  // CIFAR-10 and CIFAR-100 draw as many labels but reject differently (mask 15 vs 127)
  assert.notEqual(stateAfterLabelDraws("cifar10", 0).random(), new RandomState(0).random());
  assert.notEqual(
    stateAfterLabelDraws("cifar10", 0).random(),
    stateAfterLabelDraws("cifar100", 0).random(),
  );
  assert.throws(() => stateAfterLabelDraws("imagenet" as LabelDataset, 0), /unknown dataset/);
  assert.throws(() => stateAfterLabelDraws("cifar10", -1), /seed/);
});
