/** The constraint a unique violation hit, or null: pg and PGlite both report SQLSTATE 23505. */
export function uniqueViolation(error: unknown): string | null {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const { code, constraint } = e as { code?: string; constraint?: string };
    if (code === '23505') return constraint ?? 'unknown';
  }
  return null;
}
