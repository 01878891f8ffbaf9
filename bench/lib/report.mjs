// @ts-check
// Turns measurements into the printed table (ours beside the reference, ratio = reference ÷ ours, so above 1 means
// we are faster or leaner) and checks the performance goals against them. Pure functions over the results object.

/**
 * @typedef {import("./scenarios.mjs").Scenario} Scenario
 * @typedef {{ size: string, traceBytes: number, traceFiles: number, expectedEvents: number | null,
 *   ours: Record<string, Scenario>, reference: Record<string, Scenario> | null,
 *   inProcess: Record<string, number | null> | null }} SizeResult
 */

const ROWS = [
  ["coldStats", "cold stats (index from nothing)"],
  ["warmStats", "warm stats"],
  ["coldBlame", "cold blame HOTFILE"],
  ["warmBlame", "warm blame HOTFILE"],
  ["append", "stats after +1 MB appended"],
];

/** @param {number | null | undefined} ms */
const fmtMs = (ms) => (ms === null || ms === undefined ? "–" : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);
/** @param {number | null | undefined} x */
const fmtRatio = (x) => (x === null || x === undefined ? "–" : x >= 100 ? `${x.toFixed(0)}×` : `${x.toFixed(1)}×`);
/** @param {number | null | undefined} mb */
const fmtMb = (mb) => (mb === null || mb === undefined ? "–" : `${mb.toFixed(0)} MB`);

/** @param {number | null | undefined} a @param {number | null | undefined} b */
function ratio(a, b) {
  return a === null || a === undefined || b === null || b === undefined || b === 0 ? null : a / b;
}

/** @param {Record<string, Scenario>} tool */
export function peakRss(tool) {
  const values = Object.values(tool).map((s) => s.peakRssMB).filter((v) => v !== null);
  return values.length > 0 ? Math.max(.../** @type {number[]} */ (values)) : null;
}

/** Median wall time with the fastest run beside it: `median [min]`. @param {Scenario | undefined} s */
const withMin = (s) => (s?.minMs === undefined || s.minMs === null ? fmtMs(s?.medianMs) : `${fmtMs(s.medianMs)} [${fmtMs(s.minMs)}]`);

/** @param {SizeResult} r @param {string} key */
function cells(r, key) {
  const o = r.ours[key];
  const ref = r.reference?.[key];
  const refText = (/** @type {string} */ text) => (r.reference === null ? "not run" : ref?.error ? "failed" : text);
  return [
    o?.error ? "failed" : withMin(o),
    refText(withMin(ref)),
    fmtRatio(ratio(ref?.medianMs, o?.medianMs)),
    o?.error ? "failed" : fmtMs(o?.cpuMedianMs),
    refText(fmtMs(ref?.cpuMedianMs)),
    fmtRatio(ratio(ref?.cpuMedianMs, o?.cpuMedianMs)),
  ];
}

/** @param {SizeResult[]} results @returns {string} */
export function formatTable(results) {
  /** @type {string[][]} */
  const rows = [["size", "measure", "ai-blame median [min]", "reference median [min]", "ref ÷ ours", "cpu ours", "cpu ref", "cpu ref ÷ ours"]];
  for (const r of results) {
    const label = `${r.size} (${(r.traceBytes / 1e6).toFixed(0)} MB, ${r.traceFiles} files)`;
    ROWS.forEach(([key, title], i) => {
      if (r.ours[key] === undefined) return;
      rows.push([i === 0 ? label : "", title, ...cells(r, key)]);
    });
    const oursPeak = peakRss(r.ours);
    const refPeak = r.reference === null ? null : peakRss(r.reference);
    rows.push(["", "peak RSS (any run)", fmtMb(oursPeak), r.reference === null ? "not run" : fmtMb(refPeak), fmtRatio(ratio(refPeak, oursPeak))]);
    const mbps = (/** @type {Record<string, Scenario> | null} */ t) =>
      t?.coldStats?.medianMs ? `${(r.traceBytes / 1e6 / (t.coldStats.medianMs / 1000)).toFixed(0)} MB/s` : "–";
    rows.push(["", "cold stats throughput", mbps(r.ours), r.reference === null ? "not run" : mbps(r.reference), ""]);
    const events = (/** @type {Record<string, Scenario> | null} */ t) => String(t?.coldStats?.events ?? "–");
    rows.push(["", `events found (generated: ${r.expectedEvents ?? "?"})`, events(r.ours), r.reference === null ? "not run" : events(r.reference), ""]);
    if (r.inProcess) {
      rows.push(["", "in-process warm refresh", fmtMs(r.inProcess.refreshMs), "", ""]);
      rows.push(["", "in-process blame HOTFILE (first / repeat)", `${fmtMs(r.inProcess.firstBlameMs)} / ${fmtMs(r.inProcess.blameMs)}`, "", ""]);
      rows.push(["", "in-process re-index after +1 MB", fmtMs(r.inProcess.appendRefreshMs), "", ""]);
    }
  }
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? "").length))) ?? [];
  return rows
    .map((row, i) => {
      const line = row.map((v, c) => (c >= 2 ? v.padStart(widths[c] ?? 0) : v.padEnd(widths[c] ?? 0))).join("  ");
      return i === 0 ? `${line}\n${"-".repeat(line.length)}` : line;
    })
    .join("\n");
}

/**
 * The performance goals, each with the value measured: met, missed, or not measured at these sizes. Ratios compare
 * medians of runs taken in turns with the reference.
 * @param {SizeResult[]} results
 */
export function checkGoals(results) {
  /** @type {{ goal: string, size: string, value: string, met: boolean | null }[]} */
  const goals = [];
  for (const r of results) {
    if (r.size === "200MB" || r.size === "1GB") {
      const x = ratio(r.reference?.coldStats?.medianMs, r.ours.coldStats?.medianMs);
      goals.push({ goal: "cold stats ≥ 5× faster than the reference", size: r.size, value: x === null ? "reference not run" : fmtRatio(x), met: x === null ? null : x >= 5 });
    }
    if (r.size === "3GB") {
      const ms = r.ours.coldStats?.medianMs ?? null;
      const gbps = ms === null ? null : r.traceBytes / 1e9 / (ms / 1000);
      goals.push({ goal: "cold stats ≥ 1 GB/s", size: r.size, value: gbps === null ? "–" : `${gbps.toFixed(2)} GB/s`, met: gbps === null ? null : gbps >= 1 });
    }
    if (r.size === "1GB" || r.size === "3GB") {
      const { coldStats } = r.ours;
      const rss = coldStats?.peakRssMB ?? null;
      goals.push({ goal: "peak RSS of a cold index ≤ 120 MiB", size: r.size, value: fmtMb(rss), met: rss === null ? null : rss <= 120 * 1.048576 });
    }
    if (r.size === "1GB") {
      const blame = r.ours.warmBlame?.medianMs ?? null;
      goals.push({ goal: "warm blame HOTFILE ≤ 120 ms (whole process)", size: r.size, value: fmtMs(blame), met: blame === null ? null : blame <= 120 });
    }
    const append = r.ours.append?.medianMs ?? null;
    goals.push({ goal: "stats after a 1 MB append ≤ 80 ms (whole process)", size: r.size, value: fmtMs(append), met: append === null ? null : append <= 80 });
  }
  return goals;
}

/** @param {ReturnType<typeof checkGoals>} goals */
export function formatGoals(goals) {
  return goals.map((g) => `${g.met === null ? "  n/a " : g.met ? "  met " : "  MISS "} ${g.goal} @ ${g.size}: ${g.value}`).join("\n");
}
