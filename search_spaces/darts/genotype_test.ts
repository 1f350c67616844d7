import assert from "node:assert/strict";
import {
  DARTS_OPS,
  DARTS_PRIMITIVES,
  dartsCellFromGenes,
  dartsEdgeOffset,
  dartsGenotypeFromGenes,
  dartsGenotypeToGenes,
  dartsGenotypeToString,
  DartsRuleError,
  makeDartsGenotype,
  type RawDartsGene,
  validateDartsCell,
  validateDartsConcat,
} from "./genotype.ts";

/** DARTS_V2's normal cell (spec §1). */
const V2_NORMAL: RawDartsGene[] = [
  { op: "sep_conv_3x3", input: 0 },
  { op: "sep_conv_3x3", input: 1 },
  { op: "sep_conv_3x3", input: 0 },
  { op: "sep_conv_3x3", input: 1 },
  { op: "sep_conv_3x3", input: 1 },
  { op: "skip_connect", input: 0 },
  { op: "skip_connect", input: 0 },
  { op: "dil_conv_3x3", input: 2 },
];

function _rule(f: () => unknown, rule: string, message: RegExp): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof DartsRuleError, String(e));
    assert.ok(e instanceof RangeError);
    assert.equal(e.rule, rule);
    assert.match(e.message, message);
    assert.ok(e.message.endsWith(`[rule: ${rule}]`), e.message);
    return true;
  });
}

Deno.test("primitives and edge order (rlnas-reference §5.2)", () => {
  assert.deepEqual(DARTS_PRIMITIVES, [
    "none",
    "max_pool_3x3",
    "avg_pool_3x3",
    "skip_connect",
    "sep_conv_3x3",
    "sep_conv_5x5",
    "dil_conv_3x3",
    "dil_conv_5x5",
  ]);
  assert.equal(DARTS_OPS.length, 7);
  assert.deepEqual([2, 3, 4, 5].map(dartsEdgeOffset), [0, 2, 5, 9]);
});

Deno.test("cells convert to and from the 14-gene form", () => {
  const g = makeDartsGenotype(V2_NORMAL, V2_NORMAL);
  const [normal, reduce] = dartsGenotypeToGenes(g);
  // node2: sep(0) sep(1); node3: sep(0) sep(1); node4: sep(1) skip(0); node5: skip(0) dil3(2)
  assert.deepEqual(normal, [4, 4, 4, 4, 0, 3, 4, 0, 0, 3, 0, 6, 0, 0]);
  assert.deepEqual(reduce, normal);
  const back = dartsGenotypeFromGenes([normal, reduce]);
  // the gene form keeps no order within a node: inputs come back in increasing order
  assert.deepEqual(back.normal[4], { op: "skip_connect", input: 0 });
  assert.deepEqual(back.normal[5], { op: "sep_conv_3x3", input: 1 });
  assert.deepEqual(dartsGenotypeToGenes(back), [normal, reduce]);
  assert.deepEqual(dartsGenotypeFromGenes([...normal, ...reduce]), back);
  assert.ok(Object.isFrozen(back.normal) && Object.isFrozen(back.normal[0]));
});

Deno.test("the literal of a genotype", () => {
  const s = dartsGenotypeToString(makeDartsGenotype(V2_NORMAL, V2_NORMAL));
  assert.ok(s.startsWith("Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), "), s);
  assert.ok(s.includes("('dil_conv_3x3', 2)], normal_concat=[2, 3, 4, 5], reduce=["), s);
  assert.ok(s.endsWith("], reduce_concat=[2, 3, 4, 5])"), s);
});

Deno.test("rule: every node takes exactly two inputs", () => {
  _rule(
    () => validateDartsCell("normal", V2_NORMAL.slice(0, 7)),
    "two inputs per node",
    /node 5 has 1 input/,
  );
  _rule(
    () => validateDartsCell("reduce", V2_NORMAL.slice(0, 4)),
    "two inputs per node",
    /^reduce cell: 4 .*node 4 has no inputs/,
  );
  _rule(
    () => validateDartsCell("normal", [...V2_NORMAL, V2_NORMAL[0]]),
    "two inputs per node",
    /9 \(op, input\) pairs.*no node 6/,
  );
  const none = V2_NORMAL.map((g, i) => (i === 3 ? { op: "none", input: 1 } : g));
  _rule(
    () => validateDartsCell("normal", none),
    "two inputs per node",
    /node 3 \(pair 3\): op 'none'/,
  );
  const three = Array.from({ length: 14 }, (_, i) => (i < 5 ? 4 : i === 9 || i === 10 ? 3 : 0));
  _rule(
    () => dartsCellFromGenes("normal", three),
    "two inputs per node",
    /node 3 \(genes 2\.\.4\): 3 non-none/,
  );
});

Deno.test("rule: known ops", () => {
  const bad = V2_NORMAL.map((g, i) => (i === 6 ? { op: "conv_7x1_1x7", input: 0 } : g));
  _rule(
    () => validateDartsCell("reduce", bad),
    "known op",
    /reduce cell, node 5 \(pair 6\): unknown op 'conv_7x1_1x7' \(valid: max_pool_3x3,/,
  );
  const genes = [4, 4, 4, 4, 0, 3, 4, 0, 0, 3, 0, 8, 0, 0];
  _rule(
    () => dartsCellFromGenes("normal", genes),
    "known op",
    /gene 11 \(node 5, input 2\): unknown op id 8 \(valid: 0=none,/,
  );
  _rule(
    () => dartsCellFromGenes("normal", genes.map((v) => v - 0.5)),
    "known op",
    /unknown op id 3\.5/,
  );
});

Deno.test("rule: inputs in range, distinct", () => {
  const far = V2_NORMAL.map((g, i) => (i === 1 ? { op: g.op, input: 2 } : g));
  _rule(
    () => validateDartsCell("normal", far),
    "input in range",
    /node 2 \(pair 1\): input 2 is out of range.*0\.\.1/,
  );
  const neg = V2_NORMAL.map((g, i) => (i === 7 ? { op: g.op, input: -1 } : g));
  _rule(() => validateDartsCell("normal", neg), "input in range", /node 5 \(pair 7\): input -1/);
  const twice = V2_NORMAL.map((g, i) => (i === 3 ? { op: g.op, input: 0 } : g));
  _rule(
    () => validateDartsCell("normal", twice),
    "distinct inputs",
    /both inputs of node 3 come from 0/,
  );
});

Deno.test("rule: concat and gene counts", () => {
  validateDartsConcat("normal", [2, 3, 4, 5]);
  _rule(() => validateDartsConcat("reduce", [2, 3, 4]), "concat", /reduce_concat is \[2, 3, 4\]/);
  _rule(() => validateDartsConcat("normal", [5, 4, 3, 2]), "concat", /normal_concat/);
  _rule(() => dartsCellFromGenes("reduce", [4, 4]), "14 genes per cell", /reduce cell: 2 genes/);
  _rule(() => dartsGenotypeFromGenes([4, 4, 4]), "14 genes per cell", /3 genes.*28/);
});
