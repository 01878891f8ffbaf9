// The pure conversions every feature shares: model names without dates, relative and absolute times, markdown
// escaping of prompts, prompt trimming, and settings normalization (what survives, what falls back and why).

import { describe, expect, it } from "vitest";
import { absoluteTime, codeSpan, escapeMarkdown, INLAY_LABEL_MAX, lensTitle, quotePrompt, relativeTime, runLabel, trimPrompt } from "../src/convert";
import { defaultSettings, shortModelName as shortModel } from "@ai-blame/shared/contract";
import { normalizeSettings } from "../src/settings";

const now = Date.parse("2025-11-25T12:00:00Z");

describe("convert", () => {
  it("drops only a trailing date from model ids", () => {
    expect(shortModel("claude-opus-4-5-20251101")).toBe("claude-opus-4-5");
    expect(shortModel("claude-haiku-4-5-20251001")).toBe("claude-haiku-4-5");
    expect(shortModel("gpt-5.1-codex")).toBe("gpt-5.1-codex");
    expect(shortModel("model-12345")).toBe("model-12345");
  });

  it("says how long ago, in the largest whole unit", () => {
    expect(relativeTime("2025-11-25T11:59:30Z", now)).toBe("just now");
    expect(relativeTime("2025-11-25T11:59:00Z", now)).toBe("1 minute ago");
    expect(relativeTime("2025-11-25T09:00:00Z", now)).toBe("3 hours ago");
    expect(relativeTime("2025-11-23T11:00:00Z", now)).toBe("2 days ago");
    expect(relativeTime("2025-11-10T12:00:00Z", now)).toBe("2 weeks ago");
    expect(relativeTime("2024-11-01T12:00:00Z", now)).toBe("1 year ago");
    expect(relativeTime("2025-11-26T12:00:00Z", now)).toBe("just now");
    expect(relativeTime("not a date", now)).toBe("not a date");
    expect(absoluteTime("2025-11-20T14:03:59.123Z")).toBe("2025-11-20 14:03 UTC");
  });

  it("escapes markdown so a prompt reads as typed", () => {
    expect(escapeMarkdown("use *bold* and `code` in <html> [link](x) a_b | c ~d")).toBe(
      "use \\*bold\\* and \\`code\\` in \\<html\\> \\[link\\](x) a\\_b \\| c \\~d",
    );
    expect(escapeMarkdown("# not a heading")).toBe("\\# not a heading");
    expect(escapeMarkdown("- not a list")).toBe("\\- not a list");
    expect(escapeMarkdown("1. not a list")).toBe("1\\. not a list");
    expect(escapeMarkdown("a - b. c")).toBe("a - b. c");
    // No link of any kind forms, and a line break never starts a new block.
    expect(escapeMarkdown("see https://x.example, www.x.example or a@x.example")).toBe(
      "see https\\://x.example, www\\.x.example or a\\@x.example",
    );
    expect(escapeMarkdown("![i](u) &amp;\n\n# h\u2028x")).toBe("\\!\\[i\\](u) \\&amp;  # h x");
  });

  it("puts trace text in code spans longer than any backtick run inside", () => {
    expect(codeSpan("abc")).toBe("`abc`");
    expect(codeSpan("a`b")).toBe("``a`b``");
    expect(codeSpan("`a``")).toBe("``` `a`` ```");
    expect(codeSpan("a\n\nb")).toBe("`a  b`");
    expect(codeSpan("")).toBe("` `");
  });

  it("trims prompts on a word boundary and quotes each line", () => {
    expect(trimPrompt("alpha beta gamma delta", 14)).toBe("alpha beta…");
    // No space late enough: cut inside the word rather than lose most of the text.
    expect(trimPrompt("supercalifragilistic word", 10)).toBe("supercalif…");
    expect(trimPrompt("short", 12)).toBe("short");
    expect(trimPrompt("a\r\n\r\n\r\n\r\nb", 50)).toBe("a\n\nb");
    expect(quotePrompt("Fix it\n\n- keep *tests*", 100)).toBe("> Fix it\n>\n> \\- keep \\*tests\\*");
  });

  it("titles a run's lens with its models, edit count and newest edit's age, and labels its inlay hint", () => {
    const owner = {
      timestamp: "2025-11-22T10:00:00Z",
      model: "claude-opus-4-5-20251101",
      agent: "claude-code",
      agentVersion: "2.0.50",
      sessionId: "1a2b3c4d-0000",
      action: "EDITED" as const,
      toolCallId: "toolu_1",
      promptId: null,
      promptText: null,
      eventId: "e1",
      traceFile: "/t.jsonl",
    };
    const run = { start: 1, end: 9, session: owner.sessionId, models: ["claude-opus-4-5", "claude-sonnet-4-5"], edits: 3, newest: owner };
    expect(lensTitle(run, now)).toBe("✦ claude-opus-4-5, claude-sonnet-4-5 · 3 edits · 3 days ago");
    expect(lensTitle({ ...run, models: ["claude-opus-4-5"], edits: 1 }, now)).toBe("✦ claude-opus-4-5 · 1 edit · 3 days ago");
    expect(runLabel(run, now)).toBe("✦ claude-opus-4-5, claude-sonnet-4-5 · 3 days ago · 1a2b3c4d");
    // An inlay hint fits beside the code: two models at most, then a count, and never past INLAY_LABEL_MAX.
    const many = { ...run, models: ["claude-opus-4-5", "claude-sonnet-4-5", "claude-haiku-4-5", "gpt-5.1-codex-max"] };
    expect(runLabel(many, now)).toBe("✦ claude-opus-4-5, claude-sonnet-4-5 +2 · 3 days ago · 1a2b3c4d");
    const long = { ...run, models: ["a-very-long-model-name-from-some-provider-v12-preview", "another-long-model-name-2026"] };
    expect(runLabel(long, now)).toHaveLength(INLAY_LABEL_MAX);
    expect(runLabel(long, now).endsWith("…")).toBe(true);
  });
});

describe("normalizeSettings", () => {
  it("fills defaults and keeps valid values", () => {
    const problems: string[] = [];
    const s = normalizeSettings({ hover: { detail: "full" }, agents: { codex: false }, cacheSize: 7 }, problems);
    expect(s).toMatchObject({ hover: { detail: "full" }, agents: { claude: true, codex: false }, cacheSize: 7, logLevel: "info" });
    expect(problems).toEqual([]);
  });

  it("falls back per key and says why", () => {
    const problems: string[] = [];
    const s = normalizeSettings({ agents: { claude: "yes" }, logLevel: "loud", codeLens: false, home: "  " }, problems);
    expect(s.agents).toEqual(defaultSettings.agents);
    expect(s.logLevel).toBe("info");
    expect(s.codeLens).toEqual({ enabled: false, scope: "region" });
    expect(s.home).toBeNull();
    expect(problems).toEqual([
      // Every agent the engine knows is a key of the setting.
      `aiBlame.agents: ignoring {"claude":"yes"} (expected {${Object.keys(defaultSettings.agents).join(", ")}: boolean})`,
      'aiBlame.logLevel: ignoring "loud" (expected "error", "warn", "info" or "debug")',
    ]);
  });

  it("reads the wrapped and dotted forms", () => {
    expect(normalizeSettings({ aiBlame: { "inlayHints.enabled": true, "aiBlame.cacheSize": 3 } })).toMatchObject({
      inlayHints: { enabled: true },
      cacheSize: 3,
    });
    expect(normalizeSettings(null).cacheSize).toBe(50);
    expect(normalizeSettings("garbage").hover.detail).toBe("normal");
  });
});
