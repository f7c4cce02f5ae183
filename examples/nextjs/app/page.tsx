import Link from 'next/link';
import { day, getSite } from '../lib/site';

export default async function Home() {
  const site = await getSite();
  return (
    <main>
      <h1>{site.config.site.title}</h1>
      <ol>
        {site.posts.map((post) => (
          <li key={post.slug}>
            <Link href={`/posts/${post.slug}/`}>{post.title}</Link>{' '}
            <time dateTime={post.date.toISOString()}>{day(post.date)}</time>
            <p>
              {post.summary} ({post.comments.length} {post.comments.length === 1 ? 'comment' : 'comments'})
            </p>
          </li>
        ))}
      </ol>
    </main>
  );
}
