/**
 * Reading and writing the safetensors checkpoint format (float32 tensors only), byte-compatible
 * with the Python `safetensors` library so that PyTorch can load our checkpoints:
 *
 * - 8 bytes: little-endian unsigned 64-bit length `n` of the JSON header;
 * - `n` bytes: compact JSON `{"__metadata__": {..}, name: {"dtype", "shape", "data_offsets"}, ..}`
 *   padded with spaces to a multiple of 8 bytes;
 * - the tensor bytes, row-major little-endian, in the header's order (names sorted bytewise, as
 *   the Python library sorts them), `data_offsets` relative to the end of the header.
 *
 * @module
 */
import { writeFileAtomic } from "../reporting/atomic.ts";

/** A named tensor's shape and row-major float32 values (PyTorch layout in checkpoints). */
export interface NamedTensor {
  /** dimensions, outermost first */
  shape: number[];
  /** row-major values; length = product of `shape` */
  data: Float32Array;
}

/** Contents of a safetensors file. */
export interface SafetensorsContent {
  /** tensors by name, in file order */
  tensors: Map<string, NamedTensor>;
  /** the `__metadata__` string map (empty when absent) */
  metadata: Record<string, string>;
}

const _MAX_HEADER_BYTES = 100_000_000;
const _LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Compares two strings by their UTF-8 bytes (the order Rust's `String::cmp` gives). */
function _byteCompare(a: string, b: string): number {
  const enc = new TextEncoder();
  const x = enc.encode(a);
  const y = enc.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    if (x[i] !== y[i]) return x[i] - y[i];
  }
  return x.length - y.length;
}

function _numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function _validateTensor(name: string, t: NamedTensor): void {
  if (name === "__metadata__" || name.length === 0) {
    throw new Error(`safetensors: invalid tensor name ${JSON.stringify(name)}`);
  }
  if (!(t.data instanceof Float32Array)) {
    throw new Error(
      `safetensors: tensor "${name}" must hold a Float32Array (only F32 is supported)`,
    );
  }
  for (const d of t.shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new RangeError(
        `safetensors: tensor "${name}" has invalid shape [${t.shape}] (dims must be integers >= 0)`,
      );
    }
  }
  const n = _numel(t.shape);
  if (n !== t.data.length) {
    throw new RangeError(
      `safetensors: tensor "${name}" has shape [${t.shape}] (${n} values) but ${t.data.length} values`,
    );
  }
}

/**
 * Serialises tensors (float32) and optional string metadata to safetensors bytes, in the exact
 * layout the Python library writes (tensors sorted by name, compact JSON, space padding to 8).
 */
export function encodeSafetensors(
  tensors: ReadonlyMap<string, NamedTensor>,
  metadata?: Record<string, string>,
): Uint8Array {
  const names = [...tensors.keys()].sort(_byteCompare);
  const header: Record<string, unknown> = {};
  if (metadata !== undefined && Object.keys(metadata).length > 0) {
    const meta: Record<string, string> = {};
    for (const k of Object.keys(metadata).sort(_byteCompare)) {
      const v = metadata[k];
      if (typeof v !== "string") {
        throw new TypeError(
          `safetensors: metadata value of "${k}" must be a string, got ${typeof v}`,
        );
      }
      meta[k] = v;
    }
    header["__metadata__"] = meta;
  }
  let offset = 0;
  for (const name of names) {
    const t = tensors.get(name)!;
    _validateTensor(name, t);
    const bytes = t.data.length * 4;
    header[name] = { dtype: "F32", shape: [...t.shape], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + padded + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + padded);
  let pos = 8 + padded;
  for (const name of names) {
    const data = tensors.get(name)!.data;
    if (_LITTLE_ENDIAN) {
      out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), pos);
      pos += data.byteLength;
    } else {
      for (let i = 0; i < data.length; i++, pos += 4) view.setFloat32(pos, data[i], true);
    }
  }
  return out;
}

/**
 * Parses safetensors bytes. `source` names the file in error messages. Throws an `Error` naming
 * `source` when the bytes are truncated, the header is not valid JSON, offsets are inconsistent,
 * or a tensor is not F32.
 */
