import assert from "node:assert/strict";
import { meanStd, num, round, summarize } from "./summary.ts";

Deno.test("meanStd: population std (numpy np.std, ddof 0), non-finite values ignored", () => {
  // numpy: np.mean([93.45, 93.52, 92.85]) = 93.2733..., np.std(...) = 0.3007028803025064
  const r = meanStd([93.45, 93.52, 92.85, NaN]);
  assert.equal(r.n, 3);
  assert.ok(Math.abs(r.mean - 93.27333333333333) < 1e-12);
  assert.ok(Math.abs(r.std - 0.3007028803025064) < 1e-12, `${r.std}`);
  assert.deepEqual(meanStd([2]), { mean: 2, std: 0, n: 1 });
  assert.ok(Number.isNaN(meanStd([]).mean));
});

Deno.test("summarize: groups by columns in first-appearance order, seeds sorted numerically", () => {
  const rows = [
    { method: "D", dataset: "cifar10", seed: "10", test_acc: "93" },
    { method: "C", dataset: "cifar10", seed: "0", test_acc: "80" },
    { method: "D", dataset: "cifar10", seed: "2", test_acc: "91" },
    { method: "D", dataset: "cifar10", seed: "0", test_acc: "" },
  ];
  const g = summarize(rows, ["method", "dataset"], ["test_acc"]);
  assert.equal(g.length, 2);
  assert.deepEqual(g[0].key, { method: "D", dataset: "cifar10" });
  assert.deepEqual(g[0].seeds, ["0", "2", "10"]);
  assert.equal(g[0].values.test_acc.mean, 92);
  assert.equal(g[0].values.test_acc.std, 1);
  assert.equal(g[0].values.test_acc.n, 2);
  assert.equal(g[1].values.test_acc.mean, 80);
});

Deno.test("num and round: empty cells are NaN / empty, never NaN in the CSV", () => {
  assert.ok(Number.isNaN(num("")));
  assert.equal(num("1.5"), 1.5);
  assert.equal(round(NaN), "");
  assert.equal(round(1.23456789, 4), 1.2346);
});
