import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // A static export: `next build` writes plain files into out/, pages at /posts/<slug>/ as
  // broadsheet's post URLs have them.
  output: 'export',
  trailingSlash: true,
  // broadsheet reads the content from disk at build time; it runs as a Node package, unbundled.
  serverExternalPackages: ['broadsheet'],
};

export default nextConfig;
