import { siteFeedFiles } from 'broadsheet';
import { getSite } from '../../lib/site';

// Written once at build time into out/atom.xml.
export const dynamic = 'force-static';

/** The site's Atom feed, made by broadsheet's pure output functions (no I/O). */
export async function GET(): Promise<Response> {
  const feed = siteFeedFiles(await getSite()).find((file) => file.path === 'atom.xml');
  if (!feed) return new Response('no feed', { status: 500 });
  return new Response(feed.contents, { headers: { 'content-type': 'application/atom+xml; charset=utf-8' } });
}
