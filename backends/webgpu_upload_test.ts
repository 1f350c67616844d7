import assert from "node:assert/strict";
import { gpuUploadView, useWriteBufferUploads } from "./webgpu_upload.ts";

type _Td = {
  values?: ArrayLike<number> | null;
  dtype: string;
  shape: number[];
  resource: unknown;
};

function _fakeBackend(tensors: Map<object, _Td>) {
  const writes: { buffer: unknown; data: ArrayBufferView }[] = [];
  const acquired: { size: number; usage: number }[] = [];
  const fallback: object[] = [];
  const backend = {
    tensorMap: { get: (id: object) => tensors.get(id) },
    bufferManager: {
      acquireBuffer: (size: number, usage: number) => {
        acquired.push({ size, usage });
        return { bufferNo: acquired.length };
      },
    },
    queue: {
      writeBuffer: (buffer: unknown, offset: number, data: ArrayBufferView) => {
        assert.equal(offset, 0);
        writes.push({ buffer, data });
      },
    },
    uploadToGPU(id: object) {
      fallback.push(id);
    },
  };
  return { backend, writes, acquired, fallback };
}

Deno.test("useWriteBufferUploads: host data goes through queue.writeBuffer, 4 bytes per element", () => {
  const [f, i, b, c, out, done] = [{}, {}, {}, {}, {}, {}];
  const tensors = new Map<object, _Td>([
    [f, { values: new Float32Array([1.5, -2]), dtype: "float32", shape: [2], resource: null }],
    [i, { values: new Int32Array([7, -8, 9]), dtype: "int32", shape: [3], resource: null }],
    [b, { values: new Uint8Array([1, 0]), dtype: "bool", shape: [2], resource: null }],
    [c, { values: new Float32Array([1, 2]), dtype: "complex64", shape: [1], resource: null }],
    [out, { dtype: "float32", shape: [4], resource: null }],
    [done, { values: null, dtype: "float32", shape: [1], resource: { old: true } }],
  ]);
  const { backend, writes, acquired, fallback } = _fakeBackend(tensors);
  const usage = (globalThis as { GPUBufferUsage?: Record<string, number> }).GPUBufferUsage;
  if (usage === undefined) {
    assert.equal(useWriteBufferUploads(backend), false);
    return;
  }
  assert.ok(useWriteBufferUploads(backend));
  assert.ok(useWriteBufferUploads(backend)); // idempotent
  for (const id of [f, i, b, c, out, done]) backend.uploadToGPU(id);
  assert.deepEqual(writes.map((w) => [...(w.data as Float32Array)]), [[1.5, -2], [7, -8, 9], [
    1,
    0,
  ]]);
  assert.ok(writes[2].data instanceof Int32Array, "bool is stored as int32 on the GPU");
  assert.deepEqual(acquired.map((a) => a.size), [8, 12, 8]);
  for (const a of acquired) assert.equal(a.usage, usage.STORAGE | usage.COPY_SRC | usage.COPY_DST);
  for (const id of [f, i, b]) {
    assert.equal(tensors.get(id)!.values, null);
    assert.notEqual(tensors.get(id)!.resource, null);
  }
  // complex data and tensors without host values take tfjs' own path; uploaded ones are skipped
  assert.deepEqual(fallback, [c, out]);
  assert.deepEqual(tensors.get(done)!.resource, { old: true });
});

Deno.test("useWriteBufferUploads: refuses objects that are not a tfjs webgpu backend", () => {
  assert.equal(useWriteBufferUploads({}), false);
  assert.equal(useWriteBufferUploads(null), false);
  assert.equal(useWriteBufferUploads({ uploadToGPU() {} }), false);
});

Deno.test("gpuUploadView: float32 kept, int32/bool as Int32Array, others rejected", () => {
  const f = new Float32Array([1, 2]);
  assert.equal(gpuUploadView(f, "float32"), f);
  assert.deepEqual([...gpuUploadView([3, 4], "float32")], [3, 4]);
  const v = gpuUploadView(new Uint8Array([1, 0, 1]), "bool");
  assert.ok(v instanceof Int32Array);
  assert.deepEqual([...v], [1, 0, 1]);
  assert.throws(() => gpuUploadView([1], "string"), /unsupported dtype string/);
});
