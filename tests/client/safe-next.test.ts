/**
 * Where the app goes after signing in (`/signin?next=…`): only paths on this site, so a crafted
 * sign-in link can't send someone elsewhere with their fresh session.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { safeNextPath, signInPath } from '../../client/src/router';

beforeAll(() => {
  vi.stubGlobal('location', new URL('https://concord.example/d/AAAAAAAAAAAAAAAA?x=1'));
});

afterAll(() => {
  vi.unstubAllGlobals();
});

describe('safeNextPath', () => {
  it('keeps paths on this site, with their query and fragment', () => {
    expect(safeNextPath('/d/AAAAAAAAAAAAAAAA')).toBe('/d/AAAAAAAAAAAAAAAA');
    expect(safeNextPath('/g/abc/members?x=1#top')).toBe('/g/abc/members?x=1#top');
    expect(safeNextPath('/invite/inv_123')).toBe('/invite/inv_123');
  });

  it('sends everything else home', () => {
    for (const next of [
      null,
      '',
      'd/AAAA',
      '//evil.example/x',
      '/\\evil.example',
      '/\\/evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
      '/%0d%0aevil',
      '/\u0000x',
      '\t//evil.example',
    ]) {
      const result = safeNextPath(next);
      expect(result === '/' || new URL(result, 'https://concord.example').origin === 'https://concord.example', String(next)).toBe(true);
      expect(result.startsWith('//')).toBe(false);
    }
    expect(safeNextPath('//evil.example/x')).toBe('/');
    expect(safeNextPath('/\\evil.example')).toBe('/');
    expect(safeNextPath('https://evil.example/')).toBe('/');
  });

  it('never leads back to the sign-in or sign-up page', () => {
    expect(safeNextPath('/signin?next=/signin')).toBe('/');
    expect(safeNextPath('/signup')).toBe('/');
  });
});

describe('signInPath', () => {
  it('remembers where the person was going', () => {
    expect(signInPath('/d/AAAAAAAAAAAAAAAA')).toBe('/signin?next=%2Fd%2FAAAAAAAAAAAAAAAA');
    expect(signInPath('/')).toBe('/signin');
    expect(signInPath()).toBe('/signin?next=%2Fd%2FAAAAAAAAAAAAAAAA%3Fx%3D1');
  });
});
