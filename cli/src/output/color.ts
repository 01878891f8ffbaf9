// ANSI styling for human output. A Painter is created from the colour policy (CliIo.color) once per command, so
// formatters never test the terminal themselves; with colour off every function returns its input unchanged.

export interface Painter {
  enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  /** A colour from a small palette, chosen by index (blame gives each edit its own). */
  pick(index: number, text: string): string;
}

const PALETTE = [36, 33, 35, 32, 34, 91, 96, 93];

function sgr(code: number | string, text: string): string {
  return text === "" ? text : `\x1b[${code}m${text}\x1b[0m`;
}

export function painter(enabled: boolean): Painter {
  if (!enabled) {
    const same = (text: string) => text;
    return { enabled, bold: same, dim: same, red: same, green: same, yellow: same, pick: (_i, text) => text };
  }
  return {
    enabled,
    bold: (t) => sgr(1, t),
    dim: (t) => sgr(2, t),
    red: (t) => sgr(31, t),
    green: (t) => sgr(32, t),
    yellow: (t) => sgr(33, t),
    pick: (i, t) => sgr(PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length] ?? 36, t),
  };
}
