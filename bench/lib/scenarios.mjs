// @ts-check
// The measured scenarios, run for each tool on one generated folder: cold and warm `stats`, warm and cold
// `blame HOTFILE`, and `stats` right after 1 MB was appended to a trace; then the language server's cold index.
// Each scenario runs `runs` times and keeps every wall time, the median and the peak RSS; a failing run stops that
// scenario and keeps its error line. The tools take turns run by run, so that load on the machine falls on both alike.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { appendRecords } from "./append.mjs";
import { median, runTimed } from "./measure.mjs";
import { measureServerIndex } from "./server-rss.mjs";

/**
 * @typedef {import("./tools.mjs").Tool} Tool
 * @typedef {import("./tools.mjs").Inputs} Inputs
 * @typedef {{ medianMs: number | null, runsMs: number[], cpuMedianMs: number | null, peakRssMB: number | null,
 *   minMs?: number | null, error?: string, events?: number | null, appendedBytes?: number }} Scenario
 */

/** @param {Tool} tool @param {Inputs} inputs @param {string[]} args */
function run(tool, inputs, args) {
  return runTimed(tool.command, [...tool.prefix, ...args], { cwd: inputs.project, env: tool.env(inputs) });
}

/** @param {import("./measure.mjs").RunResult} r */
function failure(r) {
  const line = (r.stderr.trim().split("\n").find((l) => l.trim() !== "") ?? "").slice(0, 200);
  return `exit ${r.status}: ${line || "(no message)"}`;
}

/** Collects one scenario's rounds for one tool: every wall time, the medians and the peak RSS. */
function collector() {
  /** @type {number[]} */
  const cpu = [];
  /** @type {Scenario} */
  const out = { medianMs: null, runsMs: [], cpuMedianMs: null, peakRssMB: null };
  return {
    out,
    /** @param {import("./measure.mjs").RunResult & { appendedBytes?: number }} r */
    add(r) {
      if (out.error !== undefined) return;
      if (r.status !== 0) {
        out.error = failure(r);
        return;
      }
      out.runsMs.push(r.ms);
      if (r.cpuMs !== null) cpu.push(r.cpuMs);
      if (r.rssMB !== null) out.peakRssMB = Math.max(out.peakRssMB ?? 0, r.rssMB);
      if (r.appendedBytes !== undefined) out.appendedBytes = r.appendedBytes;
    },
    finish() {
      out.medianMs = median(out.runsMs);
      out.minMs = out.runsMs.length > 0 ? out.runsMs.reduce((a, b) => Math.min(a, b)) : null;
      out.cpuMedianMs = median(cpu);
      return out;
    },
  };
}

/**
 * Runs one scenario `runs` times for every tool, alternating tool by tool within each round (ours, reference,
 * ours, reference …), so that a change of machine load during the run hits both tools alike instead of one.
 * @param {Tool[]} tools @param {number} runs
 * @param {(tool: Tool, round: number) => import("./measure.mjs").RunResult & { appendedBytes?: number }} once
 * @returns {Scenario[]} one per tool, in the order of `tools`
 */
function alternate(tools, runs, once) {
  const collectors = tools.map(() => collector());
  for (let round = 0; round < runs; round++) {
    tools.forEach((tool, i) => {
      const c = /** @type {ReturnType<typeof collector>} */ (collectors[i]);
      if (c.out.error === undefined) c.add(once(tool, round));
    });
  }
  return collectors.map((c) => c.finish());
}

/**
 * Measures every scenario for every tool, alternating the tools run by run.
 * @param {Tool[]} tools @param {Inputs} inputs @param {number} runs @param {string | null} appendTarget
 * @param {(message: string) => void} progress
 * @returns {Record<string, Scenario>[]} per tool, in the order of `tools`
 */
