import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { ImageReference } from '@berth/plugin-images-common';

/**
 * What a gate may inspect about the image being promoted. Every field comes from the registry, read by digest.
 *
 * @public
 */
export interface PromotionCandidate {
  image: ImageReference;
  digest: string;
  targetEnvironment: string;
  /** Compressed size of the config and layers, in bytes (for an index: of its largest platform). */
  sizeBytes: number;
  /** Layers (for an index: of the platform with the most). */
  layerCount: number;
  /** Labels every platform carries. */
  labels: Record<string, string>;
  platforms: string[];
  /** What starts the container, per platform (`linux/amd64`). */
  runtimes: Array<{
    platform: string;
    cmd?: string[];
    entrypoint?: string[];
    /** `USER` of the config; empty or absent means root. */
    user?: string;
    healthcheck?: string[];
  }>;
  /** A signature is attached (referrers API, its fallback tag or a cosign tag). */
  signed: boolean;
  /** The registry's vulnerability scan, when a gate asks for it and the registry offers one. */
  vulnerabilities?: VulnerabilityScan;
}

/**
 * Severities as scanners name them, least to most severe.
 *
 * @public
 */
export const VULNERABILITY_SEVERITIES = [
  'Unknown',
  'Negligible',
  'Low',
  'Medium',
  'High',
  'Critical',
] as const;

/**
 * A vulnerability severity.
 *
 * @public
 */
export type VulnerabilitySeverity = (typeof VULNERABILITY_SEVERITIES)[number];

/**
 * What the registry's scanner says about an image (every platform of an index).
 *
 * @public
 */
export interface VulnerabilityScan {
  /** `scanned`; or why there is no result: not yet (`queued`), `failed`, `unsupported`, or no scan to read. */
  status: 'scanned' | 'queued' | 'failed' | 'unsupported' | 'unavailable';
  /** Why there is no result, in a sentence. */
  message?: string;
  findings: Array<{
    id: string;
    severity: VulnerabilitySeverity;
    package: string;
    version?: string;
    fixedBy?: string;
    platform: string;
  }>;
}

/**
 * A gate's verdict, shown in the task log, on the tab and in the audit trail.
 *
 * @public
 */
export interface GateResult {
  passed: boolean;
  /** One sentence a user understands: "2.4 GB is above the 2 GB limit". */
  message: string;
}

/**
 * A validation gate that a promotion must pass (unless forced by a user allowed to).
 *
 * @public
 */
export interface PromotionGate {
  /** Stable id, used in configuration and in the audit trail: `size`, `acme-scan`. */
  id: string;
  evaluate(candidate: PromotionCandidate): Promise<GateResult>;
}

/**
 * Lets backend modules add promotion gates.
 *
 * @public
 */
export interface ImagesGatesExtensionPoint {
  addGate(...gates: PromotionGate[]): void;
}

/**
 * Extension point for promotion gates.
 *
 * @public
 */
export const imagesGatesExtensionPoint =
  createExtensionPoint<ImagesGatesExtensionPoint>({
    id: 'images.gates',
  });
