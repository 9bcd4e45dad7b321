/**
 * A modal dialog on the native <dialog> element: the browser traps focus, closes on Escape and
 * returns focus when it closes, and screen readers announce it as a dialog with its title.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';

export interface DialogProps {
  open: boolean;
  title: string;
  /** Called when the person dismisses the dialog (Escape, the close button, Cancel). */
  onClose: () => void;
  children: ReactNode;
  /** One sentence under the title, read by screen readers when the dialog opens. */
  description?: ReactNode;
  /** When false, Escape does nothing and there is no close button (a required answer). */
  dismissible?: boolean;
  className?: string;
  /**
   * Runs once the dialog has closed. Moving focus must wait until then: while a modal dialog is
   * open the rest of the page is inert and can't take focus.
   */
  onAfterClose?: () => void;
}

export function Dialog({ open, title, onClose, children, description, dismissible = true, className, onAfterClose }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  const afterClose = useRef(onAfterClose);
  afterClose.current = onAfterClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      // showModal focuses the first focusable element (the close button). Start where the
      // person will type instead: the element marked data-autofocus, else the first field.
      const target = dialog.querySelector<HTMLElement>('[data-autofocus], input:not([disabled]), textarea:not([disabled]), select:not([disabled])');
      target?.focus();
    }
    if (!open && dialog.open) {
      dialog.close();
      afterClose.current?.();
    }
  }, [open]);

  return (
    <dialog
      ref={ref}
      className={['dialog', className].filter(Boolean).join(' ')}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onCancel={(event) => {
        // Escape: the parent decides (it owns `open`).
        event.preventDefault();
        if (dismissible) onClose();
      }}
      onClick={(event) => {
        // A click on the backdrop (the dialog element itself, outside its content box) dismisses.
        if (!dismissible || event.target !== ref.current) return;
        const box = ref.current.getBoundingClientRect();
        const inside = event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
        if (!inside) onClose();
      }}
    >
      {open && (
        <div className="dialog__content">
          <div className="dialog__header">
            <h2 id={titleId} className="dialog__title">
              {title}
            </h2>
            {dismissible && (
              <button type="button" className="icon-button dialog__close" aria-label="Close" onClick={onClose}>
                <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                  <path d="M6 6l12 12M18 6L6 18" stroke="currentColor" strokeWidth="2" strokeLinecap="round" fill="none" />
                </svg>
              </button>
            )}
          </div>
          {description && (
            <p id={descriptionId} className="dialog__description">
              {description}
            </p>
          )}
          {children}
        </div>
      )}
    </dialog>
  );
}
