// Array helpers for data-sized inputs: `push(...items)` and `Math.max(...values)` pass every element as an argument
// and overflow the stack past ~100k elements (a 200k-line Write, 130k models), so these loop instead.

/** Appends every item of `items` to `target` (in place), however many there are. */
export function appendAll<T>(target: T[], items: readonly T[]): T[] {
  for (const item of items) target.push(item);
  return target;
}

/** Index of the first element of the sorted array that is >= value (the array length when none is). */
export function lowerBound(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
