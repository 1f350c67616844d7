import assert from "node:assert/strict";
import { UsageError } from "../cli/args.ts";
import { ArchSyntaxError } from "./arch_syntax_error.ts";
import { archCost, costModelNames, getCostModel } from "./cost_models.ts";
import { DartsRuleError } from "./darts/genotype.ts";
import { MobilenetRuleError } from "./mobilenet/architecture.ts";

Deno.test("the registered models and their flags", () => {
  assert.deepEqual(costModelNames(), ["nb201", "darts-imagenet", "darts-cifar", "mobilenet"]);
  assert.deepEqual(Object.keys(getCostModel("nb201").flags), ["dataset"]);
  assert.deepEqual(Object.keys(getCostModel("darts-imagenet").flags), ["channels"]);
  assert.deepEqual(Object.keys(getCostModel("darts-cifar").flags), ["channels", "classes"]);
  assert.deepEqual(Object.keys(getCostModel("mobilenet").flags), []);
  // a flag name shared by two models has the same type
  const types = new Map<string, string>();
  for (const name of costModelNames()) {
    const m = getCostModel(name);
    assert.equal(m.name, name);
    for (const [flag, spec] of Object.entries(m.flags)) {
      assert.equal(types.get(flag) ?? spec.type, spec.type, `${name} --${flag}`);
      types.set(flag, spec.type);
    }
    // every model's example parses and counts
    const c = archCost(name, m.example);
    assert.ok(c.flops > 0 && c.params > 0, name);
  }
});

Deno.test("golden values through the registry (spec §2, §3)", () => {
  assert.deepEqual(
    [archCost("darts-imagenet", "RLNAS_CIFAR10", { channels: "46" })].map((
      c,
    ) => [c.flops, c.params]),
    [[580550648, 5257581]],
  );
  const d = archCost("darts-imagenet", "DARTS_V2");
  assert.deepEqual([d.flops, d.params], [530678552, 4718752]);
  assert.equal(d.parts?.length, 17);
  const m = archCost("mobilenet", "2 0 -1 2 2 0 2 4 0 4 4 2 4 2 4 2 0 0 0 2 2");
  assert.deepEqual([m.flops, m.params], [473248184, 5255648]);
  // NB201: the all-none network of nb201/cost_test.ts, as a string and as op ids
  const none = archCost("nb201", "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|");
  assert.deepEqual([none.flops, none.params], [7943872, 73306]);
  assert.deepEqual(archCost("nb201", "[0, 0, 0, 0, 0, 0]", { dataset: "cifar10" }), none);
  const c100 = archCost("nb201", "0,0,0,0,0,0", { dataset: "cifar100" });
  assert.equal(c100.params - none.params, 64 * 90 + 90);
});

Deno.test("defaults and options", () => {
  const cifar = getCostModel("darts-cifar");
  assert.deepEqual(cifar.options({}), { channels: 36, numClasses: 10 });
  assert.deepEqual(cifar.options({ channels: "7", classes: "100" }), {
    channels: 7,
    numClasses: 100,
  });
  assert.deepEqual(getCostModel("darts-imagenet").options({}), { channels: 48 });
  assert.deepEqual(getCostModel("nb201").options({}), { dataset: "cifar10" });
  const c = archCost("darts-cifar", "DARTS_V2", { classes: "100" });
  assert.equal(c.params - archCost("darts-cifar", "DARTS_V2").params, 576 * 90 + 90);
});

Deno.test("bad flags are usage errors; bad architectures syntax or rule errors", () => {
  assert.throws(
    () => archCost("darts-imagenet", "DARTS_V2", { channels: "7" }),
    (e: unknown) =>
      e instanceof UsageError &&
      e.message === "--channels must be a positive even integer (default 48), got '7'",
  );
  assert.throws(() => archCost("darts-cifar", "DARTS_V2", { channels: "0" }), UsageError);
  assert.throws(() => archCost("darts-cifar", "DARTS_V2", { classes: "1e3" }), UsageError);
  assert.throws(() => archCost("darts-imagenet", "Genotype(normal=["), ArchSyntaxError);
  assert.throws(() => archCost("darts-cifar", "[[4,4]]"), ArchSyntaxError);
  assert.throws(() => archCost("darts-imagenet", "[[4,4],[4,4]]"), DartsRuleError);
  assert.throws(() => archCost("mobilenet", "1 2 3"), MobilenetRuleError);
  assert.throws(() => archCost("mobilenet", "1 two 3"), ArchSyntaxError);
  assert.throws(() => archCost("nb201", "1,2,3"), RangeError);
  assert.throws(
    () => getCostModel("darts"),
    /unknown cost model 'darts' \(valid: nb201, darts-imagenet/,
  );
  assert.throws(() => getCostModel("toString"), RangeError);
});
