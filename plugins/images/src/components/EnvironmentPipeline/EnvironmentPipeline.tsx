import { EnvironmentLane, PromotionInfo } from '@berth/plugin-images-common';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import ArrowForwardIcon from '@material-ui/icons/ArrowForward';
import { Fragment } from 'react';
import { EnvironmentLaneCard } from './EnvironmentLaneCard';
import { LaneActionHandlers, LaneActions } from './LaneActions';

const useStyles = makeStyles(theme => ({
  pipeline: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    overflowX: 'auto',
    paddingBottom: theme.spacing(1),
  },
  arrow: {
    flex: '0 0 auto',
    color: theme.palette.text.secondary,
  },
}));

/**
 * The environments of an image, left to right in pipeline order, with arrows between them; with `actions`, each
 * lane offers Promote and Roll back.
 */
export const EnvironmentPipeline = (props: {
  environments: EnvironmentLane[];
  /** Per environment name, the promotion or rollback that put its image there. */
  lastMoves?: Map<string, PromotionInfo>;
  onOpenDetails?: (digest: string) => void;
  actions?: LaneActionHandlers;
}) => {
  const { environments, lastMoves, onOpenDetails, actions } = props;
  const classes = useStyles();
  if (environments.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No environments are configured (images.environments in app-config.yaml
        or the berth.dev/environments annotation).
      </Typography>
    );
  }
  const environmentTags = environments.map(lane => lane.tag);
  let previousWithImage: EnvironmentLane | undefined;
  return (
    <div
      className={classes.pipeline}
      role="group"
      aria-label="Environments"
      data-testid="environment-pipeline"
    >
      {environments.map((lane, index) => {
        const previous = previousWithImage;
        if (lane.digest) previousWithImage = lane;
        return (
          <Fragment key={lane.name}>
            {index > 0 && (
              <ArrowForwardIcon className={classes.arrow} aria-hidden />
            )}
            <EnvironmentLaneCard
              lane={lane}
              previous={previous?.name}
              environmentTags={environmentTags}
              lastMove={lastMoves?.get(lane.name)}
              onOpenDetails={onOpenDetails}
              actions={
                actions && (
                  <LaneActions
                    lane={lane}
                    previous={previous}
                    handlers={actions}
                  />
                )
              }
            />
          </Fragment>
        );
      })}
    </div>
  );
};
