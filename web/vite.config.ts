import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Two single-page apps from one build: the admin console (/admin) and the customer billing page
 * (/billing). `recur serve` serves `dist/web` and answers each app's client-side routes with its
 * index.html. In development (`npm run dev:web`) Vite proxies the API to a `recur serve` on :3000.
 */
export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [react()],
  build: {
    outDir: here('../dist/web'),
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: { input: { admin: here('admin/index.html'), billing: here('billing/index.html') } },
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/stripe': 'http://127.0.0.1:3000',
      '/health': 'http://127.0.0.1:3000',
    },
  },
});
