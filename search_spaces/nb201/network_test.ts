import assert from "node:assert/strict";
import { tf } from "../../backends/tf.ts";
import type { Tensor, Tensor2D, Tensor4D } from "../../backends/tf.ts";
import { RandomState } from "../../labels/random_state.ts";
import {
  countParams,
  crossEntropy,
  paramGrads,
  type ProxyNetworkFactory,
  restoreParams,
  snapshotParams,
} from "../../metrics/proxy_network.ts";
import { nb201FlopsM, nb201ParamsM } from "./cost.ts";
import { createNb201Network, Nb201Network } from "./network.ts";

await tf.setBackend("cpu");

interface Pass {
  logits: number[];
  loss: number;
  grads: Record<string, number[]>;
}

interface Case {
  genotype: number[];
  channels: number;
  cellsPerStage: number;
  seed: number;
  perturbBn: boolean;
  param_names: string[];
  param_shapes: number[][];
  init_first: Record<string, number[]>;
  bn_params?: Record<string, number[]>;
  running_stats: Record<string, number[]>;
  train: Pass;
  eval: Pass;
}

interface Golden {
  numClasses: number;
  inputSize: number;
  batch: number;
  labels: number[];
  cases: Case[];
  param_counts_c16_n5_k10: Record<string, number>;
}

const GOLDEN: Golden = JSON.parse(
  await Deno.readTextFile(
    new URL("../../fixtures/nb201_network/pytorch_golden.json", import.meta.url),
  ),
);

