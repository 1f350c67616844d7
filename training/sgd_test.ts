import assert from "node:assert/strict";
import { tf } from "../backends/tf.ts";
import type { Tensor, Variable } from "../backends/tf.ts";
import { Sgd, type ZeroGradSemantics } from "./sgd.ts";

/** Written by `/usr/bin/python3 fixtures/training/sgd_golden.py` (torch.optim.SGD 1.13 + numpy). */
interface _Golden {
  init: Record<string, number[]>;
  shapes: Record<string, number[]>;
  steps: { lr: number; grads: Record<string, number[]> }[];
  [result: string]: unknown;
}

const golden: _Golden = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/training/sgd_golden.json", import.meta.url)),
);

function _params(): Map<string, Variable> {
  return new Map(
    Object.entries(golden.init).map((
      [k, v],
    ) => [k, tf.variable(tf.tensor(v, golden.shapes[k]), true)]),
  );
}

async function _run(mode: ZeroGradSemantics): Promise<Map<string, Float32Array>> {
  await tf.setBackend("cpu");
  const params = _params();
  const sgd = new Sgd(params, { momentum: 0.9, weightDecay: 5e-4, nesterov: true, zeroGrad: mode });
  for (const s of golden.steps) {
    const grads = new Map<string, Tensor>(
      Object.entries(s.grads).map(([k, g]) => [k, tf.tensor(g, golden.shapes[k])]),
    );
    sgd.step(s.lr, grads);
    for (const g of grads.values()) g.dispose();
  }
  const out = new Map<string, Float32Array>();
  for (const [k, v] of params) out.set(k, new Float32Array(await v.data()));
  sgd.dispose();
  for (const v of params.values()) v.dispose();
  return out;
}

function _assertClose(actual: Float32Array, expected: number[], label: string): void {
  assert.equal(actual.length, expected.length, label);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= 1e-6,
      `${label}[${i}]: ${actual[i]} != ${expected[i]}`,
    );
  }
}

for (const mode of ["pytorch1", "set-to-none"] as const) {
  Deno.test(`Sgd ${mode}: matches torch.optim.SGD and the numpy formula over 4 steps`, async () => {
    const got = await _run(mode);
    for (const ref of ["numpy", "torch"]) {
      const expected = golden[`${ref}_${mode}`] as Record<string, number[]>;
      for (const k of ["a", "b", "c", "d"]) _assertClose(got.get(k)!, expected[k], `${ref} ${k}`);
    }
  });
}

Deno.test("Sgd: pytorch1 keeps updating a param sampled once; set-to-none does not", async () => {
  const p1 = await _run("pytorch1");
  const p2 = await _run("set-to-none");
  const init = golden.init;
  // b is sampled at step 1 only, d never.
  assert.notDeepEqual([...p1.get("b")!], [...p2.get("b")!]);
  _assertClose(p2.get("d")!, init.d, "d untouched (set-to-none)");
  _assertClose(p1.get("d")!, init.d, "d untouched (pytorch1)");
  assert.deepEqual([...p1.get("d")!], [...new Float32Array(init.d)]);
});

Deno.test("Sgd: hand-derived first step (buffer = first g) and classical momentum", async () => {
  await tf.setBackend("cpu");
  const w = tf.variable(tf.tensor1d([1, -2]));
  const params = new Map([["w", w]]);
  // nesterov: g = 0.5 + 0.1*1 = 0.6; buf = 0.6; d = 0.6 + 0.9*0.6 = 1.14; w = 1 - 0.1*1.14 = 0.886
  const sgd = new Sgd(params, { momentum: 0.9, weightDecay: 0.1, nesterov: true });
  const g = tf.tensor1d([0.5, 0]);
  sgd.step(0.1, new Map([["w", g]]));
  const v1 = await w.data();
  assert.ok(Math.abs(v1[0] - 0.886) < 1e-6, `${v1[0]}`);
  // second: g = -2*0.1 = -0.2; buf = -0.2; d = -0.38; w = -2 + 0.038 = -1.962
  assert.ok(Math.abs(v1[1] - -1.962) < 1e-6, `${v1[1]}`);
  sgd.dispose();
  // classical momentum, no decay, 2 steps with grad 1: buf 1 -> 1.9; w = 0 - 1 - 1.9 = -2.9
  const u = tf.variable(tf.scalar(0));
  const sgd2 = new Sgd(new Map([["u", u]]), { momentum: 0.9, weightDecay: 0, nesterov: false });
  const one = tf.scalar(1);
  sgd2.step(1, { u: one });
  sgd2.step(1, { u: one });
  assert.ok(Math.abs((await u.data())[0] - -2.9) < 1e-6);
  sgd2.dispose();
  for (const t of [w, g, u, one]) t.dispose();
});

Deno.test("Sgd: export/import state continues identically; tensor count stays flat", async () => {
  await tf.setBackend("cpu");
  const grads = golden.steps.map((s) =>
    new Map(Object.entries(s.grads).map(([k, g]) => [k, tf.tensor(g, golden.shapes[k])]))
  );
  // uninterrupted
  const pa = _params();
  const a = new Sgd(pa);
  golden.steps.forEach((s, i) => a.step(s.lr, grads[i]));
  // interrupted after 2 steps, state copied into a fresh optimizer
  const pb = _params();
  const b = new Sgd(pb);
  b.step(golden.steps[0].lr, grads[0]);
  b.step(golden.steps[1].lr, grads[1]);
  const state = await b.exportState();
  assert.deepEqual(state.touched, ["a", "b"]);
  assert.equal(state.steps, 2);
  b.dispose();
  const c = new Sgd(pb);
  c.importState(state);
  const before = tf.memory().numTensors;
  c.step(golden.steps[2].lr, grads[2]);
  c.step(golden.steps[3].lr, grads[3]);
  // buffers are allocated up front: c first sampled at step 3 adds no tensor
  assert.equal(tf.memory().numTensors, before);
  for (const k of pa.keys()) {
    assert.deepEqual([...await pb.get(k)!.data()], [...await pa.get(k)!.data()], k);
  }
  for (const t of [a, c]) t.dispose();
  for (const m of grads) for (const t of m.values()) t.dispose();
  for (const v of [...pa.values(), ...pb.values()]) v.dispose();
});

Deno.test("Sgd: bad input names the value", () => {
  const p = new Map([["w", tf.variable(tf.scalar(1))]]);
  assert.throws(() => new Sgd(p, { momentum: -1 }), /momentum .* got -1/);
  assert.throws(() => new Sgd(p, { weightDecay: NaN }), /weightDecay .* got NaN/);
  assert.throws(
    () => new Sgd(p, { zeroGrad: "torch2" as ZeroGradSemantics }),
    /zeroGrad must be one of pytorch1, set-to-none, got torch2/,
  );
  const sgd = new Sgd(p);
  assert.throws(() => sgd.step(-0.1, new Map()), /lr must be .* got -0.1/);
  assert.throws(() => sgd.step(0.1, new Map(), ["nope"]), /unknown parameter "nope"/);
  p.get("w")!.dispose();
});
