import { describe, expect, it } from 'vitest';
import { ApiError, describe as describeError, retryAfter, sentenceFor, sentenceFromBody, waitPhrase } from './errors';

describe('sentenceFromBody', () => {
  it("takes a problem's detail: the API writes it for people", () => {
    const body = JSON.stringify({ type: 'about:blank', title: 'Bad Request', status: 400, detail: 'title must be 1 to 200 characters.' });
    expect(sentenceFromBody(400, 'application/problem+json', body)).toBe('title must be 1 to 200 characters.');
  });
  it("replaces the gateway's developer messages by the status's sentence", () => {
    const unauthorized = JSON.stringify({ type: 'about:blank', title: 'UNAUTHORIZED', status: 401, detail: 'Unauthorized' });
    expect(sentenceFromBody(401, 'application/problem+json', unauthorized)).toBe(sentenceFor(401));
    const denied = JSON.stringify({ detail: 'User is not authorized to access this resource with an explicit deny' });
    expect(sentenceFromBody(403, 'application/problem+json', denied)).toBe(sentenceFor(403));
  });
  it('never shows raw JSON or HTML', () => {
    expect(sentenceFromBody(502, 'application/json', '{"message":"Internal server error"}')).toBe(sentenceFor(502));
    expect(sentenceFromBody(500, 'text/html', '<h1>oops</h1>')).toBe(sentenceFor(500));
    expect(sentenceFromBody(400, 'application/problem+json', '{not json')).toBe(sentenceFor(400));
  });
});

describe('retryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfter('95')).toBe(95);
    expect(retryAfter('Wed, 02 Dec 2026 10:00:30 GMT', Date.parse('Wed, 02 Dec 2026 10:00:00 GMT'))).toBe(30);
    expect(retryAfter(null)).toBeNull();
    expect(retryAfter('soon')).toBeNull();
  });
  it('says a wait in words', () => {
    expect(waitPhrase(1)).toBe('1 second');
    expect(waitPhrase(95)).toBe('1 minute 35 seconds');
    expect(waitPhrase(120)).toBe('2 minutes');
  });
});

describe('describe', () => {
  it("keeps an ApiError's sentence and hides anything else", () => {
    expect(describeError(new ApiError('No such video.', 404))).toBe('No such video.');
    expect(describeError(new TypeError('x is undefined'))).not.toContain('undefined');
  });
});
