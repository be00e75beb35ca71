export interface Config {
  /** Configuration of Berth, the container images plugin. */
  images?: {
    /**
     * Registries Berth may talk to. A host that is not listed gets no request.
     */
    registries?: Array<{
      /** Host as written in image names: `ghcr.io`, `registry.digitalocean.com`, `localhost:5000`. */
      host: string;
      /**
       * Send this host's requests to another endpoint instead, like a container runtime's mirror setting
       * (for example `http://127.0.0.1:5500` for a local registry standing in for ghcr.io in a demo).
       */
      endpoint?: string;
      /** Allow plain HTTP; for local registries only. */
      insecure?: boolean;
      /** Concurrent requests to this registry (default 4). */
      concurrency?: number;
      /** Time limit for one request, in milliseconds (default 30000). */
      timeoutMs?: number;
      /** Attempts for an idempotent request that failed with 408, 429, 5xx or a network error (default 4). */
      maxAttempts?: number;
      /**
       * Which registry product this is, when the host does not tell (a Harbor or Quay on your own domain).
       * Known hosts (DigitalOcean, GitHub, Quay.io, Docker Hub, ECR, Artifact Registry, ACR) are recognised.
       */
      flavor?:
        | 'distribution'
        | 'digitalocean'
        | 'github'
        | 'quay'
        | 'dockerhub'
        | 'ecr'
        | 'artifact-registry'
        | 'acr'
        | 'harbor';
      /**
       * Other origins the registry may send Berth to for tokens (its token realm), such as
       * `https://auth.docker.io`. The registry's own origin and the known realms of recognised hosts are
       * always allowed; any other realm is refused.
       */
      authOrigins?: string[];
      /**
       * The registry product's own API. Where Berth knows it (Quay's tag API, Docker Hub's, GitHub packages,
       * DigitalOcean's registry API, Harbor's artifacts, ACR's `/acr/v1`, ECR's DescribeImages), tags are listed
       * through it a page at a time with their digests and dates, instead of a request per tag.
       */
      api?: {
        /** `auto` (default): through the product's API where Berth can; `distribution`: the OCI API only. */
        listing?: 'auto' | 'distribution';
        /**
         * Where the API lives, when not where the product keeps it (GitHub Enterprise: `https://ghe.example/api/v3`;
         * Amazon ECR: an interface VPC endpoint of the ECR API, which DescribeImages is then sent to).
         */
        url?: string;
        /**
         * A token for the API when it is not the registry password (Quay: an OAuth application token, as robot
         * accounts cannot read the tag API).
         * @visibility secret
         */
        token?: string;
        /**
         * Share of a registry's rate-limit budget (as its answers state it) that background indexing may spend;
         * the rest is kept for page views, promotions and your CI's pulls (default 0.5).
         */
        backgroundShare?: number;
      };
      /**
       * Events from this registry. `distribution` (default): the CNCF Distribution registry's
       * `notifications.endpoints` posting to `/api/images/events/{host}` with `Authorization: Bearer <token>`. The
       * vendors' webhooks post to `/api/images/webhooks/{host}`: `github` (a package webhook whose secret is the
       * token; deliveries are checked by `X-Hub-Signature-256`), `quay` and `dockerhub` (the token as `?token=` in
       * the webhook URL; Backstage redacts secrets from its logs), `harbor` (the token as the policy's auth
       * header). Without it, the registry's events are refused.
       */
      events?: {
        /**
         * The shared secret (GitHub: the webhook secret).
         * @visibility secret
         */
        token: string;
        /** The payload format and how the secret is proven (default `distribution`). */
        format?: 'distribution' | 'github' | 'quay' | 'dockerhub' | 'harbor';
      };
      credentials?: {
        /** User name (GHCR: the GitHub user; Quay: `org+robot` or `$oauthtoken`). */
        username?: string;
        /**
         * Password or access token.
         * @visibility secret
         */
        password?: string;
        /**
         * API token used as both user name and password (DigitalOcean).
         * @visibility secret
         */
        token?: string;
        /** Amazon ECR: exchange AWS credentials for a registry password (`GetAuthorizationToken`). */
        aws?: {
          /** Region of the registry; read from the host when omitted. */
          region?: string;
          /** Static access key; the AWS SDK's default credential chain is used when omitted. */
          accessKeyId?: string;
          /** @visibility secret */
          secretAccessKey?: string;
          /** @visibility secret */
          sessionToken?: string;
        };
        /** Google Artifact Registry: an OAuth access token from a service account or application default credentials. */
        google?: {
          /** Service account e-mail; with `privateKey`, used instead of application default credentials. */
          clientEmail?: string;
          /** @visibility secret */
          privateKey?: string;
          /** Path of a service account key file. */
          keyFile?: string;
        };
        /** Azure Container Registry: a Microsoft Entra ID token exchanged for an ACR refresh token. */
        azure?: {
          tenantId?: string;
          clientId?: string;
          /** @visibility secret */
          clientSecret?: string;
        };
      };
    }>;
    /**
     * Who may claim a repository in `berth.dev/images`: entities owned by one of `owners` (a group or user
     * reference; `group:bxtech` or `bxtech`) may name repositories matching `pattern`, written as image names are
     * written, with `*` for any characters (`ghcr.io/bxtech/*`). The longest matching pattern decides. A repository
     * no pattern matches belongs to the first entity that named it; when others name it too, it is contested and their
     * promotions wait for an approval by the first one's owners.
     */
    repositoryOwners?: Array<{
      pattern: string;
      owners: string[];
    }>;
    /** The tag index Berth keeps in its database, per repository. */
    index?: {
      /** A tag listing older than this is refreshed when the Images tab opens (default 60). */
      listMaxAgeSeconds?: number;
      /** An environment tag resolved longer ago than this is resolved again with a HEAD request (default 30). */
      environmentMaxAgeSeconds?: number;
      /** Tags indexed per repository at most; beyond it the tab says the listing is truncated (default 50000). */
      maxTags?: number;
      /** How often the scheduler refreshes every onboarded repository, in minutes (default 10). */
      refreshMinutes?: number;
    };
    /** Environments, in pipeline order, and the tag that says which image each runs. */
    environments?: Array<{
      name: string;
      tag: string;
      /** Tags moved together with the environment tag on promotion. */
      alsoTag?: string[];
      /** Promotion needs a second person's approval. */
      protected?: boolean;
      /**
       * Where the environment's tags live when not in the image's own repository, filled with the image's
       * `{registry}` and `{repository}`: `registry.prod.example.com/{repository}` or `{registry}/{repository}-prod`.
       * Promotion copies the image there (blobs mounted or streamed; digest unchanged).
       */
      repository?: string;
      /**
       * What makes the lane GREEN: `tagged` (default), the tag exists; `running`, the tag exists and the
       * environment's deployment (`images.deployments.kubernetes`, `berth.dev/deployment-files`) runs it.
       */
      green?: 'tagged' | 'running';
      /**
       * Release rules a promotion into this environment must meet. `upstreamFirst`, `soakTime` and `freeze` are gates
       * in the plan, recorded in the history and passed only by a forced promotion (`images.image.force` permission,
       * with a reason); `approvals` makes it wait for people.
       */
      policies?: {
        /** The environment a digest must run in first; by default the one before this in the entity's environments. */
        upstream?: string;
        /** A digest may enter only if it ran in the upstream environment. */
        upstreamFirst?: boolean;
        /** A digest may enter only once it ran in the upstream environment this long: `24h`, `P1D`, `{ hours: 24 }`. */
        soakTime?:
          | string
          | {
              days?: number;
              hours?: number;
              minutes?: number;
              seconds?: number;
            };
        /**
         * Windows in which promotions into this environment are refused unless forced: recurring (`cron` for when one
         * begins, `duration` for how long it lasts) or dated (`start` and `end`, ISO date-times), in `timeZone`
         * (IANA, default UTC). A rollback is not held back by a freeze.
         */
        freeze?: Array<{
          cron?: string;
          duration?:
            | string
            | { days?: number; hours?: number; minutes?: number };
          start?: string;
          end?: string;
          timeZone?: string;
          /** Said in the refusal: `Year-end freeze`. */
          reason?: string;
        }>;
        /**
         * Promotions wait for `count` approvals from distinct people with the approve permission, none of them the
         * requester; with `group`, only members of that group (as their Backstage identity says) approve.
         */
        approvals?: { count: number; group?: string };
      };
      /** Gates for this environment, overriding `images.promotion.validation` field by field. */
      validation?: {
        /** Smallest image allowed (compressed, as pulled): `100MB`. */
        minSize?: string | number;
        /** Largest image allowed: `2GB`. */
        maxSize?: string | number;
        /** Most layers allowed. */
        maxLayers?: number;
        /** Labels every image must carry, such as `org.opencontainers.image.source`. */
        requireLabels?: string[];
        /** The image must set CMD or ENTRYPOINT. */
        requireCmd?: boolean;
        /** The image must have a HEALTHCHECK. */
        requireHealthcheck?: boolean;
        /** The image must not run as root. */
        requireNonRoot?: boolean;
        /** A signature must be attached (cosign tag or referrers API). */
        requireSignature?: boolean;
        /**
         * The most severe vulnerability allowed in the registry's own scan (Quay's security API): Unknown,
         * Negligible, Low, Medium, High or Critical. An image without a finished scan fails this gate.
         */
        maxSeverity?: string;
      };
    }>;
    /** Short-lived environments: tags such as `pr-412` or `feature-search`, shown as a group beside the lanes. */
    previews?: {
      /** Tag patterns, `*` matching any run of tag characters: `[feature-*, pr-*]`. */
      tags?: string[];
      /** A preview pushed (or built) longer ago than this is not shown (default 30). */
      maxAgeDays?: number;
    };
    /** Where Berth reads what each environment actually runs, to show it beside the environment's tag. */
    deployments?: {
      /**
       * How often Berth looks at every deployed entity's environments to tell its owners (Backstage notifications)
       * when one runs something else than its tag says, and when it is back; in minutes (default 5).
       */
      watchMinutes?: number;
      /**
       * Environments deployed to Kubernetes: Berth asks Backstage's Kubernetes backend (on behalf of the user) for
       * the pods of entities annotated with `backstage.io/kubernetes-id` or `backstage.io/kubernetes-label-selector`.
       * Each environment maps to one cluster and, optionally, one namespace.
       */
      kubernetes?: Array<{
        /** The cluster's name as the Kubernetes plugin's config names it: `prod-eu`. */
        cluster: string;
        /** Only pods in this namespace; any namespace when omitted. */
        namespace?: string;
        /** The Berth environment the cluster (and namespace) runs: `production`. */
        environment: string;
      }>;
    };
    /** How promotions write tags and which gates they pass. */
    promotion?: {
      /** Tags written with every promotion; `{sourceTag}` and `{shortDigest}` are filled in: `main-{sourceTag}`. */
      extraTags?: string[];
      /**
       * How long a promotion's lock lasts without renewal, in seconds (default 60). A running promotion renews it
       * every third of that, however long its copy takes; when its backend dies, another can take over after it.
       */
      lockLeaseSeconds?: number;
      /** Gates for every environment (a failed gate stops a promotion unless forced). */
      validation?: {
        /** Smallest image allowed (compressed, as pulled): `100MB`. */
        minSize?: string | number;
        /** Largest image allowed: `2GB`. */
        maxSize?: string | number;
        /** Most layers allowed. */
        maxLayers?: number;
        /** Labels every image must carry, such as `org.opencontainers.image.source`. */
        requireLabels?: string[];
        /** The image must set CMD or ENTRYPOINT. */
        requireCmd?: boolean;
        /** The image must have a HEALTHCHECK. */
        requireHealthcheck?: boolean;
        /** The image must not run as root. */
        requireNonRoot?: boolean;
        /** A signature must be attached (cosign tag or referrers API). */
        requireSignature?: boolean;
        /**
         * The most severe vulnerability allowed in the registry's own scan (Quay's security API): Unknown,
         * Negligible, Low, Medium, High or Critical. An image without a finished scan fails this gate.
         */
        maxSeverity?: string;
      };
    };
  };
}
