import { ApiError } from './errors';
import { request, type RequestOptions } from './http';
import type { SignedIn } from './types';

/** Who is signed in, as the sign-in and refresh answers say (the page never decodes the JWT). */
export interface User {
  username: string;
  roles: string[];
  scopes: string[];
}

/** Refresh this long before the access token expires, so a request never carries a token about to lapse. */
const EARLY_MS = 60_000;
/** One refresh at a time across this browser's tabs: a refresh token is single-use. */
const REFRESH_LOCK = 'reel-session-refresh';

/**
 * The signed-in session. The access token lives in this object only (memory: never storage, never a cookie); the
 * refresh token is an HttpOnly cookie the page cannot read, sent only to /api/auth. Refreshes run before the token
 * expires and on page load, one at a time across tabs (Web Locks), and a session that cannot be refreshed ends with
 * an `ended` event carrying the sentence to show on the sign-in page.
 */
export class Session extends EventTarget {
  #token: string | null = null;
  #expiresAt = 0;
  #user: User | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #refreshing: Promise<boolean> | null = null;

  get user(): User | null {
    return this.#user;
  }

  get signedIn(): boolean {
    return this.#user !== null;
  }

  can(scope: string): boolean {
    return this.#user?.scopes.includes(scope) ?? false;
  }

  async signIn(username: string, password: string): Promise<void> {
    const answer = await request<SignedIn>('/auth/login', { method: 'POST', body: { username, password } });
    this.#accept(answer);
  }

  /** On page load: a session from the refresh cookie, if there is one. */
  async resume(): Promise<boolean> {
    try {
      return await this.refresh();
    } catch (error) {
      if (error instanceof ApiError && error.unreachable) throw error;
      return false;
    }
  }

  /**
   * A new access token from the refresh cookie. Concurrent calls in this tab share one request; other tabs wait
   * for the lock, then use the cookie the previous refresh set. False when there is no session to refresh.
   */
  refresh(): Promise<boolean> {
    if (!this.#refreshing) {
      this.#refreshing = this.#lock(() => this.#refreshNow()).finally(() => {
        this.#refreshing = null;
      });
    }
    return this.#refreshing;
  }

  async #refreshNow(): Promise<boolean> {
    try {
      // 204: the browser holds no refresh cookie, so there is no session to resume (not an error).
      const answer = await request<SignedIn | null>('/auth/refresh', { method: 'POST' });
      if (!answer) {
        this.#clear();
        return false;
      }
      this.#accept(answer);
      return true;
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 400)) {
        this.#clear();
        return false;
      }
      throw error;
    }
  }

  /** The token as it is now, for work that cannot wait (a keepalive request as the page closes). */
  currentToken(): string | null {
    return this.#token;
  }

  /** A token good for the next minute, refreshing first if needed; null when signed out. */
  async token(): Promise<string | null> {
    if (this.#token && Date.now() < this.#expiresAt - EARLY_MS / 2) return this.#token;
    if (!this.#user) return null;
    return (await this.refresh()) ? this.#token : null;
  }

  /**
   * An API call as this user. A 401 (the token was revoked or expired under us) gets one refresh and one retry;
   * if the session cannot be refreshed it ends, and the caller gets the 401.
   */
  async call<T>(path: string | URL, options: RequestOptions = {}): Promise<T> {
    const token = await this.token();
    try {
      return await request<T>(path, { ...options, token });
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401 || !this.#user) throw error;
      if (!(await this.refresh().catch(() => false))) {
        this.#ended('Your session has ended. Sign in again to carry on.');
        throw error;
      }
      return request<T>(path, { ...options, token: this.#token });
    }
  }

  async signOut(): Promise<void> {
    try {
      await request('/auth/logout', { method: 'POST' });
    } finally {
      this.#clear();
    }
  }

  async signOutEverywhere(): Promise<void> {
    await this.call('/auth/logout-all', { method: 'POST' });
    this.#clear();
  }

  /** The session is gone (a refresh was refused): listeners send the viewer to sign in with `message`. */
  #ended(message: string): void {
    this.#clear();
    this.dispatchEvent(new CustomEvent('ended', { detail: message }));
  }

  #accept(answer: SignedIn): void {
    this.#token = answer.accessToken;
    this.#expiresAt = Date.now() + answer.expiresIn * 1000;
    this.#user = { username: answer.username, roles: answer.roles ?? [], scopes: answer.scopes ?? [] };
    clearTimeout(this.#timer);
    const delay = Math.max(5_000, answer.expiresIn * 1000 - EARLY_MS);
    this.#timer = setTimeout(() => {
      this.refresh().then((ok) => {
        if (!ok) this.#ended('Your session has ended. Sign in again to carry on.');
      }, () => {
        // unreachable for now: the next call retries, and a 401 then ends the session
      });
    }, delay);
    this.dispatchEvent(new Event('change'));
  }

  #clear(): void {
    clearTimeout(this.#timer);
    const had = this.#user !== null;
    this.#token = null;
    this.#expiresAt = 0;
    this.#user = null;
    if (had) this.dispatchEvent(new Event('change'));
  }

  #lock<T>(work: () => Promise<T>): Promise<T> {
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    return locks ? (locks.request(REFRESH_LOCK, work) as Promise<T>) : work();
  }
}
