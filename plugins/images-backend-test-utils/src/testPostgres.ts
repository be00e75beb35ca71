import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory, { Knex } from 'knex';
import { findFreePort } from './testRegistry';

/**
 * A PostgreSQL server from Debian's package, started for tests on a free loopback port with its data in a
 * temporary folder.
 *
 * @public
 */
export interface RunningPostgres {
  port: number;
  /** Connection to the `postgres` database, as the `postgres` superuser (trust auth on loopback). */
  connection: Knex.PgConnectionConfig;
  /** Creates an empty database and returns a knex client for it. */
  createDatabase(name: string): Promise<Knex>;
  stop(): Promise<void>;
}

function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root).sort((a, b) => Number(b) - Number(a))
    : [];
  const dir = versions
    .map(v => join(root, v, 'bin'))
    .find(d => existsSync(join(d, 'postgres')));
  if (!dir) {
    throw new Error(
      `PostgreSQL is missing under ${root}: install Debian's postgresql package (scripts/test.sh does)`,
    );
  }
  return dir;
}

/**
 * Starts a throwaway PostgreSQL server (initdb, then postgres with fsync off). As root, the server runs as the
 * `postgres` system user, since PostgreSQL refuses to run as root.
 *
 * @public
 */
export async function startPostgres(): Promise<RunningPostgres> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'berth-postgres-'));
  const asRoot = process.getuid?.() === 0;
  const wrap = (command: string, args: string[]): [string, string[]] =>
    asRoot
      ? ['runuser', ['-u', 'postgres', '--', command, ...args]]
      : [command, args];
  if (asRoot) {
    const uid = Number(
      execFileSync('id', ['-u', 'postgres']).toString().trim(),
    );
    const gid = Number(
      execFileSync('id', ['-g', 'postgres']).toString().trim(),
    );
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const [initdb, initArgs] = wrap(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  execFileSync(initdb, initArgs, { stdio: 'ignore' });

  const port = await findFreePort();
  const [postgres, args] = wrap(join(bin, 'postgres'), [
    '-D',
    data,
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
  ]);
  const child: ChildProcess = spawn(postgres, args, { stdio: 'ignore' });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });

  const connection: Knex.PgConnectionConfig = {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    database: 'postgres',
  };
  const admin = knexFactory({
    client: 'pg',
    connection,
    pool: { min: 0, max: 2 },
  });
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (exited) throw new Error(`PostgreSQL exited at start (port ${port})`);
    try {
      await admin.raw('select 1');
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(
          `PostgreSQL did not accept connections on port ${port} within 20 s`,
        );
      }
      await new Promise(resolve => setTimeout(resolve, 100));
    }
  }

  const clients: Knex[] = [admin];
  return {
    port,
    connection,
    async createDatabase(name: string) {
      if (!/^[a-z][a-z0-9_]{0,62}$/.test(name))
        throw new Error(`Bad database name ${name}`);
      await admin.raw(`create database ${name}`);
      const client = knexFactory({
        client: 'pg',
        connection: { ...connection, database: name },
        pool: { min: 0, max: 5 },
      });
      clients.push(client);
      return client;
    },
    async stop() {
      await Promise.all(clients.map(client => client.destroy()));
      if (!exited) {
        const done = new Promise(resolve => child.once('exit', resolve));
        // pg_ctl stops the server itself (runuser need not pass signals on); immediate: it is throwaway data.
        const [pgCtl, stopArgs] = wrap(join(bin, 'pg_ctl'), [
          'stop',
          '-D',
          data,
          '-m',
          'immediate',
          '-w',
        ]);
        try {
          execFileSync(pgCtl, stopArgs, { stdio: 'ignore', timeout: 15_000 });
        } catch {
          child.kill('SIGKILL');
        }
        await Promise.race([
          done,
          new Promise(resolve => setTimeout(resolve, 5000)),
        ]);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
