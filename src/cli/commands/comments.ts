import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { replaceFile } from '../../common/fs';
import { loadConfig } from '../../config/load-config';
import { listCommentFiles, withStatus } from '../../moderation/comment-files';
import { COMMENT_ID_PATTERN, type CommentStatus, commentStatuses, SLUG_PATTERN } from '../../schema/content';
import { type CliIo, EXIT } from '../io';
import { reportDiagnostics } from '../report';
import { parseFormat, UsageError } from '../usage';

const STATUS_ACTIONS: Record<string, CommentStatus> = { approve: 'approved', spam: 'spam', trash: 'trash' };

/**
 * `broadsheet comments list [--status S] [--post SLUG] [--format text|json] [--root DIR]` and
 * `broadsheet comments show|approve|spam|trash <post>/<id>… [--root DIR]`: moderation from the
 * command line. `approve`, `spam` and `trash` edit only the `status` of each file. Exit 1 when a
 * named comment does not exist or cannot be edited (the others are still done), 2 on usage errors.
 */
export async function commentsCommand(args: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      root: { type: 'string' },
      config: { type: 'string' },
      status: { type: 'string' },
      post: { type: 'string' },
      format: { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
  const root = path.resolve(io.cwd, values.root ?? '.');
  const loaded = await loadConfig({ root, configFile: values.config });
  if (!loaded.ok) {
    reportDiagnostics(io, loaded.diagnostics, 'text');
    return EXIT.usageError;
  }
  const content = loaded.loaded.config.content;

  if (action === 'list') {
    if (positionals.length > 0) throw new UsageError(`list takes no arguments, not "${positionals[0]}"`);
    const format = parseFormat(values.format);
    if (values.status !== undefined && !(commentStatuses as readonly string[]).includes(values.status)) {
      throw new UsageError(`--status must be one of ${commentStatuses.join(', ')}, not "${values.status}"`);
    }
    const listings = (await listCommentFiles(root, content)).filter(
      (listing) =>
        (values.status === undefined || listing.status === values.status) &&
        (values.post === undefined || listing.post === values.post),
    );
    if (format === 'json') {
      io.stdout(`${JSON.stringify(listings, null, 2)}\n`);
    } else {
      for (const listing of listings) {
        io.stdout(
          `${listing.ref}  ${listing.status}  ${listing.date ?? '-'}  ${listing.author ?? '-'}${listing.parent ? `  (reply to ${listing.parent})` : ''}\n    ${listing.excerpt}\n`,
        );
      }
      io.stderr(`${listings.length} comment${listings.length === 1 ? '' : 's'}\n`);
    }
    return EXIT.ok;
  }

  const newStatus = action === undefined ? undefined : STATUS_ACTIONS[action];
  if (action !== 'show' && newStatus === undefined) {
    throw new UsageError(`unknown action "${action ?? ''}": use list, show, approve, spam or trash`);
  }
  if (positionals.length === 0) throw new UsageError(`${action} needs one or more <post>/<id>`);
  const refs = positionals.map((ref) => {
    const [post = '', id = '', extra] = ref.replace(/\.md$/, '').split('/');
    if (extra !== undefined || !SLUG_PATTERN.test(post) || !COMMENT_ID_PATTERN.test(id)) {
      throw new UsageError(
        `"${ref}" is not a comment: write <post-slug>/<comment-id>, as \`comments list\` shows`,
      );
    }
    return { ref: `${post}/${id}`, file: path.join(root, content, 'comments', post, `${id}.md`) };
  });
  let failed = false;
  for (const { ref, file } of refs) {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) {
      io.stderr(`broadsheet comments: no comment ${ref} (${path.relative(io.cwd, file)})\n`);
      failed = true;
      continue;
    }
    if (newStatus === undefined) {
      io.stdout(refs.length > 1 ? `==> ${ref} <==\n${text}${text.endsWith('\n') ? '' : '\n'}` : text);
      continue;
    }
    const edited = withStatus(text, newStatus);
    if (edited === undefined) {
      io.stderr(`broadsheet comments: ${ref} has no front matter to edit: run \`broadsheet check\`\n`);
      failed = true;
      continue;
    }
    await replaceFile(file, edited);
    io.stdout(`${ref}: ${newStatus}\n`);
  }
  return failed ? EXIT.contentError : EXIT.ok;
}
