// opencode traces → edit events: the SQLite database (one file for every project: only sessions recorded in the
// project's folders are read, see ParseInput.scope) or one session file of the JSON storage. Both change in place,
// so they are read whole when they change. A database that cannot be read (locked, corrupt, no node:sqlite) is
// reported with its reason and the index keeps what it had.

import { isInside } from "../../util/paths";
import type { EditEvent, SessionInfo } from "../../events/edit-event";
import type { ParseInput, ParseOutput, TraceParser } from "../../traces/parser";
import { readDatabase } from "./database";
import { sessionEvents, type OpencodeSession } from "./events";
import { readStorageSession } from "./storage";

function failed(reason: string): ParseOutput {
  return { events: [], sessions: [], endOffset: 0, state: null, skippedLines: 0, bytesRead: 0, error: reason };
}

export class OpencodeTraceParser implements TraceParser {
  readonly agent = "opencode" as const;
  readonly readsWhole = true;

  async parse(input: ParseInput): Promise<ParseOutput> {
    const { path, scope } = input;
    let found: { sessions: OpencodeSession[]; skipped: number };
    if (path.endsWith(".db")) {
      const keep = (dir: string | null): boolean => scope === undefined || (dir !== null && scope.some((p) => isInside(p, dir)));
      try {
        found = await readDatabase(path, keep);
      } catch (error) {
        return failed(`${path}: ${error instanceof Error ? error.message : String(error)}`);
      }
    } else {
      const one = await readStorageSession(path);
      if (one.session === null) return failed(`${path}: not an opencode session file`);
      found = { sessions: [one.session], skipped: one.skipped };
    }
    const events: EditEvent[] = [];
    const sessions: SessionInfo[] = [];
    let skipped = found.skipped;
    for (const [i, s] of found.sessions.entries()) {
      const out = sessionEvents(s, path, i * 1_000_000, input.contents);
      events.push(...out.events);
      sessions.push(out.session);
      skipped += out.skipped;
    }
    return { events, sessions, endOffset: 0, state: null, skippedLines: skipped, bytesRead: 1 };
  }
}
