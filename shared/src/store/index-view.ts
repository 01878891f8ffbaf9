// What the index answers from the trace records in a project's scope: events de-duplicated by id (forks and resumes
// copy a tool call into several files), sessions, and the counts `stats` reports. Pure: the same records in any
// order give the same view, so runs and processes agree.

import { compareEvents, type EditEvent, type SessionInfo } from "../events/edit-event";
import type { TraceRecord } from "./record-codec";

export interface IndexView {
  /** Oldest first. */
  events: EditEvent[];
  sessions: SessionInfo[];
  skippedLines: number;
  /** Events whose only copies are in trace files that no longer exist. */
  eventsFromDeletedTraces: number;
}

/** `live` is false for a record whose trace file is gone (its events are kept: the index is durable). */
export function buildView(records: Iterable<{ record: TraceRecord; live: boolean }>): IndexView {
  const chosen = new Map<string, { event: EditEvent; live: boolean }>();
  const sessions: SessionInfo[] = [];
  let skippedLines = 0;
  for (const { record, live } of records) {
    skippedLines += record.skipped;
    for (const session of record.sessions) sessions.push(session);
    for (const event of record.events) {
      const prior = chosen.get(event.id);
      // Keep one copy: preferably one whose trace still exists, then the earliest in trace order.
      if (prior === undefined || (live && !prior.live) || (live === prior.live && compareEvents(event, prior.event) < 0)) {
        chosen.set(event.id, { event, live });
      }
    }
  }
  const events: EditEvent[] = [];
  let eventsFromDeletedTraces = 0;
  for (const { event, live } of chosen.values()) {
    events.push(event);
    if (!live) eventsFromDeletedTraces += 1;
  }
  events.sort(compareEvents);
  return { events, sessions, skippedLines, eventsFromDeletedTraces };
}
