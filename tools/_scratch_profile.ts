import { initBackend } from "../backends/backend.ts";
import { tf } from "../backends/tf.ts";
import { SuperNet } from "../search_spaces/nb201/supernet.ts";
import { samplePaths } from "../search_spaces/nb201/sampling.ts";
import { RandomState } from "../labels/random_state.ts";
import { Sgd } from "../training/sgd.ts";
import { SposStepper } from "../training/step.ts";
import process from "node:process";

const be = Deno.args[0] ?? "wasm";
const info = await initBackend(be);
console.log(info);
const net = new SuperNet({ numClasses: 10, inputSize: 32, seed: 0 });
const sgd = new Sgd(net.params);
const st = new SposStepper(net, sgd);
const rs = new RandomState(1);
const B = 64;
const x = tf.tensor4d(Float32Array.from(rs.standardNormal(B * 32 * 32 * 3)), [B, 32, 32, 3]);
const y = tf.tensor1d(Int32Array.from({ length: B }, () => Math.floor(rs.random() * 10)), "int32");
const prs = new RandomState(7);
for (let i = 0; i < 8; i++) {
  const p = samplePaths(prs, 15);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = st.step(x, y, p, 0.025);
  const l = (await r.loss.data())[0];
  r.loss.dispose();
  r.correct.dispose();
  console.log(
    `step ${i} ${
      (performance.now() - t0).toFixed(1)
    } ms loss ${l} tensors ${tf.memory().numTensors}`,
  );
}
if (Deno.args[1] === "profile") {
  const p = samplePaths(prs, 15);
  const prof = await tf.profile(() => {
    const r = st.step(x, y, p, 0.025);
    r.loss.dispose();
    r.correct.dispose();
  });
  const by = new Map<string, [number, number]>();
  let tot = 0;
  for (const k of prof.kernels) {
    const t = typeof k.kernelTimeMs === "number" ? k.kernelTimeMs : 0;
    tot += t;
    const e = by.get(k.name) ?? [0, 0];
    e[0] += t;
    e[1]++;
    by.set(k.name, e);
  }
  const rows = [...by].sort((a, b) => b[1][0] - a[1][0]);
  console.log(`total kernel ms ${tot.toFixed(1)}, kernels ${prof.kernels.length}`);
  for (const [n, [t, c]] of rows.slice(0, 30)) {
    console.log(`${n.padEnd(28)} ${t.toFixed(1).padStart(8)} ms  ${String(c).padStart(5)} calls`);
  }
}
