import {
  EnvironmentLane,
  ImageOverview,
  PromotionInfo,
} from '@berth/plugin-images-common';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { makeStyles } from '@material-ui/core/styles';
import { useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { imagesApiRef, ImagesEntityRef } from '../../api';
import { errorMessage } from '../../utils/format';
import { HoldDialog } from '../HoldDialog';
import { usePromotionPermissions } from '../../hooks';
import { EnvironmentPipeline } from '../EnvironmentPipeline';
import { ImageDetailsDrawer } from '../ImageDetailsDrawer';
import { ContestedClaimPanel } from '../ContestedClaimPanel';
import { ImageErrorPanel } from '../ImageErrorPanel';
import { PreviewEnvironments } from '../PreviewEnvironments';
import { PromoteDialog, RollbackDialog } from '../PromotionDialogs';
import { TagsTable } from '../TagsTable';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(3),
  },
}));

/** Per environment, the finished promotion or rollback that put its current digest there. */
function lastMovesOf(
  overview: ImageOverview,
  promotions: PromotionInfo[] = [],
): Map<string, PromotionInfo> {
  const moves = new Map<string, PromotionInfo>();
  for (const lane of overview.environments) {
    const move = promotions.find(
      p =>
        p.image === overview.image &&
        p.environment === lane.name &&
        p.status === 'succeeded' &&
        p.sourceDigest === lane.digest,
    );
    if (move) moves.set(lane.name, move);
  }
  return moves;
}

type LaneAction =
  | { kind: 'promote'; lane: EnvironmentLane; previous?: EnvironmentLane }
  | { kind: 'rollback'; lane: EnvironmentLane }
  | { kind: 'hold'; lane: EnvironmentLane };

/**
 * One image of the entity: its environments (each with Promote and Roll back), its tags, and the details drawer.
 */
export const ImageView = (props: {
  entityRef: ImagesEntityRef;
  overview: ImageOverview;
  /** Called with the outcome of a promotion or rollback started here, so the tab can reload. */
  onPromotionDone?: (promotion: PromotionInfo) => void;
  /** The entity's promotion history, newest first. */
  promotions?: PromotionInfo[];
  /** Called when an environment was held or released here, so the tab can reload its lanes. */
  onLanesChanged?: () => void;
}) => {
  const { entityRef, overview, onPromotionDone, promotions, onLanesChanged } =
    props;
  const api = useApi(imagesApiRef);
  const alertApi = useApi(alertApiRef);
  const classes = useStyles();
  const [digest, setDigest] = useState<string>();
  const [action, setAction] = useState<LaneAction>();
  const permissions = usePromotionPermissions(entityRef);

  const done = (promotion: PromotionInfo) => {
    setAction(undefined);
    onPromotionDone?.(promotion);
  };

  // Not the entity's to claim: nothing else to show (the backend reads nothing of it).
  if (overview.error?.kind === 'claim-refused') {
    return (
      <div data-testid="image-view" data-image={overview.image}>
        <ImageErrorPanel image={overview} />
      </div>
    );
  }

  return (
    <div
      className={classes.root}
      data-testid="image-view"
      data-image={overview.image}
    >
      {overview.error && <ImageErrorPanel image={overview} />}
      {overview.claim && (
        <ContestedClaimPanel
          image={overview}
          entityRef={
            typeof entityRef === 'string'
              ? entityRef
              : stringifyEntityRef(entityRef)
          }
        />
      )}
      <EnvironmentPipeline
        environments={overview.environments}
        lastMoves={lastMovesOf(overview, promotions)}
        onOpenDetails={setDigest}
        actions={
          onPromotionDone && {
            onPromote: (lane, previous) =>
              setAction({ kind: 'promote', lane, previous }),
            onRollback: lane => setAction({ kind: 'rollback', lane }),
            ...(onLanesChanged && {
              onHold: lane => setAction({ kind: 'hold', lane }),
              onRelease: lane =>
                api
                  .releaseEnvironment(entityRef, lane.name, overview.image)
                  .then(onLanesChanged)
                  .catch(error =>
                    alertApi.post({
                      message: `Could not release ${lane.name}: ${errorMessage(
                        error,
                      )}`,
                      severity: 'error',
                    }),
                  ),
            }),
            pending: permissions.promote.loading,
            blockedReason:
              permissions.promote.loading || permissions.promote.allowed
                ? undefined
                : 'You are not allowed to promote or roll back the images of this entity',
          }
        }
      />
      <PreviewEnvironments
        previews={overview.previews}
        onOpenDetails={setDigest}
      />
      <TagsTable
        entityRef={entityRef}
        image={overview.image}
        onOpenDetails={setDigest}
        // A promotion moves environment tags from one digest to another.
        refreshKey={overview.environments
          .map(lane => `${lane.name}=${lane.digest ?? ''}`)
          .join(',')}
      />
      <ImageDetailsDrawer
        entityRef={entityRef}
        image={overview.image}
        digest={digest}
        environmentTags={overview.environments.map(lane => lane.tag)}
        onClose={() => setDigest(undefined)}
      />
      {action?.kind === 'promote' && (
        <PromoteDialog
          entityRef={entityRef}
          image={overview.image}
          lane={action.lane}
          previous={action.previous}
          canForce={permissions.force.allowed}
          onClose={() => setAction(undefined)}
          onDone={done}
        />
      )}
      {action?.kind === 'hold' && (
        <HoldDialog
          entityRef={entityRef}
          image={overview.image}
          lane={action.lane}
          onClose={() => setAction(undefined)}
          onDone={() => {
            setAction(undefined);
            onLanesChanged?.();
          }}
        />
      )}
      {action?.kind === 'rollback' && (
        <RollbackDialog
          entityRef={entityRef}
          image={overview.image}
          lane={action.lane}
          canForce={permissions.force.allowed}
          onClose={() => setAction(undefined)}
          onDone={done}
        />
      )}
    </div>
  );
};
