export interface Config {
  images?: {
    /**
     * Environments in pipeline order; the Images tab shows them in this order. The backend plugin documents the
     * rest of `images` (registries and credentials are never visible to the frontend).
     */
    environments?: Array<{
      /** @visibility frontend */
      name: string;
      /** @visibility frontend */
      tag: string;
      /** @visibility frontend */
      alsoTag?: string[];
      /** @visibility frontend */
      protected?: boolean;
    }>;
  };
}
