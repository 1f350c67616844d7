import assert from "node:assert/strict";
import { dataFile, resolveDataDir } from "../../datasets/data_dir.ts";
import { DATASET_NAMES } from "../../datasets/image_set.ts";
import { nb201Cost, nb201CostShape, nb201FlopsM, nb201ParamsM } from "./cost.ts";
import { genotypeFromNaslib, genotypeFromString } from "./encoding.ts";

const dir = resolveDataDir();

Deno.test("hand-derived counts of the all-none network (spec §1.1)", () => {
  // stem 3*16*9 + 32 = 464; block 16->32: 4608+64 + 9216+64 + 512 = 14464;
  // block 32->64: 18432+128 + 36864+128 + 2048 = 57600; lastact 128; head 64*10+10 = 650.
  const none = [0, 0, 0, 0, 0, 0];
  assert.equal(nb201Cost(none, "cifar10").params, 464 + 14464 + 57600 + 128 + 650);
  // FLOPs (torchstat convention), CIFAR 32x32:
  // stem conv 27*16*1024 + BN 2*16*1024 = 475136
  // block 1: relu 16*1024 + conv 9*16*32*256 + bn 2*32*256 + relu 32*256 + conv 9*32*32*256
  //          + bn 2*32*256 + pool 4*16*256 + conv 16*32*256 = 3743744
  // block 2: same at half resolution, doubled channels = 3706880
  // lastact 3*64*64 = 12288; global pool 64*9*9 = 5184; fc 64*10 = 640
  assert.equal(
    nb201Cost(none, "cifar10").flops,
    475136 + 3743744 + 3706880 + 12288 + 5184 + 640,
  );
  // one conv3x3 edge adds 5 cells x (9c^2 + 2c) params per stage
  assert.equal(
    nb201Cost([3, 0, 0, 0, 0, 0], "cifar10").params - nb201Cost(none, "cifar10").params,
    5 * (9 * 256 + 32) + 5 * (9 * 1024 + 64) + 5 * (9 * 4096 + 128),
  );
  // one avg_pool_3x3 edge: 9 per output element, 5 cells per stage
  assert.equal(
    nb201Cost([0, 0, 0, 0, 0, 4], "cifar10").flops - nb201Cost(none, "cifar10").flops,
    5 * 9 * (16 * 1024 + 32 * 256 + 64 * 64),
  );
  assert.deepEqual(nb201CostShape("ImageNet16-120"), { numClasses: 120, inputSize: 16 });
  assert.throws(() => nb201Cost(none, { numClasses: 10, inputSize: 30 }), /30/);
  assert.throws(() => nb201Cost(none, { numClasses: 0, inputSize: 32 }), /numClasses/);
  assert.throws(() => nb201Cost(none, "imagenet" as "cifar10"), /imagenet/);
});

Deno.test("params equal params_M of nb201.csv (15,421 exact; 204 trial means explained)", async () => {
  const text = await Deno.readTextFile(dataFile(dir, "nb201/nb201.csv"));
  const lines = text.trim().split("\n");
  const header = lines[0].split(",");
  const archCol = header.indexOf("arch");
  const pCol = header.indexOf("params_M");
  assert.equal(lines.length - 1, 15625);
  const conv1 = 5 * (256 + 32) + 5 * (1024 + 64) + 5 * (4096 + 128); // 28,000
  const conv3 = 5 * (9 * 256 + 32) + 5 * (9 * 1024 + 64) + 5 * (9 * 4096 + 128); // 243,040
  let exact = 0;
  let means = 0;
  for (const line of lines.slice(1)) {
    const cols = line.split(",");
    const g = genotypeFromString(cols[archCol]);
    const ours = nb201ParamsM(g);
    const ref = Number(cols[pCol]);
    if (Math.abs(ours - ref) < 5e-7) {
      exact++;
      continue;
    }
    // The other rows are means over n = 2 or 3 trials where one trial's network had one or two
    // conv edges more or fewer: (ours - ref) * n must be k * (edge params), |k| <= 2.
    means++;
    const d = Math.round((ours - ref) * 1e6);
    const explained = [2, 3].some((n) =>
      [-2, -1, 1, 2].some((k) =>
        Math.abs(d * n - k * conv1) <= n || Math.abs(d * n - k * conv3) <= n
      )
    );
    assert.ok(explained, `params of ${cols[archCol]}: ours ${ours}, csv ${ref}`);
  }
  assert.equal(exact, 15625 - 204);
  assert.equal(means, 204);
});

interface _ZcEntry {
  flops: { score: number };
  params: { score: number };
}

Deno.test("FLOPs and params equal the zc JSON scores on all three datasets", async () => {
  // Python's json writes -Infinity for a few proxy scores (not flops/params): make it valid JSON.
  const text = await Deno.readTextFile(dataFile(dir, "zc/zc_nasbench201_725.json"));
  const zc = JSON.parse(text.replace(/-?Infinity|NaN/g, "null")) as Record<
    string,
    Record<string, _ZcEntry>
  >;
  let n = 0;
  for (const ds of DATASET_NAMES) {
    const entries = Object.entries(zc[ds]);
    assert.ok(entries.length >= 724, `${ds}: ${entries.length} entries`);
    for (const [key, v] of entries) {
      const g = genotypeFromNaslib(key);
      const c = nb201Cost(g, ds);
      // the JSON is rounded to 1e-6 M: this is exact, far inside the 0.1 % acceptance bound
      assert.ok(Math.abs(c.flopsM - v.flops.score) < 1e-6, `${ds} ${key} flops ${c.flopsM}`);
      assert.ok(Math.abs(c.flopsM - v.flops.score) <= 1e-3 * v.flops.score);
      assert.ok(Math.abs(c.paramsM - v.params.score) < 1e-6, `${ds} ${key} params ${c.paramsM}`);
      assert.equal(nb201FlopsM(g, ds), c.flopsM);
      n++;
    }
  }
  assert.equal(n, 725 + 725 + 724);
});
