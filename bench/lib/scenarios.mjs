// @ts-check
// The measured scenarios, run for one tool on one generated folder: cold and warm `stats`, warm and cold
// `blame HOTFILE`, and `stats` right after 1 MB was appended to a trace. Each scenario runs `runs` times and keeps
// every wall time, the median and the peak RSS; a failing run stops that scenario and keeps its error line.
import { appendRecords } from "./append.mjs";
import { median, runTimed } from "./measure.mjs";

/**
 * @typedef {import("./tools.mjs").Tool} Tool
 * @typedef {import("./tools.mjs").Inputs} Inputs
 * @typedef {{ medianMs: number | null, runsMs: number[], cpuMedianMs: number | null, peakRssMB: number | null,
 *   error?: string, events?: number | null, appendedBytes?: number }} Scenario
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

/**
 * @param {number} runs
 * @param {(round: number) => import("./measure.mjs").RunResult & { appendedBytes?: number }} once
 * @returns {Scenario}
 */
function repeat(runs, once) {
  /** @type {number[]} */
  const times = [];
  /** @type {number[]} */
  const cpu = [];
  let peak = null;
  /** @type {Scenario} */
  const out = { medianMs: null, runsMs: times, cpuMedianMs: null, peakRssMB: null };
  for (let round = 0; round < runs; round++) {
    const r = once(round);
    if (r.status !== 0) {
      out.error = failure(r);
      break;
    }
    times.push(r.ms);
    if (r.cpuMs !== null) cpu.push(r.cpuMs);
    if (r.rssMB !== null) peak = Math.max(peak ?? 0, r.rssMB);
    if (r.appendedBytes !== undefined) out.appendedBytes = r.appendedBytes;
  }
  out.medianMs = median(times);
  out.cpuMedianMs = median(cpu);
  out.peakRssMB = peak;
  return out;
}

/**
 * @param {Tool} tool @param {Inputs} inputs @param {number} runs @param {string | null} appendTarget
 * @param {(message: string) => void} progress
 * @returns {Record<string, Scenario>}
 */
export function measureTool(tool, inputs, runs, appendTarget, progress) {
  /** @type {Record<string, Scenario>} */
  const results = {};
  let events = null;
  progress(`${tool.name}: cold stats`);
  results.coldStats = repeat(runs, () => {
    tool.makeCold(inputs);
    const r = run(tool, inputs, tool.stats(inputs));
    if (r.status === 0) events = tool.countEvents(r.stdout);
    return r;
  });
  results.coldStats.events = events;
  progress(`${tool.name}: warm stats`);
  results.warmStats = repeat(runs, () => run(tool, inputs, tool.stats(inputs)));
  progress(`${tool.name}: warm blame`);
  run(tool, inputs, tool.blame(inputs));
  results.warmBlame = repeat(runs, () => run(tool, inputs, tool.blame(inputs)));
  progress(`${tool.name}: cold blame`);
  results.coldBlame = repeat(runs, () => {
    tool.makeCold(inputs);
    return run(tool, inputs, tool.blame(inputs));
  });
  if (appendTarget !== null) {
    progress(`${tool.name}: stats after appending 1 MB`);
    run(tool, inputs, tool.stats(inputs));
    results.append = repeat(runs, (round) => {
      const appended = appendRecords(appendTarget, inputs.project, 1, round);
      try {
        return { ...run(tool, inputs, tool.stats(inputs)), appendedBytes: appended.bytes };
      } finally {
        appended.restore();
        // Back to a warm index of the restored folder, untimed, for the next round.
        run(tool, inputs, tool.stats(inputs));
      }
    });
  }
  return results;
}
