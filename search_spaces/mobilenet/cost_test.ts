import assert from "node:assert/strict";
import { MOBILENET_BLOCKS, RLNAS_MOBILENET } from "./architecture.ts";
import { MOBILENET_POST, MOBILENET_PRE, mobilenetBlockCost, mobilenetCost } from "./cost.ts";

Deno.test("the RLNAS architecture (spec §3): 473,248,184 FLOPs, 5,255,648 params", () => {
  const c = mobilenetCost(RLNAS_MOBILENET);
  assert.equal(c.flops, 473248184);
  assert.equal(c.params, 5255648);
  assert.ok(c.flops <= 475e6); // RLNAS's search constraint (rlnas-reference §5.3)
  assert.equal(c.parts.length, 23);
  assert.equal(c.parts[3].name, "block2 (skip)");
  assert.deepEqual([c.parts[3].flops, c.parts[3].params], [0, 0]);
  assert.equal(c.parts.reduce((s, p) => s + p.flops, 0), c.flops);
  assert.equal(c.parts.reduce((s, p) => s + p.params, 0), c.params);
});

Deno.test("fixed pre- and post-processing FLOPs of the spec (§3)", () => {
  assert.equal(MOBILENET_PRE.flops, 30105600);
  assert.equal(MOBILENET_POST.flops, 40033304);
  // kernels + BN γ/β: 40·27 + 80, 40·9 + 80, 40·24 + 48; 432·1728 + 2·1728, 1728·1000 + 1000
  assert.equal(MOBILENET_PRE.params, 1080 + 80 + 360 + 80 + 960 + 48);
  assert.equal(MOBILENET_POST.params, 432 * 1728 + 3456 + 1728000 + 1000);
});

Deno.test("one MBConv entry of the lookup table by hand", () => {
  // block 0, k5e3: 24→72 on 112², depthwise 5×5 s2 → 56², 72→32
  const c = mobilenetBlockCost(0, 2);
  assert.equal(c.flops, 24 * 72 * 112 * 112 + 25 * 72 * 56 * 56 + 72 * 32 * 56 * 56);
  assert.equal(c.params, 24 * 72 + 144 + 25 * 72 + 144 + 72 * 32 + 64);
  assert.deepEqual(mobilenetBlockCost(5, -1), { flops: 0, params: 0 });
  // larger kernels and expand ratios cost more, in every block
  MOBILENET_BLOCKS.forEach((_, b) => {
    const f = [0, 1, 2, 3, 4, 5].map((id) => mobilenetBlockCost(b, id).flops);
    assert.ok(f[0] < f[2] && f[2] < f[4] && f[1] < f[3] && f[3] < f[5] && f[0] < f[1], `${b}`);
  });
});

Deno.test("bad inputs", () => {
  assert.throws(() => mobilenetBlockCost(21, 0), /block must be an integer in 0\.\.20, got 21/);
  assert.throws(() => mobilenetBlockCost(4, -1), /block 4 .*cannot be skipped/);
  assert.throws(() => mobilenetBlockCost(3, 6), /block 3: unknown choice 6/);
  assert.throws(() => mobilenetCost(RLNAS_MOBILENET.slice(1)), /20 block choices/);
});
