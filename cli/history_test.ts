import assert from "node:assert/strict";
import { capture, RESULTS_FIXTURE } from "./_test_capture.ts";
import { main } from "./history.ts";
import { nightsOf, recordsOf } from "../reporting/history.ts";
import { EXIT_CODES } from "../reporting/verdict.ts";

const _root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const _fixture = RESULTS_FIXTURE;

Deno.test("history import: the committed results/, one run per run id, verdicts from the sidecars; again adds nothing", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/history.sqlite`;
  try {
    const first = await capture(() => main(["import", _fixture, "--history", path]));
    assert.equal(first.code, EXIT_CODES.pass, first.err);
    assert.match(first.out, /table2\/quick run 20261123T050307-37bc94: 4 records added/);
    assert.match(first.out, /table2\/quick run 20261123T055807-0c69ec: 4 records added/);
    assert.match(first.out, /perf\/cpu run 20261123T035538-f66729: 7 records added/);
    const quick = nightsOf(path, { benchmark: "table2", profile: "quick" });
    assert.deepEqual(quick.map((r) => r.run_id), [
      "20261123T050307-37bc94",
      "20261123T055807-0c69ec",
    ]);
    // table2/smoke's summary.json holds the verdict of the run that wrote it
    const smoke = nightsOf(path, { benchmark: "table2", profile: "smoke" });
    assert.deepEqual(smoke.map((r) => [r.run_id, r.verdict]), [[
      "20261203T095205-b109df",
      "NOT CHECKED",
    ]]);
    // figure1 rows are distinct by `classes`
    const fig = recordsOf(path, nightsOf(path, { benchmark: "figure1" })[0].run_id);
    assert.equal(new Set(fig.map((r) => `${r.seed}/${r.key.classes}`)).size, fig.length);

    const again = await capture(() => main(["import", `${_fixture}/`, "--history", path]));
    assert.equal(again.code, EXIT_CODES.pass);
    assert.match(again.out, /, 0 new records$/);

    const list = await capture(() => main(["list", "--benchmark", "table2", "--history", path]));
    assert.equal(list.code, EXIT_CODES.pass);
    assert.match(
      list.out,
      /20261123T050307-37bc94 +table2\/quick +- +64ffe5803565 +wasm +4 records/,
    );
    assert.match(list.out, /\n3 runs in /);
    const show = await capture(() => main(["show", "20261123T050307-37bc94", "--history", path]));
    assert.equal(show.code, EXIT_CODES.pass);
    assert.match(
      show.out,
      /table2\/quick D\/cifar10\/seed 0 metric=angle verdict=- \{.*"tau":"0\.388258"/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("history: usage errors exit 2; a missing history exits 1", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const cases: [string[], RegExp][] = [
      [[], /^error: no command \(valid: import, list, show\)/],
      [["frob"], /^error: unknown command 'frob' \(valid: import, list, show\)/],
      [["import"], /^error: history import takes one results folder, got 0/],
      [
        ["import", "/nonexistent/x"],
        /^error: history import: '\/nonexistent\/x' is not a directory/,
      ],
      [
        ["show", "nope", "--history", `${dir}/h.sqlite`],
        /^error: history show: no run 'nope' in /,
      ],
    ];
    // an existing, empty history for the `show` case
    await capture(() => main(["import", dir, "--history", `${dir}/h.sqlite`]));
    for (const [args, want] of cases) {
      const r = await capture(() => main(args));
      assert.equal(r.code, EXIT_CODES.usage, `${args.join(" ")}: ${r.err}`);
      assert.match(r.err, want);
    }
    const absent = await capture(() => main(["list", "--history", `${dir}/absent.sqlite`]));
    assert.equal(absent.code, EXIT_CODES.error);
    assert.match(absent.err, /^error: no run history at .*absent\.sqlite/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
