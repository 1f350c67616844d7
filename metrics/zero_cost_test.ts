import assert from "node:assert/strict";
import { tf } from "../backends/tf.ts";
import { initBackend } from "../backends/backend.ts";
import { createNb201Network } from "../search_spaces/nb201/network.ts";
import type { ArchMetric, MetricContext, ProxyBatch } from "./metric.ts";
import { getMetric } from "./registry.ts";
import { corrcoef, logAbsDet, NAN_SCORE, symmetricEigenvalues } from "./_zc_common.ts";
import { synflowMetric } from "./zc_synflow.ts";
import { snipMetric } from "./zc_snip.ts";
import { gradNormMetric } from "./zc_grad_norm.ts";
import { nwotMetric } from "./zc_nwot.ts";
import { plainMetric } from "./zc_plain.ts";
import { l2NormMetric } from "./zc_l2_norm.ts";
import { fisherMetric } from "./zc_fisher.ts";
import { jacovMetric } from "./zc_jacov.ts";
import { epeNasMetric } from "./zc_epe_nas.ts";
import { zenMetric } from "./zc_zen.ts";
import { graspMetric } from "./zc_grasp.ts";

/** The comparison runs on the reference backend and on the benchmarks' default (wasm). */
const BACKENDS = ["cpu", "wasm"] as const;

interface Case {
  genotype: number[];
  numClasses: number;
  seed: number;
  labels: number[];
  scores: Record<string, number>;
  synflow_raw: number;
}

interface Golden {
  channels: number;
  cellsPerStage: number;
  inputSize: number;
  batch: number;
  zenSeed: number;
  x_nhwc: number[];
  cases: Case[];
  synflow_full: {
    genotype: number[];
    seed: number;
    channels: number;
    cellsPerStage: number;
    inputSize: number;
    numClasses: number;
    raw: number;
    log: number;
  }[];
}

/** Written by `tools/pytorch_zero_cost.py golden` (PyTorch), never by this code. */
const GOLDEN: Golden = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/zero_cost/pytorch_golden.json", import.meta.url)),
);

function contextOf(c: Case): MetricContext {
  const batch: ProxyBatch = {
    x: Float32Array.from(GOLDEN.x_nhwc),
    labels: Int32Array.from(c.labels),
    count: GOLDEN.batch,
    side: GOLDEN.inputSize,
    description: `${GOLDEN.batch} RandomState(123) standard-normal images (fixture)`,
  };
  return {
    network: (g) =>
      createNb201Network(g, {
        numClasses: c.numClasses,
        inputSize: GOLDEN.inputSize,
        channels: GOLDEN.channels,
        cellsPerStage: GOLDEN.cellsPerStage,
        seed: c.seed,
      }),
    batch,
    seed: GOLDEN.zenSeed,
  };
}

/**
 * `[metric, relative tolerance]`. Gradient / Jacobian / forward proxies: 1e-4 (the network test's
 * gradient criterion; every sum over elements is taken in float64 here, so float32 summation order
 * adds nothing notable). synflow is compared as log(score), so its difference is the relative
 * difference of the score (float32 here, float64 in PyTorch). nwot's kernel holds integer counts
 * (exact in float32) and l2_norm reads only the initial weights: tighter. The fixture's degenerate
 * case (a zero cell output) checks NASLib's -1e8 for NaN / -inf exactly. grasp's Hessian-gradient
 * product is a fourth-order central difference in float32 (`zc_grasp.ts`), against PyTorch's
 * exact double backward: with its step 3e-4 (chosen on full-size networks, where the truncation
 * term dominates; see `zc_grasp.ts`) measured 3e-5 / 3e-4 / 8e-4 (cpu) and 4e-4 / 3e-4 / 1.2e-2
 * (wasm) on the three non-degenerate cases, the largest on the case whose score (0.049) is a small
 * difference of larger terms (float32 rounding of the differenced gradients); hence 1.5e-2.
 */
const PROXIES: [ArchMetric, number][] = [
  [synflowMetric, 1e-5],
  [snipMetric, 1e-4],
  [gradNormMetric, 1e-4],
  [nwotMetric, 1e-9],
  [plainMetric, 1e-4],
  [l2NormMetric, 1e-6],
  [fisherMetric, 1e-4],
  [jacovMetric, 1e-4],
  [epeNasMetric, 1e-4],
  [zenMetric, 1e-4],
  [graspMetric, 1.5e-2],
];

/** |a - ref| relative to |ref| (absolute below 1e-3; synflow: absolute on the log). */
function diff(name: string, a: number, ref: number): number {
  const d = Math.abs(a - ref);
  return name === "synflow" ? d : d / Math.max(Math.abs(ref), 1e-3);
}

