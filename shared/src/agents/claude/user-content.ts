// What the content of a Claude Code user record says: its object blocks and which of them are tool results, the human
// text of a prompt, and the tool result (`toolUseResult`) decoded. Loops rather than map/filter chains: a prompt's
// string content and a result's block array then never meet in one chain of array calls, whose mixed array kinds made
// the optimizing compiler drop and redo the parser's `user` step twice per cold index.

import { asRecord, type Json } from "../../traces/common";

/** Texts Claude Code stores as user records that no human typed (slash-command echoes, interruptions). */
const NOT_A_PROMPT = /^(<command-name>|<command-message>|<local-command-|<bash-input>|<bash-stdout>|\[Request interrupted|Caveat: )/;

/** The object blocks of a content array (none for string content), and those of them that are tool results. */
export function contentBlocks(content: unknown): { blocks: Json[]; results: Json[] } {
  const blocks: Json[] = [];
  const results: Json[] = [];
  if (!Array.isArray(content)) return { blocks, results };
  for (let i = 0; i < content.length; i++) {
    const block = asRecord(content[i]);
    if (block === undefined) continue;
    blocks.push(block);
    if (block.type === "tool_result") results.push(block);
  }
  return { blocks, results };
}

/** The human text of a user record (string content or text blocks), or null when it is not a typed prompt. */
export function humanText(content: unknown, blocks: Json[]): string | null {
  let text: string;
  if (typeof content === "string") text = content;
  else text = blocks.filter((b) => b.type === "text" && typeof b.text === "string").map((b) => b.text as string).join("\n");
  const trimmed = text.trim();
  if (trimmed === "" || NOT_A_PROMPT.test(trimmed)) return null;
  return trimmed;
}

/** `toolUseResult` as an object or a string; double-encoded JSON objects are decoded once. */
export function decodeResult(value: unknown): Json | string | undefined {
  if (typeof value === "string") {
    const t = value.trimStart();
    if (t.startsWith("{")) {
      try {
        const decoded = asRecord(JSON.parse(t));
        if (decoded) return decoded;
      } catch {
        // Not JSON after all: a plain message.
      }
    }
    return value;
  }
  return asRecord(value);
}
