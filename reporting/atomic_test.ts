import assert from "node:assert/strict";
import { removeStaleTempFiles, tempPathFor, writeFileAtomic } from "./atomic.ts";

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

Deno.test("removeStaleTempFiles deletes the temp files of dead writers only", async () => {
  const dir = await Deno.makeTempDir();
  // a process that has exited: its pid is free (at least for the moment of the check)
  const child = new Deno.Command("true").spawn();
  const deadPid = child.pid;
  await child.status;
  const stale = `runs.csv.${deadPid}.abcd1234.tmp`;
  const mine = `runs.csv.${Deno.pid}.abcd1234.tmp`;
  await Deno.writeTextFile(`${dir}/${stale}`, "half");
  await Deno.writeTextFile(`${dir}/${mine}`, "in progress");
  await Deno.writeTextFile(`${dir}/runs.csv`, "kept");
  await Deno.writeTextFile(`${dir}/notes.tmp`, "not ours");
  const removed = await removeStaleTempFiles(dir);
  if (Deno.build.os === "linux") {
    assert.deepEqual(removed, [stale]);
    const left = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.deepEqual(left, [mine, "notes.tmp", "runs.csv"].sort());
  }
  assert.deepEqual(await removeStaleTempFiles(`${dir}/missing`), []);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("tempPathFor names the writer's pid", () => {
  const p = tempPathFor("/x/runs.csv");
  assert.match(p, new RegExp(`^/x/runs\\.csv\\.${Deno.pid}\\.[0-9a-f]{8}\\.tmp$`));
});
