import assert from "node:assert/strict";
import { dataFile, resolveDataDir } from "./data_dir.ts";
import {
  CONVERT_IMAGENET16_TOOL,
  DEFAULT_TARGETS,
  download,
  DownloadError,
  type DownloadTarget,
  EXPORT_NB201_TOOL,
  extractTarGz,
  gunzip,
  manualInstructions,
  OFFICIAL_TARGETS,
  parseTar,
  safeRelativePath,
  sha256Hex,
} from "./download.ts";
import { loadCifar, locateCifar } from "./cifar.ts";

const fixtures = new URL("../fixtures/datasets/", import.meta.url).pathname;
const enc = new TextEncoder();

// Fixtures made with GNU tar 1.35: a directory `d/` with `a.txt` ("hello\n"), `empty.bin` and
// `sub/<120 x "x">.bin` (bytes 0..255 three times), archived with `tar --format=gnu -czf` and
// `tar --format=pax -czf`. Digests from `sha256sum`.
const GNU_SHA256 = "08deb59a5a2ef55a9f78203b1c1a055b787414e7235cb2518815aa8a15213464";
const LONG_NAME = `d/sub/${"x".repeat(120)}.bin`;
const LONG_SHA256 = "f3a25aa93aa2fbba28d79260535bbd6a5eb0fc1c24a8b0f04e12b484c1dfe363";

/** A minimal ustar archive (512-byte headers, octal fields, checksum), for in-memory tests. */
function makeTar(files: { name: string; data: Uint8Array; prefix?: string }[]): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const f of files) {
    const h = new Uint8Array(512);
    const put = (s: string, at: number) => h.set(enc.encode(s), at);
    put(f.name, 0);
    put("0000644\0", 100);
    put("0000000\0", 108);
    put("0000000\0", 116);
    put(f.data.length.toString(8).padStart(11, "0") + "\0", 124);
    put("00000000000\0", 136);
    put("        ", 148);
    put("0", 156);
    put("ustar\0", 257);
    put("00", 263);
    if (f.prefix) put(f.prefix, 345);
    const sum = h.reduce((a, b) => a + b, 0);
    put(sum.toString(8).padStart(6, "0") + "\0 ", 148);
    blocks.push(h);
    const body = new Uint8Array(Math.ceil(f.data.length / 512) * 512);
    body.set(f.data);
    blocks.push(body);
  }
  blocks.push(new Uint8Array(1024));
  const out = new Uint8Array(blocks.reduce((a, b) => a + b.length, 0));
  let at = 0;
  for (const b of blocks) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new CompressionStream("gzip"),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function mockFetch(routes: Record<string, Uint8Array>, calls: string[] = []) {
  return (url: string): Promise<Response> => {
    calls.push(url);
    const body = routes[url];
    return Promise.resolve(
      body === undefined
        ? new Response("not found", { status: 404 })
        : new Response(body as Uint8Array<ArrayBuffer>),
    );
  };
}

