// boundedSet keeps exactly the newest `cap` keys in insertion order (a key set again is newest), whatever mix of
// sets, re-sets, deletes by other code and clears came before: checked against a plain array model.

import { describe, expect, it } from "vitest";
import { boundedSet } from "../../src/traces/common";

describe("boundedSet", () => {
  it("evicts the oldest keys exactly as an array model does, across re-sets, deletes and clears", () => {
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const cap = 16;
    const map = new Map<string, number>();
    let model: string[] = [];
    for (let step = 0; step < 20000; step++) {
      const roll = next(100);
      const key = `k${next(60)}`;
      if (roll < 80) {
        boundedSet(map, key, step, cap);
        model = model.filter((k) => k !== key);
        model.push(key);
        while (model.length > cap) model.shift();
      } else if (roll < 98) {
        map.delete(key);
        model = model.filter((k) => k !== key);
      } else {
        map.clear();
        model = [];
      }
      expect([...map.keys()]).toEqual(model);
    }
  });
});
