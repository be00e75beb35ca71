/**
 * A backend replica in a process of its own, for tests that kill it mid-promotion: it runs one promotion with the
 * real Promoter on the shared database and registries given as JSON in argv[2], reports progress on stdout, and is
 * killed (SIGKILL) by the test. Run with tsx: `node tsx/cli promotionReplica.ts '<json>'`.
 */
import knexFactory, { Knex } from 'knex';
import { RegistryEndpoint } from '../../registry';
import { RegistryHosts } from '../../registry/RegistryHosts';
import { Promoter } from '../Promoter';
import { PromotionRequest } from '../PromotionPlanner';
import { PromotionLocks } from '../PromotionLocks';
import { PromotionStore } from '../PromotionStore';

/** What the test sends the replica. */
export interface ReplicaJob {
  connection: Knex.PgConnectionConfig;
  registries: RegistryEndpoint[];
  leaseMs: number;
  request: PromotionRequest;
}

async function main() {
  const job: ReplicaJob = JSON.parse(process.argv[2]);
  const db = knexFactory({ client: 'pg', connection: job.connection });
  const promoter = new Promoter({
    registries: new RegistryHosts(job.registries),
    store: new PromotionStore(db),
    locks: new PromotionLocks(db, { leaseMs: job.leaseMs }),
  });
  process.stdout.write('started\n');
  const record = await promoter.promote(job.request);
  process.stdout.write(`finished ${record.status}\n`);
  await db.destroy();
}

main().catch(error => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
