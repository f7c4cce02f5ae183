import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { day, getSite } from '../../../lib/site';

type Props = { params: Promise<{ slug: string }> };

export const dynamicParams = false;

export async function generateStaticParams(): Promise<{ slug: string }[]> {
  const site = await getSite();
  return site.posts.map((post) => ({ slug: post.slug }));
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug } = await params;
  const post = (await getSite()).posts.find((candidate) => candidate.slug === slug);
  return post ? { title: post.title, description: post.summary } : {};
}

export default async function PostPage({ params }: Props) {
  const { slug } = await params;
  const post = (await getSite()).posts.find((candidate) => candidate.slug === slug);
  if (!post) notFound();
  return (
    <article>
      <h1>{post.title}</h1>
      <p>
        <time dateTime={post.date.toISOString()}>{day(post.date)}</time> · {post.readingTime} min ·{' '}
        {post.tags.map((tag) => tag.name).join(', ')}
      </p>
      {/* post.html is sanitised by broadsheet: no script, no event handler, no javascript: URL. */}
      <div dangerouslySetInnerHTML={{ __html: post.html }} />
      <section id="comments">
        <h2>Comments</h2>
        {post.comments.length === 0 ? <p>No comments</p> : null}
        {post.comments.map((comment) => (
          <div
            key={comment.id}
            id={`comment-${comment.id}`}
            style={{ marginLeft: `${comment.depth * 1.5}rem` }}
          >
            <p>
              <strong>{comment.author.name}</strong>{' '}
              <time dateTime={comment.date.toISOString()}>{day(comment.date)}</time>
            </p>
            {/* Comments are rendered at the strictest trust level: no raw HTML, no images. */}
            <div dangerouslySetInnerHTML={{ __html: comment.html }} />
          </div>
        ))}
      </section>
    </article>
  );
}
