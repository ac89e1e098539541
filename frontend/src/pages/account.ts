import { h, replace } from '../dom';
import { describe } from '../errors';
import type { Page, PageContext } from '../router';

const ROLE_NAMES: Record<string, string> = { viewer: 'Viewer', uploader: 'Uploader', admin: 'Administrator' };

export function render(context: PageContext): Page {
  const { main, session } = context;
  const user = session.user!;
  const status = h('p', { role: 'status', class: 'form-error' });
  const busy = (button: HTMLButtonElement, work: () => Promise<void>, notice: string) => async () => {
    button.disabled = true;
    try {
      await work();
      context.navigate('/signin', { replace: true, notice });
    } catch (error) {
      replace(status, describe(error));
      button.disabled = false;
    }
  };
  const signOut = h('button', { type: 'button', class: 'primary' }, 'Sign out');
  const everywhere = h('button', { type: 'button' }, 'Sign out everywhere');
  signOut.addEventListener('click', busy(signOut, () => session.signOut(), 'You are signed out.'));
  everywhere.addEventListener('click', busy(everywhere, () => session.signOutEverywhere(),
    'You are signed out on every device and browser.'));
  replace(main, h('section', { class: 'card narrow' },
    h('h1', { tabindex: '-1' }, 'Your account'),
    h('dl', { class: 'facts' },
      h('dt', null, 'Username'), h('dd', null, user.username),
      h('dt', null, 'Roles'), h('dd', null, user.roles.map((r) => ROLE_NAMES[r] ?? r).join(', ') || 'None')),
    h('div', { class: 'actions' }, signOut, everywhere),
    h('p', { class: 'hint' }, '“Sign out everywhere” ends every session of this account, on every device, within a minute.'),
    status));
  return {};
}
