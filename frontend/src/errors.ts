/**
 * Every failure the viewer can meet, as a sentence: the API's own problem+json detail where it has one (written for
 * people), a sentence per status otherwise. Never a stack trace, never raw JSON.
 */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** Seconds to wait, from a 429's Retry-After. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** No answer at all: the network or the server is down. */
  get unreachable(): boolean {
    return this.status === 0;
  }
}

export const UNREACHABLE = "Reel's server can't be reached. Check your connection and try again.";

/** What to tell a person for a status when the answer carried no sentence of its own. */
export function sentenceFor(status: number): string {
  if (status === 0) return UNREACHABLE;
  if (status === 400) return 'That request was not accepted. Check what you entered and try again.';
  if (status === 401) return 'Your session has ended. Sign in again.';
  if (status === 403) return "You don't have permission to do that.";
  if (status === 404) return "That doesn't exist, or you can't see it.";
  if (status === 409) return 'That changed in the meantime. Reload the page and try again.';
  if (status === 413) return 'That is larger than Reel accepts.';
  if (status === 429) return 'Too many attempts. Wait a moment and try again.';
  if (status >= 500) return 'Reel had a problem answering. Try again in a moment.';
  return `Something went wrong (status ${status}). Try again.`;
}

/** The seconds of a Retry-After header (seconds or an HTTP date), or null. */
export function retryAfter(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/** "1 minute 35 seconds" for a wait. */
export function waitPhrase(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return `${s} second${s === 1 ? '' : 's'}`;
  const m = Math.floor(s / 60);
  const rest = s % 60;
  return `${m} minute${m === 1 ? '' : 's'}${rest ? ` ${rest} second${rest === 1 ? '' : 's'}` : ''}`;
}

/**
 * The sentence for a failed answer. problem+json's `detail` is meant for people; API Gateway's own refusals carry
 * `{"message": …}` written for developers ("Missing Authentication Token"), so those get the status's sentence.
 */
export function sentenceFromBody(status: number, contentType: string | null, body: string): string {
  if (contentType && /^application\/problem\+json\b/i.test(contentType)) {
    try {
      const problem = JSON.parse(body) as { detail?: unknown; title?: unknown };
      if (typeof problem.detail === 'string' && problem.detail.trim() && !looksInternal(problem.detail)) {
        return problem.detail.trim();
      }
    } catch {
      // a broken problem body: fall through to the status's sentence
    }
  }
  return sentenceFor(status);
}

/** Gateway messages that are not sentences for a viewer. */
function looksInternal(detail: string): boolean {
  return /^(Unauthorized|Forbidden|Missing Authentication Token|User is not authorized|Internal server error)\b/i.test(detail)
    || detail.includes('explicit deny');
}

/** Any thrown thing as a sentence (an ApiError's own, else a generic one: internals stay in the console). */
export function describe(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof DOMException && error.name === 'AbortError') return 'Cancelled.';
  return 'Something went wrong on this page. Reload it and try again.';
}
