// Reads the commander tree into plain completion specs (commands, options, positional arguments, value kinds), so
// the shell scripts are generated from the same definitions that parse the arguments and can never drift from them.

import type { Command, Option } from "commander";

/** What the value of an option or a positional argument completes to. */
export type ValueKind = { kind: "none" } | { kind: "file" } | { kind: "choices"; values: string[] } | { kind: "sessions" };

/** The hidden command the scripts run to complete a session id: it prints the project's session ids, newest first. */
export const SESSIONS_COMMAND = "__sessions";

export interface OptionSpec {
  short: string | null;
  long: string | null;
  description: string;
  /** Null for flags that take no value. */
  value: ValueKind | null;
}

export interface ArgumentSpec {
  name: string;
  value: ValueKind;
}

export interface CommandSpec {
  name: string;
  /** Names from the root's first subcommand down to this one (empty for the root). */
  path: string[];
  description: string;
  options: OptionSpec[];
  args: ArgumentSpec[];
  subcommands: CommandSpec[];
}

/** Placeholder names (`<path>`, `<FILE>`…) whose values are files or folders. */
const FILE_PLACEHOLDERS = new Set(["path", "dir", "file", "directory", "folder", "config"]);

function placeholderOf(option: Option): string | null {
  const m = /[<[]([^>\]]+)[>\]]/.exec(option.flags);
  return m ? (m[1] ?? null) : null;
}

function optionValue(option: Option): ValueKind | null {
  if (!option.required && !option.optional) return null;
  if (option.argChoices && option.argChoices.length > 0) return { kind: "choices", values: [...option.argChoices] };
  const placeholder = placeholderOf(option);
  if (placeholder && FILE_PLACEHOLDERS.has(placeholder.toLowerCase().replace(/\.\.\.$/, ""))) return { kind: "file" };
  return { kind: "none" };
}

export function commandSpec(cmd: Command, path: string[] = []): CommandSpec {
  const help = cmd.createHelp();
  const options: OptionSpec[] = help.visibleOptions(cmd).map((o) => ({
    short: o.short ?? null,
    long: o.long ?? null,
    description: o.description,
    value: optionValue(o),
  }));
  const args: ArgumentSpec[] = cmd.registeredArguments.map((a) => ({
    name: a.name(),
    value: a.argChoices && a.argChoices.length > 0
      ? { kind: "choices", values: [...a.argChoices] }
      : a.name().toUpperCase() === "SESSION"
        ? { kind: "sessions" }
        : { kind: "file" },
  }));
  const subcommands = help
    .visibleCommands(cmd)
    .filter((c) => c.name() !== "help")
    .map((c) => commandSpec(c, [...path, c.name()]));
  return { name: cmd.name(), path, description: cmd.description(), options, args, subcommands };
}

/** Every command of the tree, root first, depth-first. */
export function allCommands(root: CommandSpec): CommandSpec[] {
  return [root, ...root.subcommands.flatMap(allCommands)];
}

/** All spellings of an option (`-t`, `--trace-dir`). */
export function optionNames(o: OptionSpec): string[] {
  return [o.short, o.long].filter((n): n is string => n !== null);
}
