// @ts-check
// The example project's ground truth while the story runs: the content of every file and, per line, which event
// wrote it (or why no event explains it). AI edits carry owners through a line diff, human edits mark lines; the
// final state becomes examples/project and the expected attribution. Owners are carried by three diff strategies
// at once; a line where they disagree (a blank line at a block edge) is marked ambiguous rather than asserted.
import { diffArrays } from "diff";
import { splitLines } from "./fixture-kit.mjs";

/**
 * @typedef {{agent: string, agentVersion: string | null, model: string, sessionId: string, subagentId: string | null,
 *   toolCallId: string, timestamp: string, action: "CREATED" | "EDITED" | "DELETED", prompt: string,
 *   recordsBefore?: boolean}} EventMeta
 * @typedef {{event: number | null, reason: string | null, human?: boolean}} LineOwner
 */

export class Workspace {
  constructor() {
    /** @type {Map<string, {content: string, views: LineOwner[][], aiTouched: boolean}>} */
    this.files = new Map();
    /** @type {Array<Omit<EventMeta, "recordsBefore"> & {index: number, file: string}>} */
    this.events = [];
  }

  /** @param {string} rel */
  read(rel) {
    return this.files.get(rel)?.content ?? null;
  }

  /** @param {string} rel */
  mustRead(rel) {
    const content = this.read(rel);
    if (content === null) throw new Error(`${rel} does not exist at this point of the story`);
    return content;
  }

  /**
   * An AI event: set the new content (null = delete) and carry line owners through a line diff.
   * @param {string} rel @param {string | null} content @param {EventMeta} meta
   */
  apply(rel, content, meta) {
    const { recordsBefore = true, ...owner } = meta;
    const index = this.events.length;
    this.events.push({ index, file: rel, ...owner });
    const current = this.files.get(rel);
    if (content === null) {
      if (!current) throw new Error(`cannot delete missing ${rel}`);
      this.files.delete(rel);
      return;
    }
    const fresh = () => ({ event: index, reason: null });
    if (!current) {
      this.files.set(rel, { content, views: STRATEGIES.map(() => splitLines(content).map(fresh)), aiTouched: true });
      return;
    }
    // Lines a human changed since the previous AI event: the engine sees them only when this event records the
    // pre-edit content (Claude's originalFile); a Codex patch would silently build on a wrong chain.
    const humanLines = current.views.flat().filter((o) => o.human);
    if (humanLines.length > 0 && current.aiTouched && !recordsBefore) {
      throw new Error(`story error: ${rel} was changed by a human before an event that does not record the file`);
    }
    for (const o of humanLines) {
      o.human = false;
      o.reason = current.aiTouched ? "changed-outside-traces" : "not-in-traces";
    }
    current.views = current.views.map((owners, k) => carry(current.content, owners, content, fresh, /** @type {Strategy} */ (STRATEGIES[k])));
    current.content = content;
    current.aiTouched = true;
  }

  /** A human edit (not in any trace). @param {string} rel @param {string} oldString @param {string} newString */
  human(rel, oldString, newString) {
    const before = this.mustRead(rel);
    if (before.split(oldString).length !== 2) throw new Error(`human edit: '${oldString}' must occur once in ${rel}`);
    this.humanWrite(rel, before.replace(oldString, () => newString));
  }

  /** A human writes a whole file (new or replaced). @param {string} rel @param {string} content */
  humanWrite(rel, content) {
    const current = this.files.get(rel);
    if (!current) {
      const untraced = () => ({ event: null, reason: "not-in-traces" });
      this.files.set(rel, { content, views: STRATEGIES.map(() => splitLines(content).map(untraced)), aiTouched: false });
      return;
    }
    const human = () => ({ event: null, reason: null, human: true });
    current.views = current.views.map((owners, k) => carry(current.content, owners, content, human, /** @type {Strategy} */ (STRATEGIES[k])));
    current.content = content;
  }

  /** Final files and, per file, the expected line attribution. */
  result() {
    /** @type {Record<string, string>} */
    const files = {};
    /** @type {Record<string, Array<{line: number, text: string, event: number | null, reason: string | null, ambiguous?: true}>>} */
    const blame = {};
    for (const rel of [...this.files.keys()].sort()) {
      const entry = /** @type {{content: string, views: LineOwner[][], aiTouched: boolean}} */ (this.files.get(rel));
      files[rel] = entry.content;
      const resolve = (/** @type {LineOwner} */ o) => ({
        event: o.event,
        reason: o.human ? (entry.aiTouched ? "changed-after-ai" : "not-in-traces") : o.reason,
      });
      blame[rel] = splitLines(entry.content).map((text, i) => {
        const [first, ...others] = entry.views.map((v) => resolve(/** @type {LineOwner} */ (v[i])));
        const line = { line: i + 1, text, event: first?.event ?? null, reason: first?.reason ?? null };
        const agree = others.every((o) => o.event === line.event && o.reason === line.reason);
        return agree ? line : { ...line, ambiguous: /** @type {const} */ (true) };
      });
    }
    return { files, blame, events: this.events };
  }
}

/** @typedef {"myers" | "prefix-first" | "suffix-first"} Strategy */
/** @type {Strategy[]} */
const STRATEGIES = ["myers", "prefix-first", "suffix-first"];

/**
 * Owners after a change: lines kept by the diff keep their owner, added lines get `fresh()`. `prefix-first` and
 * `suffix-first` first keep the longest common prefix (suffix) and only diff the rest, as fast attributors do.
 * @param {string} before @param {LineOwner[]} owners @param {string} after @param {() => LineOwner} fresh
 * @param {Strategy} strategy
 */
function carry(before, owners, after, fresh, strategy) {
  const a = splitLines(before);
  const b = splitLines(after);
  let head = 0;
  let tail = 0;
  const prefix = () => {
    while (head < a.length - tail && head < b.length - tail && a[head] === b[head]) head++;
  };
  const suffix = () => {
    while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  };
  if (strategy === "prefix-first") {
    prefix();
    suffix();
  } else if (strategy === "suffix-first") {
    suffix();
    prefix();
  }
  /** @type {LineOwner[]} */
  const next = owners.slice(0, head).map((o) => ({ ...o }));
  let i = head;
  for (const part of diffArrays(a.slice(head, a.length - tail), b.slice(head, b.length - tail))) {
    if (part.removed) {
      i += part.value.length;
    } else if (part.added) {
      for (let k = 0; k < part.value.length; k++) next.push(fresh());
    } else {
      for (let k = 0; k < part.value.length; k++) next.push({ .../** @type {LineOwner} */ (owners[i++]) });
    }
  }
  for (const o of owners.slice(owners.length - tail)) next.push({ ...o });
  return next;
}
