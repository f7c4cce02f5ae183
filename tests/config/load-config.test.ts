import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config';
import { formatDiagnostic } from '../../src/diagnostics/format';
import { fixturesDir, lines, loadFixture } from '../load/helpers';

const root = (name: string) => path.join(fixturesDir, name);

describe('config files', () => {
  it.each([
    ['config-ts', 'broadsheet.config.ts', 'From TS', 'https://ts.example/'],
    ['config-mts', 'broadsheet.config.mts', 'From MTS', 'https://mts.example/'],
    ['config-js', 'broadsheet.config.js', 'From JS', 'https://js.example/'],
    ['config-mjs', 'broadsheet.config.mjs', 'From MJS', 'https://mjs.example/'],
    ['config-json', 'broadsheet.config.json', 'From JSON', 'https://json.example/blog/'],
  ])('%s loads %s', async (name, file, title, url) => {
    const result = await loadConfig({ root: root(name) });
    if (!result.ok) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
    expect(result.loaded.file).toBe(file);
    expect(result.loaded.config.site).toMatchObject({ title, url, language: 'en', timezone: 'UTC' });
    const site = await loadFixture(name);
    expect(site.ok && site.site.posts.map((post) => post.url)).toEqual([`${url}posts/hello/`]);
  });

  it('defaults apply', async () => {
    const result = await loadConfig({ root: root('config-json') });
    expect(result.ok && { ...result.loaded.config, site: undefined }).toMatchInlineSnapshot(`
      {
        "comments": {
          "maxLength": 10000,
          "rateLimit": {
            "max": 5,
            "windowSeconds": 60,
          },
        },
        "content": "content",
        "feeds": {
          "fullContent": true,
          "limit": 20,
          "postComments": [
            "atom",
          ],
        },
        "future": false,
        "markdown": {
          "limits": {},
          "rehypePlugins": [],
          "remarkPlugins": [],
          "renderTimeoutMs": 10000,
        },
        "out": "public",
        "postsPerPage": 5,
        "site": undefined,
        "static": "static",
      }
    `);
  });

  it('a JSON config error points at the line and column of the key or value at fault', async () => {
    const result = await loadConfig({ root: root('config-json-invalid') });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.diagnostics.map(formatDiagnostic)).toMatchInlineSnapshot(`
      [
        "broadsheet.config.json:4:12: error config-invalid-url: site.url must be an absolute http(s) URL such as https://example.com/",
        "broadsheet.config.json:5:5: warning config-unknown-key: unknown key "site.langauge": did you mean \`language\`?",
        "broadsheet.config.json:7:19: error config-out-of-range: postsPerPage must be at least 1",
      ]
    `);
  });

  it('a missing key in a JSON config points at the object that lacks it', async () => {
    expect(lines(await loadFixture('config-json-missing-key'))).toMatchInlineSnapshot(`
      [
        "broadsheet.config.json:2:3: error config-missing-field: site.title is required",
      ]
    `);
  });

  it('a JSON syntax error points at the character', async () => {
    expect(lines(await loadFixture('config-json-syntax'))).toMatchInlineSnapshot(`
      [
        "broadsheet.config.json:3:1: error config-invalid-json: invalid JSON: Expected double-quoted property name",
      ]
    `);
  });

  it('a TS config error names the key, where the key is written', async () => {
    expect(lines(await loadFixture('config-ts-invalid'))).toMatchInlineSnapshot(`
      [
        "broadsheet.config.ts:4:5: error config-invalid-url: site.url must be an absolute http(s) URL such as https://example.com/",
        "broadsheet.config.ts:6:12: error config-out-of-range: feeds.limit must be at least 1",
      ]
    `);
  });

  it('a TS config that throws is a diagnostic', async () => {
    expect(lines(await loadFixture('config-ts-throws'))).toMatchInlineSnapshot(`
      [
        "broadsheet.config.ts:1:1: error config-load-failed: the config could not be loaded: config exploded",
      ]
    `);
  });

  it('no config file', async () => {
    expect(lines(await loadFixture('config-missing'))).toMatchInlineSnapshot(`
      [
        "broadsheet.config.ts:1:1: error config-missing: no config file in the site root: create one of broadsheet.config.ts, broadsheet.config.mts, broadsheet.config.js, broadsheet.config.mjs, broadsheet.config.json",
      ]
    `);
  });

  it('a --config file that does not exist', async () => {
    expect(lines(await loadFixture('config-json', { configFile: 'nope.json' }))).toMatchInlineSnapshot(`
      [
        "nope.json:1:1: error config-missing: config file "nope.json" does not exist",
      ]
    `);
  });

  it('a config passed in is validated too', async () => {
    const result = await loadConfig({
      root: root('config-json'),
      config: { site: { title: '', url: 'mailto:me@example.com' } },
    });
    expect(!result.ok && result.diagnostics.map((d) => `${d.code}: ${d.message}`)).toMatchInlineSnapshot(`
      [
        "config-invalid-url: site.url must be an absolute http(s) URL such as https://example.com/",
        "config-missing-value: site.title is empty",
      ]
    `);
  });
});

describe('schema extensions', () => {
  it('an extended post field is validated with a positioned diagnostic', async () => {
    expect(lines(await loadFixture('config-extended-schema'))).toMatchInlineSnapshot(`
      [
        "content/posts/bad.md:4:7: error invalid-value: mood must be one of "a", "b"",
      ]
    `);
  });

  it('a schema extension that does not return a schema', async () => {
    const result = await loadConfig({
      root: root('config-json'),
      config: { site: { title: 'T', url: 'https://example.com/' }, schema: { post: () => 'nope' as never } },
    });
    expect(!result.ok && result.diagnostics.map((d) => `${d.code}: ${d.message}`)).toMatchInlineSnapshot(`
      [
        "config-invalid-schema: schema.post must return a zod schema, such as base.extend({...})",
      ]
    `);
  });
});
