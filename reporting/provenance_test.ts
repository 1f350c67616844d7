import assert from "node:assert/strict";
import {
  gitRevision,
  newRunId,
  portable,
  portablePath,
  PROVENANCE_COLUMNS,
  runEnvironment,
} from "./provenance.ts";

Deno.test("provenance columns hold every field the results must carry", () => {
  for (
    const c of [
      "benchmark",
      "paper_table",
      "method",
      "dataset",
      "profile",
      "backend",
      "device",
      "seed",
      "git_rev",
      "deno_version",
      "tfjs_version",
      "started_at",
      "duration_s",
    ]
  ) assert.ok(PROVENANCE_COLUMNS.includes(c as never), c);
});

Deno.test("gitRevision is a hex revision (optionally -dirty) in this checkout, else unknown", async () => {
  const rev = await gitRevision();
  assert.match(rev, /^([0-9a-f]{7,40}(-dirty)?|unknown)$/);
});

Deno.test("runEnvironment reports Deno and tfjs versions and the CPU", async () => {
  const env = await runEnvironment();
  assert.equal(env.deno_version, Deno.version.deno);
  assert.equal(env.tfjs_version, "4.22.0");
  assert.match(env.cpu, /\(\d+ logical cores?\)$/);
});

Deno.test("newRunId is a UTC stamp with a random suffix", () => {
  const id = newRunId(new Date("2026-11-23T10:20:30.456Z"));
  assert.match(id, /^20261123T102030-[0-9a-f]{6}$/);
  assert.notEqual(newRunId(), newRunId());
});

Deno.test("portablePath / portable: no absolute machine paths in what results record", () => {
  const repo = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
  const parent = repo.slice(0, repo.lastIndexOf("/"));
  assert.equal(portablePath(`${repo}/runs/table1`), "./runs/table1");
  assert.equal(portablePath(repo), ".");
  assert.equal(portablePath(`${parent}/shared/data`), "../shared/data");
  assert.equal(portablePath("/opt/elsewhere/results"), "…/results");
  assert.equal(portablePath("relative/dir"), "relative/dir");
  const home = Deno.env.get("HOME");
  if (home && home !== "/" && !repo.startsWith(home)) {
    assert.equal(portablePath(`${home}/.cache/rlnas-bench`), "~/.cache/rlnas-bench");
  }
  assert.deepEqual(
    portable({
      a: [`cache in ${repo}/.cache/supernets`, "37 img/s, 1/2 done"],
      b: { c: "--out=/tmp/x/y" },
      n: 3,
    }),
    { a: ["cache in ./.cache/supernets", "37 img/s, 1/2 done"], b: { c: "--out=…/y" }, n: 3 },
  );
});
