import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  DeploymentQuery,
  DeploymentSource,
  EnvironmentDeploymentReport,
} from '@berth/plugin-images-node';
import { describeError } from '../describeError';
import { FileDeploymentSource } from './FileDeploymentSource';
import { KubernetesDeploymentSource } from './KubernetesDeploymentSource';

/**
 * What one source says about one environment.
 *
 * @public
 */
export interface SourcedDeploymentReport {
  /** The source's id: `kubernetes`, `file`. */
  source: string;
  /** What it said about the environment. */
  report: EnvironmentDeploymentReport;
}

/**
 * What runs in each environment of an entity, from every deployment source that knows it (the built-in Kubernetes
 * and file sources, then those modules add). Where two sources know one environment, the first one speaks.
 *
 * @public
 */
export class DeploymentsService {
  readonly #sources: DeploymentSource[];
  readonly #logger: LoggerService;

  constructor(options: { sources: DeploymentSource[]; logger: LoggerService }) {
    this.#sources = [...options.sources];
    this.#logger = options.logger;
  }

  /** Adds the sources of modules (the plugin does, from its extension point). */
  addSources(sources: DeploymentSource[]) {
    this.#sources.push(...sources);
  }

  /** Reports by environment name; a source that throws is reported on the environments, never fails the tab. */
  async forEntity(
    query: DeploymentQuery,
  ): Promise<Map<string, SourcedDeploymentReport>> {
    const answers = await Promise.all(
      this.#sources.map(async source => {
        try {
          return { source, reports: await source.getDeployments(query) };
        } catch (error) {
          const message = describeError(error).message;
          this.#logger.warn(`Deployment source ${source.id}: ${message}`);
          return { source, failed: message };
        }
      }),
    );
    const byEnvironment = new Map<string, SourcedDeploymentReport>();
    for (const answer of answers) {
      // A source that failed as a whole says nothing: it cannot tell which environments it would have known.
      for (const report of answer.reports ?? []) {
        if (!byEnvironment.has(report.environment)) {
          byEnvironment.set(report.environment, {
            source: answer.source.id,
            report,
          });
        }
      }
    }
    return byEnvironment;
  }
}

/**
 * Service ref for the deployment sources.
 *
 * @public
 */
export const deploymentsServiceRef = createServiceRef<DeploymentsService>({
  id: 'images.deployments',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        urlReader: coreServices.urlReader,
        cache: coreServices.cache,
        logger: coreServices.logger,
      },
      async factory({ config, ...deps }) {
        const kubernetes = KubernetesDeploymentSource.fromConfig(config, deps);
        return new DeploymentsService({
          sources: [
            ...(kubernetes ? [kubernetes] : []),
            new FileDeploymentSource(deps),
          ],
          logger: deps.logger,
        });
      },
    }),
});
