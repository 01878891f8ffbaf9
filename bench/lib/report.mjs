// @ts-check
// Turns measurements into the printed table (ours beside the reference, ratio = reference ÷ ours, so above 1 means
// we are faster or leaner) and checks the performance goals against them. Pure functions over the results object.

/**
 * @typedef {import("./scenarios.mjs").Scenario} Scenario
 * @typedef {{ size: string, traceBytes: number, traceFiles: number, expectedEvents: number | null,
 *   expectedClaudeEvents?: number | null, expectedCodexEvents?: number | null, appendTraceBytes?: number | null,
 *   ours: Record<string, Scenario>, reference: Record<string, Scenario> | null, server?: Scenario | null,
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
/** Peak RSS (GNU time's and /proc's kB / 1024). @param {number | null | undefined} mib */
const fmtMb = (mib) => (mib === null || mib === undefined ? "–" : `${mib.toFixed(0)} MiB`);
/** @param {number} bytes */
const fmtTraceSize = (bytes) => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(bytes >= 1e7 ? 0 : 1)} MB`);
/** The memory goal: peak RSS of a cold index, in MiB. */
const RSS_GOAL_MIB = 120;

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
    const generated = r.expectedClaudeEvents == null ? `${r.expectedEvents ?? "?"}` : `${r.expectedClaudeEvents} Claude + ${r.expectedCodexEvents} Codex`;
    rows.push(["", `events found (generated: ${generated})`, events(r.ours), r.reference === null ? "not run" : events(r.reference), ""]);
    if (r.appendTraceBytes) rows.push(["", "size of the trace appended to", fmtTraceSize(r.appendTraceBytes), "", ""]);
    if (r.server) {
      const s = r.server;
      rows.push(["", "server: cold index (spawn → progress end)", s.error ? "failed" : withMin(s), "", "", s.error ? "" : fmtMs(s.cpuMedianMs)]);
      rows.push(["", "server: peak RSS of the cold index", s.error ? "failed" : fmtMb(s.peakRssMB), "", ""]);
    }
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
  /** @param {string} goal @param {string} size @param {number | null} value @param {(v: number) => string} fmt @param {(v: number) => boolean} ok */
  const add = (goal, size, value, fmt, ok) => goals.push({ goal, size, value: value === null ? "not measured" : fmt(value), met: value === null ? null : ok(value) });
  for (const r of results) {
    const coldRss = r.ours.coldStats?.peakRssMB ?? null;
    if (r.size === "200MB" || r.size === "1GB") {
      const x = r.reference === null ? null : ratio(r.reference.coldStats?.medianMs, r.ours.coldStats?.medianMs);
      add("cold stats ≥ 5× faster than the reference", r.size, x, fmtRatio, (v) => v >= 5);
      add("cold stats ≥ 3× faster than the reference (minimum to resolve issue 15)", r.size, x, fmtRatio, (v) => v >= 3);
    }
    if (r.size === "3GB") {
      const ms = r.ours.coldStats?.medianMs ?? null;
      add("cold stats ≥ 1 GB/s", r.size, ms === null ? null : r.traceBytes / 1e9 / (ms / 1000), (v) => `${v.toFixed(2)} GB/s`, (v) => v >= 1);
    }
    if (r.size === "1GB" || r.size === "3GB") {
      add(`peak RSS of a cold index ≤ ${RSS_GOAL_MIB} MiB (CLI stats)`, r.size, coldRss, fmtMb, (v) => v <= RSS_GOAL_MIB);
      const server = r.server && r.server.error === undefined ? r.server.peakRssMB : null;
      add(`peak RSS of the server's cold index ≤ ${RSS_GOAL_MIB} MiB`, r.size, server, fmtMb, (v) => v <= RSS_GOAL_MIB);
    }
    if (r.size === "1GB") add("warm blame HOTFILE ≤ 120 ms (whole process)", r.size, r.ours.warmBlame?.medianMs ?? null, fmtMs, (v) => v <= 120);
    const target = r.appendTraceBytes ? ` to a ${fmtTraceSize(r.appendTraceBytes)} trace` : "";
    const appendGoal = `stats after a 1 MB append${target} ≤ 80 ms (whole process)`;
    add(appendGoal, r.size, r.ours.append?.medianMs ?? null, fmtMs, (v) => v <= 80);
    // Nothing lost: every generated edit is found (the CLI and the server alike).
    if (r.expectedEvents !== null) {
      const found = r.ours.coldStats?.events ?? null;
      add(`every generated edit found (${r.expectedEvents})`, r.size, found, String, (v) => v === r.expectedEvents);
      if (r.server) add(`every generated edit found by the server (${r.expectedEvents})`, r.size, r.server.events ?? null, String, (v) => v === r.expectedEvents);
    }
    // What the README says of the reference: on these folders it finds every Claude edit and no Codex edit.
    if (r.reference !== null && r.expectedClaudeEvents != null) {
      add(`the reference finds exactly the ${r.expectedClaudeEvents} Claude edits (README's statement)`, r.size, r.reference.coldStats?.events ?? null, String, (v) => v === r.expectedClaudeEvents);
    }
  }
  return goals;
}

/** @param {ReturnType<typeof checkGoals>} goals */
export function formatGoals(goals) {
  return goals.map((g) => `${g.met === null ? "  n/a " : g.met ? "  pass" : "  FAIL"}  ${g.goal} @ ${g.size}: ${g.value}`).join("\n");
}
