// The scope hash a filter-free `stats`'s kept counts are checked by (store/table-counts.ts scopeHash) is the sha1 of
// `+path\0` or `-path\0` for each trace in order, however many paths it hashes at once: a scope of thousands of
// traces (past the chunk it hashes at a time) and hostile paths give the digest of that text, and any change to the
// scope — an order, a liveness, a path — another.

import { createHash } from "node:crypto";
import { expect, it } from "vitest";
import { scopeHash } from "../../src/store/table-counts";

const reference = (scope: { path: string; live: boolean }[]): string => {
  const hash = createHash("sha1");
  for (const { path, live } of scope) hash.update(`${live ? "+" : "-"}${path}\u0000`);
  return hash.digest("hex");
};

it("is the sha1 of each trace's liveness and path, for small and large scopes", () => {
  const paths = Array.from({ length: 3000 }, (_, i) => `/home/u/.claude/projects/-p/${i.toString(16).padStart(8, "0")}-é\n"x".jsonl`);
  for (const n of [0, 1, 2, 500, 3000]) {
    const scope = paths.slice(0, n).map((path, i) => ({ path, live: i % 3 !== 0 }));
    expect(scopeHash(scope)).toBe(reference(scope));
  }
  const scope = paths.map((path) => ({ path, live: true }));
  const base = scopeHash(scope);
  expect(scopeHash([...scope].reverse())).not.toBe(base);
  expect(scopeHash(scope.map((s, i) => (i === 2999 ? { ...s, live: false } : s)))).not.toBe(base);
  expect(scopeHash(scope.map((s, i) => (i === 1500 ? { ...s, path: `${s.path}x` } : s)))).not.toBe(base);
});