for (
  const [backend, [metric, tol]] of BACKENDS.flatMap((b) => PROXIES.map((p) => [b, p] as const))
) {
  Deno.test(`${metric.name} (${backend}): equals PyTorch on the fixture's tiny networks (rel. tol ${tol}), finite, tensors freed`, async () => {
    await initBackend(backend);
    assert.equal(getMetric(metric.name), metric);
    let worst = 0;
    for (const c of GOLDEN.cases) {
      const ref = c.scores[metric.name];
      assert.equal(typeof ref, "number", `fixture has no ${metric.name} score`);
      const before = tf.memory().numTensors;
      const scorer = await metric.create(contextOf(c));
      const [got] = await scorer([c.genotype]);
      scorer.dispose();
      assert.equal(tf.memory().numTensors, before, `${metric.name} ${c.genotype}: tensors leaked`);
      assert.ok(Number.isFinite(got), `${metric.name} ${c.genotype}: ${got}`);
      const d = diff(metric.name, got, ref);
      worst = Math.max(worst, d);
      assert.ok(d <= tol, `${metric.name} ${c.genotype}: ${got} vs PyTorch ${ref} (diff ${d})`);
    }
    console.log(
      `${metric.name} (${backend}): max relative difference to PyTorch ${worst.toExponential(2)}`,
    );
  });
}

Deno.test("synflow: the C=16 N=5 network, whose score overflows float32, equals PyTorch's float64 log", async () => {
  await initBackend("cpu");
  for (const f of GOLDEN.synflow_full) {
    assert.ok(f.raw > 3.4e38 || f.genotype[0] !== 3, "the fixture's first case is beyond float32");
    const before = tf.memory().numTensors;
    const s = await synflowMetric.create({ network: (g) => createNb201Network(g, f) });
    const [got] = await s([f.genotype]);
    s.dispose();
    assert.equal(tf.memory().numTensors, before);
    // log(score): an absolute difference of d is a relative difference d of the score
    assert.ok(Math.abs(got - f.log) <= 1e-5, `${f.genotype}: ${got} vs PyTorch ${f.log}`);
    console.log(
      `synflow C=16 N=5 ${f.genotype}: |Δ log score| ${Math.abs(got - f.log).toExponential(2)}`,
    );
  }
});

Deno.test("zero-cost proxies: refused without the context fields they require, naming them", async () => {
  await initBackend("cpu");
  const full = contextOf(GOLDEN.cases[0]);
  for (const [metric] of PROXIES) {
    assert.ok(metric.requires.includes("network"));
    assert.equal(metric.higherIsBetter, true);
    assert.ok(metric.description.length > 20 && !metric.description.includes("\n"));
    await assert.rejects(
      () => metric.create({ batch: full.batch }),
      new RegExp(`metric "${metric.name}" needs context\\.network`),
    );
    if (metric.requires.includes("batch")) {
      assert.deepEqual(metric.requires, ["network", "batch"]);
      await assert.rejects(
        () => metric.create({ network: full.network }),
        new RegExp(`metric "${metric.name}" needs context\\.batch`),
      );
    } else {
      assert.deepEqual(metric.requires, ["network"]);
      const s = await metric.create({ network: full.network });
      assert.equal((await s([GOLDEN.cases[0].genotype])).length, 1);
      s.dispose();
    }
  }
});

Deno.test("zero-cost proxies: a batch whose side differs from the network's is refused", async () => {
  await initBackend("cpu");
  const c = GOLDEN.cases[0];
  const ctx = contextOf(c);
  const bad: ProxyBatch = { ...ctx.batch!, side: 4, x: new Float32Array(GOLDEN.batch * 48) };
  const before = tf.memory().numTensors;
  const s = await snipMetric.create({ ...ctx, batch: bad });
  await assert.rejects(() => s([c.genotype]), /batch images are 4x4x3/);
  assert.equal(tf.memory().numTensors, before);
  await assert.rejects(
    () => snipMetric.create({ ...ctx, batch: { ...bad, side: 8 } }),
    /batch must hold/,
  );
});

Deno.test("zero-cost linear algebra: corrcoef, eigenvalues, log|det| against hand values", () => {
  // rows (1, 2, 3) and (2, 4, 7): numpy.corrcoef off-diagonal (numpy 1.24)
  const R01 = 0.9933992677987828;
  const r = corrcoef([1, 2, 3, 2, 4, 7], 2, 3);
  assert.ok(Math.abs(r[1] - R01) < 1e-12 && Math.abs(r[0] - 1) < 1e-15 && r[1] === r[2]);
  assert.ok(Number.isNaN(corrcoef([1, 1, 1, 1, 2, 3], 2, 3)[1]));
  // [[2, 1], [1, 2]] -> eigenvalues 1 and 3; det 3
  const ev = [...symmetricEigenvalues([2, 1, 1, 2], 2)].sort();
  assert.ok(Math.abs(ev[0] - 1) < 1e-12 && Math.abs(ev[1] - 3) < 1e-12);
  assert.ok(Math.abs(logAbsDet([2, 1, 1, 2], 2) - Math.log(3)) < 1e-12);
  assert.ok(Math.abs(logAbsDet([0, 2, -3, 1], 2) - Math.log(6)) < 1e-12);
  assert.equal(logAbsDet([1, 2, 2, 4], 2), -Infinity);
  assert.equal(NAN_SCORE, -1e8);
});
