import assert from "node:assert/strict";
import { DARTS_DEFAULT_CHANNELS, dartsCost, type DartsNetwork } from "./cost.ts";
import { DARTS_GENOTYPES } from "./genotypes.ts";
import { parseDartsArch, parseDartsGenotype } from "./parse.ts";

const G = (name: string) => parseDartsGenotype(DARTS_GENOTYPES[name]);

Deno.test("golden table of the spec (§2): ImageNet network, 224×224, 1000 classes", () => {
  const rows: [string, number, number, number][] = [
    ["RLNAS_CIFAR10", 48, 629123864, 5674720],
    ["RLNAS_CIFAR10", 46, 580550648, 5257581],
    ["RLNAS_IMAGENET_600M", 48, 596750936, 5463616],
    ["DARTS_V2", 48, 530678552, 4718752],
  ];
  for (const [name, channels, flops, params] of rows) {
    const c = dartsCost(G(name), "imagenet", { channels });
    assert.deepEqual([c.flops, c.params], [flops, params], `${name} C=${channels}`);
  }
  // the 28-gene form of the spec gives the same counts
  const genes = "[[5,4,6,0,5,4,0,0,7,0,7,6,0,0],[5,6,4,0,5,0,6,0,4,0,1,5,0,0]]";
  const c = dartsCost(parseDartsArch(genes), "imagenet", { channels: 48 });
  assert.deepEqual([c.flops, c.params], [629123864, 5674720]);
});

Deno.test("DARTS_V2 at C=48: FLOPs by part (spec §2)", () => {
  const c = dartsCost(G("DARTS_V2"), "imagenet");
  const reduce = 28901376;
  const expected = [
    ["stem0", "stem", 40642560],
    ["stem1", "stem", 16257024],
    ["cell0", "normal", 27207936],
    ["cell1", "normal", 32626944],
    ["cell2", "normal", 38045952],
    ["cell3", "normal", 38045952],
    ["cell4", "reduce", reduce],
    ["cell5", "normal", 32570496],
    ["cell6", "normal", 36183168],
    ["cell7", "normal", 36183168],
    ["cell8", "normal", 36183168],
    ["cell9", "reduce", reduce],
    ["cell10", "normal", 31639104],
    ["cell11", "normal", 35251776],
    ["cell12", "normal", 35251776],
    ["cell13", "normal", 35251776],
    ["classifier", "classifier", 1535000],
  ];
  assert.deepEqual(c.parts.map((p) => [p.name, p.kind, p.flops]), expected);
  assert.equal(c.parts.reduce((s, p) => s + p.flops, 0), c.flops);
  assert.equal(c.parts.reduce((s, p) => s + p.params, 0), c.params);
  // hand count: stem1 9·48²+2·48 params, classifier 768·1000+1000
  assert.equal(c.parts[1].params, 9 * 48 * 48 + 96);
  assert.equal(c.parts[16].params, 769000);
});

Deno.test("the evolution's 600M constraint (rlnas-reference §5.2) is met by the 600M genotype", () => {
  assert.ok(dartsCost(G("RLNAS_IMAGENET_600M"), "imagenet").flops <= 600e6);
  assert.equal(DARTS_DEFAULT_CHANNELS.imagenet, 48);
});

Deno.test("paper tables round the ImageNet counts (RLNAS Tables 3, 4 and 8)", () => {
  // Table 4: unconstrained C=48 and its C=42 row; UnNAS color genotype 5.3M/587M at C=48.
  const m = (name: string, channels: number) => {
    const c = dartsCost(G(name), "imagenet", { channels });
    return [Math.round(c.flops / 1e6), Math.round(c.params / 1e5) / 10];
  };
  assert.deepEqual(m("UNNAS_IMAGENET_COL", 48), [587, 5.3]);
  assert.deepEqual(m("RLNAS_CIFAR10", 46), [581, 5.3]);
});

Deno.test("CIFAR network: 20 cells, 32×32, 10 classes, auxiliary head excluded", () => {
  const c = dartsCost(G("DARTS_V2"), "cifar");
  assert.equal(DARTS_DEFAULT_CHANNELS.cifar, 36);
  assert.equal(c.parts.length, 1 + 20 + 1);
  assert.deepEqual(
    c.parts.filter((p) => p.kind === "reduce").map((p) => p.name),
    ["cell6", "cell13"],
  );
  // stem Conv3x3 3→108 + BN on 32×32; classifier 576→10
  assert.deepEqual([c.parts[0].flops, c.parts[0].params], [27 * 108 * 1024, 27 * 108 + 216]);
  assert.deepEqual([c.parts[21].flops, c.parts[21].params], [(2 * 576 - 1) * 10, 5770]);
  // cell0 of DARTS_V2 (C=36, 32×32): preprocess 2×(108·36·1024), 5 sep3, 1 dil3, 2 identities
  const hw = 1024;
  const sep = 2 * (9 * 36 * hw + 36 * 36 * hw);
  const dil = 9 * 36 * hw + 36 * 36 * hw;
  assert.equal(c.parts[1].flops, 2 * 108 * 36 * hw + 5 * sep + dil);
  // the peers' papers round these parameter counts: DARTS 3.3M, P-DARTS 3.4M, PC-DARTS 3.6M
  const mParams = (n: string) => Math.round(dartsCost(G(n), "cifar").params / 1e5) / 10;
  assert.deepEqual(["DARTS_V2", "PDARTS", "PC_DARTS_cifar"].map(mParams), [3.3, 3.4, 3.6]);
  // a 100-class head only changes the classifier
  const c100 = dartsCost(G("DARTS_V2"), "cifar", { numClasses: 100 });
  assert.equal(c100.params - c.params, 576 * 90 + 90);
  // odd C is a valid CIFAR network (FactorizedReduce only ever halves 2C, 4C, 8C there)
  assert.ok(dartsCost(G("DARTS_V2"), "cifar", { channels: 7 }).flops > 0);
});

Deno.test("more channels, more cost; channels scale both networks", () => {
  const g = G("RLNAS_CIFAR10");
  for (const net of ["imagenet", "cifar"] as DartsNetwork[]) {
    const a = dartsCost(g, net, { channels: 16 });
    const b = dartsCost(g, net, { channels: 32 });
    assert.ok(b.flops > 3 * a.flops && b.params > 3 * a.params, net);
  }
});

Deno.test("bad inputs", () => {
  const g = G("DARTS_V2");
  assert.throws(() => dartsCost(g, "imagenet", { channels: 7 }), /positive even integer.*got 7/);
  assert.throws(() => dartsCost(g, "imagenet", { channels: 0 }), /got 0/);
  assert.throws(() => dartsCost(g, "cifar", { channels: 1.5 }), /positive integer.*got 1\.5/);
  assert.throws(() => dartsCost(g, "cifar", { channels: -2 }), /got -2/);
  assert.throws(() => dartsCost(g, "imagenet", { numClasses: 0 }), /numClasses/);
  assert.throws(() => dartsCost(g, "mobilenet" as DartsNetwork), /unknown DARTS network/);
});
