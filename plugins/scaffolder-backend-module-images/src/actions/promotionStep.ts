import { setTimeout as sleep } from 'node:timers/promises';
import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { assertError } from '@backstage/errors';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import type {
  GateResultInfo,
  PromoteRequest,
  PromotionInfo,
  PromotionPlanInfo,
  RollbackRequest,
} from '@berth/plugin-images-common';
import {
  callImagesBackend,
  entityPathParams,
  isBackendRefusal,
} from './imagesBackend';

/**
 * What `images:promote` and `images:rollback` need: the images backend, reached on behalf of the user.
 *
 * @public
 */
export interface PromotionActionOptions {
  discovery: DiscoveryService;
  auth: AuthService;
  /** How often a step that waits for an approval asks whether it was decided, in milliseconds (default 5000). */
  approvalPollIntervalMs?: number;
}

const DEFAULT_POLL_INTERVAL_MS = 5000;

/** The parts of the action context the promotion flow uses, whichever action's outputs it writes. */
type StepContext = Pick<
  ActionContext<{}>,
  'logger' | 'isDryRun' | 'signal' | 'checkpoint' | 'getInitiatorCredentials'
> & { output(name: string, value: unknown): void };

/** The gates as the `gates` output declares them: nothing a newer backend may add. */
function gatesOf(gates: GateResultInfo[] | undefined): GateResultInfo[] {
  return (gates ?? []).map(({ id, passed, message }) => ({
    id,
    passed,
    message,
  }));
}

/** "promotion 42" or "rollback 42", for the task log. */
function named(promotion: PromotionInfo): string {
  return `${promotion.kind} ${promotion.id}`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function logGates(
  logger: LoggerService,
  gates: GateResultInfo[],
  forced: boolean,
) {
  for (const gate of gates) {
    if (gate.passed) {
      logger.info(`Gate ${gate.id}: passed (${gate.message})`);
    } else {
      logger.warn(`Gate ${gate.id}: FAILED (${gate.message})`);
    }
  }
  const failed = gates.filter(gate => !gate.passed).map(gate => gate.id);
  if (forced && failed.length > 0) {
    logger.warn(
      `Forced past the failed gate${failed.length > 1 ? 's' : ''} ${failed.join(
        ', ',
      )}; the reason is kept in the history`,
    );
  }
}

function logPlan(
  logger: LoggerService,
  plan: PromotionPlanInfo,
  force: boolean,
) {
  if (plan.noChange) {
    logger.info(
      `Dry run: ${plan.image} ${plan.environment} already runs ${plan.sourceDigest}; nothing would change`,
    );
  } else {
    logger.info(
      `Dry run: ${plan.image} ${plan.environment} would move from ${
        plan.currentDigest ?? 'nothing'
      } to ${plan.sourceDigest}, writing ${plan.tags.join(', ')}${
        plan.rollbackTag
          ? ` and keeping ${plan.rollbackTag} on ${plan.currentDigest}`
          : ''
      }`,
    );
  }
  const gates = gatesOf(plan.gates);
  logGates(logger, gates, false);
  if (gates.some(gate => !gate.passed)) {
    logger.warn(
      force
        ? 'Dry run: the step would go past the failed gates (force), if you have the force permission'
        : 'Dry run: the step would fail on the failed gates; set force (with the force permission) to go past them',
    );
  }
  if (plan.needsApproval) {
    logger.info(
      `Dry run: ${plan.environment} is protected, so the step would wait for approval by a second person`,
    );
  }
}

function logOutcome(logger: LoggerService, promotion: PromotionInfo) {
  logger.info(
    `${promotion.image} ${promotion.environment} now runs ${
      promotion.sourceDigest
    } (${named(promotion)}); wrote ${promotion.tags.join(', ')}`,
  );
  if (promotion.rollbackTag) {
    logger.info(
      `Kept ${promotion.rollbackTag} on ${promotion.previousDigest}, the digest ${promotion.environment} ran before`,
    );
  }
}

/**
 * Asks the backend about a pending promotion until a second person decides, it finishes running, or the wait is
 * over. Reading is no side effect, so it runs again when a task resumes.
 */
async function waitForDecision(
  ctx: StepContext,
  options: PromotionActionOptions,
  request: { entityRef: string; promotion: PromotionInfo; minutes: number },
): Promise<PromotionInfo> {
  const { entityRef, minutes } = request;
  const path = { ...entityPathParams(entityRef), id: request.promotion.id };
  const interval = options.approvalPollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const deadline = Date.now() + minutes * 60_000;
  let promotion = request.promotion;
  let lastError: Error | undefined;
  ctx.logger.info(`Waiting up to ${minutes} minutes for the decision`);
  while (
    promotion.status === 'pending-approval' ||
    promotion.status === 'running'
  ) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new Error(
        `${
          promotion.status === 'running'
            ? `${capitalized(
                named(promotion),
              )} was approved and still runs after ${minutes} minutes; its outcome will show on the Images tab of ${entityRef}`
            : `Nobody approved ${named(
                promotion,
              )} within ${minutes} minutes; the request stays pending and can still be approved on the Images tab of ${entityRef}`
        }${
          lastError
            ? ` (the last attempt to read it failed: ${lastError.message})`
            : ''
        }`,
      );
    }
    try {
      await sleep(Math.min(interval, remaining), undefined, {
        signal: ctx.signal,
      });
    } catch (error) {
      if (ctx.signal?.aborted) {
        throw new Error(
          `The task was cancelled while ${named(
            promotion,
          )} waited for approval; the request stays pending on the Images tab of ${entityRef}`,
        );
      }
      throw error;
    }
    try {
      // The wait can outlast the user's token (an hour), so the module reads the promotion this step created as
      // itself: a read of the request's state, no decision on the user's behalf.
      promotion = await callImagesBackend(
        options,
        await options.auth.getOwnServiceCredentials(),
        (api, requestOptions) => api.getPromotion({ path }, requestOptions),
      );
      lastError = undefined;
    } catch (error) {
      assertError(error);
      // A backend restarting during a long wait is no reason to give up on it; an answer such as 403 or 404 is.
      if (isBackendRefusal(error)) throw error;
      if (!lastError) {
        ctx.logger.warn(
          `Could not read ${named(promotion)} (${error.message}); trying again`,
        );
      }
      lastError = error;
    }
  }
  return promotion;
}

