// Helpers for the feed tests: a strict XML reader, the Atom schema check, fixture comparison.
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RelaxNGValidator, XmlDocument } from 'libxml2-wasm';
import { SaxesParser } from 'saxes';
import { expect } from 'vitest';
import type { OutputFile } from '../../src/site/types';

export const ATOM_NS = 'http://www.w3.org/2005/Atom';
export const THREAD_NS = 'http://purl.org/syndication/thread/1.0';
export const RSS_NS = {
  atom: ATOM_NS,
  content: 'http://purl.org/rss/1.0/modules/content/',
  dc: 'http://purl.org/dc/elements/1.1/',
  slash: 'http://purl.org/rss/1.0/modules/slash/',
  wfw: 'http://wellformedweb.org/CommentAPI/',
} as const;

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../..');

/** An element as a namespace-aware parser reads it. */
export interface XElement {
  /** Namespace URI ('' for none). */
  uri: string;
  local: string;
  /** Attributes by `{uri}local` (`local` alone when the attribute has no namespace). */
  attributes: Map<string, string>;
  children: (XElement | string)[];
}

/**
 * Parses XML with saxes, which is strict (any well-formedness or namespace error throws) and follows
 * XML 1.0: it rejects every character XML 1.0 cannot carry.
 */
export function parseXml(text: string): XElement {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XElement[] = [];
  let root: XElement | undefined;
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag) => {
    const element: XElement = {
      uri: tag.uri ?? '',
      local: tag.local ?? tag.name,
      attributes: new Map(),
      children: [],
    };
    for (const attribute of Object.values(tag.attributes)) {
      if (typeof attribute === 'string') throw new Error('expected namespace-aware attributes');
      if (attribute.prefix === 'xmlns' || attribute.name === 'xmlns') continue;
      element.attributes.set(
        attribute.uri ? `{${attribute.uri}}${attribute.local}` : attribute.local,
        attribute.value,
      );
    }
    stack.at(-1)?.children.push(element);
    stack.push(element);
    root ??= element;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const addText = (value: string) => {
    const parent = stack.at(-1);
    if (parent) parent.children.push(value);
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.write(text).close();
  if (!root) throw new Error('no root element');
  return root;
}

/** Child elements with a namespace URI and local name. */
export function children(element: XElement, uri: string, local: string): XElement[] {
  return element.children.filter(
    (child): child is XElement => typeof child !== 'string' && child.uri === uri && child.local === local,
  );
}

/** The one child element with that name (fails when there is not exactly one). */
export function child(element: XElement, uri: string, local: string): XElement {
  const found = children(element, uri, local);
  expect(found, `exactly one <${local}> in <${element.local}>`).toHaveLength(1);
  return found[0]!;
}

/** The text content of an element (its text children joined). */
export function text(element: XElement): string {
  return element.children.map((node) => (typeof node === 'string' ? node : text(node))).join('');
}

/** An attribute's value; `uri` for a namespaced attribute. */
export function attr(element: XElement, local: string, uri = ''): string | undefined {
  return element.attributes.get(uri ? `{${uri}}${local}` : local);
}

let atomValidator: RelaxNGValidator | undefined;

/**
 * Validates an Atom document against RFC 4287's RELAX NG schema (tests/standards/atom.rng) with
 * libxml2, then checks the schema's Schematron rules that RELAX NG cannot express, and that ids are unique.
 */
export function expectValidAtom(xml: string): void {
  if (!atomValidator) {
    const schema = XmlDocument.fromString(
      readFileSync(path.join(repoRoot, 'tests/standards/atom.rng'), 'utf8'),
    );
    try {
      atomValidator = RelaxNGValidator.fromDoc(schema);
    } finally {
      schema.dispose();
    }
  }
  const document = XmlDocument.fromString(xml);
  try {
    atomValidator.validate(document);
  } finally {
    document.dispose();
  }
  const feed = parseXml(xml);
  expect(feed.uri).toBe(ATOM_NS);
  expect(feed.local).toBe('feed');
  const feedHasAuthor = children(feed, ATOM_NS, 'author').length > 0;
  const ids = new Set<string>();
  for (const entry of children(feed, ATOM_NS, 'entry')) {
    expect(
      feedHasAuthor || children(entry, ATOM_NS, 'author').length > 0,
      'an author on the entry or the feed',
    ).toBe(true);
    const alternate = children(entry, ATOM_NS, 'link').some(
      (link) => (attr(link, 'rel') ?? 'alternate') === 'alternate',
    );
    expect(alternate || children(entry, ATOM_NS, 'content').length > 0, 'an alternate link or content').toBe(
      true,
    );
    const id = text(child(entry, ATOM_NS, 'id'));
    expect(ids.has(id), `entry id ${id} is unique`).toBe(false);
    ids.add(id);
  }
}

/** Checks every feed file the way its format requires: Atom against the schema, RSS strictly parsed, JSON parsed. */
export function expectValidFeedFile(file: OutputFile): void {
  if (file.path.endsWith('atom.xml')) expectValidAtom(file.contents);
  else if (file.path.endsWith('rss.xml')) expectWellFormedRss(file.contents);
  else if (file.path.endsWith('feed.json')) {
    const feed = JSON.parse(file.contents) as { version: string; items: unknown[] };
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(Array.isArray(feed.items)).toBe(true);
  } else throw new Error(`not a feed file: ${file.path}`);
}

/** RSS 2.0: strictly well-formed, with the channel's required elements and a self link. */
export function expectWellFormedRss(xml: string): void {
  const rss = parseXml(xml);
  expect(rss.local).toBe('rss');
  expect(attr(rss, 'version')).toBe('2.0');
  const channel = child(rss, '', 'channel');
  for (const name of ['title', 'link', 'description']) child(channel, '', name);
  const self = children(channel, ATOM_NS, 'link').filter((link) => attr(link, 'rel') === 'self');
  expect(self).toHaveLength(1);
}

/**
 * Compares output files with the expected files of a fixture folder: exactly the same paths and
 * bytes. With `UPDATE=1` the expected folder is rewritten instead.
 */
export async function expectFilesToMatch(files: OutputFile[], expectedDir: string): Promise<void> {
  if (process.env.UPDATE === '1') {
    await rm(expectedDir, { recursive: true, force: true });
    for (const file of files) {
      const target = path.join(expectedDir, ...file.path.split('/'));
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, file.contents);
    }
    return;
  }
  const expectedPaths = (await listFiles(expectedDir)).sort();
  expect(files.map((file) => file.path).sort()).toEqual(expectedPaths);
  for (const file of files) {
    const expected = await readFile(path.join(expectedDir, ...file.path.split('/')), 'utf8');
    expect(file.contents, file.path).toBe(expected);
  }
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory())
      files.push(...(await listFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`)));
    else files.push(prefix + entry.name);
  }
  return files;
}

/**
 * What an XML parser should read back from a string a feed was given: the same text without the
 * characters XML 1.0 cannot carry. Written independently of the code under test, code point by code point.
 */
export function withoutNonXmlCharacters(value: string): string {
  let result = '';
  for (const character of value) {
    const code = character.codePointAt(0)!;
    const allowed =
      code === 0x9 ||
      code === 0xa ||
      code === 0xd ||
      (code >= 0x20 && code <= 0xd7ff) ||
      (code >= 0xe000 && code <= 0xfffd) ||
      (code >= 0x10000 && code <= 0x10ffff);
    if (allowed) result += character;
  }
  return result;
}
