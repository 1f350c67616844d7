import assert from "node:assert/strict";
import { table2, table2Comparisons } from "./mod.ts";
import { TABLE2 } from "./reference.ts";

Deno.test("table2 reference: the paper's order C < A < D < B on every dataset", () => {
  for (const d of ["cifar10", "cifar100", "ImageNet16-120"] as const) {
    assert.ok(
      TABLE2.C[d] < TABLE2.A[d] && TABLE2.A[d] < TABLE2.D[d] && TABLE2.D[d] < TABLE2.B[d],
      d,
    );
  }
});

const _rows = [
  {
    method: "A",
    dataset: "cifar10",
    seed: 0,
    tau: 0.3,
    sample: "seeded-random(n=16, seed=2021)",
    n_archs: 16,
  },
  {
    method: "C",
    dataset: "cifar10",
    seed: 0,
    tau: 0.05,
    sample: "seeded-random(n=16, seed=2021)",
    n_archs: 16,
  },
  { method: "D", dataset: "cifar10", seed: 0, tau: 0.45, sample: "all", n_archs: 15625 },
];

Deno.test("table2Comparisons: tau vs the paper, sample size in the label, tolerance at paper", () => {
  const c = table2Comparisons(_rows, true);
  assert.deepEqual(c.map((x) => x.label), [
    "A (SPOS) cifar10 tau (n=16)",
    "C cifar10 tau (n=16)",
    "D (RLNAS) cifar10 tau",
  ]);
  assert.equal(c[2].reference, 0.5059);
  assert.equal(c[2].tolerance, 0.07);
  assert.equal(table2Comparisons(_rows, false)[0].tolerance, null);
});

Deno.test("table2 verdict at quick: tau(D) > tau(C) + 0.2 and |tau(C)| < 0.2", () => {
  assert.deepEqual(table2.checks("quick", _rows, null).map((c) => [c.name, c.status]), [
    ["cifar10: D tau > C + 0.2", "PASS"],
    ["cifar10: |tau(C)| < 0.2", "PASS"],
  ]);
  const doctored = _rows.map((r) => r.method === "D" ? { ...r, tau: 0.2 } : r);
  assert.equal(table2.checks("quick", doctored, null)[0].status, "FAIL");
});
