import assert from "node:assert/strict";
import { resolveDataDir } from "../datasets/data_dir.ts";
import { NB201_TABLE_FILE } from "../datasets/nb201_table.ts";
import { havePython, type PythonRun, runPython } from "./_python.ts";

const python = await havePython("tools/export_nb201.py tests");
const shared = `${resolveDataDir().path}/${NB201_TABLE_FILE}`;

Deno.test({
  name: "export_nb201.py: Python tests (fake API objects, corrupt copies of the shared table)",
  ignore: !python,
  fn: async () => {
    const r = await _py(["tools/export_nb201_test.py"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /\nOK\n/);
  },
});

Deno.test({
  name: "export_nb201.py --check accepts the shared nb201.csv and rejects an out-of-range copy",
  ignore: !python,
  fn: async () => {
    const ok = await _py(["tools/export_nb201.py", "--check", shared]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, `${shared}: OK (15625 architectures)\n`);

    const tmp = await Deno.makeTempDir();
    try {
      const lines = (await Deno.readTextFile(shared)).split("\n");
      // line 2 (index 0): cifar10_test_acc 85.863333 -> 185.863333
      lines[1] = lines[1].replace(",85.863333,", ",185.863333,");
      await Deno.writeTextFile(`${tmp}/nb201.csv`, lines.join("\n"));
      const bad = await _py(["tools/export_nb201.py", "--check", `${tmp}/nb201.csv`]);
      assert.equal(bad.code, 1);
      assert.equal(
        bad.stderr,
        `${tmp}/nb201.csv: line 2, column cifar10_test_acc: 185.863333 is outside [0, 100]\n`,
      );
      const none = await _py(["tools/export_nb201.py", "--check", `${tmp}/none.csv`]);
      assert.equal(none.code, 1);
      assert.match(none.stderr, /none\.csv: no such file/);
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});

/** `python3 args...`; only called when {@link havePython} said it is there. */
async function _py(args: string[]): Promise<PythonRun> {
  const r = await runPython(args);
  assert.ok(r !== null, "python3 disappeared");
  return r;
}
