// Where the running broadsheet was installed from, so that `broadsheet init` writes a dependency
// spec that installs: the same tarball, git URL or folder it runs from, else the registry range.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of broadsheet's own package.json, found upwards from `from` (a file or folder). */
export function packageRootOf(from: string): string | undefined {
  for (let folder = from; ; ) {
    const manifest = path.join(folder, 'package.json');
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      if (name === 'broadsheet') return folder;
    }
    const parent = path.dirname(folder);
    if (parent === folder) return undefined;
    folder = parent;
  }
}

/** The package root of the broadsheet that is running (dist/ or src/ sits right under it). */
export function runningPackageRoot(): string | undefined {
  return packageRootOf(path.dirname(fileURLToPath(import.meta.url)));
}

/**
 * The dependency spec that installs the broadsheet whose package root is `packageRoot`, as a
 * project's package.json writes it:
 * - installed in some project's `node_modules` (`npx`, a dependency): what npm recorded there as its
 *   source in `node_modules/.package-lock.json`: a `file:` tarball or folder (made absolute), a git
 *   URL, or, for the registry, `^<version>`;
 * - a checkout of the repository (not under `node_modules`): `file:<the checkout>`;
 * - otherwise `^<version>`.
 *
 * @example
 * ```ts
 * installSpec('/home/me/.npm/_npx/1a2b/node_modules/broadsheet', '0.1.0');
 * // 'file:/home/me/broadsheet-0.1.0.tgz' when npx ran it from that tarball
 * ```
 */
export function installSpec(packageRoot: string | undefined, version: string): string {
  const registry = `^${version}`;
  if (packageRoot === undefined) return registry;
  const parts = packageRoot.split(path.sep);
  const at = parts.lastIndexOf('node_modules');
  if (at === -1) return `file:${packageRoot}`;
  const project = parts.slice(0, at).join(path.sep) || path.sep;
  const name = parts.slice(at + 1).join('/');
  const lock = path.join(project, 'node_modules', '.package-lock.json');
  let resolved: string | undefined;
  try {
    const { packages } = JSON.parse(readFileSync(lock, 'utf8')) as {
      packages?: Record<string, { resolved?: string }>;
    };
    resolved = packages?.[`node_modules/${name}`]?.resolved;
  } catch {
    return registry;
  }
  if (resolved === undefined) return registry;
  if (resolved.startsWith('file:')) {
    return `file:${path.resolve(project, resolved.slice('file:'.length))}`;
  }
  if (/^(git\+|git:|github:|gitlab:|bitbucket:)/.test(resolved)) return resolved;
  return registry;
}

/** Package managers `init` can install with. */
export const PACKAGE_MANAGERS = ['npm', 'pnpm', 'yarn', 'bun'] as const;
/** One of {@link PACKAGE_MANAGERS}. */
export type PackageManager = (typeof PACKAGE_MANAGERS)[number];

/**
 * The package manager that ran this command, from `npm_config_user_agent` (`pnpm/9.1.0 npm/? node/…`,
 * which npx, pnpm dlx, yarn dlx and bunx set), else npm.
 */
export function packageManagerFromAgent(userAgent: string | undefined): PackageManager {
  const name = userAgent?.split('/')[0];
  return (PACKAGE_MANAGERS as readonly string[]).includes(name ?? '') ? (name as PackageManager) : 'npm';
}
