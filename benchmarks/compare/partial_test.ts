import assert from "node:assert/strict";
import { PARTIAL_FLUSH_EVERY, PartialScores } from "./partial.ts";

Deno.test("PartialScores: appends in batches, resumes, drops a torn line, discards another source", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const a = new PartialScores(`${dir}/partial`, "cifar10", 0, "syn/flow", "key1 synflow");
    assert.match(a.path, /cifar10-seed0-syn_flow\.csv$/);
    assert.equal((await a.load()).size, 0);
    for (let i = 0; i < PARTIAL_FLUSH_EVERY + 3; i++) a.add(i, i / 3);
    await a.flush();
    const text = await Deno.readTextFile(a.path);
    assert.equal(text.split("\n")[0], "# source key1 synflow");
    // full precision survives the round trip
    const back = await new PartialScores(`${dir}/partial`, "cifar10", 0, "syn/flow", "key1 synflow")
      .load();
    assert.equal(back.size, PARTIAL_FLUSH_EVERY + 3);
    assert.equal(back.get(7), 7 / 3);
    // a kill mid-append: the torn line is dropped, and later appends start on a new line
    await Deno.writeTextFile(a.path, "999,0.12", { append: true });
    const b = new PartialScores(`${dir}/partial`, "cifar10", 0, "syn/flow", "key1 synflow");
    assert.equal((await b.load()).has(999), false);
    b.add(500, 2.5);
    await b.flush();
    const c = await new PartialScores(`${dir}/partial`, "cifar10", 0, "syn/flow", "key1 synflow")
      .load();
    assert.equal(c.get(500), 2.5);
    assert.equal(c.size, PARTIAL_FLUSH_EVERY + 4);
    // another SuperNet: the old values are not used, and the file is replaced
    const d = new PartialScores(`${dir}/partial`, "cifar10", 0, "syn/flow", "key2 synflow");
    assert.equal((await d.load()).size, 0);
    d.add(1, 1);
    await d.flush();
    assert.equal(
      await Deno.readTextFile(d.path),
      "# source key2 synflow\n1,1\n",
    );
    await d.remove();
    await d.remove(); // twice is fine
    assert.deepEqual([...Deno.readDirSync(`${dir}/partial`)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
