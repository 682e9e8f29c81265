import { createContext, type ReactNode, useContext, useId } from 'react';
import { ApiError } from '../src/api/client.js';
import { useModalDialog } from '../src/ui/modal.js';

/** The server's own words for a failure (Stripe's reason included), never a bare status code. */
export function errorInWords(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return 'Your session has ended. Open this page again from your account.';
    return error.message;
  }
  if (error instanceof TypeError)
    return 'The billing service could not be reached. Check your connection and try again.';
  return error instanceof Error ? error.message : 'Something went wrong.';
}

export function ErrorAlert({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p role="alert" className="alert">
      {errorInWords(error)}
    </p>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" aria-busy="true">
      Loading {what}…
    </p>
  );
}

/** Announces the outcome of actions through one polite live region. */
export const AnnounceContext = createContext<(message: string) => void>(() => {});
export const useAnnounce = () => useContext(AnnounceContext);

export function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="card">
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

interface ConfirmProps {
  title: string;
  confirmLabel: string;
  cancelLabel: string;
  busy: boolean;
  error: unknown;
  onConfirm(): void;
  onCancel(): void;
  children: ReactNode;
}

/** Asks before anything that changes billing, in a modal dialog (see `useModalDialog`). */
export function ConfirmDialog(props: ConfirmProps) {
  const ref = useModalDialog();
  const titleId = useId();
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      className="dialog"
      onCancel={(event) => {
        event.preventDefault();
        if (!props.busy) props.onCancel();
      }}
    >
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          props.onConfirm();
        }}
      >
        <h2 id={titleId}>{props.title}</h2>
        {props.children}
        <ErrorAlert error={props.error} />
        <div className="actions">
          <button type="submit" className="primary" disabled={props.busy}>
            {props.busy ? 'Working…' : props.confirmLabel}
          </button>
          <button type="button" onClick={props.onCancel} disabled={props.busy}>
            {props.cancelLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
