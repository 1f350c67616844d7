import assert from "node:assert/strict";
import { tf } from "./tf.ts";
import type { Tensor4D } from "./tf.ts";
import { initBackend } from "./backend.ts";
import {
  conv2dBackpropFilterIm2col,
  conv2dBackpropFilterViaConv,
  conv2dBackpropInputViaConv,
  CONV_GRAD_CHOICES,
  hasConvGradKernels,
  registerConvGradKernels,
} from "./conv_grad.ts";
import { relMaxDiff, take } from "./_test_util.ts";
import { caseData, CASES, gradsOnCurrentBackend, gradsViaConv } from "./_conv_grad_cases.ts";

const TOL = 1e-4;

Deno.test("conv-based gradients equal tfjs cpu's Conv2DBackprop* kernels (all cases, on cpu)", async () => {
  await initBackend("cpu");
  const before = tf.memory().numTensors;
  for (const [i, c] of CASES.entries()) {
    const d = caseData(c, 100 + 10 * i);
    const [refDx, refDw] = await gradsOnCurrentBackend(c, d);
    const [dx, dw] = await gradsViaConv(c, d);
    assert.ok(relMaxDiff(dx, refDx) < TOL, `${c.name}: dx rel diff ${relMaxDiff(dx, refDx)}`);
    assert.ok(relMaxDiff(dw, refDw) < TOL, `${c.name}: dW rel diff ${relMaxDiff(dw, refDw)}`);
  }
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("im2col filter gradient equals tfjs cpu's Conv2DBackpropFilter (all cases, on cpu)", async () => {
  await initBackend("cpu");
  const before = tf.memory().numTensors;
  for (const [i, c] of CASES.entries()) {
    const d = caseData(c, 150 + 10 * i);
    const [, refDw] = await gradsOnCurrentBackend(c, d);
    const [, dw] = await gradsViaConv(c, d, "im2col");
    assert.ok(relMaxDiff(dw, refDw) < TOL, `${c.name}: dW rel diff ${relMaxDiff(dw, refDw)}`);
  }
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("registerConvGradKernels installs the chosen kernels and names them", async () => {
  await initBackend("cpu");
  const own = tf.getKernel("Conv2DBackpropFilter", "cpu");
  const ownInput = tf.getKernel("Conv2DBackpropInput", "cpu");
  assert.ok(own !== undefined && ownInput !== undefined);
  try {
    assert.deepEqual(registerConvGradKernels("cpu", CONV_GRAD_CHOICES.webgpu), [
      "Conv2DBackpropFilter",
    ]);
    assert.notEqual(tf.getKernel("Conv2DBackpropFilter", "cpu")?.kernelFunc, own.kernelFunc);
    assert.equal(tf.getKernel("Conv2DBackpropInput", "cpu")?.kernelFunc, ownInput.kernelFunc);
    assert.ok(!hasConvGradKernels("cpu"));
    // the registered im2col kernel gives tf.grads' filter gradient
    const c = CASES[1];
    const d = caseData(c, 7);
    const [, dw] = await gradsOnCurrentBackend(c, d);
    const [, ref] = await gradsViaConv(c, d, "via-conv");
    assert.ok(relMaxDiff(dw, ref) < TOL);
    registerConvGradKernels("cpu", CONV_GRAD_CHOICES.wasm);
    assert.ok(hasConvGradKernels("cpu"));
  } finally {
    for (const k of [own, ownInput]) {
      tf.unregisterKernel(k.kernelName, "cpu");
      tf.registerKernel(k);
    }
  }
  assert.equal(tf.getKernel("Conv2DBackpropFilter", "cpu")?.kernelFunc, own.kernelFunc);
});

Deno.test("wasm conv-gradient kernels match the cpu backend (tf.grads, all cases)", async () => {
  const cases = CASES.map((c, i) => ({ c, d: caseData(c, 200 + 10 * i) }));
  await initBackend("cpu");
  const ref: [Float32Array, Float32Array][] = [];
  for (const { c, d } of cases) ref.push(await gradsOnCurrentBackend(c, d));

  const info = await initBackend("wasm");
  assert.deepEqual(info.customKernels, ["Conv2DBackpropFilter", "Conv2DBackpropInput"]);
  assert.ok(hasConvGradKernels("wasm"));
  const before = tf.memory().numTensors;
  for (const [i, { c, d }] of cases.entries()) {
    const [dx, dw] = await gradsOnCurrentBackend(c, d);
    assert.ok(
      relMaxDiff(dx, ref[i][0]) < TOL,
      `${c.name}: dx rel diff ${relMaxDiff(dx, ref[i][0])}`,
    );
    assert.ok(
      relMaxDiff(dw, ref[i][1]) < TOL,
      `${c.name}: dW rel diff ${relMaxDiff(dw, ref[i][1])}`,
    );
  }
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("wasm gradients equal hand-derived sums (3x3 filter grad, stride-2 input grad)", async () => {
  await initBackend("wasm");
  // x[i,j] = 4i + j + 1 on a 1x4x4x1 grid, 3x3 'valid' conv (2x2 output), dy = ones:
  // dW[kh,kw] = sum_{oh,ow in {0,1}} (4(oh+kh) + (ow+kw) + 1) = 16 kh + 4 kw + 14.
  const x = tf.tensor4d(Array.from({ length: 16 }, (_, i) => i + 1), [1, 4, 4, 1]);
  const dy = tf.ones([1, 2, 2, 1]) as Tensor4D;
  const dw = await take(
    tf.engine().runKernel("Conv2DBackpropFilter", { x, dy }, {
      strides: [1, 1],
      pad: "valid",
      dataFormat: "NHWC",
      filterShape: [3, 3, 1, 1],
    }) as tf.Tensor,
  );
  assert.deepEqual([...dw], [14, 18, 22, 30, 34, 38, 46, 50, 54]);
  // W[kh,kw] = 3kh + kw + 1 (1..9), 3x3 input, stride 2, pad 1 (2x2 output), dy = [[1,0],[0,0]]:
  // dx[ih,iw] = W[ih+1, iw+1] where 0 <= ih+1, iw+1 <= 2, i.e. [[5,6,0],[8,9,0],[0,0,0]].
  const w = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3, 1, 1]);
  const dy2 = tf.tensor4d([1, 0, 0, 0], [1, 2, 2, 1]);
  const dx = await take(tf.conv2dTranspose(dy2, w, [1, 3, 3, 1], 2, 1));
  assert.deepEqual([...dx], [5, 6, 0, 8, 9, 0, 0, 0, 0]);
  tf.dispose([x, dy, w, dy2]);
});

Deno.test("conv-gradient functions reject mismatched dy shapes", async () => {
  await initBackend("cpu");
  const x = tf.zeros([2, 5, 5, 3]) as Tensor4D;
  const dy = tf.zeros([2, 4, 4, 6]) as Tensor4D;
  const w = tf.zeros([3, 3, 3, 6]) as Tensor4D;
  assert.throws(
    () => conv2dBackpropFilterViaConv(x, dy, [3, 3, 3, 6], 1, 1),
    /dy shape \[2,4,4,6\] does not match the convolution output \[2,5,5,6\]/,
  );
  assert.throws(
    () => conv2dBackpropFilterIm2col(x, dy, [3, 3, 3, 6], 1, 1),
    /dy shape \[2,4,4,6\] does not match the convolution output \[2,5,5,6\]/,
  );
  assert.throws(
    () => conv2dBackpropInputViaConv([2, 5, 5, 3], dy, w, 1, 1),
    /dy shape \[2,4,4,6\] does not match/,
  );
  assert.throws(() => conv2dBackpropInputViaConv([2, 5, 5], dy, w, 1, 1), /xShape must be a 4-D/);
  tf.dispose([x, dy, w]);
});
