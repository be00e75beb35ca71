import { commitOf, demoRepositories } from './demoImages';

/**
 * What the demo's environments run, as the teams would declare it: the-shop in a GitOps repository (a compose file
 * for staging, a kustomization for production, each naming the git commit of every service), support-email in a
 * Kubernetes cluster. The demo serves these as stand-ins (see `startDemoDeployments`).
 */

const SHOP_SERVICES = ['web', 'api', 'worker'] as const;

/** The-shop's builds of one service, oldest first. */
function shopBuilds(service: (typeof SHOP_SERVICES)[number]) {
  const repository = demoRepositories().find(
    r => r.repository === `the-shop/${service}`,
  );
  if (!repository) throw new Error(`No demo repository the-shop/${service}`);
  return repository.builds.map(build => ({
    image: repository.image,
    commit: commitOf(repository.repository, build.id),
  }));
}

/**
 * The-shop's deployment files by path under the stand-in repository root: staging runs each service's newest build,
 * production the one before (it is a release behind), plus a Redis image that is not the-shop's.
 */
export function theShopDeployFiles(): Record<string, string> {
  const staging = SHOP_SERVICES.map(service => {
    const builds = shopBuilds(service);
    return { service, ...builds[builds.length - 1] };
  });
  const production = SHOP_SERVICES.map(service => {
    const builds = shopBuilds(service);
    return { service, ...builds[Math.max(0, builds.length - 2)] };
  });
  return {
    'the-shop/deploy/staging/docker-compose.yaml': [
      '# The-shop staging: deployed by CI with `docker compose up -d` on every merge to main.',
      'services:',
      ...staging.flatMap(({ service, image, commit }) => [
        `  ${service}:`,
        `    image: ${image}:${commit}`,
        '    restart: unless-stopped',
      ]),
      '  redis:',
      '    image: redis:7-alpine',
      '',
    ].join('\n'),
    'the-shop/deploy/production/kustomization.yaml': [
      '# The-shop production: Argo CD applies this kustomization; a release PR bumps the tags.',
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'resources:',
      '  - ../../base',
      'images:',
      ...production.flatMap(({ image, commit }) => [
        `  - name: ${image}`,
        `    newTag: "${commit}"`,
      ]),
      '',
    ].join('\n'),
  };
}
