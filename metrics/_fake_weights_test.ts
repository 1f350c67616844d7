import assert from "node:assert/strict";
import { fakeLayout, gaussianWeights, mulberry32, parameterShapes } from "./_fake_weights.ts";

Deno.test("parameterShapes: TinyNetworkSPOS parameter count from spec §1.1-1.2", () => {
  // stem 432 + 32; 15 search cells x 6 edges x (C^2 + 9 C^2) = 5 * 60 * (16^2 + 32^2 + 64^2);
  // ResNet blocks 14 464 + 57 600 (spec §3.1); lastact 128; classifier 64 * 10 + 10.
  const expected = 464 + 5 * 60 * (256 + 1024 + 4096) + 14_464 + 57_600 + 128 + 650;
  const shapes = parameterShapes(fakeLayout(16, 5, 10));
  let total = 0;
  for (const s of shapes.values()) total += s.reduce((a, b) => a * b, 1);
  assert.equal(total, expected);
  assert.equal(shapes.size, 3 + 15 * 12 + 2 * 7 + 4);
  assert.deepEqual(shapes.get("cells.16.edges.3<-2.2.op.1.weight"), [64, 64, 1, 1]);
  assert.deepEqual(shapes.get("cells.11.downsample.1.weight"), [64, 32, 1, 1]);
});

Deno.test("gaussianWeights is seeded and roughly standard normal", () => {
  const a = gaussianWeights(fakeLayout(2, 1, 3), 4);
  const b = gaussianWeights(fakeLayout(2, 1, 3), 4);
  assert.deepEqual(a, b);
  const u = mulberry32(1);
  const xs = Array.from({ length: 20000 }, u);
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(Math.abs(mean - 0.5) < 0.01);
  const all = [...a.values()].filter((t) => t.shape.length === 4).flatMap((t) => [...t.data]);
  const m2 = all.reduce((s, x) => s + x * x, 0) / all.length;
  assert.ok(m2 > 0.8 && m2 < 1.2, `second moment ${m2}`);
});