Deno.test("sha256Hex: FIPS 180-2 test vector and sha256sum of the fixture", async () => {
  assert.equal(
    await sha256Hex(enc.encode("abc")),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  assert.equal(await sha256Hex(await Deno.readFile(`${fixtures}tiny_gnu.tar.gz`)), GNU_SHA256);
});

Deno.test("split-file digests of OFFICIAL_TARGETS match the shared split files", async () => {
  const dir = resolveDataDir();
  for (const name of ["cifar-split", "cifar100-test-split", "imagenet-16-120-test-split"]) {
    const t = OFFICIAL_TARGETS[name];
    assert.equal(await sha256Hex(await Deno.readFile(dataFile(dir, t.dest))), t.sha256, name);
  }
});

for (const kind of ["gnu", "pax"]) {
  Deno.test(`parseTar reads a GNU tar ${kind} archive (long names, dirs, empty file)`, async () => {
    const entries = parseTar(await gunzip(await Deno.readFile(`${fixtures}tiny_${kind}.tar.gz`)));
    const files = entries.filter((e) => e.type === "file");
    assert.deepEqual(files.map((e) => e.name).sort(), [
      "d/a.txt",
      "d/empty.bin",
      LONG_NAME,
    ]);
    assert.deepEqual(
      entries.filter((e) => e.type === "dir").map((e) => e.name.replace(/\/$/, "")).sort(),
      ["d", "d/sub"],
    );
    const byName = new Map(files.map((e) => [e.name, e.data]));
    assert.equal(new TextDecoder().decode(byName.get("d/a.txt")), "hello\n");
    assert.equal(byName.get("d/empty.bin")!.length, 0);
    assert.equal(byName.get(LONG_NAME)!.length, 768);
    assert.equal(await sha256Hex(byName.get(LONG_NAME)!), LONG_SHA256);
  });
}

Deno.test("parseTar: ustar prefix field, corrupt checksum, truncation", () => {
  const tar = makeTar([{ name: "b.bin", prefix: "p/q", data: Uint8Array.from([1, 2, 3]) }]);
  const [e] = parseTar(tar);
  assert.equal(e.name, "p/q/b.bin");
  assert.deepEqual(Array.from(e.data), [1, 2, 3]);
  const bad = tar.slice();
  bad[0] ^= 1;
  assert.throws(() => parseTar(bad), /checksum/);
  assert.throws(() => parseTar(tar.subarray(0, 512)), /truncated/);
});

Deno.test("safeRelativePath rejects absolute and parent paths", () => {
  assert.equal(safeRelativePath("./a//b/c.bin"), "a/b/c.bin");
  for (const p of ["/etc/passwd", "../x", "a/../../x", ""]) {
    assert.throws(() => safeRelativePath(p), /unsafe path/, p);
  }
});

Deno.test("extractTarGz writes an in-memory CompressionStream archive", async () => {
  const root = await Deno.makeTempDir();
  try {
    const gz = await gzip(makeTar([
      { name: "x/one.txt", data: enc.encode("one") },
      { name: "two.bin", data: new Uint8Array(600).fill(9) },
    ]));
    const written = await extractTarGz(gz, `${root}/out`);
    assert.deepEqual(written, [`${root}/out/x/one.txt`, `${root}/out/two.bin`]);
    assert.equal(await Deno.readTextFile(`${root}/out/x/one.txt`), "one");
    const two = await Deno.readFile(`${root}/out/two.bin`);
    assert.equal(two.length, 600);
    assert.ok(two.every((b) => b === 9));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("download: mirror fallback, SHA-256 check, skip when present", async () => {
  const root = await Deno.makeTempDir();
  try {
    const gz = await Deno.readFile(`${fixtures}tiny_gnu.tar.gz`);
    const target: DownloadTarget = {
      name: "tiny",
      description: "fixture",
      urls: ["https://mirror-a/tiny.tar.gz", "https://mirror-b/tiny.tar.gz"],
      sha256: GNU_SHA256,
      bytes: gz.length,
      kind: "tar.gz",
      dest: "tiny",
      provides: ["tiny/d/a.txt"],
    };
    const calls: string[] = [];
    const log: string[] = [];
    const opts = {
      dir: root,
      fetchFn: mockFetch({ "https://mirror-b/tiny.tar.gz": gz }, calls),
      log: (l: string) => log.push(l),
    };
    const [r] = await download([target], opts);
    assert.equal(r.status, "downloaded");
    assert.equal(r.url, "https://mirror-b/tiny.tar.gz");
    assert.deepEqual(calls, target.urls);
    assert.equal(await Deno.readTextFile(`${root}/tiny/d/a.txt`), "hello\n");
    assert.equal(await sha256Hex(await Deno.readFile(`${root}/tiny/${LONG_NAME}`)), LONG_SHA256);
    const [again] = await download([target], opts);
    assert.equal(again.status, "present");
    assert.equal(calls.length, 2);

    // Wrong digest from every mirror: error naming the target and both digests, nothing written.
    const wrong = { ...target, dest: "wrong", provides: ["wrong/d/a.txt"], bytes: undefined };
    const corrupt = gz.slice();
    corrupt[corrupt.length - 1] ^= 0xff;
    await assert.rejects(
      () =>
        download([wrong], {
          ...opts,
          fetchFn: mockFetch({ "https://mirror-a/tiny.tar.gz": corrupt }),
        }),
      (e: Error) => e.message.includes("tiny") && e.message.includes(GNU_SHA256),
    );
    await assert.rejects(() => Deno.stat(`${root}/wrong`), Deno.errors.NotFound);
    await assert.rejects(() => download(["imagenet"], opts), RangeError);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("download: CIFAR-10 tarball lands in the layout the reader uses", async () => {
  const root = await Deno.makeTempDir();
  try {
    const batch = new Uint8Array(10000 * 3073);
    for (let i = 0; i < 10000; i++) batch[i * 3073] = (i * 7) % 10;
    const gz = await gzip(makeTar([
      { name: "cifar-10-batches-bin/test_batch.bin", data: batch },
      { name: "cifar-10-batches-bin/batches.meta.txt", data: enc.encode("airplane\n") },
    ]));
    const target: DownloadTarget = {
      ...OFFICIAL_TARGETS.cifar10,
      sha256: undefined,
      bytes: undefined,
      provides: ["cifar10/cifar-10-batches-bin/test_batch.bin"],
    };
    const [r] = await download([target], {
      dir: root,
      fetchFn: mockFetch({ [OFFICIAL_TARGETS.cifar10.urls[0]]: gz }),
      log: () => {},
    });
    assert.equal(r.files.length, 2);
    assert.equal(locateCifar(root, "cifar10", "test").layout, "official");
    const set = await loadCifar(root, "cifar10", "test");
    assert.equal(set.count, 10000);
    assert.deepEqual(Array.from(set.labels.subarray(0, 4)), [0, 7, 4, 1]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("OFFICIAL_TARGETS and manual instructions name the official sources", () => {
  assert.equal(
    OFFICIAL_TARGETS.cifar10.urls[0],
    "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz",
  );
  assert.equal(
    OFFICIAL_TARGETS.cifar100.urls[0],
    "https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz",
  );
  assert.deepEqual(DEFAULT_TARGETS, [
    "cifar10",
    "cifar100",
    "cifar-split",
    "cifar100-test-split",
    "imagenet-16-120-test-split",
    "ImageNet16-120-split",
  ]);
  const text = manualInstructions("/data");
  assert.ok(text.includes("ImageNet16"));
  assert.ok(text.includes("/data/nb201/nb201.csv"));
  assert.ok(text.includes("train_data_batch_"));
});

Deno.test("manual instructions point at the Python tools (no inline script), which exist", () => {
  const text = manualInstructions("/data");
  assert.ok(text.includes("NAS-Bench-201-v1_1-096897.pth"));
  assert.ok(text.includes("NATS-tss-v1_0-3ffb9-simple"));
  assert.match(
    text,
    /python3 tools\/export_nb201\.py --benchmark \S+ \\\n\s+--out \/data\/nb201\/nb201\.csv/,
  );
  assert.ok(text.includes("python3 tools/export_nb201.py --check /data/nb201/nb201.csv"));
  assert.ok(text.includes("python3 tools/convert_imagenet16.py /path/to/ImageNet16 /data\n"));
  assert.ok(!text.includes("pickle") && !text.includes("import "), "no inline script");
  const root = new URL("../", import.meta.url).pathname;
  for (const tool of [EXPORT_NB201_TOOL, CONVERT_IMAGENET16_TOOL]) {
    assert.ok(Deno.statSync(`${root}${tool}`).isFile, tool);
  }
});

Deno.test("download: an unreachable source is a one-line DownloadError, nothing written", async () => {
  const root = await Deno.makeTempDir();
  try {
    const url = "http://127.0.0.1:9/unreachable.txt"; // discard port: nothing listens
    const target: DownloadTarget = { ...OFFICIAL_TARGETS["cifar-split"], urls: [url] };
    const log: string[] = [];
    // the real fetch: refused (with --allow-net) or not permitted (without): both a failure
    await assert.rejects(() => download([target], { dir: root, log: (l) => log.push(l) }), (e) => {
      assert.ok(e instanceof DownloadError);
      assert.equal(e.target, "cifar-split");
      assert.equal(e.problems.length, 1);
      assert.ok(e.problems[0].startsWith(`${url}: `), e.problems[0]);
      assert.ok(e.message.startsWith(`cifar-split: download failed from every source (${url}: `));
      assert.ok(!e.message.includes("\n"), e.message);
      return true;
    });
    assert.deepEqual(log, [`cifar-split: fetching ${url}`]);
    assert.deepEqual([...Deno.readDirSync(root)], []);
    // several mirrors, multi-line causes: still one line, one entry per mirror
    const offline = () => Promise.reject(new TypeError("error sending request\ndns error"));
    await assert.rejects(
      () => download(["cifar-split"], { dir: root, fetchFn: offline, log: () => {} }),
      (e) => {
        assert.ok(e instanceof DownloadError);
        assert.equal(e.problems.length, OFFICIAL_TARGETS["cifar-split"].urls.length);
        assert.ok(!e.message.includes("\n"), e.message);
        assert.match(
          e.message,
          /\(https:\/\/raw\.githubusercontent\.com\/\S+: error sending request dns error; /,
        );
        return true;
      },
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
