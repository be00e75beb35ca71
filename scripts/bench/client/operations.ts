/*
 * The registry client part's small operations, Berth then skopeo, through registry 1's proxy: (a) listing every
 * tag, (b) resolving 20 tags, (c) retagging the 2-platform index within its repository (a new client each time,
 * then one client reused). Each retag is checked afterwards, straight against the registry.
 */
import { createHash } from 'node:crypto';
import { copyImage, RegistryClient } from '@berth/plugin-images-backend';
import { checkEqual, checkTags } from '../checks';
import { tagName } from '../image';
import { log, mapPool } from '../lib';
import { skopeoCopy } from '../skopeo';
import {
  BIG_REPO,
  ClientBench,
  RESOLVE_COUNT,
  Row,
  SKOPEO_INSPECT_CONCURRENCY,
  Side,
  TAGS_REPO,
  measure,
} from './clientSetup';

/** (a) Every tag of the many-tags repository. */
export async function listTags(bench: ClientBench): Promise<Row> {
  const { options, skopeo, viaProxy } = bench;
  const [proxy1] = bench.proxies;
  log('(a) listing tags');
  const berth = await measure(
    'list, Berth',
    [proxy1],
    options.reps,
    async () => {
      const list = await viaProxy(proxy1).listTags(TAGS_REPO);
      checkEqual(list.tags.length, options.tags, 'Berth tag count');
    },
  );
  const other =
    skopeo &&
    (await measure('list, skopeo', [proxy1], options.reps, async () => {
      const run = await skopeo.run([
        'list-tags',
        '--tls-verify=false',
        '--no-creds',
        `docker://${proxy1.host}/${TAGS_REPO}`,
      ]);
      checkEqual(
        (JSON.parse(run.stdout.toString()) as { Tags: string[] }).Tags.length,
        options.tags,
        'skopeo tag count',
      );
    }));
  return {
    operation: `list ${options.tags.toLocaleString('en-US')} tags`,
    berth,
    skopeo: other,
    note: 'skopeo list-tags',
  };
}

/** (b) 20 tags spread over the repository, to their digests. */
export async function resolveTags(bench: ClientBench): Promise<Row> {
  const { options, skopeo, viaProxy, smallDigest } = bench;
  const [proxy1] = bench.proxies;
  log(`(b) resolving ${RESOLVE_COUNT} tags`);
  const tags = Array.from({ length: RESOLVE_COUNT }, (_, i) =>
    tagName(Math.floor(((i + 0.5) * options.tags) / RESOLVE_COUNT) + 1),
  );
  const berth = await measure(
    'resolve, Berth',
    [proxy1],
    options.reps,
    async () => {
      const client = viaProxy(proxy1);
      const digests = await Promise.all(
        tags.map(tag => client.resolveDigest(TAGS_REPO, tag)),
      );
      for (const digest of digests)
        checkEqual(digest, smallDigest, 'Berth resolved digest');
    },
  );
  const other =
    skopeo &&
    (await measure('resolve, skopeo', [proxy1], options.reps, async () => {
      await mapPool(tags, SKOPEO_INSPECT_CONCURRENCY, async tag => {
        const run = await skopeo.run([
          'inspect',
          '--raw',
          '--tls-verify=false',
          '--no-creds',
          `docker://${proxy1.host}/${TAGS_REPO}:${tag}`,
        ]);
        checkEqual(
          `sha256:${createHash('sha256').update(run.stdout).digest('hex')}`,
          smallDigest,
          'skopeo manifest digest',
        );
      });
    }));
  return {
    operation: `resolve ${RESOLVE_COUNT} tags`,
    berth,
    skopeo: other,
    note: `Berth: HEAD, 4 at a time; skopeo: ${RESOLVE_COUNT} inspect --raw processes, ${SKOPEO_INSPECT_CONCURRENCY} at a time`,
  };
}

/** (c) The 2-platform index to new tags of its own repository; returns the rows and skopeo's peak memory. */
export async function retag(
  bench: ClientBench,
): Promise<{ rows: Row[]; skopeoPeakRss: number }> {
  const { options, skopeo, viaProxy, big } = bench;
  const [proxy1] = bench.proxies;
  log('(c) same-repository retag');
  const berthRetag = async (client: RegistryClient, tag: string) => {
    const result = await copyImage({
      source: { client, repository: BIG_REPO, digest: big.digest },
      target: { client, repository: BIG_REPO, tag },
    });
    checkEqual(result.mode, 'same-repository', 'Berth copy mode');
    checkEqual(result.manifestsWritten, 1, 'Berth manifests written');
    return tag;
  };
  // Each copy is checked afterwards, straight against the registry: outside the time and the request count.
  const measureCopies = async (
    what: string,
    copy: (rep: number) => Promise<string>,
  ): Promise<Side> => {
    const tags: string[] = [];
    const side = await measure(what, [proxy1], options.reps, async rep =>
      tags.push(await copy(rep)),
    );
    await checkTags(bench.direct[0], BIG_REPO, tags, big.digest, what);
    return side;
  };
  const cold = await measureCopies('retag, Berth (cold)', rep =>
    berthRetag(viaProxy(proxy1), `retag-berth-cold-${rep + 1}`),
  );
  const warmClient = viaProxy(proxy1);
  await berthRetag(warmClient, 'retag-berth-warmup');
  const warm = await measureCopies('retag, Berth (warm)', rep =>
    berthRetag(warmClient, `retag-berth-warm-${rep + 1}`),
  );
  let skopeoPeakRss = 0;
  const other =
    skopeo &&
    (await measureCopies('retag, skopeo', async rep => {
      const tag = `retag-skopeo-${rep + 1}`;
      const run = await skopeoCopy(
        skopeo,
        `${proxy1.host}/${BIG_REPO}@${big.digest}`,
        `${proxy1.host}/${BIG_REPO}:${tag}`,
      );
      skopeoPeakRss = Math.max(skopeoPeakRss, run.peakRss);
      return tag;
    }));
  return {
    rows: [
      {
        operation: 'same-repo retag (cold: new client)',
        berth: cold,
        skopeo: other,
        note: 'the 2-platform index; skopeo copy --all --preserve-digests',
      },
      {
        operation: 'same-repo retag (warm: same client)',
        berth: warm,
        skopeoNote: 'n/a',
        note: 'anonymous registry: no token to reuse; skopeo starts afresh each time',
      },
    ],
    skopeoPeakRss,
  };
}
