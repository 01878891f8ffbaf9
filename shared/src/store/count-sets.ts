// The files and sessions a filter-free `stats` counted (the third frame of the event table's directory,
// table-directory.ts), kept as the bytes that frame holds: one JSON text per line — a file as a JSON string, a session
// as [agent, id] — so an append asks whether its new rows' files and sessions are known by searching those bytes for
// the exact line, instead of parsing every counted file and session into sets (240 KB of JSON at 3 GB, parsed and made
// into sets on every append). JSON.stringify gives one text per value and escapes every newline, so a line is found
// exactly when it was written; files and sessions differ by their first character (`"` or `[`).

/** Searches of the bytes before the lines are made into a set once (an append of many new files or sessions). */
const SEARCHES_BEFORE_SET = 64;

const NEWLINE = 0x0a;

const fileLine = (file: string): string => JSON.stringify(file);
const sessionLine = (agent: string, id: string): string => JSON.stringify([agent, id]);

export class CountSets {
  private searches = 0;
  private all: Set<string> | null = null;

  /** `text`: a newline, then each line followed by a newline; `added`: lines counted since, not in `text`. */
  private constructor(
    private readonly text: Buffer,
    private readonly added: ReadonlySet<string>,
  ) {}

  static of(files: Iterable<string>, sessions: Iterable<[agent: string, ids: Iterable<string>]>): CountSets {
    const lines: string[] = [""];
    for (const file of files) lines.push(fileLine(file));
    for (const [agent, ids] of sessions) for (const id of ids) lines.push(sessionLine(agent, id));
    lines.push("");
    return new CountSets(Buffer.from(lines.join("\n"), "utf8"), new Set());
  }

  /** The sets a frame holds (as `encode` wrote it), or null when it is not such a frame. */
  static decode(payload: Buffer): CountSets | null {
    if (payload.length === 0 || payload[0] !== NEWLINE || payload[payload.length - 1] !== NEWLINE) return null;
    return new CountSets(payload, new Set());
  }

  hasFile(file: string): boolean {
    return this.knows(fileLine(file));
  }

  hasSession(agent: string, id: string): boolean {
    return this.knows(sessionLine(agent, id));
  }

  /** These sets with the files and sessions an append counted (new ones: not already in them). */
  grown(additions: readonly { files: readonly string[]; sessions: readonly [agent: string, ids: readonly string[]][] }[]): CountSets {
    if (additions.length === 0) return this;
    const added = new Set(this.added);
    for (const { files, sessions } of additions) {
      for (const file of files) added.add(fileLine(file));
      for (const [agent, ids] of sessions) for (const id of ids) added.add(sessionLine(agent, id));
    }
    return new CountSets(this.text, added);
  }

  /** The frame's payload. */
  encode(): Buffer {
    if (this.added.size === 0) return this.text;
    let tail = "";
    for (const line of this.added) tail += `${line}\n`;
    return Buffer.concat([this.text, Buffer.from(tail, "utf8")]);
  }

  private knows(line: string): boolean {
    if (this.added.has(line)) return true;
    if (this.all === null && ++this.searches > SEARCHES_BEFORE_SET) this.all = new Set(this.text.toString("utf8").split("\n"));
    return this.all !== null ? this.all.has(line) : this.text.indexOf(`\n${line}\n`, 0, "utf8") !== -1;
  }
}
