import assert from "node:assert/strict";
import { tinySpec } from "./_tiny_spec.ts";
import { epochFile, listWeightEpochs, stateFile } from "../../training/checkpoint.ts";
import { obtainSuperNet, supernetKey } from "./supernet_cache.ts";
import { obtainSuperNets } from "./supernet_pool.ts";

Deno.test("obtainSuperNets: workers train bit-identical SuperNets; a second call hits the cache", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    const specs = [tinySpec(), tinySpec({ labels: "ground-truth", seed: 1 })];
    const lines: string[] = [];
    const got = await obtainSuperNets([specs[0], specs[1], specs[0]], {
      root: `${tmp}/pool`,
      jobs: 2,
      backend: "wasm",
      log: (l) => lines.push(l),
    });
    assert.deepEqual(got.map((g) => g.key), [
      await supernetKey(specs[0]),
      await supernetKey(specs[1]),
      await supernetKey(specs[0]),
    ]);
    assert.ok(got.every((g) => !g.hit && g.trainSeconds > 0 && g.epochs === 1));
    assert.ok(lines.some((l) => /^training 2 SuperNets, 2 at a time/.test(l)), lines.join("\n"));
    assert.ok(lines.some((l) => /^ {2}\[[0-9a-f]{8}\] {2}epoch 1\/1/.test(l)), lines.join("\n"));
    for (let i = 0; i < 2; i++) {
      const here = await obtainSuperNet(specs[i], { root: `${tmp}/main` });
      assert.equal(here.key, got[i].key);
      for (const epoch of [0, 1]) {
        const weights = await Deno.readFile(epochFile(got[i].dir, epoch));
        assert.ok(weights.length > 0);
        assert.deepEqual(
          weights,
          await Deno.readFile(epochFile(here.dir, epoch)),
          `epoch ${epoch} weights of spec ${i}`,
        );
      }
      // the state file records wall times: only check that the worker wrote it (the latest only,
      // the retention deleted state-000)
      assert.ok((await Deno.stat(stateFile(got[i].dir, 1))).size > 0);
      await assert.rejects(Deno.stat(stateFile(got[i].dir, 0)), Deno.errors.NotFound);
    }
    const again = await obtainSuperNets(specs, { root: `${tmp}/pool`, jobs: 2, backend: "wasm" });
    assert.ok(again.every((g) => g.hit && g.trainSeconds === 0));
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("obtainSuperNets: a failing training rejects naming its SuperNet and stops the others", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    const bad = tinySpec({ seed: 7 });
    const key = await supernetKey(bad);
    // a cache directory with a stray checkpoint but no run.json: the trainer refuses to
    // overwrite it, inside the worker
    await Deno.mkdir(`${tmp}/${key}`, { recursive: true });
    await Deno.writeFile(epochFile(`${tmp}/${key}`, 0), new Uint8Array(1));
    await Deno.writeFile(stateFile(`${tmp}/${key}`, 0), new Uint8Array(1));
    await assert.rejects(
      obtainSuperNets([tinySpec({ seed: 8, epochs: 3 }), bad], {
        root: tmp,
        jobs: 2,
        backend: "wasm",
      }),
      (e: Error) => {
        assert.match(
          e.message,
          new RegExp(`^SuperNet ${key} \\(cifar10, random-uniform-once, seed 7`),
        );
        assert.match(e.message, /already holds checkpoints/);
        return true;
      },
    );
  } finally {
    await _removeSettled(tmp);
  }
});

Deno.test("obtainSuperNets: jobs must be a positive integer", async () => {
  await assert.rejects(
    obtainSuperNets([tinySpec()], { jobs: 0, backend: "wasm" }),
    /jobs must be a positive integer, got 0/,
  );
});

Deno.test("obtainSuperNets: keepEvery reaches the workers", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    const specs = [tinySpec({ epochs: 2 }), tinySpec({ epochs: 2, seed: 1 })];
    const got = await obtainSuperNets(specs, {
      root: tmp,
      jobs: 2,
      backend: "wasm",
      keepEvery: 1,
    });
    for (const g of got) {
      assert.equal(g.hit, false);
      assert.deepEqual(await listWeightEpochs(g.dir), [0, 1, 2]); // the default would drop 1
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("obtainSuperNets: every spec must be keyed to the pool's backend", async () => {
  await assert.rejects(
    obtainSuperNets([tinySpec(), tinySpec({ backend: "webgpu" })], { jobs: 2, backend: "wasm" }),
    /\(cifar10, random-uniform-once, seed 0, 8 images, 1 epochs\) is keyed to backend webgpu, but the pool trains on wasm/,
  );
});

/**
 * Removes `dir` once writes in flight have settled: a terminated worker's last file operation
 * (already handed to the runtime) may still land for a moment after `terminate()`.
 */
async function _removeSettled(dir: string): Promise<void> {
  for (let attempt = 0;; attempt++) {
    try {
      return await Deno.remove(dir, { recursive: true });
    } catch (e) {
      if (attempt >= 20) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
