// @ts-check
// End-to-end test of the real extension in a real VS Code: code-server 4.100.3 (VS Code 1.100.3 in the browser)
// with the built .vsix installed and the bundled example as workspace, driven by headless Chromium through
// playwright-core. It opens a file an AI wrote, checks the code lenses, hovers an AI-written line, asserts that the
// hover names the model, and saves a screenshot to docs/img/. Run `npm run test:e2e` (setup.sh installs the tools).
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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
        if (content && content.includes("session")) return content;
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

  // "AI Blame: Show Transcript for This Line" opens the session's transcript as a markdown document beside it.
  await page.keyboard.press("F1");
  await page.waitForSelector(".quick-input-widget input", { timeout: 20_000 });
  await page.keyboard.type("AI Blame: Show Transcript for This Line");
  await page.waitForTimeout(500);
  await page.keyboard.press("Enter");
  const transcriptTab = page.locator(".tabs-container .tab", { hasText: ".md" }).first();
  await transcriptTab.waitFor({ state: "visible", timeout: 20_000 });
  const transcriptEditor = page.locator(".editor-group-container").nth(1).locator(".view-lines");
  await transcriptEditor.waitFor({ state: "visible", timeout: 20_000 });
  const transcriptText = await transcriptEditor.innerText();
  console.log(`e2e: transcript tab: ${(await transcriptTab.innerText()).trim()}`);
  console.log(`e2e: transcript view:\n${transcriptText.slice(0, 600)}`);
  // Opened at the edit that wrote the line: the prompt behind it (the --log-file rename) is in view.
  if (!transcriptText.includes(target.annotatePrompt)) fail(`the transcript is not opened at the edit ("${target.annotatePrompt}" not in view)`);
  await page.keyboard.press("Control+W");
  await page.locator(".view-lines .view-line").nth(target.annotateLine - 1).click();

  // Hover again for the screenshot, so it shows lenses, hover, annotation and status bar at once.
  await page.mouse.move(box.x - 40, box.y - 40);
  await page.mouse.move(box.x + Math.min(box.width / 2, 20), box.y + box.height / 2, { steps: 10 });
  await hover.waitFor({ state: "visible", timeout: 20_000 });
  await page.waitForTimeout(300);

  mkdirSync(join(root, "docs/img"), { recursive: true });
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
