import assert from "node:assert/strict";
import { DEFAULT_DATASETS, DEFAULT_SEEDS, profileInfos } from "./profiles.ts";

Deno.test("defaults: CIFAR-10 and seed 0 for smoke/quick; all datasets and seeds 0-2 for paper", () => {
  assert.deepEqual(DEFAULT_DATASETS.smoke, ["cifar10"]);
  assert.deepEqual(DEFAULT_DATASETS.paper, ["cifar10", "cifar100", "ImageNet16-120"]);
  assert.deepEqual(DEFAULT_SEEDS.smoke, [0]);
  assert.deepEqual(DEFAULT_SEEDS.paper, [0, 1, 2]); // "three independent runs" (section 4.1)
});

Deno.test("profileInfos: settings line + time, hardware per profile, overrides shown", () => {
  const p = profileInfos({ smoke: "1 min", quick: "1 h", paper: "days" }, {
    quick: { epochs: 5, trainImages: 1000 },
  });
  assert.equal(p.smoke.hardware, "cpu");
  assert.equal(p.paper.hardware, "gpu");
  assert.match(p.smoke.description, /^SuperNet 256 images, 1 epoch, batch 64; .*; 1 min$/);
  assert.match(p.quick.description, /^SuperNet 1000 images, 5 epochs, /);
  assert.match(
    p.paper.description,
    /all train-split images, 250 epochs, .*20000 calib \+ all valid/,
  );
});
