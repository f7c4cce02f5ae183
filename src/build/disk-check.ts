import { lstatSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { OutputManifest } from './output-manifest';

/**
 * What the output folder looks like next to the manifest of the build that wrote it:
 *
 * - `foldersUnchanged`: every folder the manifest recorded (`''`, the output folder itself,
 *   included) is still a folder with the same inode and mtime. A folder's mtime changes when an
 *   entry is added, removed or renamed in it, so when this holds, nobody added, removed, renamed or
 *   replaced anything in the output since; `false` when the manifest records no folders;
 * - `fileUnchanged(file)`: the file is still the one its record describes (a regular file with the
 *   same inode, size and mtime), so its bytes are those the record's hash was taken of. Files changed
 *   in place keep their folder's mtime and are caught here.
 */
export interface OutputOnDisk {
  foldersUnchanged: boolean;
  fileUnchanged(file: string): boolean;
}

interface CheckData {
  out: string;
  files: string[];
  fileRecords: Float64Array;
  folders: string[] | null;
  folderRecords: Float64Array;
}

interface CheckResult {
  foldersUnchanged: boolean;
  unchanged: Uint8Array;
}

/**
 * The `lstat` checks of {@link checkOutputOnDisk}. It runs on a worker from its source text
 * (`toString()`), so it uses nothing but its parameters.
 */
function checkOutput(lstat: typeof lstatSync, join: typeof path.join, data: CheckData): CheckResult {
  const { out, files, fileRecords, folders, folderRecords } = data;
  let foldersUnchanged = folders?.includes('') === true;
  if (foldersUnchanged && folders) {
    for (let index = 0; index < folders.length; index++) {
      const stats = lstat(join(out, folders[index]!), { throwIfNoEntry: false });
      if (
        stats === undefined ||
        !stats.isDirectory() ||
        stats.ino !== folderRecords[2 * index] ||
        stats.mtimeMs !== folderRecords[2 * index + 1]
      ) {
        foldersUnchanged = false;
        break;
      }
    }
  }
  const unchanged = new Uint8Array(files.length);
  for (let index = 0; index < files.length; index++) {
    const stats = lstat(join(out, files[index]!), { throwIfNoEntry: false });
    unchanged[index] =
      stats?.isFile() === true &&
      stats.ino === fileRecords[3 * index] &&
      stats.size === fileRecords[3 * index + 1] &&
      stats.mtimeMs === fileRecords[3 * index + 2]
        ? 1
        : 0;
  }
  return { foldersUnchanged, unchanged };
}

const WORKER_SOURCE = `
const checkOutput = ${checkOutput.toString()};
const { parentPort, workerData } = require('node:worker_threads');
const { lstatSync } = require('node:fs');
const { join } = require('node:path');
const result = checkOutput(lstatSync, join, workerData);
parentPort.postMessage(result, [result.unchanged.buffer]);
`;

/**
 * Starts the `lstat` checks of every file and folder the manifest recorded (one call each: 29,000
 * for the bench site) on another thread, so that they run while this one computes the output
 * groups' keys. Falls back to this thread when a worker cannot be started or fails. Call it only
 * after a crashed commit was undone (`recoverSiblings`), and do not change `out` until it resolves.
 *
 * @example
 * ```ts
 * const checks = checkOutputOnDisk(out, manifest);
 * // … compute the keys meanwhile …
 * const onDisk = await checks;
 * if (onDisk.foldersUnchanged && onDisk.fileUnchanged('index.html')) console.log('as left');
 * ```
 */
export function checkOutputOnDisk(out: string, manifest: OutputManifest): Promise<OutputOnDisk> {
  const files = [...manifest.files.keys()];
  const fileRecords = new Float64Array(files.length * 3);
  let index = 0;
  for (const record of manifest.files.values()) {
    fileRecords[index++] = record.ino;
    fileRecords[index++] = record.size;
    fileRecords[index++] = record.mtimeMs;
  }
  const folders = manifest.folders ? [...manifest.folders.keys()] : null;
  const folderRecords = new Float64Array((folders?.length ?? 0) * 2);
  index = 0;
  for (const record of manifest.folders?.values() ?? []) {
    folderRecords[index++] = record.ino;
    folderRecords[index++] = record.mtimeMs;
  }
  const data: CheckData = { out, files, fileRecords, folders, folderRecords };
  const positions = new Map<string, number>();
  for (const [position, file] of files.entries()) positions.set(file, position);
  const answer = ({ foldersUnchanged, unchanged }: CheckResult): OutputOnDisk => ({
    foldersUnchanged,
    fileUnchanged: (file) => {
      const position = positions.get(file);
      return position !== undefined && unchanged[position] === 1;
    },
  });
  const here = (): OutputOnDisk => answer(checkOutput(lstatSync, path.join, data));

  return new Promise<OutputOnDisk>((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, { eval: true, workerData: data });
    } catch {
      resolve(here());
      return;
    }
    let settled = false;
    const settle = (result: () => OutputOnDisk): void => {
      if (settled) return;
      settled = true;
      resolve(result());
    };
    worker.once('message', (result: CheckResult) => settle(() => answer(result)));
    worker.once('error', () => settle(here));
    worker.once('exit', () => settle(here));
  });
}
