import assert from "node:assert/strict";
import { WASM_BINARIES, wasmBinaryDir } from "./wasm_files.ts";

Deno.test("wasmBinaryDir finds all tfjs-backend-wasm binaries as an absolute dir", () => {
  const dir = wasmBinaryDir();
  assert.ok(dir !== undefined);
  assert.ok(dir.startsWith("/") || /^[A-Za-z]:\\/.test(dir), dir);
  assert.ok(dir.endsWith("/") || dir.endsWith("\\"), dir);
  for (const f of WASM_BINARIES) {
    const bytes = Deno.readFileSync(dir + f);
    // Every wasm module starts with the magic "\0asm" and version 1.
    assert.deepEqual([...bytes.subarray(0, 8)], [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0], f);
  }
});

Deno.test("wasmBinaryDir: non-file URLs give undefined, missing binaries name the dir", () => {
  assert.equal(wasmBinaryDir("npm:/@tensorflow/tfjs-backend-wasm@4.22.0/dist/index.js"), undefined);
  const tmp = Deno.makeTempDirSync();
  try {
    assert.throws(
      () => wasmBinaryDir(new URL(`file://${tmp}/entry.js`).href),
      (e: Error) => e.message.includes(tmp) && e.message.includes("tfjs-backend-wasm-simd.wasm"),
    );
  } finally {
    Deno.removeSync(tmp, { recursive: true });
  }
});
