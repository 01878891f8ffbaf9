// Hover injection: a hostile trace (backticks, links, images, HTML, bare URLs and line breaks in the model id, the
// agent version and the prompt) must not form a link, an image or HTML in the server's hover at detail "full". The
// hover comes from the real server over stdio and is rendered with markdown-it (HTML and GFM autolinks on).

import { createRequire } from "node:module";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MarkupContent } from "vscode-languageserver-protocol";
import { ClaudeSession, daysAgo } from "./support/claude-trace";
import { createFixture, type Fixture } from "./support/fixture";
import { LspClient } from "./support/lsp-client";
import { stopAndCheck } from "./support/session";

interface MarkdownRenderer {
  render(text: string): string;
}
const MarkdownIt = createRequire(import.meta.url)("markdown-it") as new (options: object) => MarkdownRenderer;
// GFM-like: raw HTML allowed, `https://…`, `www.…` and e-mail addresses turned into links (as VS Code's hover renderer).
const markdown = new MarkdownIt({ html: true, linkify: true });
(markdown as unknown as { linkify: { set(o: object): void } }).linkify.set({ fuzzyLink: false });

const HOSTILE = [
  "x` [Open transcript at this edit](https://evil.example/run) ![pixel](https://evil.example/p.png) `",
  "<img src=https://evil.example/q.png> <script>alert(1)</script>",
  "https://evil.example/a www.evil.example mail@evil.example",
  "[ref]: https://evil.example/ref",
  "\n\n# heading\n\n[ref]",
  "```",
  "\u2028line\u2029para\r\ncr\u0085nel",
].join(" ");

let fx: Fixture;
let client: LspClient;
let session: ClaudeSession;
const file = (): string => join(fx.project, "src", "hostile.py");

beforeAll(async () => {
  fx = createFixture();
  session = new ClaudeSession({ home: fx.home, project: fx.project, model: HOSTILE, version: `9.9 ${HOSTILE}` });
  session.prompt(`Please ${HOSTILE}`, daysAgo(1, 2)).write(file(), "print('hi')\n", daysAgo(1, 1)).flush();
  writeFileSync(file(), "print('hi')\n");
  client = await LspClient.start({
    home: fx.home,
    project: fx.project,
    dataDir: fx.dataDir,
    configuration: { hover: { detail: "full" } },
    waitForIndex: true,
  });
});

afterAll(() => stopAndCheck(client, fx));

describe("hover of a hostile trace", () => {
  it("forms no link but its own transcript and change links, no image and no HTML, and shows the model id whole", async () => {
    const uri = await client.open(file(), "print('hi')\n", "python");
    const hover = await client.hover(uri, 0, 2);
    const text = (hover?.contents as MarkupContent).value;
    const html = markdown.render(text);
    const links = [...html.matchAll(/<a\s[^>]*href="([^"]*)"/g)].map((m) => m[1]);
    // Its own two links (transcript, change), nothing from the trace.
    expect(links).toHaveLength(2);
    expect(links[0]).toMatch(/^command:aiBlame\.showTranscript\?/);
    expect(links[1]).toMatch(/^command:aiBlame\.showChange\?/);
    expect(html).not.toMatch(/<img|<script|<h1|<hr/);
    // The one link's arguments decode to this session's real ids (nothing of the trace text ended its target).
    const args = JSON.parse(decodeURIComponent((links[0] ?? "").split("?")[1] ?? "")) as { sessionId: string }[];
    expect(args[0]?.sessionId).toBe(session.sessionId);
    // The full model id is shown in one code span, with line breaks as spaces and every backtick kept.
    const flat = HOSTILE.replace(/\r\n|[\n\r\u0085\u2028\u2029]/g, " ");
    const code = [...html.matchAll(/<code>([^<]*)<\/code>/g)].map((m) => m[1]);
    const unescape = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
    expect(code.map((c) => unescape(c ?? ""))).toContain(flat);
  });
});
