/*
 * The three promotions, each Berth's way and skopeo's way (taking turns to go first), each run checked afterwards
 * straight against the registry, outside the time and the request count:
 *  1. same repository, the environment holding another image: Berth plans, writes a rollback tag, the environment
 *     tag and its alsoTag, and verifies; skopeo makes three copies (current digest → rollback tag, source → each tag);
 *  2. another repository of registry 1 (the environment's `repository` is `{registry}/{repository}-prod-…`): Berth
 *     mounts the blobs; skopeo copies twice (one per tag);
 *  3. registry 2 (the environment's repository is there): Berth streams the blobs; skopeo copies twice.
 * Each run of 2 and 3 writes into a repository of its own, so nothing is there before it.
 */
import { checkImageComplete, checkTags } from '../checks';
import { formatMs, log, takeTurns } from '../lib';
import { requestsDuring } from '../requests';
import { skopeoCopy } from '../skopeo';
import { PromotionRun, promoteWithBerth } from './berthPromotion';
import { ENVIRONMENT_TAGS, PromotionBench, REPOSITORY } from './promotionSetup';

export interface ScenarioRuns {
  berth: PromotionRun[];
  skopeo: PromotionRun[];
}

/** Runs both sides `reps` times, with a line of progress before and after each run. */
function turns(
  label: string,
  reps: number,
  berth: (rep: number) => Promise<PromotionRun>,
  skopeo?: (rep: number) => Promise<PromotionRun>,
): Promise<ScenarioRuns> {
  const logged =
    (who: string, side: (rep: number) => Promise<PromotionRun>) =>
    async (rep: number) => {
      log(`promotion: ${label}, run ${rep}/${reps}: ${who}`);
      const run = await side(rep);
      log(`  ${formatMs(run.ms)}, ${run.requests.length} requests`);
      return run;
    };
  return takeTurns(reps, {
    berth: logged('berth', berth),
    skopeo: skopeo && logged('skopeo', skopeo),
  });
}

/** skopeo copies through the measured proxies, one process after another; the run counts the processes. */
async function skopeoRun(
  bench: PromotionBench,
  measured: PromotionBench['proxies'][number][],
  copies: Array<[from: string, to: string]>,
): Promise<PromotionRun> {
  const run = await requestsDuring(measured, async () => {
    for (const [from, to] of copies) await skopeoCopy(bench.skopeo!, from, to);
  });
  return { ...run, processes: copies.length };
}

/** 1. The environment's tags in the image's repository, over another image: put back before each run. */
export function sameRepository(bench: PromotionBench): Promise<ScenarioRuns> {
  const { proxies, direct, big, current } = bench;
  const check = async (rollbackTag: string, who: string) => {
    await checkTags(direct[0], REPOSITORY, ENVIRONMENT_TAGS, big.digest, who);
    await checkTags(direct[0], REPOSITORY, [rollbackTag], current, who);
  };
  return turns(
    '(1) same-repository promotion',
    bench.options.reps,
    async rep => {
      await bench.resetEnvironment();
      const { run, rollbackTag } = await promoteWithBerth(bench, {
        rep,
        expectedCurrentDigest: current,
        measured: [proxies[0]],
      });
      if (!rollbackTag) throw new Error('Berth wrote no rollback tag');
      await check(rollbackTag, 'Berth');
      return run;
    },
    bench.skopeo &&
      (async rep => {
        await bench.resetEnvironment();
        const rollbackTag = `rollback-skopeo-${rep}`;
        const target = `${proxies[0].host}/${REPOSITORY}`;
        const run = await skopeoRun(
          bench,
          [proxies[0]],
          [
            [`${target}@${current}`, `${target}:${rollbackTag}`],
            ...ENVIRONMENT_TAGS.map(
              tag => [bench.source, `${target}:${tag}`] as [string, string],
            ),
          ],
        );
        await check(rollbackTag, 'skopeo');
        return run;
      }),
  );
}

/**
 * 2 and 3. The environment's tags in an empty repository of its own each run: in registry 1 (`-prod-berth-1`, as
 * the template `{registry}/{repository}-prod-berth-1` names it) or in registry 2 (`-berth-1`).
 */
export function crossPromotion(
  bench: PromotionBench,
  label: string,
  into: 'another repository' | 'another registry',
): Promise<ScenarioRuns> {
  const { proxies, direct, big } = bench;
  const registry = into === 'another registry' ? 1 : 0;
  const suffix = into === 'another registry' ? '' : '-prod';
  // Requests are counted at the source's proxy and, across registries, at the target's.
  const measured = registry === 1 ? proxies : [proxies[0]];
  const check = async (repository: string, who: string) =>
    checkImageComplete(
      direct[registry],
      repository,
      ENVIRONMENT_TAGS,
      big.digest,
      who,
    );
  return turns(
    label,
    bench.options.copyReps,
    async rep => {
      const target = `${REPOSITORY}${suffix}-berth-${rep}`;
      const { run } = await promoteWithBerth(bench, {
        rep,
        repository:
          registry === 1
            ? `${proxies[1].host}/${target}`
            : `{registry}/{repository}${suffix}-berth-${rep}`,
        expectedCurrentDigest: '',
        measured,
      });
      await check(target, 'Berth');
      return run;
    },
    bench.skopeo &&
      (async rep => {
        const target = `${REPOSITORY}${suffix}-skopeo-${rep}`;
        const run = await skopeoRun(
          bench,
          measured,
          ENVIRONMENT_TAGS.map(tag => [
            bench.source,
            `${proxies[registry].host}/${target}:${tag}`,
          ]),
        );
        await check(target, 'skopeo');
        return run;
      }),
  );
}
