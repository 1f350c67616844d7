import assert from "node:assert/strict";
import { labelSchemeNames } from "../../labels/schemes.ts";
import { table6 } from "./mod.ts";
import { GENERATORS, TABLE6 } from "./reference.ts";
import { TABLE1 } from "../table1/reference.ts";

Deno.test("table6: the four generators are registered label schemes", () => {
  assert.equal(table6.name, "table6");
  for (const g of GENERATORS) assert.ok(labelSchemeNames().includes(g.labels), g.labels);
});

Deno.test("table6 reference: row (1) is RLNAS = Table 1 row D test acc", () => {
  for (const d of ["cifar10", "cifar100", "ImageNet16-120"] as const) {
    assert.equal(TABLE6["uniform-once"][d][0], TABLE1.D[d][1]);
  }
});
