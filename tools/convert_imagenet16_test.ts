import assert from "node:assert/strict";
import { IMAGENET16_FILES, loadImageNet16 } from "../datasets/imagenet16.ts";
import { havePython, type PythonRun, runPython } from "./_python.ts";

const python = await havePython("tools/convert_imagenet16.py tests", ["numpy"]);

Deno.test({
  name: "convert_imagenet16.py: Python tests (tiny fake pickles)",
  ignore: !python,
  fn: async () => {
    const r = await _py(["tools/convert_imagenet16_test.py"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /\nOK\n/);
  },
});

Deno.test({
  name: "convert_imagenet16.py output is read by datasets/imagenet16.ts",
  ignore: !python,
  fn: async () => {
    const src = await Deno.makeTempDir();
    const data = await Deno.makeTempDir();
    try {
      const made = await _py(["tools/convert_imagenet16_test.py", "--make-fake", src]);
      assert.equal(made.code, 0, made.stderr);
      const r = await _py(["tools/convert_imagenet16.py", src, data, "--no-md5"]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(
        r.stdout,
        `${data}/${IMAGENET16_FILES.train}: ${await _kept(src, 10)} images\n` +
          `${data}/${IMAGENET16_FILES.val}: ${await _kept(src, 1, "val")} images\n`,
      );
      const val = await loadImageNet16(data, "val");
      // the fake val_data (batch 11 of the fake): images 0, 1 (labels 1, 120) kept, 2 (121) dropped
      assert.equal(val.labels[0], 0);
      assert.equal(val.labels[1], 119);
      assert.equal(val.size, 16);
      // pixel j of fake image i of batch k is (7k + 3i + j) % 256: R, G, B planes unchanged
      assert.deepEqual(Array.from(val.images.subarray(0, 3)), [77, 78, 79]);
      assert.equal(val.images[768 + 256], (77 + 3 + 256) % 256);
      const train = await loadImageNet16(data, "train");
      assert.equal(train.labels[0], 0);
      assert.deepEqual(Array.from(train.images.subarray(0, 2)), [7, 8]);
    } finally {
      await Deno.remove(src, { recursive: true });
      await Deno.remove(data, { recursive: true });
    }
  },
});

/** Number of images of classes 1..120 in the fake pickles (counted by Python's pickle module). */
async function _kept(src: string, n: number, which: "train" | "val" = "train"): Promise<number> {
  const names = which === "val"
    ? ["val_data"]
    : Array.from({ length: n }, (_, k) => `train_data_batch_${k + 1}`);
  const r = await _py([
    "-c",
    "import pickle, sys\n" +
    "print(sum(sum(1 for l in pickle.load(open(sys.argv[1] + '/' + n, 'rb'))['labels'] " +
    "if 1 <= l <= 120) for n in sys.argv[2:]))",
    src,
    ...names,
  ]);
  return Number(r.stdout.trim());
}

/** `python3 args...`; only called when {@link havePython} said it is there. */
async function _py(args: string[]): Promise<PythonRun> {
  const r = await runPython(args);
  assert.ok(r !== null, "python3 disappeared");
  return r;
}
