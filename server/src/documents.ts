// Open documents (full sync) and their blame. A document's blame is computed from its current buffer text, so
// attribution follows unsaved edits, and cached in an LRU keyed by URI that is valid only for the same document
// version and the same index generation; the LRU holds at most `aiBlame.cacheSize` documents. In a git repository
// the blame also carries each line's commit and owners from git notes (GitBlamer).

import { LRUCache } from "lru-cache";
import { ErrorCodes, ResponseError, TextDocuments, type Connection } from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { aiRegions, type AiRun, type BlameJson, type EditEvent, GitBlamer, type Snapshot } from "@ai-blame/shared";
import type { ServerLog } from "./log";
import { uriToPath, type Folder, type Workspaces } from "./workspace";

export interface BlameEntry {
  uri: string;
  version: number;
  /** Absolute path of the document. */
  path: string;
  folder: Folder;
  snapshot: Snapshot;
  generation: number;
  blame: BlameJson;
  /** The file's events (all sessions), computed on first use by fileInfo. */
  fileEvents: EditEvent[] | null;
  /** The blame's AI regions (lenses, inlay hints), computed on first use. */
  runs: AiRun[] | null;
}

export class DocumentStore {
  readonly documents = new TextDocuments(TextDocument);
  private cache: LRUCache<string, BlameEntry>;
  /** The git repository of each folder (null outside git), found once per folder. */
  private readonly gitOf = new WeakMap<Folder, Promise<GitBlamer | null>>();

  constructor(
    private readonly workspaces: Workspaces,
    private readonly log: ServerLog,
    maxDocuments: number,
  ) {
    this.cache = new LRUCache({ max: maxDocuments });
    this.documents.onDidClose((event) => this.cache.delete(event.document.uri));
  }

  listen(connection: Connection): void {
    this.documents.listen(connection);
  }

  /** Applies a new `aiBlame.cacheSize`, keeping the most recently used entries. */
  resize(maxDocuments: number): void {
    if (maxDocuments === this.cache.max) return;
    const next = new LRUCache<string, BlameEntry>({ max: maxDocuments });
    for (const [key, value] of [...this.cache.entries()].reverse()) next.set(key, value);
    this.cache = next;
  }

  cachedCount(): number {
    return this.cache.size;
  }

  /** The open document, or a protocol error naming the URI when the client never opened it. */
  require(uri: string): TextDocument {
    const document = this.documents.get(uri);
    if (!document) {
      throw new ResponseError(ErrorCodes.InvalidParams, `unknown document ${uri}: it was not opened with textDocument/didOpen`);
    }
    return document;
  }

  /**
   * The blame of an open document at its current version, waiting for its folder's first index. Null for documents
   * that are not files on disk (untitled buffers, virtual documents) and files of no project.
   */
  async blame(uri: string): Promise<BlameEntry | null> {
    this.require(uri);
    const path = uriToPath(uri);
    if (path === null) return null;
    const folder = this.workspaces.folderFor(path);
    if (!folder) return null;
    await folder.ready;
    // Re-read after waiting: the buffer may have changed while the index was building.
    const document = this.require(uri);
    const snapshot = folder.snapshot;
    if (!snapshot) return null;
    const cached = this.cache.get(uri);
    if (cached && cached.version === document.version && cached.generation === folder.generation && cached.folder === folder) {
      return cached;
    }
    const started = performance.now();
    const blamer = await this.git(folder);
    const blame = blamer ? await blamer.blame(snapshot, path, document.getText()) : snapshot.blame(path, document.getText());
    this.log.debug(`blame ${blame.file} v${document.version}: ${blame.events} events, ${(performance.now() - started).toFixed(1)} ms`);
    this.workspaces.blamed(folder);
    const entry: BlameEntry = {
      uri,
      version: document.version,
      path,
      folder,
      snapshot,
      generation: folder.generation,
      blame,
      fileEvents: null,
      runs: null,
    };
    this.cache.set(uri, entry);
    return entry;
  }

  /** The folder's git repository (null outside git), opened once per folder. */
  git(folder: Folder): Promise<GitBlamer | null> {
    let git = this.gitOf.get(folder);
    if (!git) {
      git = GitBlamer.open(folder.path, (message) => this.log.warn(message)).catch(() => null);
      this.gitOf.set(folder, git);
    }
    return git;
  }

  /** The document's current version, or null when it is closed. */
  currentVersion(uri: string): number | null {
    return this.documents.get(uri)?.version ?? null;
  }
}

/** Events of the entry's file, oldest first (cached on the entry). */
export function fileEventsOf(entry: BlameEntry): EditEvent[] {
  if (entry.fileEvents) return entry.fileEvents;
  const relative = entry.blame.file;
  const events = entry.snapshot
    .events({ target: relative })
    .filter((event) => event.file === entry.path || entry.snapshot.relativePath(event.file) === relative);
  entry.fileEvents = events;
  return events;
}

/** The AI regions of the entry's blame (cached on the entry). */
export function runsOf(entry: BlameEntry): AiRun[] {
  entry.runs ??= aiRegions(entry.blame);
  return entry.runs;
}
