// Where the bench writes, and how fast that file system creates files right now. A build that writes
// 20,000 small files is bound by file creation on a slow disk: on the ext4 virtual disk of the
// machines this project is measured on (mounted with `discard`), creating a file costs from 0.03 ms
// to over 1 ms depending on how much was deleted shortly before, so cold figures there measure the
// disk's state more than the tools. The probe is printed beside the figures so that a reader sees it.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';

/** The file system of `folder`: its type and mount point (the longest mount point that contains it). */
export function fileSystemOf(folder) {
  let mounts = [];
  try {
    mounts = readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .map((line) => line.split(' '))
      .filter((fields) => fields.length >= 4)
      .map(([device, mountPoint, type, options]) => ({ device, mountPoint, type, options }));
  } catch {
    return { type: 'unknown', mountPoint: '?', options: '' };
  }
  const resolved = path.resolve(folder);
  const containing = mounts.filter(
    (mount) =>
      resolved === mount.mountPoint ||
      resolved.startsWith(mount.mountPoint.endsWith('/') ? mount.mountPoint : `${mount.mountPoint}/`),
  );
  containing.sort((a, b) => b.mountPoint.length - a.mountPoint.length);
  return containing[0] ?? { type: 'unknown', mountPoint: '?', options: '' };
}

/**
 * Creates `files` files of 4 KB, four to a folder, under `folder` (synchronously, as a build does),
 * then removes them. Resolves with the seconds the creation took and files per second.
 */
export async function probeFileCreation(folder, files = 8000) {
  const probe = path.join(folder, 'disk-probe');
  const body = 'x'.repeat(4096);
  const started = performance.now();
  for (let index = 0; index < files; index++) {
    if (index % 4 === 0) mkdirSync(path.join(probe, String(index >> 2)), { recursive: true });
    writeFileSync(path.join(probe, String(index >> 2), `${index}.html`), body);
  }
  const seconds = (performance.now() - started) / 1000;
  await rm(probe, { recursive: true, force: true });
  return { files, seconds, filesPerSecond: files / seconds };
}

/** A line for the document: the file system and the probe's rate. */
export function describeFileSystem(label, fileSystem, probe) {
  const options = fileSystem.options.split(',').includes('discard') ? ', mounted with `discard`' : '';
  return `- ${label}: ${fileSystem.type} at \`${fileSystem.mountPoint}\`${options}; creating ${probe.files.toLocaleString('en-US')} files of 4 KB took ${probe.seconds.toFixed(2)} s (${Math.round(probe.filesPerSecond).toLocaleString('en-US')} files/s)`;
}
