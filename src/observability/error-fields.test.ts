import { Writable } from 'node:stream';
import { DrizzleQueryError } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

describe('a failed query in a log line', () => {
  it('keeps the query text and the database’s message, never the parameters', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger({ level: 'info', destination });
    // As drizzle throws it when PostgreSQL refuses a parameter.
    const cause = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
      code: '22021',
    });
    const error = new DrizzleQueryError('select $1::text as v', ['private-value-7f3a\u0000'], cause);
    expect(error.message).toContain('private-value-7f3a');
    logger.error({ err: error }, 'unhandled error');
    const line = JSON.parse(lines.join(''));
    expect(JSON.stringify(line)).not.toContain('private-value-7f3a');
    expect(line.err.message).toBe('invalid byte sequence for encoding "UTF8": 0x00');
    expect(line.err.code).toBe('22021');
    expect(line.err.query).toContain('select $1::text');
  });
});
