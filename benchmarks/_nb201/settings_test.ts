import assert from "node:assert/strict";
import { resetStatsWeight } from "../../metrics/accuracy.ts";
import { describeSettings, FIGURE1_ALL_CLASSES, nb201Settings } from "./settings.ts";

const noEnv = () => undefined;

Deno.test("nb201Settings: paper profile = the paper's section 4.1 settings", () => {
  const s = nb201Settings("paper", {}, noEnv);
  assert.equal(s.epochs, 250);
  assert.equal(s.batchSize, 64);
  assert.equal(s.channels, 16);
  assert.equal(s.trainImages, undefined);
  assert.deepEqual(s.angleEvolution, {}); // = NB201_EVOLUTION: P = 100, top-30, 20 generations
  assert.deepEqual(s.accuracyEvolution, {});
  assert.equal(s.accuracy.calibImages, 20000); // spec §4
  assert.equal(s.accuracyTauSample, null);
  assert.equal(s.randomSearchCount, 100);
  assert.deepEqual(s.figure1Classes, [
    10,
    20,
    30,
    40,
    50,
    60,
    70,
    80,
    90,
    100,
    110,
    120,
    130,
    140,
    150,
    160,
    170,
    180,
    190,
    200,
  ]);
  assert.deepEqual([...FIGURE1_ALL_CLASSES], s.figure1Classes);
  assert.ok(s.requireFullData && s.requireGpu);
});

Deno.test("nb201Settings: smoke and quick are reduced CPU profiles", () => {
  const smoke = nb201Settings("smoke", {}, noEnv);
  assert.equal(smoke.trainImages, 256);
  assert.equal(smoke.epochs, 1);
  assert.ok(!smoke.requireFullData && !smoke.requireGpu);
  const quick = nb201Settings("quick", {}, noEnv);
  assert.equal(quick.epochs, 18); // the angle ranking's top forms after ~6 epochs (settings.ts)
  assert.equal(quick.trainImages, undefined);
  assert.equal(quick.accuracyTauSample, 100);
});

Deno.test("nb201Settings: overrides, then RLNAS_EPOCHS / RLNAS_TRAIN_IMAGES", () => {
  const env = (n: string) =>
    ({ RLNAS_EPOCHS: "1", RLNAS_TRAIN_IMAGES: "128" } as Record<string, string>)[n];
  const s = nb201Settings("quick", { epochs: 5, accuracy: { calibImages: 7 } as never }, env);
  assert.equal(s.epochs, 1);
  assert.equal(s.trainImages, 128);
  assert.equal(s.accuracy.calibImages, 7);
  assert.equal(s.accuracy.chunkSize, 128); // the rest of the accuracy settings kept
  assert.equal(nb201Settings("quick", { epochs: 5 }, noEnv).epochs, 5);
  const bad = (n: string) => (n === "RLNAS_EPOCHS" ? "ten" : undefined);
  assert.throws(
    () => nb201Settings("smoke", {}, bad),
    /RLNAS_EPOCHS must be a positive integer, got "ten"/,
  );
  assert.throws(() => nb201Settings("fast" as never, {}, noEnv), /unknown profile "fast"/);
});

Deno.test("describeSettings: one line naming sizes and epochs", () => {
  assert.equal(
    describeSettings(nb201Settings("smoke", {}, noEnv)),
    "SuperNet 256 images, 1 epoch, batch 64; angle search P=100x20; accuracy search P=8x2 on " +
      "64 calib + 100 valid images",
  );
});

Deno.test("nb201Settings: BN recalibration leaves at most 2 % on the reset statistics", () => {
  const want = { smoke: "cumulative", quick: "cumulative", paper: 0.1 } as const;
  for (const p of ["smoke", "quick", "paper"] as const) {
    const a = nb201Settings(p, {}, noEnv).accuracy;
    assert.equal(a.bnMomentum, want[p], p);
    const w = resetStatsWeight(a.calibImages, a.chunkSize, a.bnMomentum);
    assert.ok(w <= 0.02, `${p}: ${w}`);
  }
  // paper = the official protocol (spec §4): 40 chunks of 512 at momentum 0.1, 0.9^40 ~ 1.5 %
  const paper = nb201Settings("paper", {}, noEnv).accuracy;
  assert.equal(Math.ceil(paper.calibImages / paper.chunkSize), 40);
  assert.ok(Math.abs(resetStatsWeight(20_000, 512, 0.1) - 0.9 ** 40) < 1e-15);
  // the module doc table states the same
  const doc = Deno.readTextFileSync(new URL("./settings.ts", import.meta.url));
  assert.match(doc, /\| `smoke` \|.*\| 64 images in 1 chunk of 64, cumulative average .*: 0 \|/);
  assert.match(doc, /\| `quick` \|.*\| 128 images in 1 chunk of 128, cumulative average: 0 \|/);
  assert.match(doc, /\| `paper` \|.*momentum 0\.1: 0\.9\^40 = 1\.5 % \|/);
  // an override keeps the other accuracy settings, the recalibration included
  const s = nb201Settings("quick", { accuracy: { calibImages: 7 } as never }, noEnv);
  assert.equal(s.accuracy.bnMomentum, "cumulative");
});
