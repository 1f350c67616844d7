import assert from "node:assert/strict";
import { UsageError } from "./args.ts";
import { main, measurementRow, parsePerfArgs } from "./perf.ts";
import {
  CONV3_GENOTYPE,
  parseProxies,
  parseTorchProxyResult,
  proxyGenotypes,
  proxyMeasurement,
  proxyNames,
  proxyPerfBatch,
  torchProxyArgs,
  torchProxyMeasurements,
} from "./perf_proxies.ts";

Deno.test("proxyNames / parseProxies: registry names that need only network, batch, seed", () => {
  const names = proxyNames();
  for (const n of ["synflow", "snip", "nwot"]) assert.ok(names.includes(n), n);
  assert.ok(!names.includes("angle"));
  assert.deepEqual(parseProxies(["snip", "nwot", "snip"]), ["snip", "nwot"]);
  assert.throws(
    () => parseProxies(["snip", "bogus"]),
    (e: Error) =>
      e instanceof UsageError && /unknown proxy 'bogus', valid: .*synflow/.test(e.message),
  );
  assert.throws(() => parseProxies(["angle"]), UsageError);
});

Deno.test("parsePerfArgs: --proxies, --proxy-archs, --only proxies", () => {
  const d = parsePerfArgs([]);
  assert.deepEqual(d.proxies, []);
  assert.equal(d.proxyArchs, 8);
  assert.equal(d.onlyProxies, false);
  const o = parsePerfArgs([
    "--proxies",
    "synflow,snip",
    "--proxies",
    "nwot",
    "--proxy-archs",
    "3",
    "--only",
    "proxies",
  ]);
  assert.deepEqual(o.proxies, ["synflow", "snip", "nwot"]);
  assert.equal(o.proxyArchs, 3);
  assert.equal(o.onlyProxies, true);
  assert.throws(() => parsePerfArgs(["--only", "proxies"]), /--only needs --proxies/);
  assert.throws(() => parsePerfArgs(["--proxy-archs", "2"]), /--proxy-archs needs --proxies/);
  assert.throws(() => parsePerfArgs(["--proxies", "snip", "--only", "train"]), UsageError);
  assert.throws(() => parsePerfArgs(["--proxies", "snip", "--proxy-archs", "0"]), UsageError);
});

Deno.test("main: an unknown proxy exits 2 naming the valid ones", async () => {
  const err = console.error;
  const out: string[] = [];
  console.error = (s: string) => out.push(s);
  try {
    assert.equal(await main(["--proxies", "nope"]), 2);
  } finally {
    console.error = err;
  }
  assert.match(out[0], /^error: --proxies: unknown proxy 'nope', valid: .*snip.*nwot/);
});

Deno.test("proxyGenotypes: all-conv3x3 first, then fixed RandomState draws", () => {
  const a = proxyGenotypes(0, 5);
  assert.equal(a.length, 5);
  assert.deepEqual(a[0], CONV3_GENOTYPE);
  assert.deepEqual(proxyGenotypes(0, 5), a);
  assert.notDeepEqual(proxyGenotypes(1, 5), a);
  assert.deepEqual(proxyGenotypes(0, 1), [CONV3_GENOTYPE]);
  for (const g of a) assert.ok(g.every((op) => Number.isInteger(op) && op >= 0 && op <= 4));
});

Deno.test("proxyPerfBatch: numpy RandomState(seed + 1) images, then labels floor(10 * random)", () => {
  const b = proxyPerfBatch(0, 64);
  assert.equal(b.x.length, 64 * 32 * 32 * 3);
  assert.equal(b.count, 64);
  assert.equal(b.side, 32);
  // np.random.RandomState(1): standard_normal(64*32*32*3) then floor(10 * random_sample(64))[:8]
  assert.deepEqual(Array.from(b.labels.subarray(0, 8)), [3, 3, 5, 4, 9, 5, 3, 4]);
  // np.random.RandomState(1).standard_normal(2) = [1.62434536, -0.61175641]
  assert.ok(Math.abs(b.x[0] - 1.62434536) < 1e-6 && Math.abs(b.x[1] + 0.61175641) < 1e-6);
});

Deno.test("torchProxyArgs and parseTorchProxyResult: same genotypes and labels, or an error", () => {
  const genotypes = proxyGenotypes(0, 2);
  const args = torchProxyArgs("/r", { names: ["snip"], genotypes, batch: 64, seed: 0, threads: 1 });
  assert.deepEqual(args.slice(0, 4), [
    "/r/tools/pytorch_zero_cost.py",
    "perf",
    "--proxies",
    "snip",
  ]);
  assert.equal(args[5], genotypes.map((g) => g.join("")).join(","));
  assert.deepEqual(args.slice(-2), ["--threads", "1"]);
  const r = {
    torch_version: "1.13",
    device: "cpu",
    device_name: "cpu x",
    threads: 1,
    batch: 2,
    seed: 0,
    labels: [1, 2],
    genotypes,
    times_ms: { snip: [10, 30] },
    cpu_ms: { snip: [9, 29] },
    scores: { snip: [1, 2] },
  };
  const expect = { names: ["snip"], genotypes, labels: [1, 2] };
  const ok = parseTorchProxyResult(`noise\n${JSON.stringify(r)}\n`, expect);
  assert.deepEqual(ok.times_ms.snip, [10, 30]);
  assert.throws(
    () => parseTorchProxyResult(JSON.stringify(r), { ...expect, labels: [1, 3] }),
    /labels/,
  );
  assert.throws(
    () => parseTorchProxyResult(JSON.stringify(r), { ...expect, genotypes: proxyGenotypes(1, 2) }),
    /genotypes/,
  );
  assert.throws(
    () => parseTorchProxyResult(JSON.stringify(r), { ...expect, names: ["nwot"] }),
    /nwot/,
  );
  assert.throws(() => parseTorchProxyResult("no json", expect), /no JSON/);
  const [m] = torchProxyMeasurements(ok, genotypes);
  assert.equal(m.method, "proxy_snip");
  assert.equal(m.backend, "pytorch-cpu");
  assert.equal(m.timing.median, 20);
  assert.equal(m.cpuMs, 19);
});

Deno.test("proxyMeasurement: a proxy_<name> row with the median and the ratio to PyTorch", () => {
  const batch = proxyPerfBatch(0, 4);
  const m = proxyMeasurement("nwot", [30, 10, 20], [1, 2, 3], {
    genotypes: proxyGenotypes(0, 3),
    batch,
    seed: 0,
    backend: "wasm",
    device: "cpu x",
    threads: 1,
  });
  m.torch = { ms: 10, device: "cpu x", version: "1.13", threads: 1 };
  const row = measurementRow(m, "1 / 2");
  assert.equal(row.method, "proxy_nwot");
  assert.equal(row.batch, 4);
  assert.equal(row.steps, 3);
  assert.equal(row.ms_median, 20);
  assert.equal(row.cpu_ms_median, 2);
  assert.equal(row.ratio_vs_pytorch, 2);
  assert.equal(row.pytorch_ms, 10);
});
