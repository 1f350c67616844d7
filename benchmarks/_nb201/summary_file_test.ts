import assert from "node:assert/strict";
import { readResults } from "../../reporting/results_file.ts";
import { fakeContext } from "./_fake_context.ts";
import { summarizeRuns, testAccComparisons } from "./summary_file.ts";

Deno.test("summarizeRuns: this run's rows only, unless summarizeAll; names the runs it combines", async () => {
  const out = await Deno.makeTempDir({ prefix: "rlnas-summary-" });
  try {
    const earlier = fakeContext("tbl", out, "quick", { runId: "run-1" });
    await earlier.write("runs", ["test_acc"], [
      { method: "D", dataset: "cifar10", seed: 0, test_acc: 93 },
      { method: "D", dataset: "cifar10", seed: 1, test_acc: 91 },
    ]);
    const now = fakeContext("tbl", out, "quick", { runId: "run-2" });
    await now.write("runs", ["test_acc"], [{
      method: "D",
      dataset: "cifar10",
      seed: 2,
      test_acc: 92,
    }]);
    const parts = {
      benchmark: "tbl",
      summary: { values: ["test_acc"], extraColumns: ["paper"], extra: () => ({ paper: 93.45 }) },
      comparisons: () => [],
      checks: {
        smoke: { column: "test_acc", spread: {}, factor: 1, floor: 0 },
        findings: () => [],
        paper: null,
      },
    };
    const own = await summarizeRuns(now, parts);
    let back = await readResults(own.summaryFile!);
    assert.deepEqual(back.records.map((r) => [r.seeds, r.test_acc_mean, r.source_runs]), [
      ["2", "92", "run-2"],
    ]);
    assert.match(own.notes![0], /^summary of 1 seed \(2\) on cifar10 from run run-2$/);

    const all = fakeContext("tbl", out, "quick", { runId: "run-3", summarizeAll: true });
    const every = await summarizeRuns(all, parts);
    back = await readResults(every.summaryFile!);
    assert.equal(back.records.length, 1); // the summary file is replaced, not appended to
    const row = back.records[0];
    // numpy: mean([93, 91, 92]) = 92, std = sqrt(2/3) = 0.8165
    assert.deepEqual(
      [row.seeds, row.test_acc_mean, row.test_acc_std, row.paper, row.source_runs],
      ["0 1 2", "92", "0.8165", "93.45", "run-1 run-2"],
    );
    assert.match(every.notes![0], /from 2 runs: run-1 \(test, wasm, test\); run-2/);
    const side = JSON.parse(await Deno.readTextFile(every.summaryFile!.replace(/csv$/, "json")));
    assert.deepEqual(side.summarizes.map((s: { run_id: string }) => s.run_id), ["run-1", "run-2"]);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("testAccComparisons: per dataset and method, paper value and tolerance", () => {
  const rows = [
    { method: "x", dataset: "cifar10", seed: 0, test_acc: 90 },
    { method: "x", dataset: "cifar10", seed: 1, test_acc: 92 },
  ];
  const c = testAccComparisons(
    rows,
    [{ id: "x", name: "X" }, { id: "y", name: "Y" }],
    () => 93,
    1.5,
  );
  assert.deepEqual(c, [{
    label: "X cifar10 test acc",
    ours: 91,
    oursStd: 1,
    reference: 93,
    tolerance: 1.5,
  }]);
});
