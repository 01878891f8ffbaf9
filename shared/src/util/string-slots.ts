// Interning strings into a table written once: each distinct value gets the next slot on first sight, so frames
// (record segments, event-table batches, row blocks) store a number per use and each string once.

export class StringSlots {
  /** The values by slot, in first-seen order. */
  readonly values: string[] = [];
  private readonly slots = new Map<string, number>();

  slot(value: string): number {
    let slot = this.slots.get(value);
    if (slot === undefined) {
      slot = this.values.length;
      this.values.push(value);
      this.slots.set(value, slot);
    }
    return slot;
  }
}
