import { describe, expect, it } from 'vitest';
import { matchPath } from './router';
import { safeNext } from './pages/signin';

describe('matchPath', () => {
  it('matches literal and parameter segments', () => {
    expect(matchPath('/', '/')).toEqual({});
    expect(matchPath('/watch/:id', '/watch/abc')).toEqual({ id: 'abc' });
    expect(matchPath('/watch/:id', '/watch/a%20b')).toEqual({ id: 'a b' });
    expect(matchPath('/watch/:id', '/watch')).toBeNull();
    expect(matchPath('/admin', '/admin/x')).toBeNull();
    expect(matchPath('/watch/:id', '/watch/%E0%A4%A')).toBeNull();
  });
});

describe('safeNext', () => {
  it('goes back only to a page of this site', () => {
    expect(safeNext('/watch/abc')).toBe('/watch/abc');
    expect(safeNext('//evil.example/')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext('https://evil.example/')).toBe('/');
    expect(safeNext('/signin')).toBe('/');
    expect(safeNext(null)).toBe('/');
  });
});
