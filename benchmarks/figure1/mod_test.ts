import assert from "node:assert/strict";
import { figure1, figure1Charts, figure1Comparisons } from "./mod.ts";

const _rows = [
  { method: "rlnas", dataset: "cifar10", seed: "0", classes: "10", test_acc: "93", tau: "0.5" },
  { method: "rlnas", dataset: "cifar10", seed: "1", classes: "10", test_acc: "91", tau: "0.3" },
  { method: "rlnas", dataset: "cifar10", seed: "0", classes: "20", test_acc: "92", tau: "0.45" },
  { method: "rlnas", dataset: "cifar100", seed: "0", classes: "100", test_acc: "70", tau: "0.5" },
];

Deno.test("figure1: smoke runs a few K, quick all 20 on fewer images", () => {
  assert.match(figure1.profiles.smoke.description, /K = 10, 100, 200/);
  assert.match(figure1.profiles.quick.description, /^SuperNet 1000 images, 3 epochs/);
});

Deno.test("figure1Charts: one line per dataset (mean over seeds), red marker at real K", () => {
  const { a, b } = figure1Charts(_rows);
  for (const svg of [a, b]) {
    assert.equal(svg.match(/<polyline /g)?.length, 2);
    assert.ok(svg.includes(">CIFAR-10</text>") && svg.includes(">CIFAR-100</text>"));
    assert.equal(svg.match(/fill="red"/g)?.length, 3); // K=10 on C10, K=100 on C100, legend
  }
  assert.match(a, /Figure 1\(a\)/);
  assert.match(b, /Kendall's tau/);
});

Deno.test("figure1Comparisons: the paper's RLNAS values only at the real class count", () => {
  const c = figure1Comparisons(_rows);
  const k10 = c.find((x) => x.label === "cifar10 K=10 test acc")!;
  assert.equal(k10.ours, 92);
  assert.equal(k10.oursStd, 1);
  assert.equal(k10.reference, 93.45);
  assert.equal(c.find((x) => x.label === "cifar10 K=20 test acc")!.reference, null);
  assert.equal(c.find((x) => x.label === "cifar100 K=100 tau")!.reference, 0.5097);
});
