import assert from "node:assert/strict";
import { writeReportDir } from "./write.ts";

Deno.test("writeReportDir replaces the folder whole and leaves no temp folder", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeReportDir(`${dir}/r`, { "index.html": "a", "old.txt": "x" });
    await writeReportDir(`${dir}/r`, { "index.html": "b" });
    assert.equal(await Deno.readTextFile(`${dir}/r/index.html`), "b");
    const names = [];
    for await (const e of Deno.readDir(`${dir}/r`)) names.push(e.name);
    assert.deepEqual(names, ["index.html"]);
    const top = [];
    for await (const e of Deno.readDir(dir)) top.push(e.name);
    assert.deepEqual(top, ["r"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
