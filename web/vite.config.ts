/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { VitePWA } from 'vite-plugin-pwa';
import { devConfig } from './scripts/dev-config';

// The app is static files: the API's address comes from /config.json at run time, never from
// the build. The service worker precaches the app shell only; API data is kept by the app's
// own code in IndexedDB (src/offline/), so it can show its age and queue writes.
export default defineConfig({
  plugins: [
    devConfig(),
    preact({ prerender: { enabled: false } }),
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: false,
      manifest: {
        name: 'e-Office Kabupaten Luwu Timur',
        short_name: 'e-Office',
        description: 'Surat, disposisi dan tugas Pemerintah Kabupaten Luwu Timur',
        lang: 'id',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#0b5394',
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,mjs,css,html,png,svg,ico,webmanifest}'],
        // pdf.js and its worker (1.6 MB, 480 KB gzipped) are not precached: on a slow link they
        // would compete with the first page. They are cached when first used (below, and by
        // src/ui/PdfView.tsx itself), so a letter opened once online opens again on a plane.
        globIgnores: ['**/assets/pdf*'],
        // Web push (public/push-sw.js): showing what arrives, and opening it on a tap.
        importScripts: ['push-sw.js'],
        // The first visit's page is controlled as soon as the worker activates, not only after
        // the next navigation: a slow precache (every lazy screen) no longer leaves it without
        // its worker (offline, push) until the user happens to move on.
        clientsClaim: true,
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/config\.json$/],
        runtimeCaching: [
          {
            urlPattern: ({ url, sameOrigin }) => sameOrigin && /^\/assets\/pdf/.test(url.pathname),
            handler: 'CacheFirst',
            options: {
              cacheName: 'eoffice-pdfjs', // PDFJS_CACHE in src/ui/pdfjs.ts
              expiration: { maxEntries: 6 },
              cacheableResponse: { statuses: [200] },
            },
          },
        ],
      },
    }),
  ],
  build: {
    target: 'es2022',
    sourcemap: false,
  },
  worker: { format: 'es' },
  test: {
    environment: 'jsdom',
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    setupFiles: ['tests/setup.ts'],
  },
});
