import { RootConfigService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';
import { readFreezeWindows } from '../promotion/freezeWindows';
import {
  EnvironmentDefinition,
  environmentImage,
  isValidTag,
  ReleasePolicies,
} from '@berth/plugin-images-common';

/** Environments when `images.environments` is not configured: the common three-stage pipeline. */
const DEFAULT_ENVIRONMENTS: EnvironmentDefinition[] = [
  { name: 'development', tag: 'latest-dev' },
  { name: 'staging', tag: 'staging' },
  { name: 'production', tag: 'latest', protected: true },
];

function parseEnvironmentRepository(environment: EnvironmentDefinition) {
  try {
    environmentImage(
      { registry: 'registry.example.com', repository: 'team/app' },
      environment,
    );
  } catch (error) {
    throw new InputError(`images.environments: ${(error as Error).message}`);
  }
}

/** `images.environments`, checked: a 400-style error naming the setting for anything malformed. */
export function readEnvironments(
  config: RootConfigService,
): EnvironmentDefinition[] {
  const configured = config.getOptionalConfigArray('images.environments');
  if (!configured) return DEFAULT_ENVIRONMENTS;
  const environments = configured.map(env => {
    const name = env.getString('name');
    const tag = env.getString('tag');
    const alsoTag = env.getOptionalStringArray('alsoTag') ?? [];
    for (const t of [tag, ...alsoTag]) {
      if (!isValidTag(t)) {
        throw new InputError(
          `images.environments: ${name} has an invalid tag "${t}"`,
        );
      }
    }
    const repository = env.getOptionalString('repository');
    const green = env.getOptionalString('green');
    if (green !== undefined && green !== 'tagged' && green !== 'running') {
      throw new InputError(
        `images.environments: ${name} has green "${green}": write tagged (the tag exists) or running (the tag exists and its deployment runs it)`,
      );
    }
    const definition: EnvironmentDefinition = {
      name,
      tag,
      ...(alsoTag.length > 0 && { alsoTag }),
      ...(env.getOptionalBoolean('protected') && { protected: true }),
      ...(repository && { repository }),
      ...(green && { green }),
    };
    const policies = readPolicies(env.getOptionalConfig('policies'), name);
    if (policies) definition.policies = policies;
    if (repository) {
      if (!repository.includes('{repository}') && !repository.includes('/')) {
        throw new InputError(
          `images.environments: the repository of ${name} ("${repository}") names no repository: write a template such as registry.example.com/{repository}`,
        );
      }
      // Fails now, with the setting's name, rather than on the first promotion.
      parseEnvironmentRepository(definition);
    }
    return definition;
  });
  const names = new Set<string>();
  for (const env of environments) {
    if (names.has(env.name))
      throw new InputError(`images.environments lists ${env.name} twice`);
    names.add(env.name);
  }
  for (const [index, env] of environments.entries()) {
    const upstream = env.policies?.upstream;
    const needsUpstream =
      env.policies?.upstreamFirst || env.policies?.soakSeconds !== undefined;
    if (upstream !== undefined && !names.has(upstream)) {
      throw new InputError(
        `images.environments: the upstream of ${env.name} ("${upstream}") is not an environment`,
      );
    }
    if (upstream === env.name) {
      throw new InputError(
        `images.environments: ${env.name} cannot be its own upstream`,
      );
    }
    if (needsUpstream && upstream === undefined && index === 0) {
      throw new InputError(
        `images.environments: ${env.name} comes first, so it has no environment before it for upstreamFirst or soakTime: name one in policies.upstream`,
      );
    }
  }
  return environments;
}

/**
 * `images.environments[].policies`: upstream first, soak time (a duration such as `24h`, `P1D` or `{ hours: 24 }`)
 * and freeze windows.
 */
function readPolicies(
  config: Config | undefined,
  name: string,
): ReleasePolicies | undefined {
  if (!config) return undefined;
  const upstream = config.getOptionalString('upstream');
  const upstreamFirst = config.getOptionalBoolean('upstreamFirst');
  let soakSeconds: number | undefined;
  if (config.has('soakTime')) {
    try {
      soakSeconds =
        durationToMilliseconds(
          readDurationFromConfig(config, { key: 'soakTime' }),
        ) / 1000;
    } catch (error) {
      throw new InputError(
        `images.environments: the soakTime of ${name} is not a duration such as 24h, P1D or { hours: 24 }: ${
          (error as Error).message
        }`,
      );
    }
    if (!(soakSeconds > 0)) {
      throw new InputError(
        `images.environments: the soakTime of ${name} must be longer than nothing`,
      );
    }
  }
  const freeze = readFreezeWindows(
    config.getOptionalConfigArray('freeze'),
    name,
  );
  const approvals = readApprovals(config.getOptionalConfig('approvals'), name);
  const policies: ReleasePolicies = {
    ...(upstream !== undefined && { upstream }),
    ...(approvals && { approvals }),
    ...(freeze && { freeze }),
    ...(upstreamFirst && { upstreamFirst }),
    ...(soakSeconds !== undefined && { soakSeconds }),
  };
  return Object.keys(policies).length > 0 ? policies : undefined;
}

/** `policies.approvals`: how many distinct people approve, and from which group. */
function readApprovals(
  config: Config | undefined,
  name: string,
): ReleasePolicies['approvals'] {
  if (!config) return undefined;
  const count = config.getNumber('count');
  if (!Number.isInteger(count) || count < 1 || count > 10) {
    throw new InputError(
      `images.environments: the approvals of ${name} need a count from 1 to 10, not ${count}`,
    );
  }
  const written = config.getOptionalString('group');
  let group: string | undefined;
  if (written !== undefined) {
    try {
      group = stringifyEntityRef(
        parseEntityRef(written, {
          defaultKind: 'group',
          defaultNamespace: 'default',
        }),
      );
    } catch (error) {
      throw new InputError(
        `images.environments: the approvals group of ${name} ("${written}") is no entity reference such as group:default/release-managers`,
      );
    }
  }
  return { count, ...(group && { group }) };
}
