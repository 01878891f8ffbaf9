// Interning strings into a table written once: each distinct value gets the next slot on first sight, so frames
// (record segments, event-table batches, row blocks, the table directory's agents and cwds) store a number per use and
// each string once. A cwd may be null (a trace whose head names none): it takes a slot like any string.

export class StringSlots<T extends string | null = string> {
  /** The values by slot, in first-seen order. */
  readonly values: T[] = [];
  private readonly slots = new Map<T, number>();

  slot(value: T): number {
    let slot = this.slots.get(value);
    if (slot === undefined) {
      slot = this.values.length;
      this.values.push(value);
      this.slots.set(value, slot);
    }
    return slot;
  }
}
