import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './errors';
import { Session } from './session';

const signedIn = (token: string) => ({ accessToken: token, tokenType: 'Bearer', expiresIn: 900, username: 'ana',
  roles: ['uploader'], scopes: ['videos:read', 'videos:upload'] });

function answer(status: number, body?: unknown, headers: Record<string, string> = {}) {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers },
  });
}

describe('Session', () => {
  let fetchMock: ReturnType<typeof vi.fn>;
  beforeEach(() => {
    fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('knows the user and their scopes from the sign-in answer, and keeps the token in memory only', async () => {
    fetchMock.mockResolvedValueOnce(answer(200, signedIn('t1')));
    const session = new Session();
    await session.signIn('ana', 'pw');
    expect(session.user).toEqual({ username: 'ana', roles: ['uploader'], scopes: ['videos:read', 'videos:upload'] });
    expect(session.can('videos:upload')).toBe(true);
    expect(session.can('admin')).toBe(false);
    expect(localStorage.length).toBe(0);
    expect(sessionStorage.length).toBe(0);
  });

  it('resumes from the refresh cookie on page load, and is signed out without one', async () => {
    fetchMock.mockResolvedValueOnce(answer(200, signedIn('t1')));
    const session = new Session();
    expect(await session.resume()).toBe(true);
    fetchMock.mockResolvedValueOnce(new Response(null, { status: 204 }));
    const other = new Session();
    expect(await other.resume()).toBe(false);
    expect(other.signedIn).toBe(false);
  });

  it('shares one refresh between concurrent callers in a tab', async () => {
    fetchMock.mockImplementation(async () => answer(200, signedIn('t2')));
    const session = new Session();
    await Promise.all([session.refresh(), session.refresh(), session.refresh()]);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('refreshes once and retries a call that met a 401, with the new token', async () => {
    fetchMock
      .mockResolvedValueOnce(answer(200, signedIn('old')))
      .mockResolvedValueOnce(answer(401, { detail: 'Unauthorized' }))
      .mockResolvedValueOnce(answer(200, signedIn('new')))
      .mockResolvedValueOnce(answer(200, { items: [] }));
    const session = new Session();
    await session.signIn('ana', 'pw');
    await expect(session.call('/videos')).resolves.toEqual({ items: [] });
    const retried = fetchMock.mock.calls[3];
    expect(String(retried[0])).toContain('/api/videos');
    expect(retried[1].headers.Authorization).toBe('Bearer new');
  });

  it('ends a session that cannot be refreshed, telling listeners why', async () => {
    fetchMock
      .mockResolvedValueOnce(answer(200, signedIn('old')))
      .mockResolvedValueOnce(answer(401, { detail: 'Unauthorized' }))
      .mockResolvedValueOnce(answer(401, { detail: 'The refresh token is not valid; sign in again.' }));
    const session = new Session();
    await session.signIn('ana', 'pw');
    const ended = vi.fn();
    session.addEventListener('ended', (e) => ended((e as CustomEvent<string>).detail));
    await expect(session.call('/videos')).rejects.toBeInstanceOf(ApiError);
    expect(ended).toHaveBeenCalledWith('Your session has ended. Sign in again to carry on.');
    expect(session.signedIn).toBe(false);
  });

  it('refreshes a minute before the access token expires', async () => {
    vi.useFakeTimers();
    fetchMock.mockImplementation(async () => answer(200, signedIn('t')));
    const session = new Session();
    await session.signIn('ana', 'pw');
    expect(fetchMock).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(839_000);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(String(fetchMock.mock.calls[1][0])).toContain('/api/auth/refresh');
  });

  it('tells a throttled sign-in how long to wait', async () => {
    fetchMock.mockResolvedValueOnce(answer(429, { detail: 'Too many failed sign-ins; try again later.' }, { 'Retry-After': '31' }));
    const session = new Session();
    await expect(session.signIn('ana', 'pw')).rejects.toMatchObject({ status: 429, retryAfterSeconds: 31 });
  });
});
