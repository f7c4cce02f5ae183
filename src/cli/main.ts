import { BroadsheetError } from '../errors';
import { VERSION } from '../version';
import { type CliIo, EXIT } from './io';
import { UsageError } from './usage';

const HELP = `broadsheet ${VERSION}: markdown posts and comments to HTML, a JSON API and feeds

Usage:
  broadsheet build [--root DIR] [--out DIR] [--config FILE] [--future] [--format text|json] [--no-cache]
  broadsheet check [--root DIR] [--config FILE] [--format text|json] [--no-cache]
  broadsheet new post "Title" [--root DIR]
  broadsheet init [DIR] [--no-install] [--pm npm|pnpm|yarn|bun]
  broadsheet serve [--root DIR] [--config FILE] [--port N] [--host H]
  broadsheet dev [--root DIR] [--config FILE] [--port N] [--host H]
  broadsheet import <wordpress|blogger|ghost|feed> <file> [--root DIR] [--config FILE] [--dry-run] [--pingbacks] [--format text|json]
  broadsheet comments list [--status S] [--post SLUG] [--format text|json] [--root DIR] [--config FILE]
  broadsheet comments show|approve|spam|trash <post>/<id>... [--root DIR] [--config FILE]
  broadsheet --help | --version

build writes every output (pages, JSON API, feeds) into --out, by default the config's \`out\`
(public/), all or nothing: the previous output stays as it was unless the whole build succeeds.
--future publishes posts dated after now. --root and --out are relative to the current folder.
serve answers on http://127.0.0.1:8080 (--port 0: a free port) with the built out folder under the
path of site.url, until interrupted, and takes comments at comments.endpoint (written as pending
files). comments approve|spam|trash change only the status of comment files.
dev previews the site on http://127.0.0.1:4000 with drafts and future posts marked, rebuilds on
every change and reloads open pages; it builds into a folder of its own, never into out.

Exit codes: 0 success (warnings allowed), 1 content errors, 2 usage or config errors.
`;

type Command = (args: string[], io: CliIo) => Promise<number>;

// Each command's modules are loaded when it runs: `--version` and `--help` load none of them, and
// `init` does not load the loader, zod or the renderer.
const commands: Record<string, () => Promise<Command>> = {
  build: () => import('./commands/build').then((module) => module.buildCommand),
  check: () => import('./commands/check').then((module) => module.checkCommand),
  import: () => import('./commands/import').then((module) => module.importCommand),
  comments: () => import('./commands/comments').then((module) => module.commentsCommand),
  init: () => import('./commands/init').then((module) => module.initCommand),
  new: () => import('./commands/new').then((module) => (args, io) => module.newCommand(args, io)),
  serve: () => import('./commands/serve').then((module) => module.serveCommand),
  dev: () => import('./commands/dev').then((module) => module.devCommand),
};

/**
 * Runs the CLI with `args` (without `node` and the script) and returns the exit code.
 */
export async function runCli(args: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(HELP);
    return name === undefined ? EXIT.usageError : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${VERSION}\n`);
    return EXIT.ok;
  }
  const loadCommand = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!loadCommand) {
    io.stderr(`broadsheet: unknown command "${name}"\n\n${HELP}`);
    return EXIT.usageError;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(HELP);
    return EXIT.ok;
  }
  const command = await loadCommand();
  try {
    return await command(rest, io);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.stderr(`broadsheet ${name}: ${(error as Error).message}\n`);
      return EXIT.usageError;
    }
    if (error instanceof BroadsheetError) {
      io.stderr(`broadsheet ${name}: ${error.message}\n`);
      return EXIT.usageError;
    }
    throw error;
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
