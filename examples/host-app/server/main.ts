import { serve } from '@hono/node-server';
import { exampleApp } from './app.js';
import { loadConfig } from './config.js';

const config = loadConfig();
const server = serve(
  { fetch: exampleApp(config).fetch, port: config.port, hostname: config.host },
  (info) => {
    console.log(`Example app on http://${config.host}:${info.port}`);
  },
);

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    server.close(() => process.exit(0));
  });
