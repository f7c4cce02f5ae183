import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiFiles } from '../../src/outputs/api/index';
import { siteFiles } from '../../src/outputs/index';
import { pageFiles } from '../../src/outputs/pages/index';
import { loadSmallSite, SMALL_SITE_ROOT } from './fixture';

/** Every email a visitor wrote in a comment's front matter in the small site. */
async function commenterEmails(): Promise<string[]> {
  const folder = path.join(SMALL_SITE_ROOT, 'content', 'comments');
  const emails: string[] = [];
  for (const post of await readdir(folder)) {
    for (const name of await readdir(path.join(folder, post))) {
      const text = await readFile(path.join(folder, post, name), 'utf8');
      for (const match of text.matchAll(/^\s+email:\s*(\S+)\s*$/gm)) emails.push(match[1]!);
    }
  }
  return emails;
}

/** The forms an email could leak in: as written, normalised as Gravatar does, and hashed. */
function leakForms(email: string): string[] {
  const forms = new Set<string>();
  for (const variant of [email, email.trim().toLowerCase()]) {
    forms.add(variant.toLowerCase());
    forms.add(encodeURIComponent(variant).toLowerCase());
    for (const algorithm of ['md5', 'sha1', 'sha256'])
      forms.add(createHash(algorithm).update(variant).digest('hex'));
  }
  return [...forms];
}

describe("a commenter's email", () => {
  it('is in the fixture, approved, pending and with a mixed-case address', async () => {
    const emails = await commenterEmails();
    expect(emails).toEqual(
      expect.arrayContaining([
        'alan.secret@example.org',
        'Barbara.Liskov@Example.COM',
        'dana@example.net',
        'pending@example.org',
      ]),
    );
  });

  it('appears in no output file, neither as written nor as an md5, sha1 or sha256 hash', async () => {
    const site = await loadSmallSite();
    // Every output of the site: pages, API documents and feeds.
    const files = siteFiles(site);
    expect(files.map((file) => file.path)).toEqual(
      expect.arrayContaining(['api/posts/hello-world.json', 'posts/hello-world/index.html', 'api/site.json']),
    );
    for (const email of await commenterEmails()) {
      for (const form of leakForms(email)) {
        for (const file of files)
          expect(file.contents.toLowerCase().includes(form), `${file.path} holds ${email} as ${form}`).toBe(
            false,
          );
      }
    }
  });

  it('is not even under the local part alone', async () => {
    const site = await loadSmallSite();
    for (const file of [...apiFiles(site), ...pageFiles(site)]) {
      for (const local of ['alan.secret', 'barbara.liskov', 'dana@', 'pending@']) {
        expect(file.contents.toLowerCase(), file.path).not.toContain(local);
      }
    }
  });
});
