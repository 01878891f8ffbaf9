// De-duplication of edit events across forked, resumed and copied sessions: Claude `/branch`, `/clear` and resume
// copy the parent's records into a new file, so one tool call can appear in several traces. Events are keyed by
// (agent, tool-call id, file) and the earliest occurrence (time, then trace file, then offset) is kept.

import { compareEvents, type EditEvent } from "./edit-event";

/** The key two copies of one edit share, whatever session file they were found in. */
export function dedupeKey(event: EditEvent): string {
  return `${event.agent}\u0000${event.toolCallId}\u0000${event.file}`;
}

/** Keeps one event per (agent, toolCallId, file): the earliest occurrence. Returns events in compareEvents order. */
export function dedupeEvents(events: readonly EditEvent[]): EditEvent[] {
  const kept = new Map<string, EditEvent>();
  let sorted = true;
  let prior: EditEvent | undefined;
  for (const event of events) {
    if (sorted && prior !== undefined && compareEvents(event, prior) < 0) sorted = false;
    prior = event;
    const key = dedupeKey(event);
    const seen = kept.get(key);
    if (!seen || compareEvents(event, seen) < 0) kept.set(key, event);
  }
  // Input already in order (the index's view is): the first copy of each key is kept, in that order.
  return sorted ? [...kept.values()] : [...kept.values()].sort(compareEvents);
}
