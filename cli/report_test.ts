import assert from "node:assert/strict";
import { main } from "./report.ts";

Deno.test("report: usage errors exit 2, a written report exits 0", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.equal(await main(["--results", `${dir}/none`]), 2);
    await Deno.writeTextFile(`${dir}/f`, "x");
    assert.equal(await main(["--out", `${dir}/f`]), 2);
    assert.equal(await main(["--history", `${dir}/none.sqlite`, "--out", `${dir}/r`]), 2);
    assert.equal(await main(["--bogus"]), 2);
    await Deno.mkdir(`${dir}/res/table1/quick`, { recursive: true });
    await Deno.writeTextFile(`${dir}/res/table1/quick/runs.csv`, 'a,b\n"x,1\n');
    assert.equal(await main(["--results", `${dir}/res`, "--out", `${dir}/r`]), 1);
    assert.equal(await main(["--out", `${dir}/r`]), 0);
    assert.match(await Deno.readTextFile(`${dir}/r/index.html`), /Table 1/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
