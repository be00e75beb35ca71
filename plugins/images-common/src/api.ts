/**
 * Types of the images backend's HTTP API (`/api/images`), shared by the backend, the frontend and the scaffolder
 * module. The contract is `plugins/images-backend/src/schema/openapi.yaml`.
 */

/**
 * GREEN: the environment's tag exists. RED: it does not. GREY: Berth could not tell (the registry failed).
 *
 * @public
 */
export type EnvironmentStatus = 'GREEN' | 'RED' | 'GREY';

/**
 * Where an image was built from, read from its OCI labels (`org.opencontainers.image.source`, `.revision`).
 *
 * @public
 */
export interface ImageSource {
  repository?: string;
  revision?: string;
  /** Link to the commit, when the source is a known forge (GitHub, GitLab, Bitbucket). */
  commitUrl?: string;
}

/**
 * What the tab shows about one image (a digest).
 *
 * @public
 */
export interface ImageSummary {
  digest: string;
  mediaType: string;
  /** ISO time the image was built, from its config. */
  created?: string;
  /** Compressed size in bytes; for a multi-platform image, of the largest platform. */
  size?: number;
  /** `linux/amd64`, `linux/arm64/v8`; attestation entries are left out. */
  platforms: string[];
  labels: Record<string, string>;
  source: ImageSource;
  /** Whether a signature was found (cosign tag, referrers). */
  signed: boolean;
  /** Tags on this digest that Berth knows of: releases first, at most 50. */
  tags: string[];
}

/**
 * How an environment's image compares with the environment before it in the pipeline.
 *
 * @public
 */
export type EnvironmentDrift = 'same' | 'behind' | 'ahead' | 'different';

/**
 * One environment of one image.
 *
 * @public
 */
export interface EnvironmentLane {
  name: string;
  tag: string;
  protected: boolean;
  status: EnvironmentStatus;
  digest?: string;
  image?: ImageSummary;
  /** Compared with the previous environment that has an image; absent for the first. */
  drift?: EnvironmentDrift;
  /** Why the lane is RED or GREY, in words. */
  message?: string;
  /** The repository the environment's tag lives in, when it is not the image's own: `registry.prod.example.com/acme/app`. */
  repository?: string;
}

/**
 * An error the API reports for one image (the others still answer).
 *
 * @public
 */
export interface ImagesErrorInfo {
  /** `RegistryError` kind, `InputError`, or `claim-refused` (the entity may not claim the repository). */
  kind: string;
  message: string;
}

/**
 * One image repository of an entity and its environments.
 *
 * @public
 */
export interface ImageOverview {
  /** As written in the annotation's normalised form: `ghcr.io/bxtech/dotca`. */
  image: string;
  registry: string;
  repository: string;
  environments: EnvironmentLane[];
  error?: ImagesErrorInfo;
  /** Set when other entities name this repository too. */
  claim?: ImageClaimInfo;
}

/**
 * A repository named by more than one entity's `berth.dev/images`, with no `images.repositoryOwners` entry to
 * decide: the entity that named it first keeps it, and promotions from the others wait for its owners' approval.
 *
 * @public
 */
export interface ImageClaimInfo {
  contested: true;
  /** Every entity naming the repository, first first. */
  claimants: string[];
  firstClaimant: string;
  /** Owners of the first claimant: who approves promotions asked from the other entities. */
  firstClaimantOwners: string[];
}

/**
 * `GET /entities/{kind}/{namespace}/{name}/overview`.
 *
 * @public
 */
export interface EntityImagesOverview {
  entityRef: string;
  images: ImageOverview[];
}

/**
 * Kinds of tag, told apart by their names.
 *
 * @public
 */
export type TagKind =
  | 'environment'
  | 'release'
  | 'commit'
  | 'rollback'
  | 'pull-request'
  | 'artifact'
  | 'other';

/**
 * A tag and its kind.
 *
 * @public
 */
export interface TagInfo {
  name: string;
  kind: TagKind;
}

/**
 * A row of the tags table: one digest with all its tags. A tag whose digest is not known yet has a row of its own
 * without a digest.
 *
 * @public
 */
export interface TagRow {
  digest?: string;
  tags: TagInfo[];
  created?: string;
  size?: number;
  platforms?: string[];
  signed?: boolean;
  /** Environments whose tag is on this digest. */
  environments: string[];
  /** Why the digest cannot be described (its manifest or config is malformed); its tags still show. */
  error?: string;
}

/**
 * Sort orders of the tags table.
 *
 * @public
 */
export type TagSort = 'created' | 'version' | 'name';

/**
 * How complete the repository's tag index is.
 *
 * @public
 */
export interface TagIndexState {
  /** Tags the registry listed. */
  totalTags: number;
  /** Tags whose digest is known. */
  resolvedTags: number;
  /** True when every tag is resolved and every digest described. */
  complete: boolean;
  /** When the tags were last listed (ISO). */
  listedAt?: string;
  /** The registry has more tags than Berth indexes. */
  truncated: boolean;
  /** The first listing of the repository is still going: more tags will appear. */
  listing?: boolean;
}

/**
 * `GET /entities/{kind}/{namespace}/{name}/tags`.
 *
 * @public
 */
export interface TagPage {
  image: string;
  rows: TagRow[];
  totalRows: number;
  page: number;
  pageSize: number;
  sort: TagSort;
  index: TagIndexState;
}

