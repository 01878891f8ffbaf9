// How many characters of a session id to print so that the printed prefix names one session of the project: at
// least 8 (what people expect from git-like tables), more where two ids share a longer start (Codex ids are
// time-ordered UUIDs: sessions started within about a minute share their first 8 characters). Tables use one
// length for all their rows, so columns stay aligned and every printed id works with `transcript view`.

import { commonPrefixLength } from "../util/common-affix";

export const MIN_SESSION_PREFIX = 8;

/** A subagent's id is its parent's id, `/`, its own: it shares its parent's prefix and is found through it. */
function mainId(id: string): string {
  const slash = id.indexOf("/");
  return slash < 0 ? id : id.slice(0, slash);
}

/**
 * The prefix length that keeps every id of `shown` apart from every other id of `all` (the project's sessions):
 * the longest common start of a shown id with its sorted neighbours, plus one, and never less than `min`. An id
 * that is a prefix of another is printed whole. Subagents count as their parent session.
 */
export function sessionPrefixLength(all: Iterable<string>, shown: Iterable<string>, min = MIN_SESSION_PREFIX): number {
  const sorted = [...new Set([...all].map(mainId))].sort();
  const at = new Map(sorted.map((id, i) => [id, i]));
  let length = min;
  for (const id of new Set([...shown].map(mainId))) {
    const i = at.get(id);
    if (i === undefined) continue;
    const before = i > 0 ? commonPrefixLength(id, sorted[i - 1] ?? "") : 0;
    const after = i + 1 < sorted.length ? commonPrefixLength(id, sorted[i + 1] ?? "") : 0;
    length = Math.max(length, Math.min(id.length, Math.max(before, after) + 1));
  }
  return length;
}
