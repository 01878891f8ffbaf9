// Line diff used to carry owners from one content to the next: Myers' O(ND) algorithm in linear space over interned
// line ids, after trimming the common prefix/suffix and discarding lines that occur on one side only (they can never
// be kept). The result maps every new line to the old line it keeps, or -1 when it is new; kept pairs increase in
// both sequences. A pathological region (very many edits) falls back to anchoring on lines unique to both sides.

/**
 * For each line of `b`, the index of the line of `a` it keeps, or -1 when the line is inserted or changed. `budget`
 * bounds the work of one middle-snake search (tests lower it to exercise the anchored fallback).
 */
export function matchLines(a: readonly string[], b: readonly string[], budget = SNAKE_BUDGET): Int32Array {
  const match = new Int32Array(b.length).fill(-1);
  let lo = 0;
  while (lo < a.length && lo < b.length && a[lo] === b[lo]) {
    match[lo] = lo;
    lo++;
  }
  let hiA = a.length;
  let hiB = b.length;
  while (hiA > lo && hiB > lo && a[hiA - 1] === b[hiB - 1]) {
    hiA--;
    hiB--;
    match[hiB] = hiA;
  }
  if (hiA === lo || hiB === lo) return match;

  // Intern the middle: ids below `inA` are exactly the lines that occur in a's middle.
  const ids = new Map<string, number>();
  const aIds = new Int32Array(hiA - lo);
  for (let i = lo; i < hiA; i++) {
    const line = a[i] as string;
    let id = ids.get(line);
    if (id === undefined) {
      id = ids.size;
      ids.set(line, id);
    }
    aIds[i - lo] = id;
  }
  const inA = ids.size;
  const inB = new Uint8Array(inA);
  const bIds = new Int32Array(hiB - lo);
  for (let j = lo; j < hiB; j++) {
    const id = ids.get(b[j] as string);
    bIds[j - lo] = id === undefined ? -1 : id;
    if (id !== undefined) inB[id] = 1;
  }

  const xIdx: number[] = [];
  const x: number[] = [];
  for (let i = 0; i < aIds.length; i++) {
    const id = aIds[i] as number;
    if (inB[id] === 1) {
      x.push(id);
      xIdx.push(lo + i);
    }
  }
  const yIdx: number[] = [];
  const y: number[] = [];
  for (let j = 0; j < bIds.length; j++) {
    const id = bIds[j] as number;
    if (id >= 0) {
      y.push(id);
      yIdx.push(lo + j);
    }
  }
  if (x.length === 0 || y.length === 0) return match;

  diffIds(Int32Array.from(x), Int32Array.from(y), budget, (i, j) => {
    match[yIdx[j] as number] = xIdx[i] as number;
  });
  return match;
}

/** Work allowed for one middle-snake search (≈ (N+M)·D comparisons) before the region is anchored instead. */
const SNAKE_BUDGET = 20_000_000;

/** Reports every kept pair (i, j) of a shortest edit script between x and y (nearly shortest in pathological cases). */
function diffIds(x: Int32Array, y: Int32Array, budget: number, keep: (i: number, j: number) => void): void {
  const size = x.length + y.length + 4;
  const vf = new Int32Array(2 * size + 1);
  const vb = new Int32Array(2 * size + 1);
  const snake = new Int32Array(4);
  const stack: number[] = [0, x.length, 0, y.length];
  while (stack.length > 0) {
    const yHi0 = stack.pop() as number;
    const yLo0 = stack.pop() as number;
    const xHi0 = stack.pop() as number;
    const xLo0 = stack.pop() as number;
    let xLo = xLo0;
    let xHi = xHi0;
    let yLo = yLo0;
    let yHi = yHi0;
    while (xLo < xHi && yLo < yHi && x[xLo] === y[yLo]) keep(xLo++, yLo++);
    while (xLo < xHi && yLo < yHi && x[xHi - 1] === y[yHi - 1]) keep(--xHi, --yHi);
    if (xLo === xHi || yLo === yHi) continue;
    const cap = Math.max(1, Math.ceil(budget / (xHi - xLo + yHi - yLo)));
    if (!middleSnake(x, xLo, xHi, y, yLo, yHi, vf, vb, size, cap, snake)) {
      anchorUnique(x, xLo, xHi, y, yLo, yHi, keep, stack);
      continue;
    }
    const sx = snake[0] as number;
    const sy = snake[1] as number;
    const ex = snake[2] as number;
    const ey = snake[3] as number;
    for (let k = 0; k < ex - sx; k++) keep(sx + k, sy + k);
    const whole = xHi - xLo + yHi - yLo;
    // Both halves are strictly smaller than the region for D ≥ 2; the guard only protects against a logic slip.
    if (sx - xLo + sy - yLo < whole) stack.push(xLo, sx, yLo, sy);
    if (xHi - ex + yHi - ey < whole) stack.push(ex, xHi, ey, yHi);
  }
}

