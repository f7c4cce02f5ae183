import { z } from 'zod';
import { checkMarkdownLimits } from '../load/markdown-limits';
import { COMMENT_ID_PATTERN, SLUG_PATTERN } from '../schema/content';
import { isHttpUrl } from '../schema/urls';
import { plainName } from '../site/threads';

/** The longest name, after tags are stripped. */
export const MAX_NAME_LENGTH = 100;
/** The longest email and website address. */
export const MAX_EMAIL_LENGTH = 254;
export const MAX_URL_LENGTH = 2000;

/** A field the visitor must fix: which, and why. */
export interface FieldProblem {
  field: string;
  message: string;
  code: string;
}

/** The fields of a submission after validation. */
export interface Submission {
  post: string;
  parent?: string;
  name: string;
  email?: string;
  url?: string;
  body: string;
  honeypot: boolean;
}

/** Controls a comment file must not hold: C0 and C1 controls other than tab and line feed. */
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

const emailSchema = z.email();

/**
 * Reads and checks the fields of a submission: `post` (a slug), `parent` (an id),
 * `name` (plain text once tags are stripped, 1–100 characters), `email` (optional, an address),
 * `url` (optional, absolute http(s)), `body` (markdown, 1–`maxLength` characters, within the
 * shape limits of a comment, {@link checkMarkdownLimits}, the ones the build applies), `honeypot`. Values must be strings;
 * empty optional fields count as absent. Line breaks become line feeds; controls are dropped.
 */
export function readSubmission(
  fields: Map<string, unknown>,
  maxLength: number,
): { ok: true; submission: Submission } | { ok: false; problem: FieldProblem } {
  const values: Record<string, string | undefined> = {};
  for (const name of ['post', 'parent', 'name', 'email', 'url', 'body', 'honeypot']) {
    const value = fields.get(name);
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') {
      return { ok: false, problem: { field: name, code: 'invalid-field', message: `${name} must be text` } };
    }
    const clean = value.replace(/\r\n?/g, '\n').replace(CONTROLS, '');
    values[name] = name === 'body' ? clean : clean.trim();
  }
  const fail = (field: string, message: string, code = 'invalid-field') => ({
    ok: false as const,
    problem: { field, code, message },
  });
  const honeypot = (values.honeypot ?? '') !== '';
  const post = values.post ?? '';
  if (post === '') return fail('post', 'post is required: the slug of the post');
  if (!SLUG_PATTERN.test(post)) return fail('post', 'post must be a post slug such as hello-world');
  const parent = values.parent || undefined;
  if (parent !== undefined && (!COMMENT_ID_PATTERN.test(parent) || parent.length > 200)) {
    return fail('parent', 'parent must be the id of a comment');
  }
  const name = plainName(values.name ?? '');
  if (name === '') return fail('name', 'name is required');
  if (name.length > MAX_NAME_LENGTH)
    return fail('name', `name must be at most ${MAX_NAME_LENGTH} characters`);
  const email = values.email || undefined;
  if (email !== undefined && (email.length > MAX_EMAIL_LENGTH || !emailSchema.safeParse(email).success)) {
    return fail('email', 'email must be an email address such as ann@example.com');
  }
  const url = values.url || undefined;
  if (url !== undefined && (url.length > MAX_URL_LENGTH || !isHttpUrl(url))) {
    return fail('url', 'website must be an absolute http(s) URL such as https://example.com/');
  }
  const body = (values.body ?? '').replace(/^\s*\n/, '').trimEnd();
  if (body.trim() === '') return fail('body', 'the comment is empty');
  if (body.length > maxLength) return fail('body', `the comment must be at most ${maxLength} characters`);
  // The build's own check (the same limits it holds an approved comment to), so that a comment
  // accepted here cannot fail the build once approved.
  const shape = checkMarkdownLimits(body, 'comment');
  if (shape) {
    const message = `the comment is too complex: ${shape.message}`;
    return shape.code === 'markdown-too-long'
      ? fail('body', shape.message)
      : fail('body', message, 'too-complex');
  }
  return { ok: true, submission: { post, parent, name, email, url, body, honeypot } };
}
