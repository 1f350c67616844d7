import assert from "node:assert/strict";
import * as rlnas from "./mod.ts";

Deno.test("mod.ts exports the public API of every module", () => {
  for (
    const name of [
      "initBackend",
      "resolveDataDir",
      "loadNb201Table",
      "loadSearchData",
      "genotypeFromString",
      "parseDartsArch",
      "dartsCost",
      "parseMobilenetArch",
      "mobilenetCost",
      "getCostModel",
      "archCost",
      "RandomState",
      "getLabelScheme",
      "trainSuperNet",
      "precomputeAngleStats",
      "angleAll",
      "AccuracyEvaluator",
      "getMetric",
      "evolutionSearch",
      "randomSearch",
      "kendallTau",
      "officialKendallTau",
      "spearman",
      "writeResults",
      "getBenchmark",
      "listBenchmarks",
    ]
  ) assert.equal(typeof (rlnas as Record<string, unknown>)[name], "function", name);
});

Deno.test("RandomState from mod.ts reproduces numpy's legacy randint (issue golden values)", () => {
  // np.random.seed(0); np.random.randint(0, 10, 50000)
  const r = new rlnas.RandomState(0).randint(0, 10, 50000);
  assert.deepEqual([...r.slice(0, 20)], [
    5,
    0,
    3,
    3,
    7,
    9,
    3,
    5,
    2,
    4,
    7,
    6,
    8,
    8,
    1,
    6,
    7,
    7,
    8,
    1,
  ]);
  assert.equal(r.reduce((a, b) => a + b, 0), 224618);
  assert.deepEqual([...r.slice(-5)], [1, 0, 6, 7, 1]);
});
