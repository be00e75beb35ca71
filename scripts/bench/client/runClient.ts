/*
 * The registry part of `yarn bench`: Berth's OCI registry client against a real CNCF Distribution registry behind
 * a loopback proxy that adds a round-trip time, side by side with skopeo doing the same thing through the same proxy:
 * listing, resolving, retagging, and copying a 2-platform image to a second registry. Prints a table and writes
 * bench-results/registry.json.
 */
import type { Options } from '../options';
import { PartResult } from '../report';
import { clientReport, crossCopyRow } from './clientReport';
import { setUpClient } from './clientSetup';
import { crossRegistryCopy } from './crossCopy';
import { listTags, resolveTags, retag } from './operations';

export async function runRegistryClient(
  options: Options,
  context: { distribution: string },
): Promise<PartResult> {
  const started = performance.now();
  const bench = await setUpClient(options);
  const list = await listTags(bench);
  const resolve = await resolveTags(bench);
  const retags = await retag(bench);
  const copy = await crossRegistryCopy(bench);
  return clientReport(
    bench,
    [list, resolve, ...retags.rows, crossCopyRow(bench, copy)],
    copy,
    { ...context, started, retagSkopeoPeak: retags.skopeoPeakRss },
  );
}
