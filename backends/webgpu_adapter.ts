/**
 * WebGPU adapter discovery on Deno's built-in `navigator.gpu`.
 *
 * @module
 */

/** The subset of `GPUAdapterInfo` used to describe a device. */
export interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

interface _GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<unknown>;
}

/**
 * Why no adapter is usable, or `undefined` when one is. Resolves, never rejects.
 *
 * @param gpu the WebGPU entry point (default `navigator.gpu`)
 */
export async function webgpuUnavailableReason(
  gpu: unknown = (globalThis.navigator as { gpu?: unknown } | undefined)?.gpu,
): Promise<string | undefined> {
  try {
    await requestWebgpuAdapter(gpu);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * Requests a high-performance WebGPU adapter.
 *
 * @param gpu the WebGPU entry point (default `navigator.gpu`; `null` means none)
 * @returns the adapter and its info
 * @throws Error saying why when `navigator.gpu` is missing or no adapter is found
 */
export async function requestWebgpuAdapter(
  gpu: unknown = (globalThis.navigator as { gpu?: unknown } | undefined)?.gpu,
): Promise<{ adapter: unknown; info: AdapterInfoLike }> {
  if (gpu === undefined || gpu === null) {
    throw new Error(
      "webgpu backend unavailable: navigator.gpu is undefined in this runtime " +
        "(Deno 2 provides it; use --backend wasm or cpu otherwise)",
    );
  }
  const adapter = await (gpu as _GpuLike).requestAdapter({ powerPreference: "high-performance" });
  if (adapter === null || adapter === undefined) {
    throw new Error(
      "webgpu backend unavailable: navigator.gpu.requestAdapter() returned null (no GPU adapter). " +
        "Install a GPU driver, or for a software adapter Mesa's llvmpipe " +
        "(Debian: apt-get install mesa-vulkan-drivers libvulkan1 libegl-mesa0); " +
        "or use --backend wasm / cpu",
    );
  }
  const info = ((adapter as { info?: AdapterInfoLike }).info ?? {}) as AdapterInfoLike;
  return { adapter, info };
}

/** Names of software rasterisers that present themselves as GPU adapters. */
const _SOFTWARE = /llvmpipe|lavapipe|softpipe|swiftshader|software rasterizer|basic render driver/i;

/**
 * True for a software adapter: the WebGPU fallback adapter, Mesa's llvmpipe / lavapipe /
 * softpipe, SwiftShader or Microsoft's Basic Render Driver. Such an adapter runs the GPU backend on
 * the CPU, far slower than the wasm backend.
 */
export function isSoftwareAdapter(info: AdapterInfoLike): boolean {
  if (info.isFallbackAdapter) return true;
  return [info.description, info.device, info.architecture, info.vendor]
    .some((s) => s !== undefined && _SOFTWARE.test(s));
}

/**
 * A one-line description of an adapter, e.g.
 * `"llvmpipe (LLVM 15.0.6, 256 bits) (vendor 65541, fallback adapter)"`.
 */
export function describeAdapter(info: AdapterInfoLike): string {
  const name = info.description || info.device || "unknown GPU adapter";
  const extra = [
    info.vendor ? `vendor ${info.vendor}` : "",
    info.architecture ? `architecture ${info.architecture}` : "",
    info.isFallbackAdapter ? "fallback adapter" : "",
  ].filter((s) => s !== "");
  return extra.length > 0 ? `${name} (${extra.join(", ")})` : name;
}
