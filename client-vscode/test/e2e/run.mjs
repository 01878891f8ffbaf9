// @ts-check
// End-to-end test of the real extension in a real VS Code: code-server 4.100.3 (VS Code 1.100.3 in the browser)
// with the built .vsix installed and the bundled example as workspace, driven by headless Chromium through
// playwright-core. It opens a file an AI wrote, checks the code lenses, the hover, the current-line annotation, the
// rendered transcript (scrolled to the edit), the diff of an edit and of a line's previous AI edit, the status bar's list of edits, file blame on and
// off, the AI Sessions view, explorer badges, and that a file no AI touched gets no hover or badge; screenshots go to docs/img/. Run `npm run test:e2e` (setup.sh installs the tools).
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const toolsDir = process.env.AI_BLAME_E2E_DIR ?? join(process.env.HOME ?? "/root", ".cache/ai-blame-e2e");
const codeServer = join(toolsDir, "node_modules/.bin/code-server");
const require = createRequire(join(toolsDir, "package.json"));
const { chromium } = require("playwright-core");
const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
/** The file and line the bundled example's traces attribute to an AI edit (examples/README.md lists them). */
const target = JSON.parse(readFileSync(join(root, "examples/e2e-target.json"), "utf8"));
/** The example's ground truth: how many sessions it has and how many edits the target file has. */
const expectedEvents = JSON.parse(readFileSync(join(root, "examples/expected.json"), "utf8")).events;
const expectedSessions = new Set(expectedEvents.map((e) => e.sessionId)).size;
const expectedFileEdits = expectedEvents.filter((e) => e.file === target.file).length;

/**
 * The environment of the running language server the installed extension started (its server.js under
 * `extensionsDir`), from /proc; null when no such process is found.
 * @param {string} extensionsDir
 */
function languageServerEnv(extensionsDir) {
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      if (!argv.some((arg) => arg.startsWith(extensionsDir) && arg.endsWith("server.js"))) continue;
      const pairs = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").filter(Boolean);
      return new Map(pairs.map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]));
    } catch {
      // A process that ended meanwhile, or one we may not read.
    }
  }
  return null;
}

function fail(message) {
  console.error(`e2e: FAIL: ${message}`);
  process.exitCode = 1;
}

