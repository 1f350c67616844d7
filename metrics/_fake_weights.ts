/**
 * Synthetic `TinyNetworkSPOS` checkpoints (official parameter names and PyTorch shapes) for tests
 * and benchmarks of the angle metric, without building a SuperNet. Private to `metrics/`.
 *
 * @module
 */
import {
  convShape,
  EDGES,
  edgeWeightName,
  type NetLayout,
  OP_CONV1,
  OP_CONV3,
  resnetNames,
} from "./_layout.ts";

/** A generated tensor (mutable shape, like `training/safetensors.ts`'s `NamedTensor`). */
export interface FakeTensor {
  /** PyTorch shape. */
  shape: number[];
  /** Row-major values. */
  data: Float32Array;
}

/** Layout of a TinyNetworkSPOS with stem width `C`, `N` cells per stage and `numClasses`. */
export function fakeLayout(C: number, N: number, numClasses: number): NetLayout {
  const numCells = 3 * N + 2;
  const cellChannels = Array.from(
    { length: numCells },
    (_, k) => k < N ? C : k <= 2 * N ? 2 * C : 4 * C,
  );
  return { C, N, numClasses, numCells, reductionCells: [N, 2 * N + 1], cellChannels };
}

/** Every learnable parameter of the layout: name -> shape (state-dict order). */
export function parameterShapes(l: NetLayout): Map<string, number[]> {
  const { C, numClasses: K } = l;
  const out = new Map<string, number[]>([
    ["stem.0.weight", [C, 3, 3, 3]],
    ["stem.1.weight", [C]],
    ["stem.1.bias", [C]],
  ]);
  for (let k = 0; k < l.numCells; k++) {
    const c = l.cellChannels[k];
    if (k === l.reductionCells[0] || k === l.reductionCells[1]) {
      const cin = c / 2;
      const shapes = [[c, cin, 3, 3], [c], [c], [c, c, 3, 3], [c], [c], [c, cin, 1, 1]];
      resnetNames(k).forEach((n, i) => out.set(n, shapes[i]));
    } else {
      for (let e = 0; e < EDGES.length; e++) {
        for (const op of [OP_CONV1, OP_CONV3]) out.set(edgeWeightName(k, e, op), convShape(c, op));
      }
    }
  }
  out.set("lastact.0.weight", [4 * C]);
  out.set("lastact.0.bias", [4 * C]);
  out.set("classifier.weight", [K, 4 * C]);
  out.set("classifier.bias", [K]);
  return out;
}

/** A seeded uniform generator in [0, 1) (mulberry32). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded standard-normal generator (Box-Muller over {@link mulberry32}). */
export function gaussian(seed: number): () => number {
  const u = mulberry32(seed);
  return () => {
    const r = Math.sqrt(-2 * Math.log(1 - u()));
    return r * Math.cos(2 * Math.PI * u());
  };
}

/**
 * A checkpoint of `layout` whose every parameter value is `value(name, index)`. It also holds BN
 * running statistics (`*.running_mean`, `*.running_var`) filled with huge values, which the angle
 * must ignore.
 */
export function fakeWeights(
  layout: NetLayout,
  value: (name: string, index: number) => number,
): Map<string, FakeTensor> {
  const out = new Map<string, FakeTensor>();
  for (const [name, shape] of parameterShapes(layout)) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = value(name, i);
    out.set(name, { shape, data });
    if (name.endsWith(".op.1.weight") && name.includes(".edges.")) {
      const bn = name.replace(/\.op\.1\.weight$/, ".op.2");
      const c = shape[0];
      out.set(`${bn}.running_mean`, { shape: [c], data: new Float32Array(c).fill(1e6) });
      out.set(`${bn}.running_var`, { shape: [c], data: new Float32Array(c).fill(1e6) });
    }
  }
  out.set("stem.1.running_mean", { shape: [layout.C], data: new Float32Array(layout.C).fill(1e6) });
  return out;
}

/** A checkpoint of i.i.d. N(0, scale²) values from `seed`. */
export function gaussianWeights(
  layout: NetLayout,
  seed: number,
  scale = 1,
): Map<string, FakeTensor> {
  const g = gaussian(seed);
  return fakeWeights(layout, () => scale * g());
}
