import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import config from '../broadsheet.config';

export const metadata: Metadata = {
  title: config.site.title,
  description: config.site.description,
  alternates: { types: { 'application/atom+xml': '/atom.xml' } },
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang={config.site.language ?? 'en'}>
      <body
        style={{ fontFamily: 'system-ui, sans-serif', maxWidth: '40rem', margin: '0 auto', padding: '1rem' }}
      >
        <header>
          <a href="/">{config.site.title}</a>
        </header>
        {children}
      </body>
    </html>
  );
}
