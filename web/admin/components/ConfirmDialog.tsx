import { type ReactNode, useId } from 'react';
import { useModalDialog } from '../../src/ui/modal.js';
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

/** Asks before an action: every action that changes billing passes through one. */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const ref = useModalDialog();
  const titleId = useId();
  const { onClose } = props;

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