/**
 * Myers' middle snake of x[xLo,xHi) against y[yLo,yHi) (both non-empty, ends already trimmed). Writes the snake as
 * absolute [startX, startY, endX, endY] into `out`; false when the edit distance exceeds 2·cap.
 */
function middleSnake(
  x: Int32Array,
  xLo: number,
  xHi: number,
  y: Int32Array,
  yLo: number,
  yHi: number,
  vf: Int32Array,
  vb: Int32Array,
  off: number,
  cap: number,
  out: Int32Array,
): boolean {
  const n = xHi - xLo;
  const m = yHi - yLo;
  const delta = n - m;
  const odd = (delta & 1) !== 0;
  const dMax = Math.ceil((n + m) / 2);
  vf[off + 1] = 0;
  vb[off + 1] = 0;
  for (let d = 0; d <= dMax; d++) {
    if (d > cap) return false;
    for (let k = -d; k <= d; k += 2) {
      let px =
        k === -d || (k !== d && (vf[off + k - 1] as number) < (vf[off + k + 1] as number))
          ? (vf[off + k + 1] as number)
          : (vf[off + k - 1] as number) + 1;
      let py = px - k;
      const sx = px;
      const sy = py;
      while (px < n && py < m && x[xLo + px] === y[yLo + py]) {
        px++;
        py++;
      }
      vf[off + k] = px;
      if (odd && k >= delta - (d - 1) && k <= delta + (d - 1) && px + (vb[off + delta - k] as number) >= n) {
        out[0] = xLo + sx;
        out[1] = yLo + sy;
        out[2] = xLo + px;
        out[3] = yLo + py;
        return true;
      }
    }
    for (let k = -d; k <= d; k += 2) {
      let px =
        k === -d || (k !== d && (vb[off + k - 1] as number) < (vb[off + k + 1] as number))
          ? (vb[off + k + 1] as number)
          : (vb[off + k - 1] as number) + 1;
      let py = px - k;
      const sx = px;
      const sy = py;
      while (px < n && py < m && x[xHi - 1 - px] === y[yHi - 1 - py]) {
        px++;
        py++;
      }
      vb[off + k] = px;
      if (!odd && delta - k >= -d && delta - k <= d && px + (vf[off + delta - k] as number) >= n) {
        out[0] = xLo + n - px;
        out[1] = yLo + m - py;
        out[2] = xLo + n - sx;
        out[3] = yLo + m - sy;
        return true;
      }
    }
  }
  return false;
}

/**
 * Fallback for a region too costly for Myers: keep the longest increasing run of lines that occur exactly once on
 * each side (patience anchors) and queue the gaps between them; without anchors the region counts as replaced.
 */
function anchorUnique(
  x: Int32Array,
  xLo: number,
  xHi: number,
  y: Int32Array,
  yLo: number,
  yHi: number,
  keep: (i: number, j: number) => void,
  stack: number[],
): void {
  const countX = new Map<number, number>();
  const posX = new Map<number, number>();
  for (let i = xLo; i < xHi; i++) {
    const id = x[i] as number;
    countX.set(id, (countX.get(id) ?? 0) + 1);
    posX.set(id, i);
  }
  const countY = new Map<number, number>();
  for (let j = yLo; j < yHi; j++) {
    const id = y[j] as number;
    countY.set(id, (countY.get(id) ?? 0) + 1);
  }
  // Candidate pairs in y order; keep those whose x positions increase (longest increasing subsequence).
  const pairX: number[] = [];
  const pairY: number[] = [];
  for (let j = yLo; j < yHi; j++) {
    const id = y[j] as number;
    if (countY.get(id) === 1 && countX.get(id) === 1) {
      pairX.push(posX.get(id) as number);
      pairY.push(j);
    }
  }
  if (pairX.length === 0) return;
  const tails: number[] = [];
  const prev = new Int32Array(pairX.length).fill(-1);
  for (let p = 0; p < pairX.length; p++) {
    const v = pairX[p] as number;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((pairX[tails[mid] as number] as number) < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[p] = tails[lo - 1] as number;
    tails[lo] = p;
  }
  const chain: number[] = [];
  for (let p = tails[tails.length - 1] as number; p !== -1; p = prev[p] as number) chain.push(p);
  chain.reverse();
  let cx = xLo;
  let cy = yLo;
  for (const p of chain) {
    const ax = pairX[p] as number;
    const ay = pairY[p] as number;
    if (ax > cx || ay > cy) stack.push(cx, ax, cy, ay);
    keep(ax, ay);
    cx = ax + 1;
    cy = ay + 1;
  }
  if (cx < xHi || cy < yHi) stack.push(cx, xHi, cy, yHi);
}
