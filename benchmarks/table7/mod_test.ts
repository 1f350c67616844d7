import assert from "node:assert/strict";
import { table7 } from "./mod.ts";
import { ROWS, TABLE7 } from "./reference.ts";
import { TABLE1 } from "../table1/reference.ts";

Deno.test("table7: four rows; RLNAS = Table 1 row D; the paper's ordering holds", () => {
  assert.equal(table7.name, "table7");
  assert.deepEqual(ROWS.map((r) => r.id), [
    "training-free-normal",
    "training-free-uniform",
    "random-search",
    "rlnas",
  ]);
  for (const d of ["cifar10", "cifar100", "ImageNet16-120"] as const) {
    assert.equal(TABLE7.rlnas[d][0], TABLE1.D[d][1]);
    // "the two training free methods are worse than random search, and RLNAS is better"
    assert.ok(TABLE7["training-free-normal"][d][0] < TABLE7["random-search"][d][0]);
    assert.ok(TABLE7["training-free-uniform"][d][0] < TABLE7["random-search"][d][0]);
    assert.ok(TABLE7.rlnas[d][0] > TABLE7["random-search"][d][0]);
  }
});
