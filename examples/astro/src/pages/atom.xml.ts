import type { APIRoute } from 'astro';
import { siteFeedFiles } from 'broadsheet';
import { getSite } from '../lib/site';

/** The site's Atom feed, written at build time by broadsheet's pure output functions. */
export const GET: APIRoute = async () => {
  const feed = siteFeedFiles(await getSite()).find((file) => file.path === 'atom.xml');
  if (!feed) return new Response('no feed', { status: 500 });
  return new Response(feed.contents, { headers: { 'content-type': 'application/atom+xml; charset=utf-8' } });
};
