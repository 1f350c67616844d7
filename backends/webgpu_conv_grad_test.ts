import assert from "node:assert/strict";
import { tf } from "./tf.ts";
import { initBackend } from "./backend.ts";
import { relMaxDiff } from "./_test_util.ts";
import { caseData, CASES, gradsOnCurrentBackend } from "./_conv_grad_cases.ts";
import { webgpuUnavailableReason } from "./webgpu_adapter.ts";

// The one allowed conditional skip: without a WebGPU adapter there is nothing to test.
const unavailable = await webgpuUnavailableReason();
if (unavailable !== undefined) {
  console.log(`skipping the webgpu conv-gradient parity test: ${unavailable}`);
}

Deno.test({
  name: "webgpu conv gradients match the cpu backend (tf.grads, all cases)",
  ignore: unavailable !== undefined,
  fn: async () => {
    const cases = CASES.map((c, i) => ({ c, d: caseData(c, 300 + 10 * i) }));
    await initBackend("cpu");
    const ref: [Float32Array, Float32Array][] = [];
    for (const { c, d } of cases) ref.push(await gradsOnCurrentBackend(c, d));

    const info = await initBackend("webgpu");
    assert.equal(tf.getBackend(), "webgpu");
    assert.ok(info.device.length > 0);
    assert.deepEqual(info.customKernels, ["Conv2DBackpropFilter(im2col)", "upload(writeBuffer)"]);
    const before = tf.memory().numTensors;
    for (const [i, { c, d }] of cases.entries()) {
      const [dx, dw] = await gradsOnCurrentBackend(c, d);
      const ex = relMaxDiff(dx, ref[i][0]);
      const ew = relMaxDiff(dw, ref[i][1]);
      assert.ok(ex < 1e-4, `${c.name}: dx rel diff ${ex}`);
      assert.ok(ew < 1e-4, `${c.name}: dW rel diff ${ew}`);
    }
    assert.equal(tf.memory().numTensors, before);
  },
});
