import { execFileSync } from 'node:child_process';
import {
  createPrivateKey,
  KeyObject,
  randomUUID,
  sign,
  timingSafeEqual,
  X509Certificate,
} from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http, { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Decides which actions a token grants on one resource. `account` is undefined for anonymous requests.
 *
 * @public
 */
export type TokenGrant = (
  account: string | undefined,
  type: string,
  name: string,
  actions: string[],
) => string[];

/**
 * Options for {@link startTokenServer}.
 *
 * @public
 */
export interface TokenServerOptions {
  /** Accounts (name to password), checked with HTTP Basic on the token request. */
  users?: Record<string, string>;
  /** Whether requests without credentials get tokens (pull only, by default) even though `users` is set. */
  allowAnonymousPull?: boolean;
  /** Lifetime of the tokens (default 300). */
  expiresInSeconds?: number;
  /**
   * Which actions to grant; the result goes into the token as is. Default: every requested action for a known user,
   * `pull` for anonymous requests when `allowAnonymousPull` is set, nothing otherwise.
   */
  grant?: TokenGrant;
  /** Key type of the signing key (default `ec`, i.e. ES256 tokens; `rsa` gives RS256). */
  keyType?: 'ec' | 'rsa';
  /** `service` the registry names in its challenge and the token's audience (default `berth-test-registry`). */
  service?: string;
  /** `iss` of the tokens (default `berth-test-token-issuer`). */
  issuer?: string;
}

/**
 * One token request the server answered.
 *
 * @public
 */
export interface TokenRequest {
  /** User name of the Basic credentials, if any were sent (even when wrong). */
  account?: string;
  /** The `scope` parameters, split into single scopes. */
  scopes: string[];
  status: number;
}

/**
 * A running token issuer, from {@link startTokenServer}.
 *
 * @public
 */
export interface TokenServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** `http://127.0.0.1:<port>/token`, where tokens are issued. */
  realm: string;
  service: string;
  issuer: string;
  /** PEM certificate the registry trusts (`rootcertbundle`). */
  certFile: string;
  /** YAML for `startRegistry({ extraConfig })`: an `auth: token:` section trusting this server. */
  registryAuthConfig: string;
  /** Every token request so far, in arrival order. */
  requests: TokenRequest[];
  /** Clears the recorded requests. */
  reset(): void;
  /** Closes the server and removes the key and certificate. */
  stop(): Promise<void>;
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Splits `type:name:actions`; the name sits between the first and the last colon. */
function parseScope(
  scope: string,
): { type: string; name: string; actions: string[] } | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first < 0 || last === first) return undefined;
  return {
    type: scope.slice(0, first),
    name: scope.slice(first + 1, last),
    actions: scope
      .slice(last + 1)
      .split(',')
      .filter(action => action !== ''),
  };
}

/**
 * Starts a Docker token-auth issuer on 127.0.0.1 (https://distribution.github.io/distribution/spec/auth/token/) for
 * Distribution's `auth.token` mode. It signs JWTs with a fresh key whose self-signed certificate (made with the
 * `openssl` CLI) the registry trusts as `rootcertbundle`; tokens carry that certificate in the `x5c` header, which is
 * how Distribution 2.8 finds and verifies the signing key.
 *
 * @public
 */
