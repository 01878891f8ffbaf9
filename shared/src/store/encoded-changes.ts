// Event changes a parse worker sends already encoded: each as the JSON text a record's changes frame holds, so the
// index writes that text as it is instead of rebuilding the change's objects from the worker's message and encoding
// them again on the main thread (which applies every worker's output and is a cold index's busiest thread). The
// change object itself is parsed from the text only if something reads it.

import type { EditChange, EditEvent } from "../events/edit-event";

/** The encoded change of each event that has one and whose change was not read since. */
const encoded = new WeakMap<EditEvent, string>();

function settle(event: EditEvent, change: EditChange): void {
  Object.defineProperty(event, "change", { value: change, writable: true, enumerable: true, configurable: true });
}

/**
 * Gives `event` the change `json` encodes: parsed when first read (its text is then no longer used, since the object
 * may be changed after), and written as that text by encodeEventChanges until then.
 */
export function setEncodedChange(event: EditEvent, json: string): void {
  encoded.set(event, json);
  Object.defineProperty(event, "change", {
    enumerable: true,
    configurable: true,
    get(): EditChange {
      encoded.delete(event);
      const change = JSON.parse(json) as EditChange;
      settle(event, change);
      return change;
    },
    set(change: EditChange) {
      encoded.delete(event);
      settle(event, change);
    },
  });
}

/** A changes frame's payload: each event's change as one JSON line (JSON escapes every newline inside a string). */
export function encodeEventChanges(events: readonly EditEvent[]): string {
  return events.map((event) => encoded.get(event) ?? JSON.stringify(event.change)).join("\n");
}
