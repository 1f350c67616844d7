import assert from "node:assert/strict";
import {
  formatShard,
  parseShard,
  planShard,
  runUnits,
  shardCoverage,
  shardRefusal,
  unitBlocks,
  unitsOfShard,
} from "./shard.ts";
import { getBenchmark, listBenchmarks } from "./registry.ts";
import { checkUnitSuperNets, type Nb201Work } from "./_nb201/run.ts";
import { UsageError } from "../cli/args.ts";
import type { DatasetName } from "./types.ts";

const ALL: DatasetName[] = ["cifar10", "cifar100", "ImageNet16-120"];

Deno.test("parseShard: i/n with 1 <= i <= n, anything else a usage error naming --shard", () => {
  assert.deepEqual(parseShard("1/1"), { index: 1, count: 1 });
  assert.deepEqual(parseShard("3/4"), { index: 3, count: 4 });
  assert.equal(formatShard(parseShard("2/7")), "2/7");
  for (const bad of ["0/2", "3/2", "1/0", "a", "1/", "/2", "1/2/3", "-1/2", "1.5/2", " 1/2", ""]) {
    assert.throws(() => parseShard(bad), (e: Error) => {
      assert.ok(e instanceof UsageError, bad);
      assert.match(e.message, /^--shard must be i\/n with integers 1 <= i <= n/);
      assert.ok(e.message.endsWith(`got '${bad}'`), e.message);
      return true;
    });
  }
});

Deno.test("runUnits: a stable order (benchmark's datasets, then seeds ascending) whatever the flags' order", () => {
  const a = runUnits(["ImageNet16-120", "cifar10"], [2, 0, 1, 0], ALL);
  const b = runUnits(["cifar10", "ImageNet16-120", "cifar10"], [0, 1, 2], ALL);
  assert.deepEqual(a, b);
  assert.deepEqual(a.map((u) => `${u.dataset}:${u.seed}`), [
    "cifar10:0",
    "cifar10:1",
    "cifar10:2",
    "ImageNet16-120:0",
    "ImageNet16-120:1",
    "ImageNet16-120:2",
  ]);
});

Deno.test("unitsOfShard: the shards partition the units (disjoint, complete), balanced within one unit", () => {
  const units = runUnits(ALL, [0, 1, 2, 3], ALL); // 12 units
  for (const n of [1, 2, 3, 5, 7, 12]) {
    const shards = Array.from(
      { length: n },
      (_, i) => unitsOfShard(units, { index: i + 1, count: n }),
    );
    const seen = shards.flat().map((u) => `${u.dataset}:${u.seed}`);
    assert.equal(seen.length, units.length, `n=${n}`);
    assert.equal(new Set(seen).size, units.length, `n=${n}: a unit in two shards`);
    const sizes = shards.map((s) => s.length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `n=${n}: ${sizes}`);
    // unit k goes to shard (k mod n) + 1
    shards.forEach((s, i) => s.forEach((u) => assert.equal(units.indexOf(u) % n, i)));
  }
  // the same call twice gives the same shard
  assert.deepEqual(
    unitsOfShard(runUnits(ALL, [0, 1], ALL), { index: 2, count: 4 }),
    unitsOfShard(runUnits(ALL, [1, 0], ALL), { index: 2, count: 4 }),
  );
});

Deno.test("unitBlocks: datasets x seeds blocks that cover exactly the shard's units", () => {
  const units = runUnits(ALL, [0, 1], ALL); // 6 units
  for (const n of [1, 2, 3, 4, 6]) {
    for (let i = 1; i <= n; i++) {
      const mine = unitsOfShard(units, { index: i, count: n });
      const blocks = unitBlocks(mine);
      const covered = blocks.flatMap((b) =>
        b.datasets.flatMap((d) => b.seeds.map((s) => `${d}:${s}`))
      );
      assert.deepEqual(
        covered.sort(),
        mine.map((u) => `${u.dataset}:${u.seed}`).sort(),
        `${i}/${n}`,
      );
    }
  }
  // 3 datasets x 3 seeds over 3 shards: one block per shard (every dataset, one seed)
  const nine = runUnits(ALL, [0, 1, 2], ALL);
  assert.deepEqual(unitBlocks(unitsOfShard(nine, { index: 2, count: 3 })), [
    { datasets: ALL, seeds: [1] },
  ]);
  // cifar10 seed 0 and cifar100 seed 1 cannot be one cross product
  assert.deepEqual(
    unitBlocks(unitsOfShard(runUnits(ALL.slice(0, 2), [0, 1, 2], ALL), { index: 1, count: 4 })),
    [
      { datasets: ["cifar10"], seeds: [0] },
      { datasets: ["cifar100"], seeds: [1] },
    ],
  );
});

