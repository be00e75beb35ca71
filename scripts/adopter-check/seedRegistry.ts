/*
 * Pushes one small image per environment lane that installBerth.ts wrote into <expected.json>, each different (so
 * that a lane showing another environment's digest fails the check), to the local registry standing in for the
 * hosts the README snippets name.
 *
 * usage: tsx seedRegistry.ts <registryUrl> <expected.json>
 */
import { readFileSync } from 'node:fs';
import { RegistryClient } from '@berth/plugin-images-backend';
import { pushTestImage } from '@berth/plugin-images-backend-test-utils';

interface Expected {
  images: {
    image: string;
    lanes: { environment: string; repository: string; tag: string }[];
  }[];
}

async function main() {
  const [registryUrl, expectedFile] = process.argv.slice(2);
  if (!registryUrl || !expectedFile)
    throw new Error('usage: tsx seedRegistry.ts <registryUrl> <expected.json>');
  const expected: Expected = JSON.parse(readFileSync(expectedFile, 'utf8'));
  const client = new RegistryClient({
    host: new URL(registryUrl).host,
    baseUrl: registryUrl,
  });
  await client.ping();
  for (const { image, lanes } of expected.images) {
    for (const lane of lanes) {
      const digest = await pushTestImage(client, lane.repository, [lane.tag], {
        layer: `${lane.repository}:${lane.tag}\n`,
        runConfig: {
          Cmd: ['/app'],
          Labels: {
            'org.opencontainers.image.source': `https://example.com/${lane.repository}`,
            environment: lane.environment,
          },
        },
      });
      process.stdout.write(
        `[adopter-check] pushed ${lane.repository}:${lane.tag} (${image}, ${lane.environment}) as ${digest}\n`,
      );
    }
  }
}

main().catch(error => {
  process.stderr.write(
    `[adopter-check] ${error instanceof Error ? error.message : error}\n`,
  );
  process.exit(1);
});
