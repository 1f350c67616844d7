import assert from "node:assert/strict";
import { MAX_WASM_THREADS, parseWasmThreads, WASM_THREADS_ENV } from "./wasm_threads.ts";

const _probe = new URL("./_wasm_threads_probe.ts", import.meta.url).pathname;

interface _ProbeResult {
  threads: number;
  fallbackReason: string | null;
  values: Float32Array;
}

/** Runs the probe in its own process; resolving at all means the process exited by itself. */
async function _runProbe(args: string[]): Promise<_ProbeResult> {
  const out = await Deno.makeTempFile({ suffix: ".f32" });
  try {
    const r = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", _probe, "--out", out, ...args],
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(120_000),
    }).output();
    const text = new TextDecoder().decode(r.stdout);
    assert.equal(r.code, 0, text + new TextDecoder().decode(r.stderr));
    const line = JSON.parse(text.trim().split("\n").at(-1)!);
    const values = new Float32Array((await Deno.readFile(out)).buffer);
    assert.equal(values.length, line.values);
    return { threads: line.threads, fallbackReason: line.fallbackReason, values };
  } finally {
    await Deno.remove(out);
  }
}

function _assertClose(a: Float32Array, b: Float32Array): void {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), 1));
  }
  assert.ok(worst <= 1e-5, `largest relative difference ${worst}`);
}

Deno.test("parseWasmThreads: counts, auto, empty, and one-line errors naming the variable", () => {
  assert.equal(parseWasmThreads(undefined), undefined);
  assert.equal(parseWasmThreads(" "), undefined);
  assert.equal(parseWasmThreads("3"), 3);
  assert.equal(parseWasmThreads("auto", 2), 2);
  assert.equal(parseWasmThreads("auto", 64), MAX_WASM_THREADS);
  for (const bad of ["0", "-1", "1.5", "two"]) {
    assert.throws(() => parseWasmThreads(bad), (e: Error) => e.message.includes(WASM_THREADS_ENV));
  }
});

Deno.test("threaded wasm: conv forward and both gradients equal the single-threaded build; the process exits", async () => {
  const single = await _runProbe(["--threads", "1"]);
  assert.equal(single.threads, 1);
  const threaded = await _runProbe(["--threads", "2"]);
  assert.equal(threaded.fallbackReason, null);
  assert.equal(threaded.threads, 2);
  _assertClose(threaded.values, single.values);
});

Deno.test("threaded wasm: workers that do not start in time fall back, announced, to one thread", async () => {
  const single = await _runProbe(["--threads", "1"]);
  const fallback = await _runProbe(["--threads", "2", "--start-timeout-ms", "1"]);
  assert.equal(fallback.threads, 1);
  assert.ok(fallback.fallbackReason !== null && fallback.fallbackReason.length > 0);
  assert.deepEqual(fallback.values, single.values);
});
