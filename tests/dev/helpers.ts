import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { afterEach } from 'vitest';
import { repoRoot } from '../build/helpers';

const cliPath = path.join(repoRoot, 'dist/cli.js');
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }
});

/** A running `broadsheet dev` (the built CLI in a child process) and what it printed so far. */
export interface DevProcess {
  child: ChildProcess;
  /** The site's URL it printed: `http://127.0.0.1:<port>/blog/`. */
  url: string;
  origin: string;
  stderr: () => string;
}

/** Starts `broadsheet dev --port 0` on `root`; resolves once it printed its URL. */
export async function startDev(root: string, extra: string[] = []): Promise<DevProcess> {
  const child = spawn(process.execPath, [cliPath, 'dev', '--root', root, '--port', '0', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const match = /^broadsheet dev: (http:\/\/\S+)\n/m.exec(stdout);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`dev exited with ${code}: ${stderr}`)));
  });
  return { child, url, origin: new URL(url).origin, stderr: () => stderr };
}

/** The server-sent events of a dev server's stream, parsed as they come. */
export interface EventLog {
  events: { event: string; data: unknown }[];
  /** Resolves with the first event from index `from` on that `check` accepts. */
  next(check: (data: unknown) => boolean, from?: number): Promise<unknown>;
  close(): void;
}

/** Listens to `/__broadsheet/events` of a dev server. */
export async function listen(origin: string): Promise<EventLog> {
  const controller = new AbortController();
  const response = await fetch(`${origin}/__broadsheet/events`, { signal: controller.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: EventLog['events'] = [];
  const waiters = new Set<() => void>();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
          end = buffer.indexOf('\n\n');
        }
        for (const wake of waiters) wake();
      }
    } catch {
      // Aborted at the end of the test.
    }
  })();
  return {
    events,
    async next(check, from = 0) {
      for (;;) {
        const found = events.slice(from).find((item) => check(item.data));
        if (found) return found.data;
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            resolve();
          };
          waiters.add(wake);
        });
      }
    },
    close: () => controller.abort(),
  };
}

/** Fetches `url` until `check` accepts the answer (status and text); throws after `timeout` ms with the last answer. */
export async function until(
  url: string,
  check: (status: number, text: string) => boolean,
  timeout = 20_000,
): Promise<string> {
  const started = Date.now();
  let last = '';
  for (;;) {
    const response = await fetch(url);
    const text = await response.text();
    if (check(response.status, text)) return text;
    last = `${response.status} ${text.slice(0, 300)}`;
    if (Date.now() - started > timeout) throw new Error(`${url} never matched; last answer: ${last}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
