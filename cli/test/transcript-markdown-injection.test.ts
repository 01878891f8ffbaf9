// Transcript markdown injection: a hostile Claude Code session and a hostile Codex rollout (links, images, raw HTML,
// fences and headings in prompts, answers, thinking, tool inputs and outputs) through the built CLI's
// `transcript view --format markdown`, rendered as VS Code's preview renders it. No trace text may form a link, an
// image or HTML, end its message or forge a turn; the hostile text still shows as text, and a normal answer stays
// readable (paragraphs, line breaks, its code block).

import { beforeAll, describe, expect, it } from "vitest";
import { HOSTILE, NORMAL_ANSWER, renderTranscript, writeHostileClaude, writeHostileCodex, type HostileTrace } from "../../tests/support/hostile-transcripts";
import { makeProject, type TestProject } from "./support/project";

let p: TestProject;
let claude: HostileTrace;
let codex: HostileTrace;

beforeAll(() => {
  p = makeProject();
  claude = writeHostileClaude(p.home, p.project);
  codex = writeHostileCodex(p.home, p.project);
});

async function view(sessionId: string, flags: string[]): Promise<string> {
  const r = await p.run(["transcript", "view", sessionId, "--format", "markdown", ...flags]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return r.stdout;
}

describe.each([
  ["Claude", () => claude],
  ["Codex", () => codex],
])("transcript view --format markdown of a hostile %s trace", (_agent, trace) => {
  it("has as many turns as the trace has messages (the JSON view's count)", async () => {
    const r = await p.run(["transcript", "view", trace().sessionId, "--format", "json", "--show-tools", "--show-thinking"]);
    expect((JSON.parse(r.stdout) as { messages: unknown[] }).messages).toHaveLength(trace().messages);
  });

  it.each([[["--show-tools", "--show-thinking", "--full"]], [[]]])("forms no link, image or HTML and forges no turn (flags %j)", async (flags) => {
    const out = renderTranscript(await view(trace().sessionId, flags));
    expect(out.foreignTags).toEqual([]);
    expect(out.html).not.toMatch(/<a[\s>]|<img|<script|<iframe|<h[3-6]/);
    expect(out.foreignSummaries).toEqual([]);
    expect(out.detailsOpened).toBe(out.detailsClosed);
    expect(out.h1).toBe(1);
    // Without --show-tools a message holding only a tool result renders nothing.
    const turns = flags.length > 0 ? trace().messages : trace().messages - trace().toolResults;
    expect(out.h2).toBe(turns);
    // One rule under the header and one closing each turn: none forged by a `---` in the trace.
    expect(out.hr).toBe(turns + 1);
    // The hostile text is still there to read, as text (whole with --full).
    if (flags.includes("--full")) for (const line of HOSTILE.split(/\r|\n|\u2028|\u2029|\u0085|\v|\f/).filter((l) => l.trim() !== "")) expect(out.text).toContain(line.trim());
  });

  it("keeps a normal answer readable: its lines, its paragraphs and its code block", async () => {
    const out = renderTranscript(await view(trace().sessionId, []));
    expect(out.html).toContain("<p>I added the greeting helper.<br>\nIt returns the text instead of printing it.</p>");
    expect(out.html).toContain('<pre><code class="language-python">def greet(name):\n    return f&quot;Hello, {name}&quot;\n</code></pre>');
    expect(out.html).toContain("<p>Run the tests again to check.</p>");
    expect(NORMAL_ANSWER).toContain("```python");
  });
});
