import assert from "node:assert/strict";
import { _argsortStable, _averageRanks, _countingSortBy, _denseRanks } from "./_ranks.ts";
import { RandomState } from "../labels/random_state.ts";

/** Independent reference: a comparator sort (V8's sort is stable) with explicit index tie-break. */
function refArgsort(v: ArrayLike<number>, descending = false): number[] {
  const s = descending ? -1 : 1;
  return Array.from({ length: v.length }, (_, i) => i).sort((i, j) =>
    v[i] < v[j] ? -s : v[i] > v[j] ? s : i - j
  );
}

Deno.test("_argsortStable: hand cases (signs, zeros, infinities, subnormals)", () => {
  const v = [3, -1, 0, -0, Infinity, -Infinity, 5e-324, -5e-324, 3, -1e300];
  // numpy: np.argsort(v, kind="stable") -> [5 9 1 7 2 3 6 0 8 4]
  assert.deepEqual(Array.from(_argsortStable(v)), [5, 9, 1, 7, 2, 3, 6, 0, 8, 4]);
  assert.deepEqual(Array.from(_argsortStable(v, true)), refArgsort(v, true));
  assert.deepEqual(Array.from(_argsortStable([])), []);
});

Deno.test("_argsortStable agrees with a stable comparator sort on tied random data", () => {
  const rs = new RandomState(3);
  const u = rs.rand(3000);
  const v = Float64Array.from(u, (x, i) => i % 3 === 0 ? Math.round(x * 20) - 10 : (x - 0.5) * 1e6);
  assert.deepEqual(Array.from(_argsortStable(v)), refArgsort(v));
  assert.deepEqual(Array.from(_argsortStable(v, true)), refArgsort(v, true));
});

Deno.test("_denseRanks, _averageRanks and _countingSortBy", () => {
  const d = _denseRanks([2.5, -1, 2.5, 7, -0, 0]);
  assert.deepEqual(Array.from(d.ranks), [2, 0, 2, 3, 1, 1]);
  assert.equal(d.distinct, 4);
  // scipy.stats.rankdata([2.5, -1, 2.5, 7, -0, 0]) -> [4.5, 1, 4.5, 6, 2.5, 2.5]
  assert.deepEqual(Array.from(_averageRanks([2.5, -1, 2.5, 7, -0, 0])), [4.5, 1, 4.5, 6, 2.5, 2.5]);
  const order = _countingSortBy(Int32Array.of(0, 1, 2, 3, 4), Int32Array.of(2, 0, 2, 1, 0), 3);
  assert.deepEqual(Array.from(order), [1, 4, 3, 0, 2]);
});
