// The Claude parser's resumable state as the index stores it (JSON): its uuid chain comes back with every uuid's
// prompt and model, in the same order (the order evictions follow), each distinct [prompt, model] pair written once;
// entries of another shape are dropped, and a state of another version starts clean.

import { describe, expect, it } from "vitest";
import { ClaudeState } from "../../src/agents/claude/state";

const PATH = "/home/u/.claude/projects/p/s.jsonl";

/** A chain of `n` records: a prompt every 10th record, a model on every 4th, the rest inheriting from their parent. */
function chain(n: number): ClaudeState {
  const state = new ClaudeState();
  let parent: string | null = null;
  for (let i = 0; i < n; i++) {
    const uuid = `u-${i}`;
    state.link(uuid, parent, i % 10 === 0 ? `p-${i}` : null, i % 4 === 0 ? `claude-${i % 3}` : null);
    parent = uuid;
  }
  return state;
}

const roundTrip = (state: ClaudeState): ClaudeState => ClaudeState.restore(JSON.parse(JSON.stringify(state.serialize())), PATH);

describe("ClaudeState serialisation", () => {
  it("restores every link's prompt and model in order, with each shared pair written once", () => {
    const state = chain(300);
    const restored = roundTrip(state);
    expect([...restored.links.keys()]).toEqual([...state.links.keys()]);
    for (const uuid of state.links.keys()) {
      expect(restored.promptOf(uuid)).toBe(state.promptOf(uuid));
      expect(restored.modelOf(uuid)).toBe(state.modelOf(uuid));
    }
    const serialized = state.serialize() as { linkPairs: unknown[]; links: unknown[] };
    expect(serialized.links).toHaveLength(2 * 300);
    expect(new Set(state.links.values()).size).toBe(serialized.linkPairs.length);
    expect(serialized.linkPairs.length).toBeLessThan(300 / 2);
    // Links sharing a pair share it again once restored, so a resumed chain stays as small as a whole read's.
    expect(new Set(restored.links.values()).size).toBe(serialized.linkPairs.length);
    // A record appended after the resume inherits from a restored parent.
    restored.link("next", "u-299", null, null);
    expect(restored.promptOf("next")).toBe("p-290");
    expect(restored.modelOf("next")).toBe("claude-2");
  });

  it("keeps the chain's eviction order across a resume", () => {
    const restored = roundTrip(chain(1024));
    restored.link("newest", "u-1023", null, null);
    expect(restored.links.has("u-0")).toBe(false);
    expect(restored.links.has("u-1")).toBe(true);
    expect(restored.links.size).toBe(1024);
  });

  it("drops links of another shape and ignores a state of another version", () => {
    const good = chain(3).serialize() as Record<string, unknown>;
    const odd = { ...good, linkPairs: [["p", null], [1, 2], "x"], links: ["a", 0, "b", 1, "c", 2, "d", 7, 5, 0, "e", -1, "f", 0.5, "g"] };
    const restored = ClaudeState.restore(odd, PATH);
    expect([...restored.links.keys()]).toEqual(["a"]);
    expect(restored.promptOf("a")).toBe("p");
    expect(ClaudeState.restore({ ...good, linkPairs: "x" }, PATH).links.size).toBe(0);
    // The previous build's layout (v1: one pair per link) is never read as this one.
    const v1 = { ...good, v: 1, links: [["a", ["p", "m"]]] };
    expect(ClaudeState.restore(v1, PATH).links.size).toBe(0);
  });
});
