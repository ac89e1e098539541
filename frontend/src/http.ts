import { ApiError, retryAfter, sentenceFromBody, UNREACHABLE } from './errors';

/** The API's prefix on the page's own origin: the devserver and CloudFront both send /api/* to API Gateway. */
export const API_BASE = '/api';

export interface RequestOptions {
  method?: string;
  body?: unknown;
  token?: string | null;
  signal?: AbortSignal;
  /** Survives the page being closed (saving the position, aborting an upload on leave). */
  keepalive?: boolean;
}

/** The absolute URL of an API path ("/videos" → "https://site/api/videos"). */
export function apiUrl(path: string): URL {
  return new URL(API_BASE + path, location.origin);
}

/**
 * One API call: JSON in and out, the access token as a Bearer header, every failure an {@link ApiError} whose
 * message is a sentence. Returns null for 204.
 */
export async function request<T>(path: string | URL, options: RequestOptions = {}): Promise<T> {
  const url = typeof path === 'string' ? apiUrl(path) : path;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: options.signal,
      keepalive: options.keepalive,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(UNREACHABLE, 0);
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) {
    const wait = response.status === 429 ? retryAfter(response.headers.get('Retry-After')) : null;
    throw new ApiError(sentenceFromBody(response.status, response.headers.get('Content-Type'), text), response.status, wait);
  }
  if (response.status === 204 || text === '') return null as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError('Reel answered with something the page cannot read. Reload and try again.', response.status);
  }
}