export async function startTokenServer(
  options: TokenServerOptions = {},
): Promise<TokenServer> {
  const service = options.service ?? 'berth-test-registry';
  const issuer = options.issuer ?? 'berth-test-token-issuer';
  const expiresIn = options.expiresInSeconds ?? 300;
  const users = options.users;
  const keyType = options.keyType ?? 'ec';
  const algorithm = keyType === 'ec' ? 'ES256' : 'RS256';

  const dir = mkdtempSync(join(tmpdir(), 'berth-token-server-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  let key: KeyObject;
  let x5c: string;
  try {
    execFileSync(
      '/usr/bin/openssl',
      [
        'req',
        '-x509',
        '-newkey',
        keyType === 'ec' ? 'ec' : 'rsa:2048',
        ...(keyType === 'ec'
          ? ['-pkeyopt', 'ec_paramgen_curve:prime256v1']
          : []),
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '2',
        '-subj',
        `/CN=${issuer}`,
      ],
      { stdio: 'pipe' },
    );
    key = createPrivateKey(readFileSync(keyFile));
    x5c = new X509Certificate(readFileSync(certFile)).raw.toString('base64');
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  const grant: TokenGrant =
    options.grant ??
    ((account, _type, _name, actions) => {
      if (account !== undefined) return actions;
      return options.allowAnonymousPull
        ? actions.filter(action => action === 'pull')
        : [];
    });

  const issue = (account: string | undefined, scopes: string[]) => {
    const now = Math.floor(Date.now() / 1000);
    const access = [];
    for (const scope of scopes) {
      const parsed = parseScope(scope);
      if (!parsed) continue;
      const actions = grant(account, parsed.type, parsed.name, parsed.actions);
      if (actions.length > 0)
        access.push({ type: parsed.type, name: parsed.name, actions });
    }
    const header = { typ: 'JWT', alg: algorithm, x5c: [x5c] };
    const claims = {
      iss: issuer,
      sub: account ?? '',
      aud: service,
      exp: now + expiresIn,
      nbf: now - 1,
      iat: now,
      jti: randomUUID(),
      access,
    };
    const signingInput = `${base64url(JSON.stringify(header))}.${base64url(
      JSON.stringify(claims),
    )}`;
    // JWS wants ES256 signatures as raw r||s, not DER.
    const signature = sign('sha256', Buffer.from(signingInput), {
      key,
      dsaEncoding: 'ieee-p1363',
    });
    return {
      token: `${signingInput}.${base64url(signature)}`,
      issuedAt: new Date(now * 1000).toISOString(),
    };
  };

  const requests: TokenRequest[] = [];
  const sockets = new Set<Socket>();
  let url = '';

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const requestUrl = new URL(req.url ?? '/', url);
    const json = (status: number, body: unknown, extra = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...extra });
      res.end(JSON.stringify(body));
    };
    if (requestUrl.pathname !== '/token' || req.method !== 'GET') {
      json(404, { errors: [{ code: 'NOT_FOUND', message: 'not found' }] });
      return;
    }
    const scopes = requestUrl.searchParams
      .getAll('scope')
      .flatMap(scope => scope.split(' '))
      .filter(scope => scope !== '');
    const record: TokenRequest = { scopes, status: 0 };
    requests.push(record);
    const unauthorized = (message: string) => {
      record.status = 401;
      json(
        401,
        { errors: [{ code: 'UNAUTHORIZED', message }] },
        { 'www-authenticate': `Basic realm="${service}"` },
      );
    };

    let account: string | undefined;
    const authorization = req.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Basic\s+(\S+)$/i.exec(authorization);
      if (!match) {
        unauthorized('unsupported authorization scheme');
        return;
      }
      const decoded = Buffer.from(match[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      account = colon < 0 ? decoded : decoded.slice(0, colon);
      record.account = account;
      const password = colon < 0 ? '' : decoded.slice(colon + 1);
      const expected = users?.[account];
      if (expected === undefined || !sameText(password, expected)) {
        unauthorized('invalid username or password');
        return;
      }
    } else if (users && !options.allowAnonymousPull) {
      unauthorized('authentication required');
      return;
    }

    const { token, issuedAt } = issue(account, scopes);
    record.status = 200;
    json(200, {
      token,
      access_token: token,
      expires_in: expiresIn,
      issued_at: issuedAt,
    });
  };

  const server = http.createServer(handle);
  server.on('connection', socket => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const { port } = server.address() as { port: number };
  url = `http://127.0.0.1:${port}`;
  const realm = `${url}/token`;

  return {
    url,
    realm,
    service,
    issuer,
    certFile,
    registryAuthConfig: [
      'auth:',
      '  token:',
      `    realm: ${JSON.stringify(realm)}`,
      `    service: ${JSON.stringify(service)}`,
      `    issuer: ${JSON.stringify(issuer)}`,
      `    rootcertbundle: ${JSON.stringify(certFile)}`,
      '',
    ].join('\n'),
    requests,
    reset() {
      requests.length = 0;
    },
    async stop() {
      const closed = new Promise<void>(resolve =>
        server.close(() => resolve()),
      );
      for (const socket of sockets) socket.destroy();
      await closed;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
