import assert from "node:assert/strict";
import { ArchSyntaxError } from "../arch_syntax_error.ts";
import { DartsRuleError } from "./genotype.ts";
import { DARTS_GENOTYPES } from "./genotypes.ts";
import { parseDartsArch, parseDartsGenes, parseDartsGenotype } from "./parse.ts";

/** RLNAS_IMAGENET_600M as in the spec (§1). */
const IN600 = DARTS_GENOTYPES.RLNAS_IMAGENET_600M;
const IN600_GENES = "[[4,4,0,3,4,0,4,4,0,3,0,0,0,4],[4,1,4,3,0,4,6,0,0,3,4,0,0,0]]";

/** Asserts a syntax error at `offset` whose message has `reason` and a caret under `offset`. */
function _syntax(text: string, offset: number, reason: RegExp): void {
  assert.throws(() => parseDartsArch(text), (e: unknown) => {
    assert.ok(e instanceof ArchSyntaxError, String(e));
    assert.equal(e.offset, offset, e.message);
    assert.match(e.reason, reason);
    const [first, line, caret] = e.message.split("\n");
    assert.ok(first.endsWith(`at character offset ${offset}:`), first);
    // the caret is under the character at `offset` (or just past the end of the text)
    const above = line[caret.indexOf("^")];
    assert.equal(above ?? "", (text[offset] ?? "").replace(/\s/, " "), e.message);
    return true;
  });
}

function _rule(text: string, rule: string, message: RegExp): void {
  assert.throws(() => parseDartsArch(text), (e: unknown) => {
    assert.ok(e instanceof DartsRuleError, String(e));
    assert.equal(e.rule, rule);
    assert.match(e.message, message);
    return true;
  });
}

Deno.test("the three forms give the same genotype", () => {
  const g = parseDartsGenotype(IN600);
  assert.deepEqual(parseDartsArch(IN600), g);
  assert.deepEqual(parseDartsArch("RLNAS_IMAGENET_600M"), g);
  assert.deepEqual(parseDartsGenes(IN600_GENES), parseDartsArch(IN600_GENES));
  const fromGenes = parseDartsArch(` ${IN600_GENES.replaceAll(",", ", ")} `);
  // same edges and ops; the gene form lists a node's inputs in increasing order
  const key = (c: readonly { op: string; input: number }[]) =>
    c.map((x) => `${x.op}@${x.input}`).sort().join(" ");
  assert.equal(key(fromGenes.normal), key(g.normal));
  assert.equal(key(fromGenes.reduce), key(g.reduce));
  const flat = JSON.stringify(JSON.parse(IN600_GENES).flat());
  assert.deepEqual(parseDartsArch(flat), fromGenes);
});

Deno.test("literal variants: NAME = prefix, range(2, 6), double quotes, blanks, trailing commas", () => {
  const g = parseDartsGenotype(IN600);
  assert.deepEqual(parseDartsArch(`RLNAS_IMAGENET_600M = ${IN600}`), g);
  const ranged = IN600.replaceAll("[2, 3, 4, 5]", "range(2, 6)");
  assert.deepEqual(parseDartsArch(ranged), g);
  assert.deepEqual(parseDartsArch(IN600.replaceAll("'", '"')), g);
  const spaced = IN600.replaceAll("(", " ( ").replaceAll(",", " ,\n\t").replaceAll("=", " = ");
  assert.deepEqual(parseDartsArch(spaced), g);
  const trailing = IN600.replaceAll(")]", "),]").replace(/\)$/, ",)");
  assert.deepEqual(parseDartsArch(trailing), g);
  // fields in another order (keyword arguments)
  const m = /^Genotype\((normal=.*), (reduce=.*)\)$/.exec(IN600) as RegExpExecArray;
  assert.deepEqual(parseDartsArch(`Genotype(${m[2]}, ${m[1]})`), g);
});

