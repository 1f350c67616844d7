import assert from "node:assert/strict";
import {
  describeAdapter,
  isSoftwareAdapter,
  requestWebgpuAdapter,
  webgpuUnavailableReason,
} from "./webgpu_adapter.ts";

Deno.test("requestWebgpuAdapter explains a missing navigator.gpu", async () => {
  await assert.rejects(
    () => requestWebgpuAdapter(null),
    /webgpu backend unavailable: navigator.gpu is undefined/,
  );
  assert.match(
    (await webgpuUnavailableReason(null)) ?? "",
    /navigator.gpu is undefined/,
  );
});

Deno.test("requestWebgpuAdapter explains a null adapter and asks for high performance", async () => {
  const asked: unknown[] = [];
  const gpu = {
    requestAdapter: (o: unknown) => {
      asked.push(o);
      return Promise.resolve(null);
    },
  };
  await assert.rejects(
    () => requestWebgpuAdapter(gpu),
    (e: Error) =>
      e.message.includes("requestAdapter() returned null") &&
      e.message.includes("mesa-vulkan-drivers libvulkan1"),
  );
  assert.deepEqual(asked, [{ powerPreference: "high-performance" }]);
});

Deno.test("requestWebgpuAdapter returns the adapter's info", async () => {
  const info = { vendor: "nvidia", architecture: "hopper", description: "NVIDIA H100" };
  const adapter = { info };
  const got = await requestWebgpuAdapter({ requestAdapter: () => Promise.resolve(adapter) });
  assert.equal(got.adapter, adapter);
  assert.deepEqual(got.info, info);
  assert.equal(
    await webgpuUnavailableReason({ requestAdapter: () => Promise.resolve(adapter) }),
    undefined,
  );
});

Deno.test("describeAdapter formats vendor, architecture and fallback", () => {
  assert.equal(
    describeAdapter({ vendor: "nvidia", architecture: "hopper", description: "NVIDIA H100" }),
    "NVIDIA H100 (vendor nvidia, architecture hopper)",
  );
  assert.equal(
    describeAdapter({
      vendor: "65541",
      architecture: "",
      device: "0",
      description: "llvmpipe (LLVM 15.0.6, 256 bits)",
      isFallbackAdapter: true,
    }),
    "llvmpipe (LLVM 15.0.6, 256 bits) (vendor 65541, fallback adapter)",
  );
  assert.equal(describeAdapter({}), "unknown GPU adapter");
});

Deno.test("isSoftwareAdapter: llvmpipe, SwiftShader, the fallback adapter; not a real GPU", () => {
  assert.equal(isSoftwareAdapter({ description: "llvmpipe (LLVM 15.0.6, 256 bits)" }), true);
  assert.equal(isSoftwareAdapter({ device: "SwiftShader Device (Subzero)" }), true);
  assert.equal(isSoftwareAdapter({ description: "NVIDIA H100", isFallbackAdapter: true }), true);
  assert.equal(isSoftwareAdapter({ description: "NVIDIA H100 80GB HBM3", vendor: "4318" }), false);
  assert.equal(isSoftwareAdapter({}), false);
});
