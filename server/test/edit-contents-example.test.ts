// aiBlame/editContents on every edit of the bundled example (Claude Write/Edit/MultiEdit with recorded contents,
// a subagent's edits, Codex Add/Update chunks replayed on the previous content): each edit's "before" is the
// previous edit's "after", and a file no one touched after its last AI edit ends as it is on disk.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EditContentsResult, FileInfoResult } from "@ai-blame/shared";
import type { ExampleHome } from "../../tests/support/example-home";
import type { LspClient } from "./support/lsp-client";
import { type ExampleServer, startOnExample, stopExample } from "./support/session";

let server: ExampleServer;
let ex: ExampleHome;
let client: LspClient;

beforeAll(async () => {
  server = await startOnExample();
  ({ ex, client } = server);
});

afterAll(() => stopExample(server));

async function contentsOfEdits(file: string): Promise<EditContentsResult[]> {
  const text = readFileSync(join(ex.project, file), "utf8");
  const uri = await client.open(join(ex.project, file), text);
  const info = await client.request<FileInfoResult>("aiBlame/fileInfo", { uri });
  return Promise.all(
    info.edits.map((e) => client.request<EditContentsResult>("aiBlame/editContents", { uri, sessionId: e.sessionId, toolCallId: e.toolCallId })),
  );
}

describe("aiBlame/editContents on the bundled example", () => {
  it("chains every edit of every AI-touched file: before = the previous after", async () => {
    for (const file of ["tasklog/cli.py", "tasklog/store.py", "README.md", "web/format.js"]) {
      const all = await contentsOfEdits(file);
      expect(all.length, file).toBeGreaterThan(0);
      expect(all.every((c) => c !== null), file).toBe(true);
      expect(all[0]?.before, `${file}: created`).toBe("");
      for (let i = 1; i < all.length; i++) expect(all[i]?.before, `${file} edit ${i}`).toBe(all[i - 1]?.after);
      for (const c of all) expect(c?.before, file).not.toBe(c?.after);
    }
  });

  it("takes a recorded 'before' over the replay: config.yaml's human change between Codex and Claude shows", async () => {
    const [codex, claude] = await contentsOfEdits("config.yaml");
    expect(codex?.after).not.toContain("Europe/Berlin");
    expect(claude?.before).toContain("timezone: Europe/Berlin");
    expect(claude?.model).toBe("claude-sonnet-4-5-20250929");
  });

  it("replays Codex chunks and the subagent's edits up to the file as it is on disk", async () => {
    // web/format.js and tasklog/store.py end with a Codex Update (chunks, no recorded content) and no human edit.
    for (const file of ["web/format.js", "tasklog/store.py"]) {
      const all = await contentsOfEdits(file);
      expect(all[all.length - 1]?.after, file).toBe(readFileSync(join(ex.project, file), "utf8"));
    }
  });
});
