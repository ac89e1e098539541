import { h, replace } from './dom';
import type { Session } from './session';

/** What a page gets to draw itself and move on. */
export interface PageContext {
  main: HTMLElement;
  params: Record<string, string>;
  query: URLSearchParams;
  session: Session;
  /** Goes to another page of the site (history entry, unless `replace`). */
  navigate(path: string, options?: { replace?: boolean; notice?: string }): void;
  /** A sentence left by the page that sent the viewer here (e.g. "Your session has ended…"). */
  notice: string | null;
}

/** A page once drawn: may refuse to be left (an upload in flight), and cleans up after itself. */
export interface Page {
  /** False (after asking the viewer) keeps them on the page. */
  canLeave?(): boolean;
  dispose?(): void;
}

export type Render = (context: PageContext) => Page | void | Promise<Page | void>;

export type Access = 'public' | 'signed-in' | 'uploader' | 'admin';

export interface Route {
  pattern: string;
  title: string;
  access: Access;
  load: () => Promise<{ render: Render }>;
}

interface Match {
  route: Route;
  params: Record<string, string>;
}

/** "/watch/:id" against "/watch/abc" → {id: "abc"}; null when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) {
      try {
        params[want[i].slice(1)] = decodeURIComponent(got[i]);
      } catch {
        return null;
      }
    } else if (want[i] !== got[i]) {
      return null;
    }
  }
  return params;
}

/**
 * Client-side routes over the History API. Signed-out viewers are sent to sign in (and back afterwards); a page that
 * needs a role the account lacks says so instead of drawing. Each navigation moves focus to the new page's heading
 * and names the page in the title, so screen readers hear the change.
 */
export class Router {
  #current: Page | void = undefined;
  #currentPath = '';
  #generation = 0;

  constructor(
    private readonly routes: Route[],
    private readonly main: HTMLElement,
    private readonly session: Session,
    private readonly onNavigated: (path: string) => void,
  ) {
    window.addEventListener('popstate', () => void this.#show(location.pathname + location.search, null, true, false));
    document.addEventListener('click', (event) => this.#interceptLink(event));
    window.addEventListener('beforeunload', (event) => {
      if (this.#current && this.#current.canLeave && !this.#current.canLeave.call(this.#current)) {
        event.preventDefault();
        event.returnValue = '';
      }
    });
  }

  start(notice: string | null = null): Promise<void> {
    return this.#show(location.pathname + location.search, notice, false, true);
  }

  navigate(path: string, options: { replace?: boolean; notice?: string } = {}): void {
    void this.#go(path, options);
  }

  async #go(path: string, options: { replace?: boolean; notice?: string }): Promise<void> {
    if (!this.#mayLeave()) return;
    if (options.replace) history.replaceState(null, '', path);
    else history.pushState(null, '', path);
    await this.#show(path, options.notice ?? null, true, true);
  }

  #mayLeave(): boolean {
    const page = this.#current;
    return !page || !page.canLeave || page.canLeave();
  }

  #interceptLink(event: MouseEvent): void {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = (event.target as Element | null)?.closest?.('a');
    if (!link || link.target || link.hasAttribute('download')) return;
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
    event.preventDefault();
    if (url.pathname + url.search === location.pathname + location.search) return;
    this.navigate(url.pathname + url.search);
  }

  #match(pathname: string): Match | null {
    for (const route of this.routes) {
      const params = matchPath(route.pattern, pathname);
      if (params) return { route, params };
    }
    return null;
  }

  async #show(pathWithQuery: string, notice: string | null, moveFocus: boolean, asked: boolean): Promise<void> {
    const url = new URL(pathWithQuery, location.origin);
    if (!asked && this.#currentPath && this.#currentPath !== url.pathname + url.search && !this.#mayLeave()) {
      history.pushState(null, '', this.#currentPath); // the viewer chose to stay: undo the back/forward
      return;
    }
    const generation = ++this.#generation;
    const match = this.#match(url.pathname);
    if (match && match.route.access !== 'public' && !this.session.signedIn) {
      const next = url.pathname === '/' ? '' : `?next=${encodeURIComponent(url.pathname + url.search)}`;
      history.replaceState(null, '', `/signin${next}`);
      return this.#show(`/signin${next}`, notice, moveFocus, true);
    }
    this.#dispose();
    this.#currentPath = url.pathname + url.search;
    this.onNavigated(url.pathname);
    const context: PageContext = {
      main: this.main,
      params: match?.params ?? {},
      query: url.searchParams,
      session: this.session,
      navigate: (path, options) => this.navigate(path, options),
      notice,
    };
    replace(this.main);
    this.main.setAttribute('aria-busy', 'true');
    try {
      if (!match) {
        document.title = 'Page not found · Reel';
        replace(this.main, h('h1', { tabindex: '-1' }, 'Page not found'),
          h('p', null, 'There is no page at this address. ', h('a', { href: '/' }, 'Go to the catalogue'), '.'));
      } else if (!this.#allowed(match.route.access)) {
        document.title = 'Not available · Reel';
        replace(this.main, h('h1', { tabindex: '-1' }, 'Not available to your account'),
          h('p', null, match.route.access === 'admin'
            ? 'This page is for administrators. Ask an administrator if you need something changed.'
            : 'This page is for uploaders. Ask an administrator for the uploader role to send videos.'),
          h('p', null, h('a', { href: '/' }, 'Back to the catalogue')));
      } else {
        document.title = `${match.route.title} · Reel`;
        const module = await match.route.load();
        if (generation !== this.#generation) return;
        const page = await module.render(context);
        if (generation !== this.#generation) {
          page?.dispose?.();
          return;
        }
        this.#current = page;
      }
    } catch (error) {
      console.error(error);
      if (generation === this.#generation) {
        replace(this.main, h('h1', { tabindex: '-1' }, 'This page could not be shown'),
          h('p', { role: 'alert' }, 'Part of the page failed to load. Check your connection and reload.'));
      }
    } finally {
      if (generation === this.#generation) this.main.removeAttribute('aria-busy');
    }
    if (generation === this.#generation && moveFocus) {
      const heading = this.main.querySelector<HTMLElement>('h1');
      (heading ?? this.main).focus({ preventScroll: true });
      window.scrollTo(0, 0);
    }
  }

  #allowed(access: Access): boolean {
    if (access === 'uploader') return this.session.can('videos:upload');
    if (access === 'admin') return this.session.can('admin');
    return true;
  }

  #dispose(): void {
    const page = this.#current;
    this.#current = undefined;
    page?.dispose?.();
  }
}