/**
 * A layer of an image.
 *
 * @public
 */
export interface LayerInfo {
  digest: string;
  mediaType: string;
  size: number;
}

/**
 * One platform of an image: its manifest and config.
 *
 * @public
 */
export interface PlatformDetails {
  platform: string;
  digest: string;
  mediaType: string;
  created?: string;
  cmd?: string[];
  entrypoint?: string[];
  user?: string;
  healthcheck?: string[];
  exposedPorts: string[];
  labels: Record<string, string>;
  layers: LayerInfo[];
  size: number;
}

/**
 * A signature, attestation or SBOM of an image.
 *
 * @public
 */
export interface AttachmentInfo {
  kind: 'signature' | 'attestation' | 'sbom' | 'other';
  source: string;
  digest: string;
  mediaType: string;
  artifactType?: string;
  tag?: string;
}

/**
 * `GET /entities/{kind}/{namespace}/{name}/details?image=&digest=`.
 *
 * @public
 */
export interface ImageDetails {
  image: string;
  digest: string;
  mediaType: string;
  tags: string[];
  /** `docker pull ghcr.io/bxtech/dotca@sha256:…` */
  pullCommand: string;
  platforms: PlatformDetails[];
  attachments: AttachmentInfo[];
  /** The raw manifest, pretty-printed. */
  manifest: string;
}

/**
 * A validation gate's verdict on the image being promoted.
 *
 * @public
 */
export interface GateResultInfo {
  /** `size`, `layers`, `labels`, `cmd`, `healthcheck`, `non-root`, `signature`, or a module's gate id. */
  id: string;
  passed: boolean;
  /** One sentence: "412 MB is within 100 MB–2 GB". */
  message: string;
}

/**
 * Where a promotion stands: `pending-approval` waits for a second person (a protected environment), `rejected` was
 * refused by them, `failed` says why in `error`.
 *
 * @public
 */
export type PromotionStatus =
  | 'pending-approval'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'rejected';

/**
 * One promotion or rollback, as the history shows it.
 *
 * @public
 */
export interface PromotionInfo {
  id: string;
  image: string;
  environment: string;
  kind: 'promotion' | 'rollback';
  status: PromotionStatus;
  requestedBy: string;
  reason: string;
  /** The tag or digest asked for. */
  source: string;
  sourceDigest?: string;
  /** What the environment ran before. */
  previousDigest?: string;
  rollbackTag?: string;
  /** Tags written on the source digest (for a pending promotion: the tags it will write). */
  tags: string[];
  /** The gates' verdicts when the promotion was requested. */
  gates: GateResultInfo[];
  /** Went ahead past failed gates, by a user with the force permission. */
  forced: boolean;
  /** Who approved or rejected it (protected environments). */
  decidedBy?: string;
  decisionComment?: string;
  decidedAt?: string;
  error?: string;
  /** A retry: the earlier attempt whose work this one finished (its rollback tag is kept, not written again). */
  resumedFrom?: string;
  /** The later attempt (a retry) that finished this one's work. */
  supersededBy?: string;
  /** Who must approve a pending promotion, when not anyone with the approve permission. */
  approvers?: string[];
  createdAt: string;
  finishedAt?: string;
}

/**
 * What a promotion will do: the answer of a dry run.
 *
 * @public
 */
export interface PromotionPlanInfo {
  image: string;
  environment: string;
  sourceDigest: string;
  currentDigest?: string;
  rollbackTag?: string;
  tags: string[];
  noChange: boolean;
  gates: GateResultInfo[];
  /** The environment is protected: the promotion will wait for a second person's approval. */
  needsApproval: boolean;
  /**
   * Who must approve, when not anyone with the approve permission: the owners of the entity that claimed a
   * contested repository first.
   */
  approvers?: string[];
}

/**
 * `POST /entities/{kind}/{namespace}/{name}/promotions`.
 *
 * @public
 */
export interface PromoteRequest {
  /** One of the entity's images; the first when omitted. */
  image?: string;
  environment: string;
  /** A tag or digest of the image. */
  source: string;
  reason: string;
  /** The digest the caller saw in the environment; a promotion that finds another fails with 409. */
  expectedCurrentDigest?: string;
  /** Go ahead past failed gates (needs the force permission; the reason is kept). */
  force?: boolean;
  /** Work out and return the plan; write nothing. */
  dryRun?: boolean;
}

/**
 * `POST /entities/{kind}/{namespace}/{name}/rollbacks`: move an environment back to what it ran before.
 *
 * @public
 */
export interface RollbackRequest {
  /** One of the entity's images; the first when omitted. */
  image?: string;
  environment: string;
  /** A rollback tag or digest to return to; when omitted, the digest the environment ran before its last move. */
  target?: string;
  reason: string;
  expectedCurrentDigest?: string;
  force?: boolean;
  dryRun?: boolean;
}

/**
 * The answer to a promotion or rollback request. A promotion to a protected environment comes back with status
 * `pending-approval`.
 *
 * @public
 */
export type PromoteResponse =
  | { dryRun: true; plan: PromotionPlanInfo }
  | { dryRun: false; promotion: PromotionInfo };

/**
 * `POST /entities/{kind}/{namespace}/{name}/promotions/{id}/approve` and `/reject`.
 *
 * @public
 */
export interface PromotionDecisionRequest {
  comment?: string;
}
