import assert from "node:assert/strict";
import { UsageError } from "./args.ts";
import { checkOutputDir } from "./out_dir.ts";

Deno.test("checkOutputDir: new and existing directories pass and nothing is left behind", async () => {
  const dir = await Deno.makeTempDir();
  try {
    checkOutputDir(dir);
    checkOutputDir(`${dir}/new/deeper`);
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("checkOutputDir: a file, a path under a file, a long path, an unwritable place", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/results.csv`;
    await Deno.writeTextFile(file, "x");
    assert.throws(
      () => checkOutputDir(file),
      (e) =>
        e instanceof UsageError &&
        e.message === `--out must be a new or existing directory, got '${file}' (an existing file)`,
    );
    assert.throws(
      () => checkOutputDir(`${file}/sub`, "--merge"),
      new RegExp(`^UsageError: --merge must be .*'${file}' is an existing file\\)$`),
    );
    assert.throws(
      () => checkOutputDir(`${dir}/${"a".repeat(300)}`),
      /--out path is too long, .*a component of 300 bytes; at most 255/,
    );
    assert.throws(
      () => checkOutputDir(`${dir}/${"abc/".repeat(1100)}`),
      /--out path is too long, .*bytes; at most 4095/,
    );
    // /proc refuses new files even for root
    if (Deno.build.os === "linux") {
      assert.throws(
        () => checkOutputDir("/proc/rlnas-out"),
        /--out is not writable, got '\/proc\/rlnas-out'/,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
