// File blame, like GitLens's "Toggle File Blame": a gutter-side column before every line of the file naming the AI
// edit that wrote it (model, age, session), tinted for AI lines and blank for the rest, with a legend in its hover.
// With `aiBlame.fileBlame.heatmap` the tint and an overview-ruler mark get stronger the newer the edit. Data comes
// from the server's `aiBlame/fileInfo`; the column follows edits (debounced) and index changes.

import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { FileInfoRequest, shortModelName, type FileInfoResult, type LineOwnerJson } from "@ai-blame/shared/contract";

export const toggleFileBlameCommand = "aiBlame.toggleFileBlame";
const DEBOUNCE_MS = 400;
const DAY = 24 * 3600_000;

const legend = new vscode.MarkdownString(
  "**AI Blame: file blame**\n\n" +
    "Each line shows the AI edit that last wrote it: model · age · session. " +
    "Tinted lines were written by an AI edit; lines without text were not (a human, or an untraced tool). " +
    "With `aiBlame.fileBlame.heatmap`, newer edits are tinted stronger.\n\n" +
    "Toggle with **AI Blame: Toggle File Blame** (the ✦ button in the editor title).",
);

/** "3 hours", "2 days", "5 months": short ages for a narrow column. */
export function shortAge(iso: string, now: number): string {
  const ms = now - Date.parse(iso);
  if (!Number.isFinite(ms)) return "";
  const units: [string, number][] = [["y", 365 * DAY], ["mo", 30 * DAY], ["w", 7 * DAY], ["d", DAY], ["h", 3600_000], ["m", 60_000]];
  for (const [unit, size] of units) if (ms >= size) return `${Math.floor(ms / size)}${unit} ago`;
  return "now";
}

/** The column text of each line (index = line - 1); "" for lines no AI edit wrote. */
export function blameColumn(info: FileInfoResult, now: number): { texts: string[]; owners: (LineOwnerJson | null)[] } {
  const texts: string[] = new Array<string>(info.totalLines).fill("");
  const owners: (LineOwnerJson | null)[] = new Array<LineOwnerJson | null>(info.totalLines).fill(null);
  for (const block of info.blocks) {
    if (!block.owner) continue;
    const text = `${shortModelName(block.owner.model)} · ${shortAge(block.owner.timestamp, now)} · ${block.owner.sessionId.slice(0, 8)}`;
    for (let line = block.start; line <= block.end; line++) {
      texts[line - 1] = text;
      owners[line - 1] = block.owner;
    }
  }
  return { texts, owners };
}

export class FileBlame implements vscode.Disposable {
  private readonly on = new Set<string>();
  private readonly heat = [0.1, 0.16, 0.24, 0.34].map((alpha) =>
    vscode.window.createTextEditorDecorationType({
      before: { backgroundColor: `rgba(137, 87, 229, ${alpha})`, color: new vscode.ThemeColor("editorCodeLens.foreground") },
      overviewRulerColor: `rgba(137, 87, 229, ${alpha * 2})`,
      overviewRulerLane: vscode.OverviewRulerLane.Left,
    }),
  );
  private readonly human = vscode.window.createTextEditorDecorationType({
    before: { color: new vscode.ThemeColor("editorCodeLens.foreground") },
  });
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly client: LanguageClient) {
    this.disposables.push(
      vscode.window.onDidChangeVisibleTextEditors(() => this.refreshAll()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!this.on.has(e.document.uri.toString())) return;
        if (this.timer) clearTimeout(this.timer);
        this.timer = setTimeout(() => this.refreshAll(), DEBOUNCE_MS);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration("aiBlame.fileBlame")) this.refreshAll();
      }),
    );
  }

  isOn(uri: vscode.Uri): boolean {
    return this.on.has(uri.toString());
  }

  async toggle(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return;
    const key = editor.document.uri.toString();
    if (this.on.has(key)) {
      this.on.delete(key);
      this.clear(editor);
    } else {
      this.on.add(key);
      await this.render(editor);
    }
    await vscode.commands.executeCommand("setContext", "aiBlame.fileBlameOn", this.on.has(key));
  }

  /** Re-renders every visible editor whose file blame is on (after edits and index changes). */
  refreshAll(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      if (this.on.has(editor.document.uri.toString())) void this.render(editor);
    }
    const active = vscode.window.activeTextEditor;
    void vscode.commands.executeCommand("setContext", "aiBlame.fileBlameOn", active ? this.isOn(active.document.uri) : false);
  }

  private clear(editor: vscode.TextEditor): void {
    for (const type of [...this.heat, this.human]) editor.setDecorations(type, []);
  }

  private async render(editor: vscode.TextEditor): Promise<void> {
    let info: FileInfoResult;
    try {
      info = await this.client.sendRequest<FileInfoResult>(FileInfoRequest, { uri: editor.document.uri.toString() });
    } catch {
      return;
    }
    if (!this.on.has(editor.document.uri.toString())) return;
    const now = Date.now();
    const { texts, owners } = blameColumn(info, now);
    const width = Math.max(12, ...texts.map((t) => t.length)) + 2;
    const heatmap = vscode.workspace.getConfiguration("aiBlame").get<boolean>("fileBlame.heatmap", false);
    // Heat buckets by age among this file's edits: the newest quarter of the time span is the strongest.
    const times = owners.filter((o): o is LineOwnerJson => o !== null).map((o) => Date.parse(o.timestamp));
    const oldest = Math.min(...times);
    const span = Math.max(1, Math.max(...times) - oldest);
    const byHeat: vscode.DecorationOptions[][] = this.heat.map(() => []);
    const human: vscode.DecorationOptions[] = [];
    const lines = Math.min(texts.length, editor.document.lineCount);
    for (let i = 0; i < lines; i++) {
      const range = new vscode.Range(i, 0, i, 0);
      const text = (texts[i] ?? "").padEnd(width - 1, "\u00a0");
      const renderOptions = { before: { contentText: `\u00a0${text}`, width: `${width}ch`, margin: "0 1.5em 0 0" } };
      const owner = owners[i];
      if (!owner) {
        human.push({ range, renderOptions, hoverMessage: legend });
        continue;
      }
      const bucket = heatmap ? Math.min(3, Math.floor((4 * (Date.parse(owner.timestamp) - oldest)) / span)) : 1;
      byHeat[bucket]?.push({ range, renderOptions, hoverMessage: legend });
    }
    this.heat.forEach((type, i) => editor.setDecorations(type, byHeat[i] ?? []));
    editor.setDecorations(this.human, human);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const type of [...this.heat, this.human]) type.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
