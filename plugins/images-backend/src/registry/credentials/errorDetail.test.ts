import { describeError, isNetworkError, redact } from './errorDetail';

describe('redact', () => {
  it('hides secrets, each long line of a PEM key, and anything shaped like a JWT', () => {
    const pem =
      '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n';
    expect(
      redact(
        'bad key MIIEvQIBADANBgkqhkiG9w0BAQEFAASC and password hunter2hunter2, token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJib3QifQ.c2ln',
        [pem, 'hunter2hunter2', undefined, 'ab'],
      ),
    ).toBe('bad key *** and password ***, token ***');
  });
});

describe('describeError', () => {
  it('names the error, adds its cause without socket addresses, and shortens long text', () => {
    const error = Object.assign(new Error('Unexpected Gaxios Error'), {
      cause: new Error('connect ECONNREFUSED 127.0.0.1:443'),
    });
    expect(describeError(error, [])).toBe(
      'Unexpected Gaxios Error: connect ECONNREFUSED',
    );
    expect(
      describeError(
        new Error(
          'socket hang up from 10.1.2.3:8443 and [fd00::1]:443\n\u001b[31mred',
        ),
        [],
      ),
    ).toBe('socket hang up from (address) and (address) [31mred');
    const named = Object.assign(new Error('x'.repeat(1000)), {
      name: 'AuthenticationError',
    });
    expect(describeError(named, [])).toMatch(/^AuthenticationError: x+…$/);
    expect(describeError(named, []).length).toBeLessThan(420);
  });
});

describe('isNetworkError', () => {
  it('recognises socket failures by code, by cause, or by their text', () => {
    expect(
      isNetworkError(Object.assign(new Error('x'), { code: 'ENOTFOUND' })),
    ).toBe(true);
    expect(
      isNetworkError(
        new Error('fetch failed', {
          cause: Object.assign(new Error('y'), { code: 'ECONNRESET' }),
        }),
      ),
    ).toBe(true);
    expect(
      isNetworkError(
        new Error(
          'AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:1',
        ),
      ),
    ).toBe(true);
    expect(isNetworkError(new Error('AccessDeniedException'))).toBe(false);
  });
});