Deno.test("malformed strings point at the position", () => {
  _syntax(
    "Genotype(normal=[('sep_conv_5x5' 0)])",
    33,
    /^expected ',' between the op and the input, found '0'$/,
  );
  _syntax(
    "Genotype(normal=[('sep_conv_5x5', zero)])",
    34,
    /expected the input node \(an integer\), found 'zero'/,
  );
  _syntax(
    "Genotype(normal=[(sep_conv_5x5, 0)])",
    18,
    /expected an op name \(a quoted string\), found 'sep_conv_5x5'/,
  );
  _syntax("Genotype(normal=[('sep_conv_5x5, 0)])", 18, /unterminated string/);
  _syntax("Genotype(normal=[('sep_conv_5x5', 0)], foo=1)", 39, /unknown field 'foo'/);
  _syntax("Genotype(normal=[], normal=[])", 20, /field 'normal' given twice/);
  _syntax("Genotype(normal=[])", 18, /missing field 'normal_concat'/);
  _syntax("Genotype(normal=[]", 18, /expected '\)' after a field \(',' or '\)'\), found the end/);
  _syntax(`${IN600})`, IN600.length, /unexpected '\)' after the closing '\)' of Genotype/);
  _syntax(
    IN600.replace("normal_concat=[2, 3, 4, 5]", "normal_concat=rang(2, 6)"),
    IN600.indexOf("normal_concat=") + 14,
    /expected a list or range\(2, 6\) for normal_concat/,
  );
  _syntax("Genotipe(normal=[])", 0, /expected 'Genotype\(', found 'Genotipe'/);
  _syntax("DARTS_V3", 0, /unknown genotype name 'DARTS_V3' \(names: RLNAS_CIFAR10,/);
  _syntax("", 0, /expected 'Genotype\(', found the end of the string/);
  _syntax(`${IN600_GENES} x`, IN600_GENES.length + 1, /unexpected 'x' after the list of genes/);
  _syntax(
    "[[4,4,0,3,4,0,4,4,0,3,0,0,0,4];[4]]",
    30,
    /expected ',' between the normal and the reduce lists, found ';'/,
  );
  _syntax("[[4,4],[4],[4]]", 11, /expected '\]' after the reduce list/);
  _syntax("[4,x]", 3, /expected an op id \(0\.\.7\) of the 28 genes \(an integer\), found 'x'/);
  // a long literal: the excerpt is cut around the position
  const long = IN600.replace("('sep_conv_3x3', 4)", "('sep_conv_3x3' 4)");
  _syntax(long, IN600.indexOf("('sep_conv_3x3', 4)") + 16, /expected ','/);
});

Deno.test("genotypes breaking the space's rules name the rule", () => {
  _rule(
    IN600.replace(", ('sep_conv_3x3', 4)]", "]"),
    "two inputs per node",
    /normal cell: 7 .*node 5 has 1 input/,
  );
  _rule(
    IN600.replace("('skip_connect', 1)", "('none', 1)"),
    "two inputs per node",
    /normal cell, node 3 \(pair 2\): op 'none'/,
  );
  _rule(
    IN600.replace("('max_pool_3x3', 1)", "('max_pool_5x5', 1)"),
    "known op",
    /reduce cell, node 2 \(pair 1\): unknown op 'max_pool_5x5'/,
  );
  _rule(
    IN600.replace("('sep_conv_3x3', 4)", "('sep_conv_3x3', 5)"),
    "input in range",
    /normal cell, node 5 \(pair 7\): input 5 is out of range/,
  );
  _rule(
    IN600.replace("('sep_conv_3x3', 4)", "('sep_conv_3x3', 0)"),
    "distinct inputs",
    /node 5 come from 0/,
  );
  _rule(
    IN600.replace("reduce_concat=[2, 3, 4, 5]", "reduce_concat=range(2, 5)"),
    "concat",
    /reduce_concat is \[2, 3, 4\]/,
  );
  _rule(
    "[[4,4,0,3,4,0,4,4,0,3,0,0,0,4],[4,1,4,3,0,4,6,0,0,3,4,0,0,4]]",
    "two inputs per node",
    /reduce cell, node 5 \(genes 9\.\.13\): 3 non-none/,
  );
  _rule(
    "[[4,4,0,3,4,0,4,4,0,3,0,0,4],[4,1,4,3,0,4,6,0,0,3,4,0,0,0]]",
    "14 genes per cell",
    /normal cell: 13 genes/,
  );
  _rule(
    "[[4,4,0,3,4,0,4,4,0,3,0,0,0,9],[4,1,4,3,0,4,6,0,0,3,4,0,0,0]]",
    "known op",
    /unknown op id 9/,
  );
  _rule("[4,4,0]", "14 genes per cell", /3 genes, but a genotype has 28/);
});
