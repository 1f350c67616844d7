import assert from "node:assert/strict";
import {
  findTfjsNodePackage,
  loadTfjsNode,
  nodeModulesDirs,
  TFJS_NODE_PACKAGES,
} from "./tensorflow_node.ts";

/** A fake node_modules folder holding package.json files for `pkgs`. */
function _fakeNodeModules(pkgs: string[]): string {
  const dir = Deno.makeTempDirSync() + "/node_modules/";
  for (const p of pkgs) {
    Deno.mkdirSync(dir + p, { recursive: true });
    Deno.writeTextFileSync(`${dir}${p}/package.json`, `{"name":"${p}","version":"4.22.0"}`);
  }
  return dir;
}

Deno.test("nodeModulesDirs starts with the repository's node_modules", () => {
  const dirs = nodeModulesDirs();
  assert.ok(dirs[0].endsWith("/node_modules/"), dirs[0]);
  assert.ok(Deno.statSync(dirs[0] + "@tensorflow/tfjs-core").isDirectory);
});

Deno.test("findTfjsNodePackage prefers the GPU build and looks only on disk", () => {
  const none = _fakeNodeModules([]);
  const cpuOnly = _fakeNodeModules(["@tensorflow/tfjs-node"]);
  const both = _fakeNodeModules([...TFJS_NODE_PACKAGES]);
  try {
    assert.equal(findTfjsNodePackage([none]), undefined);
    assert.equal(findTfjsNodePackage([none, cpuOnly]), "@tensorflow/tfjs-node");
    assert.equal(findTfjsNodePackage([both]), "@tensorflow/tfjs-node-gpu");
    // This project does not install either package.
    assert.equal(findTfjsNodePackage(), undefined);
  } finally {
    for (const d of [none, cpuOnly, both]) {
      Deno.removeSync(d.slice(0, -"node_modules/".length), { recursive: true });
    }
  }
});

Deno.test("loadTfjsNode: absent -> install instructions; present but unmapped -> load error", async () => {
  const none = _fakeNodeModules([]);
  const fake = _fakeNodeModules(["@tensorflow/tfjs-node"]);
  try {
    await assert.rejects(
      () => loadTfjsNode([none]),
      (e: Error) =>
        e.message.includes("neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node") &&
        e.message.includes(none) &&
        e.message.includes("npm:@tensorflow/tfjs-node@4.22.0") &&
        e.message.includes("CUDA 11.2 and cuDNN 8.1"),
    );
    // On disk but not declared in deno.json: the import fails at resolution (no download).
    await assert.rejects(
      () => loadTfjsNode([fake]),
      (e: Error) =>
        e.message.startsWith(
          "tensorflow backend unavailable: @tensorflow/tfjs-node is on disk but failed to load",
        ) && e.message.includes("libtensorflow"),
    );
  } finally {
    for (const d of [none, fake]) {
      Deno.removeSync(d.slice(0, -"node_modules/".length), { recursive: true });
    }
  }
});
