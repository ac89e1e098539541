import { h, replace } from '../dom';
import { ApiError, describe, waitPhrase } from '../errors';
import type { Page, PageContext } from '../router';

/** Only a path of this site: never "//elsewhere" or "https://…", so the address cannot send a viewer away. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') && !next.startsWith('/signin')
    ? next : '/';
}

export function render(context: PageContext): Page {
  const { main, session, query } = context;
  const next = safeNext(query.get('next'));
  if (session.signedIn) {
    context.navigate(next, { replace: true });
    return {};
  }
  const message = h('p', { class: 'form-error', role: 'alert', id: 'signin-error' });
  const notice = context.notice ? h('p', { class: 'notice', role: 'status' }, context.notice) : null;
  const username = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true,
    autocapitalize: 'none', spellcheck: 'false', maxlength: 64 });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password',
    required: true, maxlength: 512 });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  let countdown: ReturnType<typeof setInterval> | undefined;

  const showError = (text: string) => {
    replace(message, text);
    username.setAttribute('aria-describedby', 'signin-error');
    password.setAttribute('aria-describedby', 'signin-error');
  };

  const throttle = (seconds: number) => {
    let left = seconds;
    submit.disabled = true;
    const tick = () => {
      if (left <= 0) {
        clearInterval(countdown);
        submit.disabled = false;
        replace(message, 'You can try again now.');
        return;
      }
      replace(message, `Too many failed sign-ins for this account. Wait ${waitPhrase(left)} before trying again.`);
      left--;
    };
    clearInterval(countdown);
    tick();
    countdown = setInterval(tick, 1000);
  };

  const form = h('form', { class: 'card signin', novalidate: true, on: {
    submit: async (event: Event) => {
      event.preventDefault();
      if (!username.value.trim() || !password.value) {
        showError('Enter your username and your password.');
        (username.value.trim() ? password : username).focus();
        return;
      }
      submit.disabled = true;
      replace(submit, 'Signing in…');
      try {
        await session.signIn(username.value.trim(), password.value);
        password.value = '';
        context.navigate(next, { replace: true });
      } catch (error) {
        password.value = '';
        if (error instanceof ApiError && error.status === 429 && error.retryAfterSeconds) {
          replace(submit, 'Sign in');
          throttle(error.retryAfterSeconds);
          return;
        }
        showError(error instanceof ApiError && error.status === 401
          ? 'The username or password is wrong. Check both and try again.' : describe(error));
        submit.disabled = false;
        replace(submit, 'Sign in');
        password.focus();
      }
    },
  } },
  h('h1', { tabindex: '-1' }, 'Sign in to Reel'),
  notice,
  h('div', { class: 'field' }, h('label', { for: 'username' }, 'Username'), username),
  h('div', { class: 'field' }, h('label', { for: 'password' }, 'Password'), password),
  message,
  submit);
  replace(main, h('div', { class: 'signin-page' }, form));
  username.focus();
  return { dispose: () => clearInterval(countdown) };
}
