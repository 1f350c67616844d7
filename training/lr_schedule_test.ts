import assert from "node:assert/strict";
import { cosineLr, cosineSchedule } from "./lr_schedule.ts";

function _close(actual: number, expected: number, tol = 1e-15): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} != ${expected}`);
}

Deno.test("cosineLr: hand values of the paper schedule (E = 250)", () => {
  assert.equal(cosineLr(0, { epochs: 250 }), 0.025);
  _close(cosineLr(125, { epochs: 250 }), 0.013);
  _close(cosineLr(250, { epochs: 250 }), 0.001);
});

Deno.test("cosineLr: values computed with numpy (E = 250)", () => {
  // python: 0.001 + (0.025 - 0.001) * (1 + np.cos(np.pi * e / 250)) / 2
  const golden: [number, number][] = [
    [1, 0.024999052530445796],
    [10, 0.024905376415773738],
    [200, 0.003291796067500632],
    [249, 0.0010009474695542066],
  ];
  for (const [e, lr] of golden) _close(cosineLr(e, { epochs: 250 }), lr);
});

Deno.test("cosineSchedule: one constant value per epoch, numpy values for E = 7", () => {
  const golden = [
    0.025,
    0.02381162641482903,
    0.020481877622304804,
    0.015670251207475772,
    0.010329748792524227,
    0.005518122377695198,
    0.0021883735851709715,
  ];
  const s = cosineSchedule({ epochs: 7 });
  assert.equal(s.length, 7);
  s.forEach((v, i) => _close(v, golden[i]));
});

Deno.test("cosineLr: custom bounds", () => {
  assert.equal(cosineLr(0, { epochs: 4, lrMax: 0.1, lrMin: 0 }), 0.1);
  _close(cosineLr(2, { epochs: 4, lrMax: 0.1, lrMin: 0 }), 0.05);
  _close(cosineLr(4, { epochs: 4, lrMax: 0.1, lrMin: 0 }), 0);
});

Deno.test("cosineLr: bad input names the value", () => {
  assert.throws(() => cosineLr(0, { epochs: 0 }), /epochs must be a positive integer, got 0/);
  assert.throws(() => cosineLr(5, { epochs: 4 }), /epoch must be an integer in \[0, 4\], got 5/);
  assert.throws(() => cosineLr(1.5, { epochs: 4 }), /got 1.5/);
  assert.throws(() => cosineLr(0, { epochs: 4, lrMax: NaN }), /lrMax .* got NaN/);
  assert.throws(() => cosineLr(0, { epochs: 4, lrMin: -1 }), /lrMin .* got -1/);
});
