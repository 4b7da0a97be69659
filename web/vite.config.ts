import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
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
    // On the files as written: chunks are final only then.
    writeBundle(options) {
      const dir = options.dir ?? 'dist';
      const index = path.join(dir, 'index.html');
      const html = readFileSync(index, 'utf8').replace(
        /<(script|link)([^>]*?)\s(src|href)="\/(assets\/[^"]+)"([^>]*)>/g,
        (tag: string, name: string, before: string, attr: string, file: string, after: string) => {
          if (tag.includes('integrity=')) return tag;
          const digest = createHash('sha384')
            .update(readFileSync(path.join(dir, file)))
            .digest('base64');
          return `<${name}${before} ${attr}="/${file}" integrity="sha384-${digest}"${after}>`;
        },
      );
      writeFileSync(index, html);
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