async function freePort() {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url, timeoutMs) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer at ${url}`);
}

const work = mkdtempSync(join(tmpdir(), "ai-blame-e2e-"));
const { materializeExample } = await import(pathToFileURL(join(root, "scripts/materialize-example.mjs")).href);
const { home, project } = await materializeExample(join(work, "example"));
const userData = join(work, "user-data");
const extensions = join(work, "extensions");
mkdirSync(join(userData, "User"), { recursive: true });
writeFileSync(
  join(userData, "User/settings.json"),
  JSON.stringify({
    "security.workspace.trust.enabled": false,
    "workbench.startupEditor": "none",
    "editor.hover.delay": 100,
    "workbench.tips.enabled": false,
    "aiBlame.home": home,
    "aiBlame.explorerDecorations.enabled": true,
  }),
);

execFileSync("npm", ["run", "--silent", "package:vscode"], { cwd: root, stdio: "inherit" });
const vsix = join(root, `ai-blame-${version}.vsix`);
execFileSync(codeServer, ["--user-data-dir", userData, "--extensions-dir", extensions, "--install-extension", vsix], {
  stdio: "inherit",
});

const port = await freePort();
const server = spawn(
  codeServer,
  ["--bind-addr", `127.0.0.1:${port}`, "--auth", "none", "--disable-telemetry", "--disable-update-check",
    "--disable-workspace-trust", "--user-data-dir", userData, "--extensions-dir", extensions, project],
  { stdio: ["ignore", "pipe", "pipe"], detached: true, env: { ...process.env, AI_BLAME_DATA_DIR: join(work, "data") } },
);
let serverLog = "";
server.stdout?.on("data", (d) => (serverLog += d));
server.stderr?.on("data", (d) => (serverLog += d));

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic"],
});
try {
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, 30_000);
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(project)}`);
  await page.waitForSelector(".monaco-workbench", { timeout: 60_000 });
  // Open the file through the explorer: expand each folder of its path, then click the file.
  await page.waitForSelector(".explorer-folders-view .monaco-list-row", { timeout: 60_000 });
  const parts = target.file.split("/");
  for (const [i, part] of parts.entries()) {
    const row = page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${part}"]`).first();
    await row.waitFor({ state: "visible", timeout: 20_000 });
    await row.click();
    if (i < parts.length - 1) await page.waitForTimeout(300);
  }
  await page.waitForSelector(".monaco-editor .view-lines .view-line", { timeout: 30_000 });

  const lenses = page.locator(".codelens-decoration");
  await lenses.first().waitFor({ state: "visible", timeout: 60_000 });
  const lensTexts = await lenses.allTextContents();
  console.log(`e2e: code lenses: ${JSON.stringify(lensTexts)}`);
  if (!lensTexts.some((t) => t.includes(target.modelShort))) fail(`no code lens names ${target.modelShort}`);

  // The extension starts its language server with glibc's malloc arenas capped (client-vscode/src/server-env.ts).
  const lspEnv = languageServerEnv(extensions);
  console.log(`e2e: language server's MALLOC_ARENA_MAX: ${lspEnv === null ? "(no server process found)" : (lspEnv.get("MALLOC_ARENA_MAX") ?? "(unset)")}`);
  if (lspEnv?.get("MALLOC_ARENA_MAX") !== "2") fail("the language server was not started with MALLOC_ARENA_MAX=2");

  const line = page.locator(".view-lines .view-line").nth(target.line - 1);
  const word = line.locator("span > span").filter({ hasText: /\S/ }).first();
  const box = await word.boundingBox();
  if (!box) throw new Error("could not find the line to hover");
  await page.mouse.move(box.x - 40, box.y - 40);
  await page.mouse.move(box.x + Math.min(box.width / 2, 20), box.y + box.height / 2, { steps: 10 });
  const hover = page.locator(".monaco-hover:not(.hidden) .monaco-hover-content .rendered-markdown").first();
  await hover.waitFor({ state: "visible", timeout: 20_000 });
  await page.waitForTimeout(300);
  const hoverText = (await page.locator(".monaco-hover:not(.hidden) .monaco-hover-content").allInnerTexts()).join("\n");
  console.log(`e2e: hover:\n${hoverText}`);
  if (!hoverText.includes(target.model)) fail(`hover does not name the model ${target.model}`);

  // The current-line annotation: click into another AI-written line and wait for its end-of-line text.
  await page.mouse.move(5, 5);
  const annotated = page.locator(".view-lines .view-line").nth(target.annotateLine - 1);
  await annotated.click();
  // VS Code draws `after` decorations with a CSS ::after rule, so read the pseudo-element's content.
  const annotationHandle = await page.waitForFunction(
    () => {
      for (const el of document.querySelectorAll(".view-lines .view-line span")) {
        const content = getComputedStyle(el, "::after").content;
        if (content?.includes("session")) return content;
      }
      return null;
    },
    undefined,
    { timeout: 20_000 },
  );
  const annotationText = String(await annotationHandle.jsonValue()).replace(/^"|"$/g, "");
  console.log(`e2e: current-line annotation: ${annotationText}`);
  if (!annotationText.includes(target.annotateModel)) fail(`the current-line annotation does not name ${target.annotateModel}`);
  const status = (await page.locator(".statusbar-item", { hasText: "% AI" }).first().innerText()).trim();
  console.log(`e2e: status bar: ${status}`);
  if (!/✦ \d+% AI/.test(status)) fail(`unexpected status bar text: ${status}`);

  // Explorer decorations (enabled in settings.json): the file's badge is its AI share, as the status bar says it;
  // a file no AI wrote has none. VS Code draws a badge as a CSS ::after rule on the row's label.
  const badgesOf = (name) =>
    page.evaluate((label) => {
      const out = [];
      for (const row of document.querySelectorAll(`.explorer-folders-view .monaco-list-row[aria-label="${label}"]`)) {
        for (const el of row.querySelectorAll("*")) {
          const content = getComputedStyle(el, "::after").content;
          if (content && content !== "none" && content !== "normal" && content !== '""') out.push(content.replace(/^"|"$/g, ""));
        }
      }
      return out;
    }, name);
  const fileName = parts[parts.length - 1];
  await page.waitForFunction(
    (label) => {
      for (const row of document.querySelectorAll(`.explorer-folders-view .monaco-list-row[aria-label="${label}"] *`)) {
        const content = getComputedStyle(row, "::after").content;
        if (/^"(\d{1,2}|✦|<1)"$/.test(content)) return true;
      }
      return false;
    },
    fileName,
    { timeout: 30_000 },
  ).catch(() => undefined);
  const badges = await badgesOf(fileName);
  const percent = /(\d+)% AI/.exec(status)?.[1];
  console.log(`e2e: explorer badges of ${fileName}: ${JSON.stringify(badges)} (status bar ${percent}%)`);
  if (!badges.includes(percent === "100" ? "✦" : String(percent))) fail(`the explorer badge of ${fileName} is not its AI share ${percent}`);

  /** Runs a palette command by its title. */
  async function palette(title) {
    await page.keyboard.press("F1");
    await page.waitForSelector(".quick-input-widget input", { timeout: 20_000 });
    await page.keyboard.type(title);
    await page.waitForTimeout(500);
    await page.keyboard.press("Enter");
  }
  /** The text of the first webview frame whose body contains `needle`, or null. */
  async function webviewText(needle, timeoutMs) {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      for (const frame of page.frames()) {
        const text = await frame.evaluate(() => document.body?.innerText ?? "").catch(() => "");
        if (text.includes(needle)) return { frame, text };
      }
      await page.waitForTimeout(250);
    }
    return null;
  }
  mkdirSync(join(root, "docs/img"), { recursive: true });

  // "AI Blame: Show Transcript for This Line" opens the session's transcript rendered (markdown preview) beside it,
  // scrolled to the edit that wrote the line.
  await palette("AI Blame: Show Transcript for This Line");
  const previewTab = page.locator(".tabs-container .tab", { hasText: "Preview" }).first();
  await previewTab.waitFor({ state: "visible", timeout: 30_000 });
  console.log(`e2e: transcript tab: ${(await previewTab.innerText()).trim()}`);
  const preview = await webviewText(target.annotatePrompt, 30_000);
  if (!preview) fail(`the rendered transcript does not show "${target.annotatePrompt}"`);
  else {
    const scrolled = await preview.frame.evaluate(() => window.scrollY);
    console.log(`e2e: transcript preview scrolled to y=${scrolled}`);
    if (!(scrolled > 0)) fail("the transcript preview is not scrolled to the edit");
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(root, "docs/img/vscode-transcript.png") });
  }
  // Close the preview and the markdown source behind it.
  await page.keyboard.press("Control+K");
  await page.keyboard.press("W");
  await page.waitForTimeout(500);
  await page.locator(".view-lines .view-line").nth(target.annotateLine - 1).click();

  // Show the change: a diff editor of the file before and after the edit that wrote the line.
  await palette("AI Blame: Show the Change That Wrote This Line");
  const diff = page.locator(".monaco-diff-editor").first();
  await diff.waitFor({ state: "visible", timeout: 30_000 });
  await page.waitForTimeout(1000);
  const diffTab = (await page.locator(".tabs-container .tab.active").first().innerText()).trim();
  const modified = await diff.locator(".editor.modified .view-lines").innerText();
  const original = await diff.locator(".editor.original .view-lines").innerText();
  const inserted = await diff.locator(".editor.modified .line-insert, .editor.modified .char-insert").count();
  console.log(`e2e: change tab: ${diffTab}; ${inserted} inserted marks`);
  if (!diffTab.includes(target.annotateModel)) fail(`the diff title does not name ${target.annotateModel}: ${diffTab}`);
  if (!modified.includes("args.log_file")) fail("the diff's after side lacks the edit's text (args.log_file)");
  if (original.includes("args.log_file")) fail("the diff's before side already has the edit's text (args.log_file)");
  if (inserted === 0) fail("the diff shows no inserted text");
  await page.screenshot({ path: join(root, "docs/img/vscode-change.png") });
  await page.keyboard.press("Control+W");
  await page.waitForTimeout(500);
  // The diff took the place of the file's preview tab: open the file again, pinned (double click).
  await page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${parts[parts.length - 1]}"]`).first().dblclick();
  await page.waitForSelector(".monaco-editor .view-lines .view-line", { timeout: 30_000 });
  await page.waitForTimeout(1500);

  // The previous AI edit of that line: the diff of the earlier edit (another model) that wrote the line the
  // annotated edit replaced; its after side has the line without the annotated edit's text.
  await page.locator(".view-lines .view-line").nth(target.annotateLine - 1).click();
  await palette("AI Blame: Show the Previous AI Edit of This Line");
  const previousDiff = page.locator(".monaco-diff-editor").first();
  await previousDiff.waitFor({ state: "visible", timeout: 30_000 });
  await page.waitForTimeout(1000);
  const previousTab = (await page.locator(".tabs-container .tab.active").first().innerText()).trim();
  const previousAfter = await previousDiff.locator(".editor.modified .view-lines").innerText();
  console.log(`e2e: previous edit tab: ${previousTab}`);
  if (!previousTab.includes(target.model)) fail(`the previous edit's diff title does not name ${target.model}: ${previousTab}`);
  if (!previousAfter.includes("append_entry(")) fail("the previous edit's after side lacks the line it wrote (append_entry)");
  if (previousAfter.includes("args.log_file")) fail("the previous edit's after side already has the later edit's text");
  await page.keyboard.press("Control+W");
  await page.waitForTimeout(500);
  await page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${parts[parts.length - 1]}"]`).first().dblclick();
  await page.waitForSelector(".monaco-editor .view-lines .view-line", { timeout: 30_000 });
  await page.waitForTimeout(1500);

  // The status bar's quick pick lists the file's edits, one row each.
  await page.locator(".statusbar-item", { hasText: "% AI" }).first().click();
  await page.waitForSelector(".quick-input-widget .monaco-list-row", { timeout: 20_000 });
  await page.waitForTimeout(300);
  const rows = await page.locator(".quick-input-widget .monaco-list-row").allInnerTexts();
  console.log(`e2e: edits quick pick: ${rows.length} rows; first: ${rows[0]?.replace(/\n/g, " | ")}`);
  if (rows.length !== expectedFileEdits) fail(`the quick pick lists ${rows.length} rows, not the file's ${expectedFileEdits} edits`);
  await page.screenshot({ path: join(root, "docs/img/vscode-edits.png") });
  await page.keyboard.press("Escape");

  // File blame: the editor-title button turns the column on (a label on AI lines), the other one turns it off.
  const beforeLabels = () =>
    page.evaluate(() => {
      const out = [];
      for (const el of document.querySelectorAll(".view-lines .view-line span")) {
        const content = getComputedStyle(el, "::before").content;
        if (content?.includes(" · ")) out.push(content);
      }
      return out;
    });
  await page.locator('.editor-actions a[aria-label^="Toggle File Blame"]').first().click();
  await page.waitForFunction(() => {
    for (const el of document.querySelectorAll(".view-lines .view-line span")) {
      if (getComputedStyle(el, "::before").content.includes(" · ")) return true;
    }
    return false;
  }, undefined, { timeout: 20_000 });
  const labels = await beforeLabels();
  console.log(`e2e: file blame on: ${labels.length} labelled lines; first ${labels[0]}`);
  if (!labels.some((l) => l.includes(target.annotateModel))) fail(`no file blame label names ${target.annotateModel}`);
  await page.mouse.move(5, 5);
  await page.screenshot({ path: join(root, "docs/img/vscode-file-blame.png") });
  await page.locator('.editor-actions a[aria-label^="Toggle File Blame"]').first().click();
  await page.waitForTimeout(1000);
  const after = await beforeLabels();
  console.log(`e2e: file blame off: ${after.length} labelled lines`);
  if (after.length !== 0) fail("toggling file blame again left labels");

  // The AI Sessions view lists the example's sessions.
  const sessionsHeader = page.locator('.pane-header[aria-label*="AI Sessions"]').first();
  await sessionsHeader.waitFor({ state: "visible", timeout: 20_000 });
  if ((await sessionsHeader.getAttribute("aria-expanded")) !== "true") await sessionsHeader.click();
  const sessionRows = page.locator('.pane:has(.pane-header[aria-label*="AI Sessions"]) .monaco-list-row');
  await sessionRows.first().waitFor({ state: "visible", timeout: 20_000 });
  await page.waitForTimeout(500);
  const sessionTexts = await sessionRows.allInnerTexts();
  console.log(`e2e: sessions view: ${JSON.stringify(sessionTexts.map((t) => t.replace(/\n/g, " | ")))}`);
  if (sessionTexts.length !== expectedSessions) fail(`the sessions view lists ${sessionTexts.length} sessions, not ${expectedSessions}`);
  await sessionRows.first().click();
  await page.waitForTimeout(800);
  await page.screenshot({ path: join(root, "docs/img/vscode-sessions.png") });

  // No explorer badge on a file no AI edit touched.
  const plainBadges = await badgesOf("pyproject.toml");
  console.log(`e2e: explorer badges of pyproject.toml: ${JSON.stringify(plainBadges)}`);
  if (plainBadges.some((b) => /^(\d{1,2}|✦|<1)$/.test(b))) fail("pyproject.toml, which no AI wrote, has an AI badge");
  // No hover on a file no AI edit touched (aiBlame.hover.unattributed: brief by default).
  const human = page.locator('.explorer-folders-view .monaco-list-row[aria-label="pyproject.toml"]').first();
  await human.click();
  await page.waitForTimeout(1500);
  const humanLine = page.locator(".view-lines .view-line").nth(0).locator("span > span").filter({ hasText: /\S/ }).first();
  const hb = await humanLine.boundingBox();
  if (hb) {
    await page.mouse.move(hb.x - 40, hb.y - 40);
    await page.mouse.move(hb.x + Math.min(hb.width / 2, 20), hb.y + hb.height / 2, { steps: 10 });
    await page.waitForTimeout(2000);
    const shown = await page.locator(".monaco-hover:not(.hidden) .monaco-hover-content").allInnerTexts();
    console.log(`e2e: hover on pyproject.toml: ${JSON.stringify(shown)}`);
    if (shown.some((t) => t.includes("AI"))) fail("a file no AI edit touched got an AI Blame hover");
  } else fail("could not find a word of pyproject.toml to hover");
  await page.locator(".tabs-container .tab", { hasText: target.file.split("/").pop() }).first().click();
  await page.waitForTimeout(500);
  await page.locator(".view-lines .view-line").nth(target.annotateLine - 1).click();

  // Hover again for the screenshot, so it shows lenses, hover, annotation and status bar at once.
  await page.mouse.move(box.x - 40, box.y - 40);
  await page.mouse.move(box.x + Math.min(box.width / 2, 20), box.y + box.height / 2, { steps: 10 });
  await hover.waitFor({ state: "visible", timeout: 20_000 });
  await page.waitForTimeout(300);

  await page.screenshot({ path: join(root, "docs/img/vscode-hover.png") });
  console.log("e2e: screenshot written to docs/img/vscode-hover.png");
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
  try {
    const pages = browser.contexts().flatMap((c) => c.pages());
    if (pages[0]) await pages[0].screenshot({ path: join(tmpdir(), "ai-blame-e2e-failure.png") });
    console.error(`e2e: failure screenshot: ${join(tmpdir(), "ai-blame-e2e-failure.png")}`);
  } catch {}
  console.error(serverLog.split("\n").slice(-40).join("\n"));
} finally {
  await browser.close();
  try {
    process.kill(-(server.pid ?? 0), "SIGTERM");
  } catch {}
  rmSync(work, { recursive: true, force: true });
}
if (!process.exitCode) console.log("e2e: 1 passed, 0 failed");
