// `ai-blame lsp`: serves the Language Server Protocol on stdin/stdout, so Neovim, Helix and any LSP editor use the
// same binary as the terminal. The one allowed import of the server package (STYLE §3.3 rule 4): its entry function,
// loaded only when this command runs so the other commands do not pay for initialising the LSP libraries.

import type { Command } from "commander";
import type { CliIo } from "../io";

export function register(program: Command, _io: CliIo): void {
  program
    .command("lsp")
    .description("start the language server on stdio (for Neovim, Helix and other LSP editors)")
    .option("--stdio", "communicate over stdin/stdout (the default and only transport)")
    .action(async () => {
      if (process.stdin.isTTY === true) {
        // Started by hand: say what this is, on stderr, since the silence of a server waiting for JSON-RPC looks hung.
        process.stderr.write(
          "ai-blame lsp: this is the language server; it speaks LSP (JSON-RPC) on stdin/stdout for an editor to start " +
            "(see docs/editors.md). Ctrl-C to leave.\n",
        );
      }
      const { startServer } = await import("@ai-blame/server");
      // The server owns stdout from here on: nothing else may write to it.
      startServer(process.stdin, process.stdout);
    });
}
