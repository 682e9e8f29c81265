import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The page, built into dist/ for the server to serve; `npm run dev` proxies the API to it. */
export default defineConfig({
  root: here('web'),
  base: '/',
  plugins: [react()],
  build: { outDir: here('dist'), emptyOutDir: true },
  server: { proxy: { '/api': 'http://127.0.0.1:4000' } },
});
