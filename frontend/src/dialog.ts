import { h } from './dom';

/**
 * A modal question with the platform's <dialog>: focus moves in, Escape cancels, focus returns to where it was.
 * Resolves true when confirmed.
 */
export function confirmDialog(question: string, confirmLabel: string, detail?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const opener = document.activeElement as HTMLElement | null;
    const title = h('h2', { id: 'dialog-title' }, question);
    const confirm = h('button', { type: 'submit', value: 'yes', class: 'danger' }, confirmLabel);
    const cancel = h('button', { type: 'submit', value: 'no' }, 'Cancel');
    const dialog = h('dialog', { 'aria-labelledby': 'dialog-title', class: 'card' },
      h('form', { method: 'dialog' }, title, detail ? h('p', null, detail) : null, h('div', { class: 'actions' }, cancel, confirm)));
    dialog.addEventListener('close', () => {
      dialog.remove();
      opener?.focus?.();
      resolve(dialog.returnValue === 'yes');
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    cancel.focus();
  });
}

/** A modal form asking for one value (a new password); resolves with it, or null when cancelled. */
export function promptDialog(question: string, label: string, inputAttrs: Record<string, string>,
  confirmLabel: string): Promise<string | null> {
  return new Promise((resolve) => {
    const opener = document.activeElement as HTMLElement | null;
    const input = h('input', { id: 'dialog-input', ...inputAttrs });
    const dialog = h('dialog', { 'aria-labelledby': 'dialog-title', class: 'card' },
      h('form', { method: 'dialog' },
        h('h2', { id: 'dialog-title' }, question),
        h('div', { class: 'field' }, h('label', { for: 'dialog-input' }, label), input),
        h('div', { class: 'actions' },
          h('button', { type: 'submit', value: 'no', formnovalidate: true }, 'Cancel'),
          h('button', { type: 'submit', value: 'yes', class: 'primary' }, confirmLabel))));
    dialog.addEventListener('close', () => {
      dialog.remove();
      opener?.focus?.();
      resolve(dialog.returnValue === 'yes' ? input.value : null);
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    input.focus();
  });
}