Deno.test("planShard: the NB201 benchmarks shard; lookup and compare refuse n > 1; too many shards refused", () => {
  const shardable = listBenchmarks().filter((b) => shardRefusal(b) === null).map((b) => b.name);
  assert.deepEqual(shardable, ["table1", "table2", "table6", "table7", "figure1"]);
  assert.match(shardRefusal(getBenchmark("nb201-lookup"))!, /trains nothing/);
  assert.match(shardRefusal(getBenchmark("compare"))!, /cannot be merged/);

  const t2 = getBenchmark("table2");
  const p = planShard(t2, ["cifar10"], [1, 0], { index: 2, count: 2 });
  assert.deepEqual(p.units, [{ dataset: "cifar10", seed: 1 }]);
  assert.deepEqual(p.blocks, [{ datasets: ["cifar10"], seeds: [1] }]);
  assert.equal(p.all.length, 2);
  // 1/1 runs the selection as given, for any benchmark
  const whole = planShard(getBenchmark("nb201-lookup"), ["cifar100", "cifar10"], [0], {
    index: 1,
    count: 1,
  });
  assert.deepEqual(whole.blocks, [{ datasets: ["cifar100", "cifar10"], seeds: [0] }]);

  assert.throws(
    () => planShard(getBenchmark("nb201-lookup"), ["cifar10"], [0], { index: 1, count: 2 }),
    /^UsageError: --shard 1\/2: benchmark nb201-lookup cannot shard: it trains nothing/,
  );
  assert.throws(
    () => planShard(t2, ["cifar10"], [0], { index: 1, count: 2 }),
    /--shard 1\/2: table2 has 1 unit \(cifar10 seed 0\), one dataset and seed each, for 2 shards \(valid: n <= 1/,
  );
  assert.throws(() => planShard(t2, ["cifar10"], [0, 1], { index: 3, count: 3 }), UsageError);
});

Deno.test("checkUnitSuperNets: a unit may only ask for SuperNets of its own dataset and seed", () => {
  const own: Nb201Work = {
    supernets: (dataset, seed) => [
      { dataset, seed, labels: "ground-truth" },
      { dataset, seed, labels: "random-uniform-once", numClasses: 100 },
    ],
  };
  checkUnitSuperNets(own, ["cifar10", "cifar100"], [0, 1]);
  const shared: Nb201Work = {
    supernets: (dataset, seed) => [{ dataset, seed: seed - (seed % 2), labels: "ground-truth" }],
  };
  checkUnitSuperNets(shared, ["cifar10"], [0, 2]);
  assert.throws(
    () => checkUnitSuperNets(shared, ["cifar10"], [0, 1]),
    /--shard: the work of cifar10 seed 1 needs the SuperNet of cifar10 seed 0 \(ground-truth\), another unit's/,
  );
});

Deno.test("shardCoverage: names the missing shards of a split; nothing for unsharded runs", () => {
  const of = { datasets: ["cifar10"], seeds: [0, 1, 2], units: 3 };
  assert.deepEqual(shardCoverage({ a: { argv: [] }, b: { shard: "1/1" } }), []);
  assert.deepEqual(
    shardCoverage({ a: { shard: "1/3", shard_of: of }, b: { shard: "3/3", shard_of: of } }),
    [
      "merged 2 of 3 shards of datasets cifar10 seeds 0,1,2: shard 2/3 missing, their rows are " +
      "not judged",
    ],
  );
  assert.deepEqual(
    shardCoverage({
      a: { shard: "1/2", shard_of: of },
      b: { shard: "2/2", shard_of: of },
      c: { argv: [] },
    }),
    ["merged all 2 shards of datasets cifar10 seeds 0,1,2"],
  );
  const mixed = shardCoverage({
    a: { shard: "1/2", shard_of: of },
    b: { shard: "2/2", shard_of: { ...of, seeds: [0, 1] } },
  });
  assert.equal(mixed.length, 3);
  assert.match(mixed[2], /2 different shard splits/);
});
