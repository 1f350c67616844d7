import assert from "node:assert/strict";
import { convOutputSize, ThopCounter } from "./_thop.ts";

Deno.test("conv, BN and Linear follow the thop rule of the spec (§2)", () => {
  const t = new ThopCounter();
  // DARTS ImageNet stem0 at C=48: 3→24 s2 on 224, then 24→48 s2 (spec: 40,642,560 FLOPs)
  const h1 = t.conv(3, 24, 224, { kernel: 3, stride: 2, padding: 1 });
  assert.equal(h1, 112);
  t.bn(24);
  assert.equal(t.conv(24, 48, h1, { kernel: 3, stride: 2, padding: 1 }), 56);
  t.bn(48);
  assert.equal(t.flops, 40642560);
  assert.equal(t.params, 3 * 9 * 24 + 48 + 24 * 9 * 48 + 96);
  const d = new ThopCounter();
  // depthwise 3x3 dilation 2 keeps the side; counts k² per output element
  assert.equal(d.conv(8, 8, 14, { kernel: 3, padding: 2, dilation: 2, groups: 8 }), 14);
  assert.equal(d.flops, 9 * 8 * 14 * 14);
  assert.equal(d.params, 72);
  const l = new ThopCounter();
  l.linear(768, 1000); // spec: classifier 1,535,000
  assert.equal(l.flops, 1535000);
  assert.equal(l.params, 769000);
});

Deno.test("output sizes and bad geometry", () => {
  assert.equal(convOutputSize(28, 5, 2, 2), 14);
  assert.equal(convOutputSize(28, 5, 2, 4, 2), 14);
  assert.equal(convOutputSize(7, 3, 2, 1), 4);
  assert.throws(() => convOutputSize(2, 5), /does not fit an input of side 2/);
  assert.throws(() => new ThopCounter().conv(6, 4, 8, { kernel: 1, groups: 4 }), /groups/);
});