export function measureTools(tools, inputs, runs, appendTarget, progress) {
  /** @type {Record<string, Scenario>[]} */
  const results = tools.map(() => ({}));
  /** @param {string} name @param {Scenario[]} scenarios */
  const store = (name, scenarios) => scenarios.forEach((s, i) => ((/** @type {Record<string, Scenario>} */ (results[i]))[name] = s));
  const names = tools.map((t) => t.name).join(" / ");
  /** @type {(number | null)[]} */
  const events = tools.map(() => null);
  progress(`${names}: cold stats`);
  const coldStats = alternate(tools, runs, (tool) => {
    tool.makeCold(inputs);
    const r = run(tool, inputs, tool.stats(inputs));
    if (r.status === 0) events[tools.indexOf(tool)] = tool.countEvents(r.stdout);
    return r;
  });
  coldStats.forEach((s, i) => (s.events = events[i] ?? null));
  store("coldStats", coldStats);
  progress(`${names}: warm stats`);
  store("warmStats", alternate(tools, runs, (tool) => run(tool, inputs, tool.stats(inputs))));
  progress(`${names}: warm blame`);
  for (const tool of tools) run(tool, inputs, tool.blame(inputs));
  store("warmBlame", alternate(tools, runs, (tool) => run(tool, inputs, tool.blame(inputs))));
  progress(`${names}: cold blame`);
  store(
    "coldBlame",
    alternate(tools, runs, (tool) => {
      tool.makeCold(inputs);
      return run(tool, inputs, tool.blame(inputs));
    }),
  );
  if (appendTarget !== null) {
    progress(`${names}: stats after appending 1 MB`);
    for (const tool of tools) run(tool, inputs, tool.stats(inputs));
    // As an agent writes: each round appends ~1 MB more to the same session, then every tool's `stats` is timed, so
    // each tool meets exactly the bytes appended since its previous run. The trace only grows until the last round:
    // truncating it back between rounds (as this once did) is something no agent does, and made both tools take the
    // shortened trace for a damaged one and re-read it in the untimed re-warm.
    /** @type {ReturnType<typeof appendRecords>[]} */
    const appends = [];
    try {
      store(
        "append",
        alternate(tools, runs, (tool, round) => {
          if (appends.length === round) appends.push(appendRecords(appendTarget, inputs.project, 1, round));
          const appended = /** @type {ReturnType<typeof appendRecords>} */ (appends[round]);
          return { ...run(tool, inputs, tool.stats(inputs)), appendedBytes: appended.bytes };
        }),
      );
    } finally {
      // The cached folder back as generated (newest append undone first), and each index warm again, untimed.
      for (const appended of appends.reverse()) appended.restore();
      for (const tool of tools) run(tool, inputs, tool.stats(inputs));
    }
  }
  return results;
}

/**
 * The language server's cold index, `runs` times, each from an empty data folder: time from spawn to the end of the
 * index's progress, its CPU time, the events it reports and the process's peak RSS (the largest of the runs).
 * @param {string} serverJs @param {Inputs} inputs @param {number} runs @returns {Promise<Scenario>}
 */
export async function measureServer(serverJs, inputs, runs) {
  /** @type {Scenario} */
  const out = { medianMs: null, runsMs: [], cpuMedianMs: null, peakRssMB: null, events: null };
  /** @type {number[]} */
  const cpu = [];
  for (let round = 0; round < runs; round++) {
    const dataDir = mkdtempSync(join(tmpdir(), "ai-blame-bench-server-"));
    try {
      const r = await measureServerIndex(serverJs, inputs, dataDir);
      if (r.error !== undefined) {
        out.error = r.error;
        break;
      }
      out.runsMs.push(r.ms);
      if (r.cpuMs !== null) cpu.push(r.cpuMs);
      if (r.peakRssMB !== null) out.peakRssMB = Math.max(out.peakRssMB ?? 0, r.peakRssMB);
      out.events = r.events;
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  out.medianMs = median(out.runsMs);
  out.minMs = out.runsMs.length > 0 ? Math.min(...out.runsMs) : null;
  out.cpuMedianMs = median(cpu);
  return out;
}
