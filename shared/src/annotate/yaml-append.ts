// The YAML `append` writer (also used for sidecar files): sets the top-level `edit_history` list by splicing text,
// so every byte outside that list — comments, quoting, indentation — stays as the user wrote it. Each result is
// re-parsed and checked; when splicing cannot be proven right the yaml Document API re-serialises instead.

import { isMap, isScalar, isSeq, parseDocument, type Document, type Node, type Pair, type YAMLMap } from "yaml";
import { safeHistoryText } from "./escape";
import { mergeEntries, sameData, toYaml, type HistoryEntry, type StoredEntry } from "./history";

export type TextOutcome = { ok: true; text: string } | { ok: false; reason: string };

const KEY = "edit_history";

/**
 * Alias uses the writer resolves when it reads a document back. The yaml library's default (100) rejects ordinary
 * files that reuse an anchor 150 times; this still stops an exponential "billion laughs" document, whose nested
 * aliases multiply the count far beyond it. A document over the limit is reported invalid, never thrown.
 */
const MAX_ALIAS_COUNT = 10_000;

interface Parsed {
  doc: Document;
  root: YAMLMap | null;
  pair: Pair | null;
  existing: StoredEntry[];
}

function parse(text: string): Parsed | { error: string } {
  // uniqueKeys off: its check compares every key with every other (40,000 keys took minutes); the data is still
  // compared whole before anything is written.
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  const error = doc.errors[0];
  if (error) {
    const line = text.slice(0, error.pos[0]).split("\n").length;
    return { error: `invalid YAML at line ${line}: ${error.message.split("\n")[0] ?? ""}` };
  }
  const contents = doc.contents as Node | null;
  if (contents === null) {
    return { doc, root: null, pair: null, existing: [] };
  }
  if (!isMap(contents)) return { error: "the top level of the document is not a mapping" };
  const pairs = contents.items.filter((p) => isScalar(p.key) && p.key.value === KEY) as Pair[];
  // Readers disagree on which of two equal keys wins: writing one of them would not be what every reader sees.
  if (pairs.length > 1) return { error: `\`${KEY}\` appears ${pairs.length} times at the top level` };
  const pair = pairs[0] ?? null;
  let existing: StoredEntry[] = [];
  const value = pair?.value as Node | null | undefined;
  if (value && !(isScalar(value) && value.value === null)) {
    if (!isSeq(value)) return { error: `\`${KEY}\` is not a list` };
    let items: unknown[];
    try {
      items = value.toJS(doc, { maxAliasCount: MAX_ALIAS_COUNT }) as unknown[];
    } catch (error) {
      return { error: `\`${KEY}\` cannot be read: ${(error as Error).message}` };
    }
    if (!items.every((i) => typeof i === "object" && i !== null && !Array.isArray(i))) {
      return { error: `\`${KEY}\` holds items that are not mappings` };
    }
    existing = items as StoredEntry[];
  }
  return { doc, root: contents, pair, existing };
}

function eolOf(text: string): string {
  return text.includes("\r\n") ? "\r\n" : "\n";
}

/** The [start, end) text range of the top-level pair, when it starts at column 0 and can be cut out whole. */
function pairRange(text: string, pair: Pair): [number, number] | null {
  const key = pair.key as Node;
  const start = key.range?.[0];
  if (start === undefined || (start > 0 && text[start - 1] !== "\n")) return null;
  const value = pair.value as Node | null;
  let end = value?.range?.[1] ?? key.range?.[1] ?? start;
  end = Math.max(end, key.range?.[1] ?? end);
  if (end > 0 && text[end - 1] !== "\n") {
    const nl = text.indexOf("\n", end);
    const rest = text.slice(end, nl === -1 ? text.length : nl);
    if (rest.trim() !== "" && !rest.trim().startsWith("#")) return null;
    end = nl === -1 ? text.length : nl + 1;
  }
  return [start, end];
}

function otherData(doc: Document): unknown {
  // Throws beyond MAX_ALIAS_COUNT; applyYamlHistory reports that as an invalid document.
  const data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as Record<string, unknown> | null;
  if (data === null || typeof data !== "object") return {};
  const { [KEY]: _dropped, ...rest } = data;
  void _dropped;
  return rest;
}

/** Checks that `text` parses to `expected` entries and leaves every other key as in `original`. */
function verify(text: string, original: Document, expected: StoredEntry[]): boolean {
  const parsed = parse(text);
  if ("error" in parsed || parsed.pair === null) return false;
  return sameData(parsed.existing, expected) && sameData(otherData(parsed.doc), otherData(original));
}

/** Sets `edit_history` to the existing entries merged with `fresh`; returns the text unchanged when nothing new. */
export function applyYamlHistory(text: string, fresh: readonly HistoryEntry[]): TextOutcome {
  try {
    return setHistory(text, fresh);
  } catch (error) {
    return { ok: false, reason: `cannot read the document: ${(error as Error).message.split("\n")[0] ?? ""}` };
  }
}

function setHistory(text: string, fresh: readonly HistoryEntry[]): TextOutcome {
  const parsed = parse(text);
  if ("error" in parsed) return { ok: false, reason: parsed.error };
  const merged = mergeEntries(parsed.existing, fresh);
  if (parsed.pair && sameData(parsed.existing, merged)) return { ok: true, text };
  const eol = eolOf(text);
  const block = toYaml({ [KEY]: merged }).replace(/\n/g, eol);
  let spliced: string | null = null;
  if (parsed.pair) {
    const range = pairRange(text, parsed.pair);
    if (range) spliced = text.slice(0, range[0]) + block + text.slice(range[1]);
  } else if (parsed.root === null || !parsed.root.flow) {
    let base = text;
    if (base.trim() !== "") {
      if (!base.endsWith("\n")) base += eol;
      if (!base.endsWith(eol + eol)) base += eol;
    } else {
      base = "";
    }
    spliced = base + block;
  }
  if (spliced !== null && verify(spliced, parsed.doc, merged)) return { ok: true, text: spliced };
  // Splicing was not possible (flow mapping, indented or unusual layout): let the Document API rewrite it.
  const doc = parsed.doc;
  if (parsed.root === null) doc.contents = doc.createNode({}) as never;
  doc.set(KEY, doc.createNode(merged));
  const rewritten = doc.toString({ indentSeq: false, singleQuote: true, lineWidth: 0 });
  if (verify(rewritten, parsed.doc, merged)) return { ok: true, text: rewritten };
  return { ok: false, reason: `could not insert \`${KEY}\` into the document` };
}

/** The text without its top-level `edit_history` (what the file looked like before annotation). */
export function stripYamlHistory(text: string): string {
  const parsed = parse(text);
  if ("error" in parsed || parsed.pair === null) return text;
  const range = pairRange(text, parsed.pair);
  if (range) {
    let before = text.slice(0, range[0]);
    const after = text.slice(range[1]);
    if (after.trim() === "") {
      if (before.endsWith("\r\n\r\n")) before = before.slice(0, -2);
      else if (before.endsWith("\n\n")) before = before.slice(0, -1);
    }
    return before + after;
  }
  parsed.doc.delete(KEY);
  return parsed.doc.toString();
}

/** A new sidecar file: `source_file` then `edit_history`. */
export function newSidecarText(sourceName: string, fresh: readonly HistoryEntry[]): string {
  return toYaml({ source_file: safeHistoryText(sourceName), [KEY]: mergeEntries([], fresh) });
}
