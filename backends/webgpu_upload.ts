/**
 * Faster host-to-GPU uploads for tfjs-backend-webgpu under Deno.
 *
 * tfjs 4.22 uploads every tensor created from host data (input batches, labels, masks, the
 * scalar constants of ops like `tf.mul(x, 2)`) by writing it into a buffer created with
 * `mappedAtCreation` and `getMappedRange()`. In Deno's WebGPU, `getMappedRange` costs about as
 * much per byte as a slow copy: a CPU profile of `deno task perf --backend webgpu` on an H100 spent
 * 39 % of the run in it (about 28 ms for one 786 KB input batch). `GPUQueue.writeBuffer`, which
 * tfjs itself uses for its uniforms, copies the bytes directly. {@link useWriteBufferUploads}
 * replaces the backend's `uploadToGPU` by a version that writes with `queue.writeBuffer`.
 *
 * Ordering is the same as tfjs': a buffer is only returned to tfjs' pool after the command
 * encoder that used it was submitted, and `writeBuffer` is ordered on the queue after every
 * earlier submission and before the pending encoder's commands, which read the new data.
 *
 * @module
 */

/** The parts of tfjs-backend-webgpu's `WebGPUBackend` this module touches. */
interface _TensorData {
  values?: ArrayLike<number> | null;
  dtype: string;
  shape: number[];
  resource: unknown;
}

interface _WebgpuBackendLike {
  tensorMap: { get(dataId: object): _TensorData | undefined };
  bufferManager: { acquireBuffer(size: number, usage: number): unknown };
  queue: { writeBuffer(buffer: unknown, offset: number, data: ArrayBufferView): void };
  uploadToGPU(dataId: object): void;
}

const _PATCHED = Symbol.for("rlnas-bench.writeBufferUploads");

function _isWebgpuBackend(b: unknown): b is _WebgpuBackendLike {
  const o = b as Partial<_WebgpuBackendLike> | null;
  return o !== null && typeof o === "object" && typeof o.uploadToGPU === "function" &&
    typeof o.queue?.writeBuffer === "function" &&
    typeof o.bufferManager?.acquireBuffer === "function" &&
    typeof o.tensorMap?.get === "function";
}

/** The bytes tfjs-webgpu keeps on the GPU for host `values` of `dtype` (4 bytes per element). */
export function gpuUploadView(values: ArrayLike<number>, dtype: string): Float32Array | Int32Array {
  if (dtype === "float32") {
    return values instanceof Float32Array ? values : Float32Array.from(values);
  }
  if (dtype === "int32" || dtype === "bool") {
    return values instanceof Int32Array ? values : Int32Array.from(values);
  }
  throw new TypeError(`webgpu upload: unsupported dtype ${dtype}`);
}

/**
 * Makes `backend` (a tfjs `WebGPUBackend`, e.g. `tf.backend()` after `tf.setBackend("webgpu")`)
 * upload host data with `queue.writeBuffer`. Idempotent; returns false (and changes nothing)
 * when `backend` does not look like tfjs-backend-webgpu 4.x.
 */
export function useWriteBufferUploads(backend: unknown): boolean {
  if (!_isWebgpuBackend(backend)) return false;
  const b = backend as _WebgpuBackendLike & { [_PATCHED]?: true };
  if (b[_PATCHED]) return true;
  const g = globalThis as { GPUBufferUsage?: Record<string, number> };
  const u = g.GPUBufferUsage;
  if (u === undefined) return false;
  const usage = u.STORAGE | u.COPY_SRC | u.COPY_DST;
  const original = b.uploadToGPU.bind(b);
  b.uploadToGPU = (dataId: object): void => {
    const td = b.tensorMap.get(dataId);
    if (td === undefined || td.resource != null) return;
    const supported = td.dtype === "float32" || td.dtype === "int32" || td.dtype === "bool";
    if (td.values == null || !supported || td.values.length === 0) {
      original(dataId);
      return;
    }
    const data = gpuUploadView(td.values, td.dtype);
    const buffer = b.bufferManager.acquireBuffer(data.byteLength, usage);
    b.queue.writeBuffer(buffer, 0, data);
    td.values = null; // as tfjs: once uploaded, the values live on the GPU only
    td.resource = buffer;
  };
  b[_PATCHED] = true;
  return true;
}