export function decodeSafetensors(bytes: Uint8Array, source = "<bytes>"): SafetensorsContent {
  const fail = (why: string): never => {
    throw new Error(`safetensors: cannot read ${source}: ${why}`);
  };
  if (bytes.length < 8) {
    fail(`file is ${bytes.length} bytes, shorter than the 8-byte header length`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n64 = view.getBigUint64(0, true);
  if (n64 > BigInt(Math.min(_MAX_HEADER_BYTES, bytes.length - 8))) {
    fail(`header length ${n64} exceeds the file (${bytes.length} bytes)`);
  }
  const n = Number(n64);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    fail(`header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) {
    fail("header is not a JSON object");
  }
  const dataStart = 8 + n;
  const dataLen = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const entries: [string, number[], number, number][] = [];
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === "__metadata__") {
      if (info === null || typeof info !== "object" || Array.isArray(info)) {
        fail("__metadata__ is not an object");
      }
      for (const [k, v] of Object.entries(info as Record<string, unknown>)) {
        if (typeof v !== "string") fail(`__metadata__ value of "${k}" is not a string`);
        metadata[k] = v as string;
      }
      continue;
    }
    const ti = info as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (ti === null || typeof ti !== "object") fail(`entry "${name}" is not an object`);
    if (ti.dtype !== "F32") {
      fail(`tensor "${name}" has dtype ${JSON.stringify(ti.dtype)}; only F32 is supported`);
    }
    const shape = ti.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      fail(`tensor "${name}" has an invalid shape ${JSON.stringify(shape)}`);
    }
    const off = ti.data_offsets;
    if (
      !Array.isArray(off) || off.length !== 2 || !off.every((d) => Number.isInteger(d) && d >= 0)
    ) {
      fail(`tensor "${name}" has invalid data_offsets ${JSON.stringify(off)}`);
    }
    const [b, e] = off as number[];
    if (b > e || e > dataLen) {
      fail(`tensor "${name}" data_offsets [${b}, ${e}] lie outside the ${dataLen} data bytes`);
    }
    if (e - b !== _numel(shape as number[]) * 4) {
      fail(`tensor "${name}" has shape [${shape}] but ${e - b} bytes`);
    }
    entries.push([name, shape as number[], b, e]);
  }
  entries.sort((x, y) => x[2] - y[2] || x[3] - y[3]);
  let expected = 0;
  for (const [name, , b, e] of entries) {
    if (b !== expected) {
      fail(`tensor "${name}" starts at byte ${b}, expected ${expected} (gap/overlap)`);
    }
    expected = e;
  }
  if (expected !== dataLen) fail(`tensors cover ${expected} bytes but the file holds ${dataLen}`);
  const tensors = new Map<string, NamedTensor>();
  for (const [name, shape, b, e] of entries) {
    const data = new Float32Array((e - b) / 4);
    const base = dataStart + b;
    if (_LITTLE_ENDIAN) {
      new Uint8Array(data.buffer).set(bytes.subarray(base, base + (e - b)));
    } else {
      for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(base + 4 * i, true);
    }
    tensors.set(name, { shape: [...shape], data });
  }
  return { tensors, metadata };
}

/**
 * The exact size in bytes of the safetensors file {@link encodeSafetensors} writes for tensors of
 * these `shapes` and this `metadata`, without building it (header + 4 bytes per value).
 */
export function safetensorsFileSize(
  shapes: ReadonlyMap<string, readonly number[]>,
  metadata?: Record<string, string>,
): number {
  const names = [...shapes.keys()].sort(_byteCompare);
  const header: Record<string, unknown> = {};
  if (metadata !== undefined && Object.keys(metadata).length > 0) {
    const meta: Record<string, string> = {};
    for (const k of Object.keys(metadata).sort(_byteCompare)) meta[k] = metadata[k];
    header["__metadata__"] = meta;
  }
  let offset = 0;
  for (const name of names) {
    const bytes = _numel(shapes.get(name)!) * 4;
    header[name] = {
      dtype: "F32",
      shape: [...shapes.get(name)!],
      data_offsets: [offset, offset + bytes],
    };
    offset += bytes;
  }
  const json = new TextEncoder().encode(JSON.stringify(header)).length;
  return 8 + Math.ceil(json / 8) * 8 + offset;
}

/**
 * Writes a safetensors file atomically (`writeFileAtomic` of `reporting/atomic.ts`: a temporary
 * file `<path>.<pid>.<random>.tmp` in the same folder, then a rename), so readers never see a
 * half-written checkpoint. Returns the bytes written.
 */
export async function writeSafetensors(
  path: string,
  tensors: ReadonlyMap<string, NamedTensor>,
  metadata?: Record<string, string>,
): Promise<Uint8Array> {
  const bytes = encodeSafetensors(tensors, metadata);
  await writeSafetensorsBytes(path, bytes);
  return bytes;
}

/** Writes bytes from {@link encodeSafetensors} to `path` atomically; errors name the path. */
export async function writeSafetensorsBytes(path: string, bytes: Uint8Array): Promise<void> {
  try {
    await writeFileAtomic(path, bytes);
  } catch (e) {
    throw new Error(`safetensors: cannot write ${path}: ${(e as Error).message}`, { cause: e });
  }
}

/** Reads a safetensors file (F32 tensors only); errors name the path. */
export async function readSafetensors(path: string): Promise<SafetensorsContent> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (e) {
    throw new Error(`safetensors: cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
  return decodeSafetensors(bytes, path);
}