/** x = RandomState(seed).standard_normal(n*s*s*3) as NHWC float32 (numpy reference input). */
function inputBatch(n: number, s: number, seed: number): Tensor4D {
  const z = new RandomState(seed).standardNormal(n * s * s * 3);
  return tf.tensor4d(Float32Array.from(z), [n, s, s, 3]);
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** A tfjs-layout parameter tensor -> PyTorch layout, flattened. */
async function toTorch(kind: string, t: Tensor): Promise<Float32Array> {
  const p = kind === "conv"
    ? tf.transpose(t, [3, 2, 0, 1])
    : kind === "linear"
    ? tf.transpose(t)
    : tf.clone(t);
  const d = await p.data() as Float32Array;
  p.dispose();
  return d;
}

/** Relative difference `max|a - ref| / max(max|ref|, 1e-2)` (the SuperNet test's criterion). */
function relDiff(a: ArrayLike<number>, ref: ArrayLike<number>): number {
  return maxAbsDiff(a, ref) / Math.max(maxAbs(ref), 1e-2);
}

function goldenNet(c: Case): Nb201Network {
  return new Nb201Network(c.genotype, {
    numClasses: GOLDEN.numClasses,
    inputSize: GOLDEN.inputSize,
    channels: c.channels,
    cellsPerStage: c.cellsPerStage,
    seed: c.seed,
  });
}

const _factory: ProxyNetworkFactory<ArrayLike<number>> = createNb201Network;

Deno.test("state-dict names, order, shapes and first init values equal PyTorch's TinyNetwork", async () => {
  for (const c of GOLDEN.cases) {
    const net = _factory(c.genotype, {
      numClasses: GOLDEN.numClasses,
      inputSize: GOLDEN.inputSize,
      channels: c.channels,
      cellsPerStage: c.cellsPerStage,
      seed: c.seed,
    }) as Nb201Network;
    try {
      assert.deepEqual(net.params.map((p) => p.name), c.param_names);
      for (const [k, p] of net.params.entries()) {
        const s = c.param_shapes[k];
        const tfShape = p.kind === "conv"
          ? [s[2], s[3], s[1], s[0]]
          : p.kind === "linear"
          ? [s[1], s[0]]
          : s;
        assert.deepEqual(p.variable.shape, tfShape, p.name);
        assert.equal(`${p.module}.${p.name.split(".").at(-1)}`, p.name);
        const first = (await toTorch(p.kind, p.variable)).subarray(0, 3);
        // the same float64 draw rounded to float32 on each side: equal up to one float32 ulp
        for (const [i, v] of c.init_first[p.name].entries()) {
          assert.ok(
            Math.abs(first[i] - v) <= 1.2e-7 * Math.abs(v),
            `${p.name}[${i}]: ${first[i]} vs ${v}`,
          );
        }
      }
      assert.deepEqual(
        net.layers.map((l) => l.name),
        c.param_names.filter((_n, k) => c.param_shapes[k].length > 1),
      );
      assert.ok(
        net.layers.every((l) => l.kind === (l.name === "classifier.weight" ? "linear" : "conv")),
      );
      assert.deepEqual(net.inputShape, [GOLDEN.inputSize, GOLDEN.inputSize, 3]);
      assert.equal(net.numClasses, GOLDEN.numClasses);
      assert.ok(net.variant.includes(`C=${c.channels} N=${c.cellsPerStage} affine-BN`));
      assert.equal(net.flopsM, undefined); // only known for C=16, N=5
    } finally {
      net.dispose();
    }
  }
});

for (const mode of ["train", "eval"] as const) {
  Deno.test(`${mode} mode: logits, loss and every gradient equal PyTorch (1e-4 relative)`, async () => {
    const x = inputBatch(GOLDEN.batch, GOLDEN.inputSize, 123);
    const worst: string[] = [];
    try {
      for (const c of GOLDEN.cases) {
        const net = goldenNet(c);
        try {
          const byName = new Map(net.params.map((p) => [p.name, p.variable]));
          for (const [name, v] of Object.entries(c.bn_params ?? {})) {
            byName.get(name)!.assign(tf.tensor1d(v));
          }
          if (mode === "eval") {
            assert.equal(Object.keys(c.running_stats).length, net.buffers.size);
            for (const [name, v] of Object.entries(c.running_stats)) {
              net.buffers.get(name)!.assign(tf.tensor1d(v));
            }
          }
          const ref = c[mode];
          let logits: Tensor2D | undefined;
          const { value, grads } = paramGrads(() => {
            logits = tf.keep(net.forward(x, { mode }));
            return crossEntropy(logits, GOLDEN.labels);
          }, net.params);
          const dl = relDiff(await logits!.data(), ref.logits);
          assert.ok(dl <= 1e-4, `${c.genotype} logits rel diff ${dl}`);
          assert.ok(Math.abs((await value.data())[0] - ref.loss) <= 1e-5 * ref.loss);
          let maxRel = 0;
          for (const p of net.params) {
            const g = await toTorch(p.kind, grads.get(p.name)!);
            const r = ref.grads[p.name];
            const d = relDiff(g, r);
            maxRel = Math.max(maxRel, d);
            assert.ok(d <= 1e-4, `${c.genotype} ${p.name}: rel diff ${d}`);
          }
          // the conv of edge 1<-0 of [3,0,0,2,0,1] only feeds none edges: zero gradient
          if (c.genotype.join("") === "300201") {
            assert.equal(maxAbs(ref.grads["cells.0.layers.0.op.1.weight"]), 0);
          }
          worst.push(
            `${c.genotype.join("")}: logits ${dl.toExponential(1)}, grads ${
              maxRel.toExponential(1)
            }`,
          );
          logits!.dispose();
          value.dispose();
          for (const g of grads.values()) g.dispose();
        } finally {
          net.dispose();
        }
      }
    } finally {
      x.dispose();
    }
    console.log(`  ${mode}: max relative differences vs PyTorch: ${worst.join("; ")}`);
  });
}

Deno.test("parameter count (C=16, N=5, 10 classes) equals NB201 params_M and PyTorch's", () => {
  for (const [s, count] of Object.entries(GOLDEN.param_counts_c16_n5_k10)) {
    const g = [...s].map(Number);
    const net = createNb201Network(g, { numClasses: 10, inputSize: 32, seed: 0 });
    try {
      assert.equal(net.numParams, count, s);
      assert.equal(countParams(net), count, s);
      assert.equal(net.numParams / 1e6, nb201ParamsM(g), s);
      assert.equal(net.flopsM, nb201FlopsM(g, { numClasses: 10, inputSize: 32 }));
    } finally {
      net.dispose();
    }
  }
});

/** A 2-class, 8x8 net with C = 2, N = 1 and every op. */
function tinyNet(g: number[] = [3, 1, 2, 4, 3, 3], seed = 4): Nb201Network {
  return new Nb201Network(g, { numClasses: 2, inputSize: 8, channels: 2, cellsPerStage: 1, seed });
}

Deno.test("onReluInput sees every ReLU module (one per conv op, as in PyTorch) in forward order", () => {
  const net = tinyNet([3, 2, 2, 0, 1, 3]);
  const x = inputBatch(2, 8, 1);
  const seen: [string, number[]][] = [];
  try {
    tf.tidy(() =>
      net.forward(x, { mode: "train", onReluInput: (m, t) => seen.push([m, t.shape]) })
    );
    const cell = (k: number, c: number) =>
      [0, 1, 2, 5].map((
        e,
      ): [string, number[]] => [`cells.${k}.layers.${e}.op.0`, [2, 8 / c, 8 / c, 2 * c]]);
    assert.deepEqual(seen, [
      ...cell(0, 1),
      ["cells.1.conv_a.op.0", [2, 8, 8, 2]],
      ["cells.1.conv_b.op.0", [2, 4, 4, 4]],
      ...cell(2, 2),
      ["cells.3.conv_a.op.0", [2, 4, 4, 4]],
      ["cells.3.conv_b.op.0", [2, 2, 2, 8]],
      ...cell(4, 4),
      ["lastact.1", [2, 2, 2, 8]],
    ]);
  } finally {
    x.dispose();
    net.dispose();
  }
});

Deno.test("relu replaces every ReLU: recorded masks reproduce the forward, the hook output is used", async () => {
  const net = tinyNet([3, 2, 2, 0, 1, 3]);
  const x = inputBatch(2, 8, 1);
  const masks = new Map<string, Tensor>();
  const calls: string[] = [];
  try {
    const plain = tf.tidy(() =>
      net.forward(x, {
        mode: "train",
        onReluInput: (m, t) => void masks.set(m, tf.keep(tf.cast(tf.greater(t, 0), "float32"))),
      })
    );
    const frozen = tf.tidy(() =>
      net.forward(x, {
        mode: "train",
        relu: (m, t) => (calls.push(m), tf.mul(t, masks.get(m)!) as Tensor4D),
      })
    );
    assert.deepEqual(await frozen.data(), await plain.data());
    // cell edges from one node share a ReLU: one call per node read by convs, plus the blocks'
    assert.ok(calls.length > 0 && calls.every((m) => masks.has(m)), calls.join(" "));
    assert.ok(calls.includes("lastact.1") && calls.includes("cells.1.conv_a.op.0"));
    // the hook's output is what the network continues with
    const dead = tf.tidy(() => net.forward(x, { mode: "train", relu: (_m, t) => tf.zerosLike(t) }));
    assert.notDeepEqual(await dead.data(), await plain.data());
    for (const t of [plain, frozen, dead]) t.dispose();
  } finally {
    for (const t of masks.values()) t.dispose();
    x.dispose();
    net.dispose();
  }
});
Deno.test("onLayerOutput: every layer once; probe gradients give act*grad = W*dL/dW (fisher)", async () => {
  const net = tinyNet();
  const x = inputBatch(3, 8, 2);
  const labels = [0, 1, 1];
  try {
    // zero probes, one per layer output, from a shape-recording forward
    const shapes = new Map<string, number[]>();
    tf.tidy(() =>
      net.forward(x, { mode: "train", onLayerOutput: (m, y) => void shapes.set(m, y.shape) })
    );
    assert.deepEqual([...shapes.keys()], net.layers.map((l) => l.module));
    const modules = [...shapes.keys()];
    const probes = modules.map((m) => tf.zeros(shapes.get(m)!));
    const acts = new Map<string, Tensor>();
    const plain = tf.tidy(() => crossEntropy(net.forward(x, { mode: "train" }), labels));
    const { value, grads } = tf.valueAndGrads((...ps: Tensor[]) => {
      const logits = net.forward(x, {
        mode: "train",
        onLayerOutput: (m, y) => {
          acts.set(m, tf.keep(y));
          return tf.add(y, ps[modules.indexOf(m)]);
        },
      });
      return crossEntropy(logits, labels);
    })(probes);
    assert.equal((await value.data())[0], (await plain.data())[0]); // zero probes change nothing
    const w = paramGrads(() => crossEntropy(net.forward(x, { mode: "train" }), labels), net.layers);
    for (const [k, l] of net.layers.entries()) {
      // a layer's output is linear in its weight: sum(out * dL/dout) = sum(W * dL/dW) (+ bias term)
      const lhs = tf.tidy(() => {
        const out = l.kind === "linear"
          ? tf.sub(
            acts.get(l.module)!,
            net.params.find((p) => p.name === "classifier.bias")!.variable,
          )
          : acts.get(l.module)!;
        return tf.sum(tf.mul(out, grads[k]));
      });
      const rhs = tf.tidy(() => tf.sum(tf.mul(l.variable, w.grads.get(l.name)!)));
      // float32 sums with cancellation: the error bound scales with the sum of |terms|
      const scale = tf.tidy(() => tf.sum(tf.abs(tf.mul(l.variable, w.grads.get(l.name)!))));
      const [a, b, s] = [(await lhs.data())[0], (await rhs.data())[0], (await scale.data())[0]];
      assert.ok(
        Math.abs(a - b) <= 1e-4 * s + 1e-9,
        `${l.name}: ${a} vs ${b} (sum of |terms| ${s})`,
      );
      tf.dispose([lhs, rhs, scale]);
    }
    tf.dispose([...probes, ...acts.values(), value, plain, ...grads, w.value, ...w.grads.values()]);
  } finally {
    x.dispose();
    net.dispose();
  }
});

Deno.test("batchNorm: false is the identity BN (eval mode with mean 0, var 1 - eps, gamma 1, beta 0)", async () => {
  const net = tinyNet();
  const x = inputBatch(2, 8, 3);
  try {
    const off = net.forward(x, { mode: "train", batchNorm: false });
    for (const [name, v] of net.buffers) {
      if (name.endsWith("running_var")) v.assign(tf.fill(v.shape, 1 - 1e-5));
    }
    const ident = net.forward(x, { mode: "eval" });
    const d = relDiff(await off.data(), await ident.data());
    assert.ok(d < 1e-5, `rel diff ${d}`);
    // and it differs from train-mode BN
    const on = net.forward(x, { mode: "train" });
    assert.ok(relDiff(await on.data(), await off.data()) > 1e-2);
    tf.dispose([off, ident, on]);
  } finally {
    x.dispose();
    net.dispose();
  }
});

Deno.test("onFeatures gives the pre-pool map, onBatchNorm every BN's batch statistics", async () => {
  const net = tinyNet();
  const x = inputBatch(2, 8, 4);
  try {
    let feat: Tensor4D | undefined;
    const bns: string[] = [];
    let stemVar: Tensor | undefined;
    const logits = net.forward(x, {
      mode: "train",
      onFeatures: (f) => void (feat = tf.keep(f)),
      onBatchNorm: (m, s) => {
        bns.push(m);
        if (m === "stem.1") stemVar = tf.keep(s.varUnbiased);
      },
    });
    assert.deepEqual(feat!.shape, [2, 2, 2, 8]);
    const w = net.params.find((p) => p.name === "classifier.weight")!
      .variable as unknown as Tensor2D;
    const b = net.params.find((p) => p.name === "classifier.bias")!.variable;
    const again = tf.tidy(() => tf.add(tf.matMul(tf.mean(feat!, [1, 2]) as Tensor2D, w), b));
    assert.ok(maxAbsDiff(await again.data(), await logits.data()) < 1e-6);
    assert.ok((await feat!.data()).every((v) => v >= 0)); // after the last ReLU
    assert.deepEqual(bns, net.params.filter((p) => p.kind === "bn_weight").map((p) => p.module));
    // the unbiased variance of the stem conv output, computed directly
    const ref = tf.tidy(() => {
      const y = tf.conv2d(x, net.params[0].variable as unknown as Tensor4D, 1, "same");
      return tf.mul(tf.moments(y, [0, 1, 2]).variance, (2 * 64) / (2 * 64 - 1));
    });
    assert.ok(relDiff(await stemVar!.data(), await ref.data()) < 1e-5);
    // eval mode: no batch statistics
    tf.tidy(() => net.forward(x, { mode: "eval", onBatchNorm: () => assert.fail("called") }));
    tf.dispose([feat!, stemVar!, logits, again, ref]);
  } finally {
    x.dispose();
    net.dispose();
  }
});

Deno.test("gradients w.r.t. the input (jacov) and |W| / restore (synflow) work", async () => {
  const net = tinyNet();
  const x = inputBatch(2, 8, 5);
  try {
    const j = tf.grad((xx: Tensor) => tf.sum(net.forward(xx as Tensor4D, { mode: "train" })))(x);
    assert.deepEqual(j.shape, x.shape);
    assert.ok(maxAbs(await j.data()) > 0);
    const before = await net.params[0].variable.data();
    const snap = snapshotParams(net);
    for (const p of net.params) p.variable.assign(tf.abs(p.variable));
    const ones = tf.ones([1, 8, 8, 3]) as Tensor4D;
    const r = net.forward(ones, { mode: "train", batchNorm: false });
    assert.ok((await r.data()).every((v) => v > 0));
    restoreParams(net, snap);
    assert.deepEqual(await net.params[0].variable.data(), before);
    tf.dispose([j, ones, r]);
  } finally {
    x.dispose();
    net.dispose();
  }
});

Deno.test("tensor count is flat across building / disposing 10 networks and across forwards", () => {
  const x = inputBatch(2, 8, 6);
  const start = tf.memory().numTensors;
  for (let s = 0; s < 10; s++) {
    const net = tinyNet([3, 0, 4, 2, 1, 0], s);
    net.forward(x, { mode: s % 2 === 0 ? "train" : "eval" }).dispose();
    net.dispose();
  }
  assert.equal(tf.memory().numTensors, start);
  const net = tinyNet();
  try {
    const mid = tf.memory().numTensors;
    for (let s = 0; s < 3; s++) {
      const opts = {
        onReluInput: () => {},
        onLayerOutput: (_m: string, y: Tensor) => tf.mul(y, 1),
        onFeatures: () => {},
        onBatchNorm: () => {},
      };
      net.forward(x, { mode: "train", ...opts }).dispose();
      net.forward(x, { mode: "eval", batchNorm: false, ...opts }).dispose();
      const { value, grads } = paramGrads(
        () => crossEntropy(net.forward(x, { mode: "train", ...opts }), [0, 1]),
        net.params,
      );
      tf.dispose([value, ...grads.values()]);
      tf.grad((xx: Tensor) => tf.sum(net.forward(xx as Tensor4D, { mode: "train" })))(x).dispose();
    }
    assert.equal(tf.memory().numTensors, mid);
  } finally {
    net.dispose();
    x.dispose();
  }
  assert.equal(tf.memory().numTensors, start - 1);
});

Deno.test("invalid arguments are refused", () => {
  const opts = { numClasses: 10, inputSize: 32, seed: 0 };
  assert.throws(() => new Nb201Network([0, 1, 2, 3, 4], opts), RangeError);
  assert.throws(() => new Nb201Network([0, 1, 2, 3, 4, 5], opts), RangeError);
  assert.throws(
    () => new Nb201Network([1, 1, 1, 1, 1, 1], { ...opts, inputSize: 30 }),
    /inputSize/,
  );
  assert.throws(
    () => new Nb201Network([1, 1, 1, 1, 1, 1], { ...opts, numClasses: 0 }),
    /numClasses/,
  );
  assert.throws(() => new Nb201Network([1, 1, 1, 1, 1, 1], { ...opts, channels: 1.5 }), /channels/);
  assert.throws(
    () => new Nb201Network([1, 1, 1, 1, 1, 1], { ...opts, cellsPerStage: 0 }),
    /cellsPerStage/,
  );
  assert.throws(() => new Nb201Network([1, 1, 1, 1, 1, 1], { ...opts, seed: -1 }));
  const net = tinyNet();
  const x = inputBatch(1, 16, 0);
  try {
    assert.throws(() => net.forward(x, { mode: "train" }), /shape/);
    assert.throws(
      () => net.forward(x, { mode: "test" as unknown as "train" }),
      /mode must be "train" or "eval"/,
    );
  } finally {
    x.dispose();
    net.dispose();
  }
  assert.throws(() => net.forward(x, { mode: "eval" }), /disposed/);
});
