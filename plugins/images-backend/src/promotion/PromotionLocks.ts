import { randomUUID } from 'node:crypto';
import { ConflictError } from '@backstage/errors';
import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { migrateStore } from '../database/migrateStore';

/** How long a lock lasts without renewal: long enough to ride out a slow database, short enough to recover. */
export const DEFAULT_LEASE_MS = 60_000;

/**
 * A lock held by one promotion attempt. It is renewed while the attempt runs, so a copy that takes longer than the
 * lease keeps it; when the attempt's backend dies, the renewals stop and the lock expires by itself.
 */
export interface PromotionLease {
  readonly key: string;
  /** Throws when the lease was lost (not renewed in time, and taken by another attempt): stop before writing. */
  ensureHeld(): void;
  release(): Promise<void>;
}

class Lease implements PromotionLease {
  readonly key: string;
  readonly #locks: PromotionLocks;
  readonly #owner: string;
  readonly #timer: NodeJS.Timeout;
  #lost = false;
  #released = false;

  constructor(
    locks: PromotionLocks,
    key: string,
    owner: string,
    leaseMs: number,
    onRenew?: () => Promise<void>,
  ) {
    this.key = key;
    this.#locks = locks;
    this.#owner = owner;
    // A third of the lease: two renewals may fail (a database hiccup) before the lock can expire.
    this.#timer = setInterval(() => {
      locks
        .renew(key, owner)
        .then(async held => {
          if (!held && !this.#released) this.#lost = true;
          if (held) await onRenew?.();
        })
        .catch(() => {
          // The next renewal tries again; the lease covers two misses.
        });
    }, Math.max(50, Math.floor(leaseMs / 3)));
    this.#timer.unref();
  }

  ensureHeld(): void {
    if (this.#lost) {
      throw new ConflictError(
        `The lock on ${this.key} expired while this promotion ran and another attempt took it; stopped before writing more`,
      );
    }
  }

  async release(): Promise<void> {
    this.#released = true;
    clearInterval(this.#timer);
    await this.#locks.release(this.key, this.#owner);
  }
}

/**
 * Locks in Backstage's database that hold across backend replicas. Each acquisition has its own owner token, so a
 * lock belongs to one attempt: two requests served by the same backend exclude each other like two replicas do.
 */
export class PromotionLocks {
  readonly #db: Knex;
  readonly #leaseMs: number;

  /** Opens the locks' table (a promotions table: it comes up to date with theirs). */
  static async create(
    database: DatabaseService,
    options: { leaseMs?: number } = {},
  ): Promise<PromotionLocks> {
    return new PromotionLocks(
      await migrateStore(database, 'promotions'),
      options,
    );
  }

  constructor(db: Knex, options: { leaseMs?: number } = {}) {
    this.#db = db;
    this.#leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  get leaseMs(): number {
    return this.#leaseMs;
  }

  /**
   * Takes the lock for a new owner unless a live lease holds it; undefined when held. `onRenew` runs with each
   * renewal (the attempt's heartbeat in the audit trail).
   */
  async acquire(
    key: string,
    onRenew?: () => Promise<void>,
  ): Promise<PromotionLease | undefined> {
    const owner = randomUUID();
    if (!(await this.#take(key, owner))) return undefined;
    return new Lease(this, key, owner, this.#leaseMs, onRenew);
  }

  /** One statement each way, so that of two replicas racing for the lock only one can win. */
  async #take(key: string, owner: string): Promise<boolean> {
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.#leaseMs);
    const taken = await this.#db('images_locks')
      .where({ lock_key: key })
      .andWhere('expires_at', '<', now)
      .update({ owner, expires_at: expiresAt });
    if (taken > 0) return true;
    await this.#db('images_locks')
      .insert({ lock_key: key, owner, expires_at: expiresAt })
      .onConflict('lock_key')
      .ignore();
    const row = await this.#db('images_locks').where({ lock_key: key }).first();
    return row?.owner === owner;
  }

  /** Extends the lease of `owner`; false when it no longer holds the lock. */
  async renew(key: string, owner: string): Promise<boolean> {
    const changed = await this.#db('images_locks')
      .where({ lock_key: key, owner })
      .update({ expires_at: new Date(Date.now() + this.#leaseMs) });
    return changed > 0;
  }

  async release(key: string, owner: string): Promise<void> {
    await this.#db('images_locks').where({ lock_key: key, owner }).delete();
  }
}
