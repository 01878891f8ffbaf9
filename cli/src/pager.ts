// The pager, as git has it: a command's output on a terminal goes through `less -FRX` (which prints short output and
// exits, keeps colours, and leaves the text on the screen), or through `$AI_BLAME_PAGER`, else `$PAGER`; an empty
// value or `cat` means none, and so does `--no-pager`. Output that is piped or redirected is never paged. The pager
// starts at the first byte of output, so progress lines and errors before it stay on the plain terminal.

import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import type { TextSink } from "./io";

export const DEFAULT_PAGER = "less -FRX";

function onPath(name: string, env: Record<string, string | undefined>): boolean {
  for (const dir of (env["PATH"] ?? "").split(delimiter)) {
    if (dir === "") continue;
    for (const ext of process.platform === "win32" ? [".exe", ".com"] : [""]) {
      try {
        accessSync(join(dir, name + ext), constants.X_OK);
        return true;
      } catch {
        // Not in this folder.
      }
    }
  }
  return false;
}

/** The pager command to run, or null for none. */
export function pagerCommand(env: Record<string, string | undefined>, stdoutIsTTY: boolean, noPager: boolean): string | null {
  if (!stdoutIsTTY || noPager) return null;
  const chosen = env["AI_BLAME_PAGER"] ?? env["PAGER"];
  if (chosen !== undefined) {
    const command = chosen.trim();
    return command === "" || command === "cat" ? null : command;
  }
  return onPath("less", env) ? DEFAULT_PAGER : null;
}

/** A stdout that starts the pager on its first write; `close()` ends its input and waits until the user quits it. */
export class PagedOutput {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  /** The pager went away (the user quit it early, or it failed to start): later output is dropped. */
  private gone = false;
  private failed = false;
  private readonly ignoreInterrupt = (): void => {
    // Ctrl-C belongs to the pager while it runs (less uses it to stop a search); it is not the end of ai-blame.
  };
  readonly sink: TextSink = { write: (text) => this.write(text) };

  constructor(
    private readonly command: string,
    private readonly env: Record<string, string | undefined>,
    private readonly fallback: TextSink,
  ) {}

  private start(): ChildProcess {
    // `less` without options (PAGER=less) behaves like the default, as git arranges it.
    const env = { ...this.env, LESS: this.env["LESS"] ?? "FRX", LV: this.env["LV"] ?? "-c" };
    const child = spawn(this.command, { shell: true, stdio: ["pipe", "inherit", "inherit"], env: env as NodeJS.ProcessEnv });
    this.exited = new Promise((resolve) => {
      child.on("close", () => resolve());
      child.on("error", (err) => {
        // It could not start at all: the rest of the output goes to the terminal directly.
        this.failed = true;
        process.stderr.write(`ai-blame: warning: cannot run the pager '${this.command}': ${err.message}\n`);
        resolve();
      });
    });
    child.stdin?.on("error", () => {
      this.gone = true;
    });
    process.on("SIGINT", this.ignoreInterrupt);
    return child;
  }

  private write(text: string): void {
    if (this.failed) {
      this.fallback.write(text);
      return;
    }
    if (this.gone) return;
    this.child ??= this.start();
    this.child.stdin?.write(text);
  }

  /** Ends the pager's input and resolves when the pager has exited (at once if it never started). */
  async close(): Promise<void> {
    if (this.child === null) return;
    this.child.stdin?.end();
    await this.exited;
    process.removeListener("SIGINT", this.ignoreInterrupt);
  }
}
