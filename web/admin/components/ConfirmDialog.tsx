import type { ReactNode } from 'react';
import { ErrorAlert } from './ErrorAlert.js';
import { ModalDialog } from './ModalDialog.js';

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
  const { onClose } = props;
  return (
    <ModalDialog
      title={props.title}
      onClose={onClose}
      actions={
        <>
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
        </>
      }
    >
      {props.children}
      <ErrorAlert error={props.error} />
    </ModalDialog>
  );
}
