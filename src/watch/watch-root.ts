import { stat } from 'node:fs/promises';
import path from 'node:path';
import { watch } from 'chokidar';

/** When a changed file is looked at again: past chokidar's 50 ms throttle of `change` events. */
const RECHECK_AFTER = 80;

/** What tells two versions of a file apart without reading it. */
function signature(file: string): Promise<string> {
  return stat(file).then(
    (info) => `${info.mtimeMs}:${info.size}:${info.ino}`,
    () => 'missing',
  );
}

/** Options of {@link watchRoot}. */
export interface WatchRootOptions {
  /** The site root: everything under it is watched but what {@link ignoredPath} leaves out. */
  root: string;
  /** Output folders relative to the root (the config's `out`): never watched, nor their siblings. */
  outFolders: () => readonly string[];
  /** Milliseconds without a change before `onChange` is called (default 30). */
  debounce?: number;
  /** Called with the changed paths (relative to the root, `/`-separated, sorted) after a quiet spell. */
  onChange: (changed: string[]) => void;
}

/** A running watcher of a site root. */
export interface RootWatcher {
  /** Settles when the root's folders are watched: a change made after it is seen. */
  ready: Promise<void>;
  /** Stops watching; a pending batch of changes is dropped. */
  close(): Promise<void>;
}

/**
 * Whether a path under the root is never watched: dependencies (`node_modules`), hidden files and
 * folders (`.git`, editors' swap files, broadsheet's own `.broadsheet-*` files), editors' backups
 * (`name~`), and each output folder with the staging folders a build puts beside it.
 */
export function ignoredPath(relative: string, outFolders: readonly string[]): boolean {
  const segments = relative.split(/[\\/]/);
  if (
    segments.some((segment) => segment === 'node_modules' || segment.startsWith('.') || segment.endsWith('~'))
  )
    return true;
  if (segments.some((segment) => segment.includes('.broadsheet-'))) return true;
  const normal = segments.join('/');
  return outFolders.some((out) => {
    const folder = out
      .split(/[\\/]/)
      .filter((segment) => segment !== '' && segment !== '.')
      .join('/');
    return folder !== '' && (normal === folder || normal.startsWith(`${folder}/`));
  });
}

/**
 * Watches a site root (config, content, static files, anything a config imports) with chokidar and
 * reports changes in batches: each batch once no change came for `debounce` milliseconds, so that a
 * save that writes several files, or an editor's write-and-rename, is one batch.
 *
 * @example
 * ```ts
 * const watcher = watchRoot({ root, outFolders: () => ['public'], onChange: (files) => console.log(files) });
 * await watcher.ready;
 * ```
 */
export function watchRoot(options: WatchRootOptions): RootWatcher {
  const root = path.resolve(options.root);
  const debounce = options.debounce ?? 30;
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const watcher = watch(root, {
    ignoreInitial: true,
    ignored: (file: string) => {
      const relative = path.relative(root, file);
      return relative !== '' && ignoredPath(relative, options.outFolders());
    },
  });
  const flush = () => {
    timer = undefined;
    if (closed || pending.size === 0) return;
    const changed = [...pending].sort();
    pending.clear();
    options.onChange(changed);
  };
  const note = (file: string) => {
    if (closed) return;
    pending.add(path.relative(root, file).split(path.sep).join('/'));
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, debounce);
  };
  watcher.on('all', (_event, file) => {
    note(file);
    // chokidar drops a second change of a file within 50 ms of the first (its throttle): a save
    // made then would never be built. So each event's file is looked at again once that window
    // is over, and noted again if it changed since the event.
    void signature(file).then((before) => {
      setTimeout(() => {
        void signature(file).then((after) => {
          if (after !== before) note(file);
        });
      }, RECHECK_AFTER);
    });
  });
  // A watch error (a folder removed while being read, too many watches) must not stop the process.
  watcher.on('error', () => {});
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    ready,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await watcher.close();
    },
  };
}

/**
 * Runs `task` for batches of changes one at a time: a batch that arrives while it runs is merged
 * with any other that arrives then, and runs once the current one is done. `onResult` gets each
 * result with the changes it covers.
 *
 * @example
 * ```ts
 * const queue = serialRuns((changed) => loadSite({ root }), (result, changed) => show(result));
 * queue.push(['content/posts/a.md']);
 * ```
 */
export function serialRuns<T>(
  task: (changed: string[]) => Promise<T>,
  onResult: (result: T, changed: string[]) => void,
  onError: (error: unknown) => void,
): { push: (changed: string[]) => void; idle: () => Promise<void> } {
  let queued: Set<string> | undefined;
  let running: Promise<void> | undefined;
  const start = (changed: string[]) => {
    running = (async () => {
      try {
        onResult(await task(changed), changed);
      } catch (error) {
        onError(error);
      }
    })().then(() => {
      running = undefined;
      if (queued) {
        const next = [...queued].sort();
        queued = undefined;
        start(next);
      }
    });
  };
  return {
    push(changed) {
      if (!running) {
        start(changed);
        return;
      }
      queued ??= new Set();
      for (const file of changed) queued.add(file);
    },
    async idle() {
      while (running) await running;
    },
  };
}
