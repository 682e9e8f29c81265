import { type ReactNode, useId } from 'react';
import { useModalDialog } from '../../src/ui/modal.js';

/** A modal dialog with a title, a body and a row of actions; Escape closes it like its Close button. */
export function ModalDialog(props: {
  title: ReactNode;
  wide?: boolean;
  children: ReactNode;
  actions: ReactNode;
  onClose(): void;
}) {
  const ref = useModalDialog();
  const titleId = useId();
  const { onClose } = props;
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      className={props.wide ? 'dialog wide' : 'dialog'}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{props.title}</h2>
      <div className="dialog-body">{props.children}</div>
      <div className="actions">{props.actions}</div>
    </dialog>
  );
}
