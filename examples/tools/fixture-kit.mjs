// @ts-check
// Building blocks for writing trace fixtures: deterministic ids and clocks, exact text replacement as Claude's
// Edit performs it, Claude-style structuredPatch hunks, and a Codex apply_patch parser/applier. Everything here is
// a pure function of its inputs (no randomness, no wall clock), so regenerating the example is byte-identical.
import { createHash } from "node:crypto";
import { structuredPatch } from "diff";

/** Deterministic id source: every id is a hash of (seed, kind, counter). */
export class IdSource {
  /** @param {string} seed */
  constructor(seed) {
    this.seed = seed;
    this.counter = 0;
  }

  /** @param {string} kind */
  bytes(kind) {
    this.counter += 1;
    return createHash("sha256").update(`${this.seed}:${kind}:${this.counter}`).digest();
  }

  /** A random-looking UUID v4 (Claude uuids, session ids). */
  uuid() {
    const h = this.bytes("uuid").toString("hex");
    const variant = ((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** A UUID v7 whose first 48 bits are the given time (Codex session ids). @param {string} iso */
  uuidv7(iso) {
    const ms = Date.parse(iso).toString(16).padStart(12, "0");
    const h = this.bytes("uuid7").toString("hex");
    const variant = ((parseInt(h.slice(0, 1), 16) & 0x3) | 0x8).toString(16);
    return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${h.slice(1, 4)}-${variant}${h.slice(4, 7)}-${h.slice(7, 19)}`;
  }

  /** Base62 text of the given length. @param {string} kind @param {number} length */
  base62(kind, length) {
    const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let out = "";
    while (out.length < length) {
      for (const byte of this.bytes(kind)) {
        if (byte < 248 && out.length < length) out += alphabet[byte % 62];
      }
    }
    return out;
  }

  toolUseId() {
    return `toolu_01${this.base62("toolu", 22)}`;
  }

  messageId() {
    return `msg_01${this.base62("msg", 22)}`;
  }

  requestId() {
    return `req_011C${this.base62("req", 20)}`;
  }

  callId() {
    return `call_${this.base62("call", 24)}`;
  }

  /** An opaque base64 blob like Claude's thinking signatures or Codex's encrypted reasoning. @param {number} n */
  blob(n) {
    /** @type {Buffer[]} */
    const parts = [];
    for (let have = 0; have * 4 < n * 3 + 3; have += 32) parts.push(this.bytes("blob"));
    return Buffer.concat(parts).toString("base64").slice(0, n);
  }

  /** Hex of the given length (git commit hashes, agent ids). @param {number} n */
  hex(n) {
    let out = "";
    while (out.length < n) out += this.bytes("hex").toString("hex");
    return out.slice(0, n);
  }
}

/** A clock that only moves forward, in milliseconds, and prints ISO 8601 with milliseconds and `Z`. */
export class Clock {
  /** @param {string} startIso */
  constructor(startIso) {
    this.ms = Date.parse(startIso);
    if (Number.isNaN(this.ms)) throw new Error(`bad start time ${startIso}`);
  }

  /** Advance by `ms` and return the new time. @param {number} ms */
  tick(ms) {
    this.ms += ms;
    return this.now();
  }

  /** Jump to a later time. @param {string} iso */
  set(iso) {
    const next = Date.parse(iso);
    if (!(next >= this.ms)) throw new Error(`clock cannot go back to ${iso}`);
    this.ms = next;
    return this.now();
  }

  now() {
    return new Date(this.ms).toISOString();
  }
}

/**
 * Replace `oldString` by `newString` exactly as Claude's Edit does: the old text must occur, and occur once unless
 * `replaceAll`. Throws with a Claude-like message otherwise (the fixture author made a mistake).
 * @param {string} content @param {string} oldString @param {string} newString @param {boolean} replaceAll
 */
export function replaceText(content, oldString, newString, replaceAll) {
  const count = content.split(oldString).length - 1;
  if (count === 0) throw new Error(`String to replace not found in file.\nString: ${oldString}`);
  if (count > 1 && !replaceAll) throw new Error(`Found ${count} matches of the string to replace: ${oldString}`);
  return replaceAll ? content.split(oldString).join(newString) : content.replace(oldString, () => newString);
}

/**
 * Claude's `structuredPatch`: hunks of a unified line diff with 3 lines of context, line numbers into the old and
 * new content. @param {string} before @param {string} after
 */
export function claudePatch(before, after) {
  const patch = structuredPatch("a", "b", before, after, "", "", { context: 3 });
  return patch.hunks.map((h) => ({
    oldStart: h.oldStart,
    oldLines: h.oldLines,
    newStart: h.newStart,
    newLines: h.newLines,
    lines: h.lines.filter((l) => !l.startsWith("\\")),
  }));
}

/** `cat -n` style numbering as Claude's Read and Edit results print it. @param {string} text @param {number} first */
export function catN(text, first = 1) {
  const lines = text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
  return lines.map((line, i) => `${String(first + i).padStart(6, " ")}\u2192${line}`).join("\n");
}

/** Split text into lines without the final empty string a trailing newline produces. @param {string} text */
export function splitLines(text) {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/**
 * Parse an apply_patch text into file operations.
 * @param {string} text
 * @returns {Array<{kind: "add", path: string, lines: string[]} | {kind: "delete", path: string} |
 *   {kind: "update", path: string, moveTo: string | null, chunks: Array<{context: string | null, old: string[],
 *   new: string[], endOfFile: boolean}>}>}
 */
export function parseApplyPatch(text) {
  const lines = splitLines(text);
  if (lines[0] !== "*** Begin Patch" || lines[lines.length - 1] !== "*** End Patch") {
    throw new Error("patch must start with *** Begin Patch and end with *** End Patch");
  }
  /** @type {ReturnType<typeof parseApplyPatch>} */
  const ops = [];
  /** @type {any} */
  let op = null;
  /** @type {any} */
  let chunk = null;
  for (const line of lines.slice(1, -1)) {
    if (line.startsWith("*** Add File: ")) {
      op = { kind: "add", path: line.slice(14), lines: [] };
      ops.push(op);
    } else if (line.startsWith("*** Delete File: ")) {
      op = { kind: "delete", path: line.slice(17) };
      ops.push(op);
    } else if (line.startsWith("*** Update File: ")) {
      op = { kind: "update", path: line.slice(17), moveTo: null, chunks: [] };
      chunk = null;
      ops.push(op);
    } else if (line.startsWith("*** Move to: ") && op?.kind === "update") {
      op.moveTo = line.slice(13);
    } else if (line === "*** End of File" && chunk) {
      chunk.endOfFile = true;
    } else if (op?.kind === "add" && line.startsWith("+")) {
      op.lines.push(line.slice(1));
    } else if (op?.kind === "update" && line.startsWith("@@")) {
      chunk = { context: line.length > 3 ? line.slice(3) : null, old: [], new: [], endOfFile: false };
      op.chunks.push(chunk);
    } else if (op?.kind === "update" && chunk && /^[ +-]/.test(line)) {
      const body = line.slice(1);
      if (line[0] !== "+") chunk.old.push(body);
      if (line[0] !== "-") chunk.new.push(body);
    } else {
      throw new Error(`unexpected patch line: ${line}`);
    }
  }
  return ops;
}

/**
 * Apply the chunks of one `*** Update File` to a content, seeking each chunk's context line and old lines forward
 * from the previous chunk (exact match only: the fixtures are written to match exactly). Throws like Codex does
 * when the lines are not found.
 * @param {string} content @param {string} path
 * @param {Array<{context: string | null, old: string[], new: string[], endOfFile: boolean}>} chunks
 */
export function applyUpdateChunks(content, path, chunks) {
  const lines = splitLines(content);
  let cursor = 0;
  /** @type {Array<[number, number, string[]]>} */
  const replacements = [];
  for (const chunk of chunks) {
    if (chunk.context !== null) {
      const at = lines.indexOf(chunk.context, cursor);
      if (at < 0) throw new Error(`Failed to find context '${chunk.context}' in ${path}`);
      cursor = at + 1;
    }
    const at = seek(lines, chunk.old, cursor);
    if (at < 0) throw new Error(`Failed to find expected lines in ${path}:\n${chunk.old.join("\n")}`);
    replacements.push([at, chunk.old.length, chunk.new]);
    cursor = at + chunk.old.length;
  }
  for (const [at, count, replacement] of replacements.reverse()) lines.splice(at, count, ...replacement);
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

/** @param {string[]} lines @param {string[]} pattern @param {number} from */
function seek(lines, pattern, from) {
  for (let i = from; i + pattern.length <= lines.length; i++) {
    if (pattern.every((p, j) => lines[i + j] === p)) return i;
  }
  return -1;
}
