import assert from "node:assert/strict";
import { resolveDataDir } from "../../datasets/data_dir.ts";
import { loadNb201Table } from "../../datasets/nb201_table.ts";
import { pick, tauSample, tauVsTest } from "./tau.ts";

const table = await loadNb201Table(resolveDataDir().path);

Deno.test("tauSample: null or >= 15,625 means all architectures in enumeration order", () => {
  const all = tauSample(null, 1);
  assert.equal(all.description, "all");
  assert.equal(all.indices.length, 15625);
  assert.equal(all.indices[0], 0);
  assert.equal(all.indices[15624], 15624);
  assert.equal(tauSample(20000, 1).indices.length, 15625);
});

Deno.test("tauSample: a fixed seeded sample, distinct, ascending, independent of call order", () => {
  const a = tauSample(100, 2021);
  const b = tauSample(100, 2021);
  assert.deepEqual(a.indices, b.indices);
  assert.equal(a.description, "seeded-random(n=100, seed=2021)");
  assert.equal(new Set(a.indices).size, 100);
  for (let i = 1; i < a.indices.length; i++) assert.ok(a.indices[i] > a.indices[i - 1]);
  assert.notDeepEqual(tauSample(100, 7).indices, a.indices);
  assert.throws(() => tauSample(1, 0), /tau sample size must be an integer >= 2 or null/);
});

// Golden values: scipy 1.17 `kendalltau` on the NB201 test accuracies of these enumeration
// indices (nb201.csv looked up by arch string), official ranks = stable descending sort.
const _IDX = Int32Array.from([0, 1, 7, 100, 555, 1234, 3000, 6111, 7777, 9930, 12000, 15624]);
const _SCORES = Float64Array.from(_IDX, (i) => (i * 37) % 11);

Deno.test("tauVsTest: official tau and raw tau-b match scipy on the real table", () => {
  const c10 = tauVsTest(_SCORES, _IDX, table, "cifar10");
  assert.equal(c10.n, 12);
  assert.ok(Math.abs(c10.tau - -0.1515151515151515) < 1e-12, `${c10.tau}`);
  assert.ok(Math.abs(c10.tauB - 0.016835875742536845) < 1e-12, `${c10.tauB}`);
  const c100 = tauVsTest(_SCORES, _IDX, table, "cifar100");
  assert.ok(Math.abs(c100.tau - -0.1818181818181818) < 1e-12, `${c100.tau}`);
  assert.ok(Math.abs(c100.tauB - -0.016835875742536845) < 1e-12, `${c100.tauB}`);
  assert.throws(() => tauVsTest([1, 2], _IDX, table, "cifar10"), /2 scores for 12 architectures/);
});

Deno.test("tauVsTest: the test accuracy itself as metric gives tau 1 over all archs", () => {
  const acc = table.column("cifar10", "test");
  const all = tauSample(null, 0).indices;
  const r = tauVsTest(acc, all, table, "cifar10");
  assert.equal(r.tau, 1);
  assert.ok(Math.abs(r.tauB - 1) < 1e-12);
});

Deno.test("pick: entries of a full table at given indices", () => {
  assert.deepEqual(pick([5, 6, 7, 8], [3, 0]), Float64Array.from([8, 5]));
});
