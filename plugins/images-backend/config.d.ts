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
      };
    }>;
    /** Environments, in pipeline order, and the tag that says which image each runs. */
    environments?: Array<{
      name: string;
      tag: string;
      /** Tags moved together with the environment tag on promotion. */
      alsoTag?: string[];
      /** Promotion needs a second person's approval. */
      protected?: boolean;
    }>;
  };
}
