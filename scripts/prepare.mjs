// npm's `prepare` script. It builds the package (`npm run build:lib`: the library, the CLI and the
// declaration files) only when npm prepares broadsheet as a dependency from its source, that is when
// it is installed from a git URL (`npm install git+https://…`, `github:…`): npm then installs the
// repository's dependencies in its clone and runs `prepare` (never `prepack`) before packing it.
// npm marks those runs: `_PACOTE_NO_PREPARE_` while it installs in the clone, `npm_package_resolved`
// when it packs the clone. In a clone of your own, `npm install` builds nothing (`npm start` builds
// what it runs, `npm test` and `npm pack` build everything). docs/decisions/package-shape.md.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const asDependency =
  process.env._PACOTE_NO_PREPARE_ !== undefined || process.env.npm_package_resolved !== undefined;
const built = ['dist/cli.js', 'dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/client.d.ts'].every(
  (file) => existsSync(file),
);
if (asDependency && !built) {
  const npm = process.env.npm_execpath;
  const [command, args] = npm ? [process.execPath, [npm, 'run', 'build:lib']] : ['npm', ['run', 'build:lib']];
  const result = spawnSync(command, args, { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
