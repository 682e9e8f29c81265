import { useEffect, useRef } from 'react';

/**
 * A `<dialog>` shown modal for as long as its component is mounted: the browser keeps focus inside
 * it and Escape cancels it; when it goes, focus returns to the element that opened it.
 */
export function useModalDialog() {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement as HTMLElement | null;
    dialog?.showModal();
    return () => {
      dialog?.close();
      opener?.focus();
    };
  }, []);
  return ref;
}
