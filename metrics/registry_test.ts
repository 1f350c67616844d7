import assert from "node:assert/strict";
import { getMetric, metricNames, METRICS } from "./registry.ts";

/** The zero-cost proxies (metrics/zc_*.ts), in registration order. */
const ZERO_COST = [
  "synflow",
  "snip",
  "grad_norm",
  "nwot",
  "plain",
  "l2_norm",
  "fisher",
  "jacov",
  "epe_nas",
  "zen",
  "grasp",
];

Deno.test("registry lists angle, accuracy, random, params, flops and the zero-cost proxies with their properties", () => {
  assert.deepEqual(metricNames(), ["angle", "accuracy", "random", "params", "flops", ...ZERO_COST]);
  for (const name of metricNames()) {
    const m = getMetric(name);
    assert.equal(m.name, name);
    assert.equal(METRICS.get(name), m);
    assert.ok(m.description.length > 10);
    // All rank architectures by "larger is better" (the evolution maximises θ, spec §5.1).
    assert.equal(m.higherIsBetter, true);
  }
  assert.deepEqual(getMetric("angle").requires, ["w0", "wt"]);
  for (const name of ZERO_COST) {
    const want = name === "synflow" || name === "l2_norm" ? ["network"] : ["network", "batch"];
    assert.deepEqual(getMetric(name).requires, want, name);
  }
});

Deno.test("getMetric rejects unknown names, listing the valid ones", () => {
  assert.throws(
    () => getMetric("gradsign"),
    (e: unknown) =>
      e instanceof RangeError && /"gradsign"/.test(e.message) &&
      /"angle", "accuracy", "random", "params", "flops", "synflow", /.test(e.message) &&
      /"epe_nas", "zen", "grasp"$/.test(e.message),
  );
});
