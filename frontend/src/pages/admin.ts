import { promptDialog } from '../dialog';
import { h, replace } from '../dom';
import { describe } from '../errors';
import { date } from '../format';
import type { Page, PageContext } from '../router';
import type { Account } from '../types';

const ROLES = ['viewer', 'uploader', 'admin'] as const;

/** Accounts: list, create (with roles), disable, enable, reset a password; every refusal shown as the API words it. */
export function render(context: PageContext): Page {
  const { main, session } = context;
  const controller = new AbortController();
  const status = h('p', { role: 'status', class: 'list-status' });
  const body = h('tbody');
  const table = h('table', { class: 'accounts' },
    h('caption', { class: 'visually-hidden' }, 'Accounts'),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Username'), h('th', { scope: 'col' }, 'Roles'),
      h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, 'Created'), h('th', { scope: 'col' }, 'Actions'))),
    body);

  const say = (text: string, isError = false) => replace(status, isError ? h('span', { class: 'form-error' }, text) : text);

  const row = (account: Account): HTMLTableRowElement => {
    const active = account.status === 'ACTIVE';
    const toggle = h('button', { type: 'button', 'aria-label': `${active ? 'Disable' : 'Enable'} ${account.username}` },
      active ? 'Disable' : 'Enable');
    const reset = h('button', { type: 'button', 'aria-label': `Reset password for ${account.username}` }, 'Reset password');
    toggle.addEventListener('click', async () => {
      toggle.disabled = true;
      try {
        const updated = await session.call<Account>(
          `/admin/users/${encodeURIComponent(account.username)}/${active ? 'disable' : 'enable'}`, { method: 'POST' });
        const fresh = row(updated);
        tr.replaceWith(fresh);
        (fresh.querySelector('button') as HTMLButtonElement).focus();
        say(`${updated.username} is now ${updated.status === 'ACTIVE' ? 'enabled' : 'disabled'}.`);
      } catch (failure) {
        toggle.disabled = false;
        say(describe(failure), true);
      }
    });
    reset.addEventListener('click', async () => {
      const password = await promptDialog(`New password for ${account.username}`, 'New password',
        { type: 'password', autocomplete: 'new-password', minlength: '12', maxlength: '128', required: '' }, 'Set password');
      if (password === null) return;
      try {
        await session.call(`/admin/users/${encodeURIComponent(account.username)}/password`, { method: 'PUT', body: { password } });
        say(`The password of ${account.username} was changed; their sessions have ended.`);
      } catch (failure) {
        say(describe(failure), true);
      }
    });
    const tr = h('tr', { 'data-username': account.username },
      h('th', { scope: 'row' }, account.username),
      h('td', null, account.roles.map((r) => r.toLowerCase()).sort().join(', ')),
      h('td', null, h('span', { class: `badge ${active ? 'ready' : 'failed'}` }, active ? 'Active' : 'Disabled')),
      h('td', null, date(account.createdAt)),
      h('td', { class: 'actions' }, toggle, reset));
    return tr;
  };

  const load = async () => {
    try {
      const answer = await session.call<{ users: Account[] }>('/admin/users', { signal: controller.signal });
      replace(body, ...answer.users.sort((a, b) => a.username.localeCompare(b.username)).map(row));
      say(`${answer.users.length} account${answer.users.length === 1 ? '' : 's'}.`);
    } catch (failure) {
      if (!controller.signal.aborted) say(describe(failure), true);
    }
  };

  const username = h('input', { id: 'new-username', required: true, autocomplete: 'off', autocapitalize: 'none',
    spellcheck: 'false', maxlength: 64 });
  const password = h('input', { id: 'new-password', type: 'password', required: true, autocomplete: 'new-password',
    minlength: 12, maxlength: 128, 'aria-describedby': 'password-help' });
  const email = h('input', { id: 'new-email', type: 'email', autocomplete: 'off', maxlength: 254 });
  const roleBoxes = ROLES.map((role) => h('input', { type: 'checkbox', id: `role-${role}`, value: role, checked: role === 'viewer' }));
  const createError = h('p', { class: 'form-error', role: 'alert' });
  const create = h('form', { class: 'card create-account', novalidate: true, on: {
    submit: async (event: Event) => {
      event.preventDefault();
      const roles = roleBoxes.filter((box) => box.checked).map((box) => box.value);
      if (!username.value.trim() || !password.value) {
        replace(createError, 'Give a username and a password.');
        return;
      }
      if (roles.length === 0) {
        replace(createError, 'Give the account at least one role.');
        return;
      }
      try {
        const account = await session.call<Account>('/admin/users', { method: 'POST', body: {
          username: username.value.trim(), password: password.value, roles, email: email.value.trim() || null } });
        replace(createError);
        create.reset();
        roleBoxes.forEach((box) => { box.checked = box.value === 'viewer'; });
        const existing = body.querySelector(`tr[data-username="${CSS.escape(account.username)}"]`);
        if (existing) existing.replaceWith(row(account));
        else body.appendChild(row(account));
        say(`Created ${account.username}.`);
      } catch (failure) {
        replace(createError, describe(failure));
      }
    },
  } },
  h('h2', null, 'Create an account'),
  h('div', { class: 'field' }, h('label', { for: 'new-username' }, 'Username'), username),
  h('div', { class: 'field' }, h('label', { for: 'new-password' }, 'Password'), password,
    h('span', { id: 'password-help', class: 'hint' }, '12 to 128 characters; common passwords are refused.')),
  h('div', { class: 'field' }, h('label', { for: 'new-email' }, 'Email ', h('span', { class: 'hint' }, '(optional)')), email),
  h('fieldset', { class: 'roles' }, h('legend', null, 'Roles'),
    ...roleBoxes.map((box) => h('label', { class: 'check', for: box.id }, box, ` ${box.value}`))),
  createError,
  h('button', { type: 'submit', class: 'primary' }, 'Create account'));

  replace(main, h('h1', { tabindex: '-1' }, 'Accounts'), status, h('div', { class: 'table-scroll' }, table), create);
  void load();
  return { dispose: () => controller.abort() };
}
