import assert from "node:assert/strict";
import { encodeSafetensors } from "../training/safetensors.ts";
import { fakeLayout, gaussianWeights } from "./_fake_weights.ts";
import { angleBruteForce } from "./angle_bruteforce.ts";
import { angleMany, precomputeAngleStats } from "./angle.ts";
import { angleMetric } from "./angle_metric.ts";

Deno.test("angle metric scores from maps and from safetensors files, equal to the oracle", async () => {
  const layout = fakeLayout(4, 1, 10);
  const w0 = gaussianWeights(layout, 11);
  const wt = gaussianWeights(layout, 12);
  const gs = [[3, 3, 3, 3, 3, 3], [2, 0, 4, 1, 3, 0], [0, 0, 0, 0, 0, 0]];
  const expected = gs.map((g) => angleBruteForce(w0, wt, g));
  assert.equal(expected[2], 0);
  const fromMaps = await angleMetric.create({ w0, wt, numClasses: 10 });
  const got = await fromMaps(gs);
  got.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-9, `${gs[i]}: ${v}`));
  fromMaps.dispose();

  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/w0.safetensors`, encodeSafetensors(w0));
    await Deno.writeFile(`${dir}/wt.safetensors`, encodeSafetensors(wt));
    const fromFiles = await angleMetric.create({
      w0: `${dir}/w0.safetensors`,
      wt: `${dir}/wt.safetensors`,
    });
    assert.deepEqual(await fromFiles(gs), got);
    fromFiles.dispose();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  // float32 precision: the float32 mode of the fast angle
  const f32 = await angleMetric.create({ w0, wt, anglePrecision: "float32" });
  const got32 = await f32(gs);
  assert.deepEqual(
    got32,
    angleMany(precomputeAngleStats(w0, wt, 10, { precision: "float32" }), gs),
  );
  got32.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-5, `${gs[i]}: ${v}`));
  assert.ok(got32.every((v) => Math.fround(v) === v));
  f32.dispose();
  await assert.rejects(() => angleMetric.create({ w0 }), /needs context\.wt/);
  await assert.rejects(() => angleMetric.create({ w0, wt, numClasses: 100 }), /numClasses 100/);
});
