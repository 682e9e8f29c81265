import { ApiError } from '../../src/api/client.js';

/** The server's message in words (Stripe's own for upstream errors), announced to screen readers. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = (error.details as { fields?: Array<{ field: string; message: string }> } | undefined)
      ?.fields;
    if (fields?.length && !error.message.includes(fields[0]!.message)) {
      return `${error.message} (${fields.map((f) => `${f.field}: ${f.message}`).join('; ')})`;
    }
    return error.message;
  }
  if (error instanceof Error) return error.message;
  return 'Something went wrong';
}

export function ErrorAlert({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p role="alert" className="alert">
      {errorText(error)}
    </p>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: string }) {
  return <p className="empty">{children}</p>;
}
