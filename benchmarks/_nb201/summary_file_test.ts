import assert from "node:assert/strict";
import { readResults } from "../../reporting/results_file.ts";
import { fakeContext } from "./_fake_context.ts";
import { testAccComparisons, writeSummaryFile } from "./summary_file.ts";

Deno.test("writeSummaryFile: mean ± std over every seed in runs.csv, earlier runs included", async () => {
  const out = await Deno.makeTempDir({ prefix: "rlnas-summary-" });
  try {
    const ctx = fakeContext("tbl", out);
    await ctx.write("runs", ["test_acc"], [
      { method: "D", dataset: "cifar10", seed: 0, test_acc: 93 },
      { method: "D", dataset: "cifar10", seed: 1, test_acc: 91 },
    ]);
    await ctx.write("runs", ["test_acc"], [{
      method: "D",
      dataset: "cifar10",
      seed: 2,
      test_acc: 92,
    }]);
    const { path, rows } = await writeSummaryFile(ctx, {
      benchmark: "tbl",
      values: ["test_acc"],
      extraColumns: ["paper"],
      extra: () => ({ paper: 93.45 }),
    });
    assert.equal(rows.length, 1);
    // numpy: mean([93, 91, 92]) = 92, std = sqrt(2/3) = 0.8165
    assert.equal(rows[0].test_acc_mean, 92);
    assert.equal(rows[0].test_acc_std, 0.8165);
    assert.equal(rows[0].seeds, "0 1 2");
    assert.equal(rows[0].seed, "all");
    const back = await readResults(path);
    assert.deepEqual(back.records.map((r) => [r.n_seeds, r.paper]), [["3", "93.45"]]);
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
