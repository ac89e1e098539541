import { defineConfig } from 'vitest/config';

// The page is served from the site's root (the devserver, CloudFront) under a strict Content-Security-Policy:
// no inline script, no data: URIs, every script a file of the site's own.
export default defineConfig({
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    chunkSizeWarningLimit: 800,
  },
  resolve: {
    alias: [
      // hls-video-element imports hls.js's full build; the light one has everything Reel's streams use (fMP4, ABR)
      // and leaves out subtitles, alternate audio, DRM and CMCD (measured in docs/performance.md).
      { find: /^hls\.js\/dist\/hls\.mjs$/, replacement: 'hls.js/dist/hls.light.mjs' },
    ],
  },
  server: {
    // `npx vite` for front-end work against a running ./run.sh.
    proxy: { '/api': 'http://localhost:3000' },
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.ts'],
  },
});