/**
 * The flow `images:promote` and `images:rollback` share: a dry run asks for the plan and writes nothing; otherwise
 * the request is one checkpoint (a resumed task does not create a second promotion), and a promotion to a protected
 * environment may be waited for.
 */
export async function runPromotionStep(
  ctx: StepContext,
  options: PromotionActionOptions,
  step: {
    entityRef: string;
    checkpointKey: string;
    waitForApproval?: number;
  } & (
    | { endpoint: 'promotions'; body: Omit<PromoteRequest, 'dryRun'> }
    | { endpoint: 'rollbacks'; body: Omit<RollbackRequest, 'dryRun'> }
  ),
): Promise<void> {
  const { entityRef, body } = step;
  const path = entityPathParams(entityRef);
  const credentials = await ctx.getInitiatorCredentials();
  // POST /promotions or /rollbacks: the same flow and the same answer.
  const request = (dryRun?: true) =>
    callImagesBackend(options, credentials, (api, requestOptions) =>
      step.endpoint === 'promotions'
        ? api.promote({ path, body: { ...step.body, dryRun } }, requestOptions)
        : api.rollback(
            { path, body: { ...step.body, dryRun } },
            requestOptions,
          ),
    );

  if (ctx.isDryRun) {
    const answer = await request(true);
    if (!answer.dryRun) {
      throw new Error('The images backend moved the environment in a dry run');
    }
    const plan = answer.plan;
    logPlan(ctx.logger, plan, Boolean(body.force));
    ctx.output('digest', plan.sourceDigest);
    if (plan.currentDigest) ctx.output('previousDigest', plan.currentDigest);
    if (plan.rollbackTag) ctx.output('rollbackTag', plan.rollbackTag);
    ctx.output('tags', plan.tags);
    ctx.output('gates', gatesOf(plan.gates));
    return;
  }

  // A task resumed after a restart gets the stored promotion instead of requesting another one.
  let promotion = await ctx.checkpoint({
    key: step.checkpointKey,
    fn: async () => {
      const answer = await request();
      if (answer.dryRun) throw new Error('The images backend only planned');
      return answer.promotion;
    },
  });
  logGates(ctx.logger, promotion.gates, promotion.forced);

  if (promotion.status === 'pending-approval') {
    ctx.logger.info(
      `${promotion.environment} is protected: ${named(
        promotion,
      )} is waiting for approval by a second person, on the Images tab of ${entityRef}`,
    );
    const minutes = step.waitForApproval ?? 0;
    if (minutes > 0) {
      promotion = await waitForDecision(ctx, options, {
        entityRef,
        promotion,
        minutes,
      });
      if (promotion.decidedBy) {
        ctx.logger.info(
          `${capitalized(named(promotion))} was ${
            promotion.status === 'rejected' ? 'rejected' : 'approved'
          } by ${promotion.decidedBy}${
            promotion.decisionComment ? `: ${promotion.decisionComment}` : ''
          }`,
        );
      }
    }
  }

  ctx.output('promotionId', promotion.id);
  ctx.output('status', promotion.status);
  ctx.output('gates', gatesOf(promotion.gates));
  ctx.output('tags', promotion.tags);
  if (promotion.previousDigest) {
    ctx.output('previousDigest', promotion.previousDigest);
  }

  switch (promotion.status) {
    case 'succeeded':
      logOutcome(ctx.logger, promotion);
      if (promotion.sourceDigest) ctx.output('digest', promotion.sourceDigest);
      if (promotion.rollbackTag) {
        ctx.output('rollbackTag', promotion.rollbackTag);
      }
      return;
    case 'pending-approval':
      // Not waiting was asked for: the step succeeds, and its status output says the move is still to come.
      return;
    case 'rejected':
      throw new Error(
        `${capitalized(named(promotion))} was rejected by ${
          promotion.decidedBy ?? 'an approver'
        }${promotion.decisionComment ? `: ${promotion.decisionComment}` : ''}`,
      );
    default:
      throw new Error(
        `${capitalized(named(promotion))} ${promotion.status}${
          promotion.error ? `: ${promotion.error}` : ''
        }`,
      );
  }
}
