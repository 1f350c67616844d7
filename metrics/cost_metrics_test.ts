import assert from "node:assert/strict";
import { nb201Cost } from "../search_spaces/nb201/cost.ts";
import { flopsMetric, paramsMetric } from "./cost_metrics.ts";
import { getMetric } from "./registry.ts";

Deno.test("params / flops: the cost model's millions, registered, refused without a cost model", async () => {
  const cost = (g: readonly number[]) => nb201Cost(g, "ImageNet16-120");
  const gs = [[3, 3, 3, 3, 3, 3], [0, 1, 2, 3, 4, 0]];
  for (const m of [paramsMetric, flopsMetric]) {
    assert.equal(getMetric(m.name), m);
    assert.deepEqual(m.requires, ["cost"]);
    const s = await m.create({ cost });
    const want = gs.map((g) => m.name === "params" ? cost(g).paramsM : cost(g).flopsM);
    assert.deepEqual([...await s(gs)], want);
    s.dispose();
    await assert.rejects(() => m.create({}), new RegExp(`metric "${m.name}" needs context.cost`));
  }
  // the full convolutional cell has more parameters and FLOPs than a cell of skips and pools
  const p = await paramsMetric.create({ cost });
  const [conv, light] = await p(gs);
  assert.ok(conv > light);
});
