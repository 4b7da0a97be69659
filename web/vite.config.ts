import { createHash } from 'node:crypto';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// The app is served by the API's own server under a strict CSP (src/http/web-app.ts): no inline
// script, so Vite's output is files only; the entry script and the files it preloads carry their
// SHA-384 (subresource integrity), so that a cache or proxy cannot swap them unseen.
function subresourceIntegrity(): Plugin {
  return {
    name: 'clsm-subresource-integrity',
    apply: 'build',
    enforce: 'post',
    transformIndexHtml: {
      order: 'post',
      handler(html, { bundle }) {
        if (bundle === undefined) return html;
        return html.replace(
          /<(script|link)([^>]*?)\s(src|href)="\/([^"]+)"([^>]*)>/g,
          (tag: string, name: string, before: string, attr: string, file: string, after: string) => {
            const output = bundle[file];
            if (output === undefined || tag.includes('integrity=')) return tag;
            const source = output.type === 'chunk' ? output.code : output.source;
            const digest = createHash('sha384').update(source).digest('base64');
            return `<${name}${before} ${attr}="/${file}" integrity="sha384-${digest}"${after}>`;
          },
        );
      },
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react(), subresourceIntegrity()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // A CSP without 'unsafe-inline': no asset may be inlined as a data: script or style.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  worker: { format: 'es' },
  server: { fs: { allow: ['..'] } },
});
