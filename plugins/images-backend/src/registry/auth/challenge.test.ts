import { challengeScopes, parseChallenge } from './challenge';

describe('parseChallenge', () => {
  it('reads the scheme and parameters of a Bearer challenge, quoted or bare', () => {
    expect(
      parseChallenge(
        'Bearer realm="https://auth.example/token",Service=registry.example,scope="repository:a:pull repository:b:pull,push",error="insufficient_scope"',
      ),
    ).toEqual({
      scheme: 'bearer',
      params: {
        realm: 'https://auth.example/token',
        service: 'registry.example',
        scope: 'repository:a:pull repository:b:pull,push',
        error: 'insufficient_scope',
      },
    });
  });

  it('unescapes quoted values', () => {
    expect(parseChallenge('Basic realm="say \\"hi\\""')).toEqual({
      scheme: 'basic',
      params: { realm: 'say "hi"' },
    });
  });

  it('answers undefined for no header or one that is no challenge', () => {
    expect(parseChallenge(undefined)).toBeUndefined();
    expect(parseChallenge(null)).toBeUndefined();
    expect(parseChallenge('')).toBeUndefined();
    expect(parseChallenge('   ')).toBeUndefined();
    expect(parseChallenge('="x"')).toBeUndefined();
  });
});

describe('challengeScopes', () => {
  it('splits the scope parameter, and is empty without one', () => {
    expect(
      challengeScopes(
        parseChallenge(
          'Bearer realm="r",scope="repository:a:pull  repository:b:push"',
        ),
      ),
    ).toEqual(['repository:a:pull', 'repository:b:push']);
    expect(challengeScopes(parseChallenge('Bearer realm="r"'))).toEqual([]);
    expect(challengeScopes(undefined)).toEqual([]);
  });
});
