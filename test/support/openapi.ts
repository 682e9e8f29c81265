import { pino } from 'pino';
import { buildApp, openApiDocument } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/client.js';
import { createServices } from '../../src/services.js';

/** The document the app serves at /docs/json, built offline (no Stripe call is made). */
export async function generatedOpenApi(): Promise<string> {
  const database = await openDatabase({ dataDir: ':memory:' });
  const services = await createServices(
    loadConfig({ RECUR_ENCRYPTION_KEY: 'a1'.repeat(32) }),
    pino({ level: 'silent' }),
    { secretKey: 'sk_test_docs', apiBase: 'http://127.0.0.1:9' },
    { database },
  );
  const { app } = await buildApp(services);
  try {
    return openApiDocument(app);
  } finally {
    await app.close();
    await services.close();
    await database.close();
  }
}
