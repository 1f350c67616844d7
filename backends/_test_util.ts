/**
 * Test helpers shared by the backends tests (not part of the public API).
 *
 * @module
 */
import type { Tensor } from "./tf.ts";

/** Deterministic uniform values in [-1, 1) (mulberry32), so every backend sees the same data. */
export function randomValues(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let a = seed >>> 0;
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

/** max |a - b| and max |b| of two equally long arrays. */
export function maxDiff(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
): { diff: number; scale: number } {
  if (a.length !== b.length) throw new RangeError(`length ${a.length} != ${b.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return { diff, scale };
}

/** max |a - b| / max |b| (0 when both are all zero). */
export function relMaxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const { diff, scale } = maxDiff(a, b);
  return scale === 0 ? diff : diff / scale;
}

/** Reads a tensor's values and disposes it. */
export async function take(t: Tensor): Promise<Float32Array> {
  const v = await t.data() as Float32Array;
  t.dispose();
  return v;
}
