/**
 * Drizzle's `DrizzleQueryError`, known by its fields: the class is not a reliable `instanceof`
 * target when the driver and this module load drizzle through different module graphs.
 */
function isFailedQuery(error: unknown): error is Error & { query: string; params: unknown[] } {
  return (
    error instanceof Error && typeof (error as { query?: unknown }).query === 'string' && 'params' in error
  );
}

/** PostgreSQL's error code (`22P05`, `23505`…), when the driver gave one. */
function sqlStateOf(error: unknown): string | undefined {
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/**
 * What a log line keeps of a failed query, or null for any other error. The query's message
 * carries its parameters (a user's input, an email, a payload) and so does its stack's first line:
 * only the query text, the SQL state and the database's own message are kept.
 */
export function failedQueryFields(error: unknown): Record<string, unknown> | null {
  if (!isFailedQuery(error)) return null;
  const cause = error.cause;
  return {
    type: 'DrizzleQueryError',
    message: cause instanceof Error ? cause.message : 'query failed',
    code: sqlStateOf(cause),
    query: error.query,
  };
}
