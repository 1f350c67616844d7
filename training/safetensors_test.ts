import assert from "node:assert/strict";
import {
  decodeSafetensors,
  encodeSafetensors,
  type NamedTensor,
  readSafetensors,
  safetensorsFileSize,
  writeSafetensors,
} from "./safetensors.ts";

const FIXTURE = new URL("../fixtures/safetensors/reference.safetensors", import.meta.url);

/** The tensors of fixtures/safetensors/make_reference.py: value i = float32((i - 2.5) / 3). */
const REF_SHAPES: Record<string, number[]> = {
  "stem.0.weight": [2, 1, 3, 3],
  "cells.2.edges.1<-0.2.op.1.weight": [3, 2],
  "cells.10.edges.1<-0.3.op.1.weight": [2, 2, 1, 1],
  "a": [],
  "classifier.bias": [5],
  "empty": [0, 3],
};
const REF_METADATA = { format: "pt", epoch: "0", note: "rlnas \u00e9" };

function refTensors(): Map<string, NamedTensor> {
  const m = new Map<string, NamedTensor>();
  for (const [name, shape] of Object.entries(REF_SHAPES)) {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = (i - 2.5) / 3;
    m.set(name, { shape, data });
  }
  return m;
}

Deno.test("encodeSafetensors reproduces the bytes of the python reference writer", async () => {
  const expected = await Deno.readFile(FIXTURE);
  const got = encodeSafetensors(refTensors(), REF_METADATA);
  assert.deepEqual(got, expected);
});

Deno.test("readSafetensors decodes the python reference file", async () => {
  const { tensors, metadata } = await readSafetensors(FIXTURE.pathname);
  assert.deepEqual(metadata, REF_METADATA);
  // file order = bytewise-sorted names ("cells.10" < "cells.2")
  assert.deepEqual([...tensors.keys()], [
    "a",
    "cells.10.edges.1<-0.3.op.1.weight",
    "cells.2.edges.1<-0.2.op.1.weight",
    "classifier.bias",
    "empty",
    "stem.0.weight",
  ]);
  const ref = refTensors();
  for (const [name, t] of tensors) {
    assert.deepEqual(t.shape, ref.get(name)!.shape, name);
    assert.deepEqual(t.data, ref.get(name)!.data, name);
  }
  // hand check of one value: (4 - 2.5) / 3 = 0.5
  assert.equal(tensors.get("classifier.bias")!.data[4], 0.5);
});

Deno.test("writeSafetensors/readSafetensors round trip, atomic (no temp file left)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/ckpt.safetensors`;
    const t = new Map<string, NamedTensor>([
      ["z", { shape: [2, 2], data: new Float32Array([1, -2, 3.25, Number.MAX_VALUE]) }],
      ["y", { shape: [1], data: new Float32Array([-0]) }],
    ]);
    await writeSafetensors(path, t);
    const { tensors, metadata } = await readSafetensors(path);
    assert.deepEqual(metadata, {});
    assert.deepEqual([...tensors.keys()], ["y", "z"]);
    assert.deepEqual(tensors.get("z")!.data, new Float32Array([1, -2, 3.25, Infinity]));
    assert.ok(Object.is(tensors.get("y")!.data[0], -0));
    const names = [];
    for await (const e of Deno.readDir(dir)) names.push(e.name);
    assert.deepEqual(names, ["ckpt.safetensors"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("corrupt or unsupported files give errors naming the path", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const good = await Deno.readFile(FIXTURE);
    const cases: [string, Uint8Array, RegExp][] = [
      ["short.safetensors", good.subarray(0, 5), /shorter than the 8-byte/],
      ["trunc.safetensors", good.subarray(0, good.length - 4), /lie outside the 132 data bytes/],
      ["hdr.safetensors", good.subarray(0, 100), /header length/],
    ];
    const badJson = good.slice();
    badJson[8] = 0x5b; // '[' -> not an object / invalid JSON
    cases.push(["json.safetensors", badJson, /header is not/]);
    const f16 = new TextEncoder().encode(
      JSON.stringify({ w: { dtype: "F16", shape: [2], data_offsets: [0, 4] } }).padEnd(64, " "),
    );
    const f16File = new Uint8Array(8 + f16.length + 4);
    new DataView(f16File.buffer).setBigUint64(0, BigInt(f16.length), true);
    f16File.set(f16, 8);
    cases.push(["f16.safetensors", f16File, /dtype "F16"; only F32/]);
    for (const [name, bytes, re] of cases) {
      const path = `${dir}/${name}`;
      await Deno.writeFile(path, bytes);
      await assert.rejects(readSafetensors(path), (e: Error) => {
        assert.match(e.message, re);
        assert.ok(e.message.includes(path), e.message);
        return true;
      });
    }
    await assert.rejects(readSafetensors(`${dir}/missing.safetensors`), /missing\.safetensors/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("encodeSafetensors rejects shape/data mismatches", () => {
  assert.throws(
    () => encodeSafetensors(new Map([["w", { shape: [2, 3], data: new Float32Array(5) }]])),
    /"w" has shape \[2,3\] \(6 values\) but 5 values/,
  );
  assert.throws(
    () => decodeSafetensors(new Uint8Array(3), "x.bin"),
    /cannot read x\.bin/,
  );
});

Deno.test("safetensorsFileSize is the size of the python reference file", async () => {
  const shapes = new Map(Object.entries(REF_SHAPES));
  assert.equal(safetensorsFileSize(shapes, REF_METADATA), (await Deno.readFile(FIXTURE)).length);
  assert.equal(safetensorsFileSize(new Map()), encodeSafetensors(new Map()).length);
});

Deno.test("writeSafetensors writes through writeFileAtomic: a failed write names the path, leaves no temp file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const t = new Map([["w", { shape: [1], data: new Float32Array([1]) }]]);
    // parent directories are created (writeFileAtomic), the bytes written are returned
    const bytes = await writeSafetensors(`${dir}/sub/a.safetensors`, t);
    assert.deepEqual(bytes, await Deno.readFile(`${dir}/sub/a.safetensors`));
    // a directory in the way of the rename
    await Deno.mkdir(`${dir}/b.safetensors`);
    await assert.rejects(
      writeSafetensors(`${dir}/b.safetensors`, t),
      /safetensors: cannot write .*\/b\.safetensors: /,
    );
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.deepEqual(names, ["b.safetensors", "sub"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
