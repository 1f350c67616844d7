import assert from "node:assert/strict";
import { listBenchmarks } from "../../benchmarks/registry.ts";
import { dataSubsets, loadResults } from "./load.ts";

const _results = new URL("../../results", import.meta.url).pathname;

Deno.test("loadResults reads the committed results with the benchmarks' own verdicts", async () => {
  const d = await loadResults(_results, listBenchmarks());
  const t1 = d.benchmarks.find((b) => b.benchmark === "table1" && b.profile === "quick")!;
  assert.equal(t1.verdict.overall, "PASS");
  assert.ok(t1.summary !== null && t1.summary.columns.includes("paper_test_acc"));
  assert.deepEqual(t1.provenance.backends, ["wasm"]);
  assert.ok(t1.provenance.data.some((l) => l.startsWith("cifar10 train: 4978 images")));
  assert.ok(d.scores.some((s) => s.source.startsWith("angle-scores/") && s.points.length > 0));
  assert.ok(d.perf.some((p) => p.file === "perf/cpu/perf.csv"));
});

Deno.test("dataSubsets: one line per dataset and split of the sidecar", () => {
  const side = {
    runs: {
      a: {
        resolved: {
          data: {
            cifar10: { train: { count: 5, first_index: 0, last_index: 8, fingerprint: "f" } },
          },
        },
      },
    },
  };
  assert.deepEqual(dataSubsets(side), ["cifar10 train: 5 images, indices 0-8, fingerprint f"]);
  assert.deepEqual(dataSubsets(null), []);
});
