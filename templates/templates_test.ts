/**
 * The cluster templates and the GPU nightly parse: YAML through Python's PyYAML when the machine
 * has it (no runtime dependency of the project; the YAML tests are skipped otherwise), the shell
 * scripts through `bash -n`; and they are wired as documented (shards 1..N, --shard, the merge).
 */
import assert from "node:assert/strict";

const _root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

function _has(cmd: string, args: string[]): boolean {
  try {
    return new Deno.Command(cmd, { args, stdout: "null", stderr: "null" }).outputSync().success;
  } catch {
    return false;
  }
}

const _yaml = _has("python3", ["-c", "import yaml"]);
const _bash = _has("bash", ["-c", "true"]);

/** Every document of a YAML file, as JSON (PyYAML's safe_load_all). */
function _load(path: string): unknown[] {
  const r = new Deno.Command("python3", {
    args: [
      "-c",
      "import json, sys, yaml; print(json.dumps(list(yaml.safe_load_all(open(sys.argv[1])))))",
      path,
    ],
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  const dec = new TextDecoder();
  assert.ok(r.success, `${path} does not parse: ${dec.decode(r.stderr)}`);
  return JSON.parse(dec.decode(r.stdout));
}

// deno-lint-ignore no-explicit-any
type Doc = any;

/** The `run` scripts of a workflow job's steps, joined. */
function _runs(job: Doc): string {
  return job.steps.map((s: Doc) => s.run ?? "").join("\n");
}

Deno.test({
  name:
    "templates: the GitHub Actions matrix and the GPU nightly: one shard per matrix entry, then a merge job",
  ignore: !_yaml,
  fn() {
    for (const file of ["templates/github-actions-shards.yml", "ci/gpu-nightly.yml"]) {
      const [wf] = _load(`${_root}/${file}`) as Doc[];
      const shards: number[] = wf.jobs.shard.strategy.matrix.shard;
      assert.deepEqual(shards, Array.from({ length: shards.length }, (_, i) => i + 1), file);
      assert.equal(Number(wf.env.SHARDS), shards.length, `${file}: SHARDS vs the matrix`);
      assert.ok(wf.jobs.shard["runs-on"].includes("gpu"), file);
      assert.match(
        _runs(wf.jobs.shard),
        /templates\/run_shard\.sh "\$\{\{ matrix\.shard \}\}\/\$SHARDS"/,
      );
      assert.equal(wf.jobs.merge.needs, "shard", file);
      assert.match(_runs(wf.jobs.merge), /templates\/merge_shards\.sh \S+ shards\//, file);
      const uses = wf.jobs.merge.steps.map((s: Doc) => s.uses ?? "");
      assert.ok(uses.includes("actions/download-artifact@v4"), file);
      assert.ok(uses.includes("actions/upload-artifact@v4"), file);
      assert.ok(uses.includes("actions/cache/restore@v4"), `${file}: the history between nights`);
      // never the committed baselines
      assert.doesNotMatch(JSON.stringify(wf), /--out results|path: results\//, file);
    }
  },
});

Deno.test({
  name:
    "templates: the Kubernetes Indexed Job maps JOB_COMPLETION_INDEX to --shard i/n; the merge Job reads every shard",
  ignore: !_yaml,
  fn() {
    const docs = _load(`${_root}/templates/kubernetes-shards.yaml`) as Doc[];
    assert.deepEqual(docs.map((d) => d.kind), ["PersistentVolumeClaim", "Job"]);
    const job = docs[1].spec;
    assert.equal(job.completionMode, "Indexed");
    assert.equal(job.completions, job.parallelism);
    const c = job.template.spec.containers[0];
    const env = Object.fromEntries(c.env.map((e: Doc) => [e.name, e.value]));
    assert.equal(Number(env.SHARDS), job.completions);
    assert.match(c.args[0], /run_shard\.sh "\$\$\(\(JOB_COMPLETION_INDEX \+ 1\)\)\/\$SHARDS"/);
    assert.equal(c.resources.limits["nvidia.com/gpu"], 1);
    const [merge] = _load(`${_root}/templates/kubernetes-merge.yaml`) as Doc[];
    assert.equal(merge.kind, "Job");
    const m = merge.spec.template.spec.containers[0];
    assert.match(m.args[0], /^templates\/merge_shards\.sh \/work\/runs\/merged /);
    const menv = Object.fromEntries(m.env.map((e: Doc) => [e.name, e.value]));
    assert.equal(menv.SHARDS, env.SHARDS);
    assert.equal(merge.spec.template.spec.volumes[0].persistentVolumeClaim.claimName, "rlnas-work");
  },
});

Deno.test({
  name:
    "templates: the shell scripts pass bash -n; the Slurm script is an array job with a merge mode",
  ignore: !_bash,
  fn() {
    for (const f of ["run_shard.sh", "merge_shards.sh", "slurm-shards.sh"]) {
      const r = new Deno.Command("bash", {
        args: ["-n", `${_root}/templates/${f}`],
        stderr: "piped",
      })
        .outputSync();
      assert.ok(r.success, `${f}: ${new TextDecoder().decode(r.stderr)}`);
    }
    const slurm = Deno.readTextFileSync(`${_root}/templates/slurm-shards.sh`);
    assert.match(slurm, /sbatch --parsable --array=1-\$N/);
    assert.match(slurm, /--dependency=afterok:\$jid/);
    assert.match(slurm, /run_shard\.sh "\$SLURM_ARRAY_TASK_ID\/\$SHARDS"/);
    // a usage error of the shard script is exit 2
    const r = new Deno.Command("bash", {
      args: [`${_root}/templates/run_shard.sh`],
      stderr: "piped",
    }).outputSync();
    assert.equal(r.code, 2);
  },
});
