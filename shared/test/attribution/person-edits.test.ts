// advanceByPerson on its own: which lines keep their owner code (and flag) through an untraced edit, and that a
// region rewritten whole (every line new, tens of thousands of them) gets the fill code for each line.

import { describe, expect, it } from "vitest";
import { chainOf } from "../../src/attribution/chain";
import { advanceByPerson, EVENT_INDEX, MOVED, REFORMATTED } from "../../src/attribution/person-edits";

const lenient = { strictWhitespace: false };
const FILL = -2;

function describeOwners(owners: readonly number[]): string[] {
  return owners.map((code) => {
    if (code < 0) return String(code);
    const flags = `${code & REFORMATTED ? "r" : ""}${code & MOVED ? "m" : ""}`;
    return `${code & EVENT_INDEX}${flags}`;
  });
}

describe("advanceByPerson", () => {
  it("keeps exact lines, flags whitespace-only ones, and leaves real changes to the fill", () => {
    const chain = chainOf("a = 1\nb = 2\nc = 3\n", 0);
    chain.owners[1] = 1;
    const next = advanceByPerson(chain, "a = 1\n  b  =  2\nc = 4\n", FILL, lenient);
    expect(describeOwners(next.owners)).toEqual(["0", "1r", "-2"]);
    expect(describeOwners(advanceByPerson(chainOf("a = 1\nb = 2\n", 0), "a = 1\n  b  =  2\n", FILL, { strictWhitespace: true }).owners)).toEqual(["0", "-2"]);
  });

  it("an unattributed line keeps its reason without a flag", () => {
    const next = advanceByPerson(chainOf("x = 1\n", -1), "x  =  1\n", FILL, lenient);
    expect(next.owners).toEqual([-1]);
  });

  it("a joined line takes the owner of most of its characters", () => {
    const chain = chainOf("total = a +\n    b_much_longer_name\n", 0);
    chain.owners[1] = 1;
    const next = advanceByPerson(chain, "total = a + b_much_longer_name\n", FILL, lenient);
    expect(describeOwners(next.owners)).toEqual(["1r"]);
  });

  it("a region rewritten whole gets the fill code for every line", () => {
    const n = 30_000;
    const before = Array.from({ length: n }, (_, i) => `old_line_${i} = compute(${i}, ${i * 7})`).join("\n");
    const after = Array.from({ length: n }, (_, i) => `new_value_${i} = other(${i * 3})`).join("\n");
    const next = advanceByPerson(chainOf(`${before}\n`, 0), `${after}\n`, FILL, lenient);
    expect(next.owners.length).toBe(n);
    expect(next.owners.every((code) => code === FILL)).toBe(true);
  });
});
