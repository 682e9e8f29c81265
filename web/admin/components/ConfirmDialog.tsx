import { type ReactNode, useEffect, useId, useRef } from 'react';
import { ErrorAlert } from './ErrorAlert.js';

interface ConfirmDialogProps {
  title: string;
  /** What will happen, in words, before anything changes. */
  children?: ReactNode;
  confirmLabel: string;
  busy?: boolean;
  error?: unknown;
  danger?: boolean;
  onConfirm(): void;
  onClose(): void;
}

/**
 * A modal `<dialog>`: the browser traps focus inside it and Escape closes it; focus returns to the
 * element that opened it. Every action that changes billing passes through one.
 */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const { onClose } = props;

  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement as HTMLElement | null;
    dialog?.showModal();
    return () => {
      dialog?.close();
      opener?.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      className="dialog"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{props.title}</h2>
      <div className="dialog-body">{props.children}</div>
      <ErrorAlert error={props.error} />
      <div className="actions">
        <button type="button" onClick={onClose} disabled={props.busy}>
          Close
        </button>
        <button
          type="button"
          className={props.danger ? 'danger' : 'primary'}
          onClick={props.onConfirm}
          disabled={props.busy}
        >
          {props.busy ? 'Working…' : props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
