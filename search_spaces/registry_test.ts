import assert from "node:assert/strict";
import { getSearchSpace, searchSpaceNames } from "./registry.ts";
import { NB201_SPACE } from "./nb201/encoding.ts";

Deno.test("getSearchSpace returns the NB201 description", () => {
  const s = getSearchSpace("nb201");
  assert.equal(s, NB201_SPACE);
  assert.equal(s.numGenes, 6);
  assert.equal(s.numOps, 5);
  assert.equal(s.size, 5 ** 6);
  assert.deepEqual(s.opNames, [
    "none",
    "skip_connect",
    "nor_conv_1x1",
    "nor_conv_3x3",
    "avg_pool_3x3",
  ]);
  assert.deepEqual(searchSpaceNames(), ["nb201"]);
});

Deno.test("unknown names list the valid ones", () => {
  assert.throws(() => getSearchSpace("darts"), (e: Error) => {
    assert.ok(e instanceof RangeError);
    assert.match(e.message, /"darts"/);
    assert.match(e.message, /"nb201"/);
    return true;
  });
  assert.throws(() => getSearchSpace("toString"), /"nb201"/);
});
