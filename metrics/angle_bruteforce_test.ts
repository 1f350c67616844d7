import assert from "node:assert/strict";
import { fakeLayout, fakeWeights, parameterShapes } from "./_fake_weights.ts";
import { POOL_VALUE } from "./_layout.ts";
import { angleBruteForce, angleVector } from "./angle_bruteforce.ts";

// Spec §3.5: |V| for C=16, N=5 and 10 / 100 / 120 classes.
const SPEC_LENGTHS: [number[], [number, number, number]][] = [
  [[3, 3, 3, 3, 3, 3], [2_008_666, 2_014_516, 2_015_816]],
  [[3, 3, 3, 1, 3, 3], [1_766_746, 1_772_596, 1_773_896]],
  [[4, 4, 4, 4, 4, 4], [113_626, 119_476, 120_776]],
  [[1, 1, 1, 1, 1, 1], [73_306, 79_156, 80_456]],
  [[3, 0, 0, 3, 0, 0], [315_226, 321_076, 322_376]],
];

Deno.test("angleVector length equals spec §3.5 for every listed genotype and dataset", () => {
  [10, 100, 120].forEach((classes, d) => {
    const w = fakeWeights(fakeLayout(16, 5, classes), () => 0.25);
    for (const [g, lengths] of SPEC_LENGTHS) {
      const v = angleVector(w, g, classes);
      assert.ok(v !== null, `genotype ${g} has a none-free path`);
      assert.equal(v.length, lengths[d], `genotype ${g}, ${classes} classes`);
    }
    // Spec §3.5: (2,0,0,0,0,2) and (0,0,0,0,0,0) have no none-free path: theta = 0.
    for (const g of [[2, 0, 0, 0, 0, 2], [0, 0, 0, 0, 0, 0]]) {
      assert.equal(angleVector(w, g), null);
      assert.equal(angleBruteForce(w, w, g), 0);
    }
  });
});

Deno.test("angleVector concatenates segments in the official order (spec §3.4)", () => {
  // Tiny layout C=2, N=1: cells 0 (C=2), 1 ResNet 2->4, 2 (C=4), 3 ResNet 4->8, 4 (C=8).
  const layout = fakeLayout(2, 1, 3);
  const shapes = parameterShapes(layout);
  const tags = new Map([...shapes.keys()].map((n, i) => [n, i + 1]));
  const w = fakeWeights(layout, (name) => tags.get(name)!);
  // g: 1<-0 conv3, 2<-0 skip, 2<-1 conv1, 3<-0 pool, 3<-1 none, 3<-2 conv3.
  // Paths: [0->3] = pool; [0->2->3] = skip, conv3(3<-2); [0->1->2->3] = conv3(1<-0), conv1(2<-1),
  // conv3(3<-2); [0->1->3] contains none -> dropped.
  const g = [3, 1, 2, 4, 0, 3];
  const expected: number[] = [];
  const put = (name: string) => {
    const size = shapes.get(name)!.reduce((a, b) => a * b, 1);
    for (let i = 0; i < size; i++) expected.push(tags.get(name)!);
  };
  const pool = (c: number) => {
    for (let i = 0; i < c * 9; i++) expected.push(POOL_VALUE);
  };
  const resnet = (k: number) =>
    [
      "conv_a.op.1.weight",
      "conv_a.op.2.weight",
      "conv_a.op.2.bias",
      "conv_b.op.1.weight",
      "conv_b.op.2.weight",
      "conv_b.op.2.bias",
      "downsample.1.weight",
    ].forEach((n) => put(`cells.${k}.${n}`));
  put("stem.0.weight");
  put("stem.1.weight");
  put("stem.1.bias");
  // path [0->3], first none-free path: ResNet blocks are inserted at cells 1 and 3.
  pool(2);
  resnet(1);
  pool(4);
  resnet(3);
  pool(8);
  // path [0->2->3]
  for (const k of [0, 2, 4]) put(`cells.${k}.edges.3<-2.3.op.1.weight`);
  // path [0->1->2->3]
  for (const k of [0, 2, 4]) {
    put(`cells.${k}.edges.1<-0.3.op.1.weight`);
    put(`cells.${k}.edges.2<-1.2.op.1.weight`);
    put(`cells.${k}.edges.3<-2.3.op.1.weight`);
  }
  put("lastact.0.weight");
  put("lastact.0.bias");
  put("classifier.weight");
  put("classifier.bias");
  const v = angleVector(w, g);
  assert.ok(v !== null);
  assert.deepEqual(Array.from(v), Array.from(new Float32Array(expected)));
});

Deno.test("angleBruteForce: cosine of hand-made constant checkpoints", () => {
  // W0 = 1, Wt = 2 everywhere: parallel vectors without pools -> 0. All-pool genotype, C10:
  // 73 306 fixed values (spec, all-skip length) and 113 626 - 73 306 pool values.
  const layout = fakeLayout(16, 5, 10);
  const w0 = fakeWeights(layout, () => 1);
  const wt = fakeWeights(layout, () => 2);
  assert.ok(angleBruteForce(w0, wt, [3, 3, 3, 3, 3, 3]) < 1e-7);
  const F = 73_306;
  const P = 113_626 - 73_306;
  const q = POOL_VALUE * POOL_VALUE;
  const cos = (2 * F + P * q) / Math.sqrt((F + P * q) * (4 * F + P * q));
  assert.ok(Math.abs(angleBruteForce(w0, wt, [4, 4, 4, 4, 4, 4]) - Math.acos(cos)) < 1e-9);
});

Deno.test("angleVector rejects bad genotypes and incomplete checkpoints", () => {
  const layout = fakeLayout(2, 1, 3);
  const w = fakeWeights(layout, () => 1);
  assert.throws(() => angleVector(w, [3, 3, 3]), RangeError);
  assert.throws(() => angleVector(w, [3, 3, 3, 3, 3, 5]), /0\.\.4/);
  const missing = new Map(w);
  missing.delete("cells.2.edges.3<-0.3.op.1.weight");
  assert.throws(
    () => angleVector(missing, [1, 1, 1, 3, 1, 1]),
    /cells\.2\.edges\.3<-0\.3\.op\.1\.weight/,
  );
  assert.throws(() => angleVector(w, [1, 1, 1, 1, 1, 1], 10), /numClasses 10/);
});
