import assert from "node:assert/strict";
import { writeFileAtomic } from "./atomic.ts";

Deno.test("writeFileAtomic creates directories, replaces content and leaves no temp file", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/a/b/out.txt`;
  await writeFileAtomic(path, "one");
  await writeFileAtomic(path, "two");
  assert.equal(await Deno.readTextFile(path), "two");
  const names = [...Deno.readDirSync(`${dir}/a/b`)].map((e) => e.name);
  assert.deepEqual(names, ["out.txt"]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("writeFileAtomic failing midway leaves the old file intact", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/out.txt`;
  await writeFileAtomic(path, "old");
  // A directory in the way of the rename makes the write fail after the temp file was written.
  await Deno.mkdir(`${dir}/sub.txt`);
  await assert.rejects(() => writeFileAtomic(`${dir}/sub.txt`, "new"));
  assert.equal(await Deno.readTextFile(path), "old");
  const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
  assert.deepEqual(names, ["out.txt", "sub.txt"]);
  await Deno.remove(dir, { recursive: true });
});
