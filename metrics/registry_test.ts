import assert from "node:assert/strict";
import { getMetric, metricNames, METRICS } from "./registry.ts";

Deno.test("registry lists angle, accuracy, random, params and flops with their properties", () => {
  assert.deepEqual(metricNames(), ["angle", "accuracy", "random", "params", "flops"]);
  for (const name of metricNames()) {
    const m = getMetric(name);
    assert.equal(m.name, name);
    assert.equal(METRICS.get(name), m);
    assert.ok(m.description.length > 10);
    // All rank architectures by "larger is better" (the evolution maximises θ, spec §5.1).
    assert.equal(m.higherIsBetter, true);
  }
  assert.deepEqual(getMetric("angle").requires, ["w0", "wt"]);
});

Deno.test("getMetric rejects unknown names, listing the valid ones", () => {
  assert.throws(
    () => getMetric("synflow"),
    (e: unknown) =>
      e instanceof RangeError && /"synflow"/.test(e.message) &&
      /"angle", "accuracy", "random", "params", "flops"/.test(e.message),
  );
});
