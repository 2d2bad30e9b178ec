import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { precacheServiceWorker } from './src/build/precache.ts';
import { serveModels } from './src/build/serve-models.ts';

const fromRoot = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * One config for the demo build and for the three vitest projects:
 *  - unit: Node, pure TypeScript (parsers, metrics, CPU reference math, protocol)
 *  - gpu:  Node + real WebGPU through npm `webgpu` (Dawn on Mesa lavapipe)
 *  - e2e:  Playwright (playwright-core) driving Debian's Chromium against the built page
 */
export default defineConfig({
  plugins: [svelte(), serveModels(), precacheServiceWorker()],
  base: './',
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: true,
    // two entries: the page and the embeddable <local-rec> widget at a fixed name, dist/widget.js
    rolldownOptions: {
      input: { index: fromRoot('index.html'), widget: fromRoot('src/widget/widget.ts') },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'widget' ? 'widget.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/gpu/**', 'test/e2e/**'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'gpu',
          include: ['test/gpu/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
