import assert from "node:assert/strict";
import { cacheDir, dataFile, resolveDataDir } from "./data_dir.ts";
import { DataError } from "./errors.ts";

/** A fake environment (tests run in parallel: never mutate the real one). */
const fakeEnv = (vars: Record<string, string>) => (k: string) => vars[k];

Deno.test("resolveDataDir: flag beats environment beats ../shared/data", () => {
  const a = Deno.makeTempDirSync();
  const b = Deno.makeTempDirSync();
  const env = fakeEnv({ RLNAS_DATA_DIR: b, HOME: "/home/u" });
  assert.deepEqual(resolveDataDir(a, env), { path: a, source: "flag" });
  assert.deepEqual(resolveDataDir(undefined, env), { path: b, source: "env" });
  {
    const shared = new URL("../../shared/data", import.meta.url).pathname;
    let exists = false;
    try {
      exists = Deno.statSync(shared).isDirectory;
    } catch { /* absent */ }
    const r = resolveDataDir(undefined, fakeEnv({ HOME: "/home/u" }));
    if (exists) assert.deepEqual(r, { path: Deno.realPathSync(shared), source: "shared" });
    else assert.deepEqual(r, { path: "/home/u/.cache/rlnas-bench", source: "cache" });
  }
  Deno.removeSync(a);
  Deno.removeSync(b);
});

Deno.test("resolveDataDir: a flag or variable naming no directory is an error naming it", () => {
  assert.throws(() => resolveDataDir("/nonexistent/rlnas"), (e: unknown) => {
    assert.ok(e instanceof DataError);
    assert.match(e.message, /--data-dir is not a directory: \/nonexistent\/rlnas\. /);
    assert.match(e.message, /deno task download/);
    return true;
  });
  assert.throws(
    () => resolveDataDir(undefined, fakeEnv({ RLNAS_DATA_DIR: "/nonexistent/env" })),
    /RLNAS_DATA_DIR is not a directory: \/nonexistent\/env/,
  );
});

Deno.test("resolveDataDir: an empty --data-dir or RLNAS_DATA_DIR is an error, never a fallback", () => {
  const other = Deno.makeTempDirSync();
  try {
    for (const env of [fakeEnv({}), fakeEnv({ RLNAS_DATA_DIR: other })]) {
      assert.throws(() => resolveDataDir("", env), (e: unknown) => {
        assert.ok(e instanceof DataError);
        assert.match(
          e.message,
          /^--data-dir is empty \(give a directory, or leave the flag out\): ""\. /,
        );
        return true;
      });
    }
    assert.throws(
      () => resolveDataDir(undefined, fakeEnv({ RLNAS_DATA_DIR: "" })),
      (e: unknown) => {
        assert.ok(e instanceof DataError);
        assert.match(e.message, /^RLNAS_DATA_DIR is set but empty \(.*unset it for the default\)/);
        return true;
      },
    );
    // a non-empty flag still wins over an empty variable
    assert.deepEqual(resolveDataDir(other, fakeEnv({ RLNAS_DATA_DIR: "" })), {
      path: other,
      source: "flag",
    });
  } finally {
    Deno.removeSync(other);
  }
});

Deno.test("cacheDir honours XDG_CACHE_HOME; empty XDG_CACHE_HOME / HOME count as unset (XDG spec)", () => {
  assert.equal(cacheDir(fakeEnv({ XDG_CACHE_HOME: "/x/cache" })), "/x/cache/rlnas-bench");
  assert.equal(cacheDir(fakeEnv({ HOME: "/home/u" })), "/home/u/.cache/rlnas-bench");
  assert.equal(
    cacheDir(fakeEnv({ XDG_CACHE_HOME: "", HOME: "/home/u" })),
    "/home/u/.cache/rlnas-bench",
  );
  assert.equal(cacheDir(fakeEnv({ HOME: "" })), "./.cache/rlnas-bench");
});

Deno.test("dataFile returns the path of a present file, throws DataError for a missing one", () => {
  const dir = Deno.makeTempDirSync();
  Deno.writeTextFileSync(`${dir}/x.bin`, "x");
  assert.equal(dataFile(dir, "x.bin"), `${dir}/x.bin`);
  assert.throws(() => dataFile({ path: dir, source: "flag" }, "nb201/nb201.csv"), (e: unknown) => {
    assert.ok(e instanceof DataError);
    assert.equal(e.path, `${dir}/nb201/nb201.csv`);
    assert.match(e.message, /^missing data file: /);
    return true;
  });
  Deno.removeSync(dir, { recursive: true });
});
