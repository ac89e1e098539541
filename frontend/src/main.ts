import './styles.css';
import { h, replace } from './dom';
import { ApiError } from './errors';
import { Router, type Route } from './router';
import { Session } from './session';
import * as signin from './pages/signin';
import * as catalogue from './pages/catalogue';
import * as account from './pages/account';

// The catalogue, sign-in and account pages are in this bundle; the player, the uploader, an uploader's own list and
// the admin page load when first visited, so the catalogue's JavaScript stays small.
const routes: Route[] = [
  { pattern: '/', title: 'Catalogue', access: 'signed-in', load: async () => catalogue },
  { pattern: '/signin', title: 'Sign in', access: 'public', load: async () => signin },
  { pattern: '/watch/:id', title: 'Watch', access: 'signed-in', load: () => import('./pages/watch') },
  { pattern: '/mine', title: 'My videos', access: 'uploader', load: () => import('./pages/mine') },
  { pattern: '/upload', title: 'Upload', access: 'uploader', load: () => import('./pages/upload') },
  { pattern: '/admin', title: 'Accounts', access: 'admin', load: () => import('./pages/admin') },
  { pattern: '/account', title: 'Your account', access: 'signed-in', load: async () => account },
];

const session = new Session();
const main = document.getElementById('main') as HTMLElement;
const nav = document.getElementById('nav') as HTMLElement;

function drawNav(path: string): void {
  const user = session.user;
  if (!user) {
    replace(nav);
    return;
  }
  const link = (href: string, label: string) => {
    const current = href === '/' ? path === '/' || path.startsWith('/watch/') : path.startsWith(href);
    return h('li', null, h('a', { href, 'aria-current': current ? 'page' : null }, label));
  };
  replace(nav, h('ul', null,
    link('/', 'Browse'),
    session.can('videos:upload') && link('/mine', 'My videos'),
    session.can('videos:upload') && link('/upload', 'Upload'),
    session.can('admin') && link('/admin', 'Accounts'),
    h('li', { class: 'nav-account' }, h('a', { href: '/account', 'aria-current': path === '/account' ? 'page' : null },
      h('span', { class: 'visually-hidden' }, 'Your account: '), user.username)),
  ));
}

const router = new Router(routes, main, session, drawNav);
session.addEventListener('change', () => drawNav(location.pathname));
session.addEventListener('ended', (event) => {
  router.navigate('/signin', { replace: true, notice: (event as CustomEvent<string>).detail });
});

async function boot(): Promise<void> {
  let notice: string | null = null;
  try {
    await session.resume();
  } catch (error) {
    notice = error instanceof ApiError ? error.message : null;
  }
  await router.start(notice);
}

void boot();
