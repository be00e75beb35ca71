import { genSaltSync, hashSync } from 'bcryptjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Registry configuration for HTTP Basic authentication, from {@link htpasswdAuthConfig}.
 *
 * @public
 */
export interface HtpasswdAuthConfig {
  /** YAML for `startRegistry({ extraConfig })`: an `auth: htpasswd:` section. */
  extraConfig: string;
  /** The htpasswd file. */
  path: string;
  /** The realm the registry names in its `WWW-Authenticate: Basic` challenge. */
  realm: string;
  /** Removes the htpasswd file and its folder. */
  cleanup(): void;
}

/**
 * Writes an htpasswd file for `users` (name to password) into a temporary folder and returns the registry
 * configuration that uses it. Distribution only accepts bcrypt entries; they use the lowest cost, since the registry
 * checks the hash on every request and these are test passwords.
 *
 * @public
 */
export function htpasswdAuthConfig(
  users: Record<string, string>,
): HtpasswdAuthConfig {
  const lines = Object.entries(users).map(([name, password]) => {
    if (name.includes(':') || name.includes('\n'))
      throw new Error(
        `htpasswd user names cannot contain ':' or line breaks (${name})`,
      );
    return `${name}:${hashSync(password, genSaltSync(4))}`;
  });
  const dir = mkdtempSync(join(tmpdir(), 'berth-htpasswd-'));
  const path = join(dir, 'htpasswd');
  const realm = 'berth-test-registry';
  writeFileSync(path, `${lines.join('\n')}\n`, { mode: 0o600 });
  return {
    extraConfig: [
      'auth:',
      '  htpasswd:',
      `    realm: ${JSON.stringify(realm)}`,
      `    path: ${JSON.stringify(path)}`,
      '',
    ].join('\n'),
    path,
    realm,
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
