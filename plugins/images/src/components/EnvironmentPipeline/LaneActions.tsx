import { EnvironmentLane } from '@berth/plugin-images-common';
import Button from '@material-ui/core/Button';
import { makeStyles } from '@material-ui/core/styles';
import Tooltip from '@material-ui/core/Tooltip';
import HistoryIcon from '@material-ui/icons/History';
import LockOpenIcon from '@material-ui/icons/LockOpen';
import PauseCircleOutlineIcon from '@material-ui/icons/PauseCircleOutline';
import PublishIcon from '@material-ui/icons/Publish';
import { ReactElement } from 'react';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    marginTop: theme.spacing(1.5),
  },
}));

/** What the lanes need to offer promotion and rollback. */
export interface LaneActionHandlers {
  onPromote: (lane: EnvironmentLane, previous?: EnvironmentLane) => void;
  onRollback: (lane: EnvironmentLane) => void;
  /** Holds the environment (asks why) or releases its hold; without them, no such button. */
  onHold?: (lane: EnvironmentLane) => void;
  onRelease?: (lane: EnvironmentLane) => void;
  /** Why the user cannot promote (no permission); the buttons are disabled and say so. */
  blockedReason?: string;
  /** The permission is still being asked for: the buttons wait, without a reason. */
  pending?: boolean;
}

/** A disabled button fires no mouse events, so its tooltip needs a wrapper that does. */
const WithReason = (props: { reason?: string; children: ReactElement }) => (
  // An empty title shows no tooltip; the wrapper stays, so the button keeps its place in the DOM.
  <Tooltip title={props.reason ?? ''}>
    <span>{props.children}</span>
  </Tooltip>
);

/** Promote, Roll back and Hold (or Release) buttons of one environment lane. */
export const LaneActions = (props: {
  lane: EnvironmentLane;
  previous?: EnvironmentLane;
  handlers: LaneActionHandlers;
}) => {
  const { lane, previous, handlers } = props;
  const classes = useStyles();
  const blocked = handlers.pending || Boolean(handlers.blockedReason);
  const rollbackReason =
    handlers.blockedReason ??
    (lane.digest ? undefined : `${lane.name} has no image to roll back`);
  return (
    <div className={classes.root}>
      <WithReason reason={handlers.blockedReason}>
        <Button
          size="small"
          variant="outlined"
          color="primary"
          startIcon={<PublishIcon />}
          disabled={blocked}
          onClick={() => handlers.onPromote(lane, previous)}
          data-testid={`promote-${lane.name}`}
        >
          Promote
        </Button>
      </WithReason>
      <WithReason reason={rollbackReason}>
        <Button
          size="small"
          variant="outlined"
          startIcon={<HistoryIcon />}
          disabled={blocked || !lane.digest}
          onClick={() => handlers.onRollback(lane)}
          data-testid={`rollback-${lane.name}`}
        >
          Roll back
        </Button>
      </WithReason>
      {lane.hold && handlers.onRelease && (
        <WithReason reason={handlers.blockedReason}>
          <Button
            size="small"
            variant="outlined"
            startIcon={<LockOpenIcon />}
            disabled={blocked}
            onClick={() => handlers.onRelease!(lane)}
            data-testid={`release-${lane.name}`}
          >
            Release
          </Button>
        </WithReason>
      )}
      {!lane.hold && handlers.onHold && (
        <WithReason reason={handlers.blockedReason}>
          <Button
            size="small"
            variant="outlined"
            startIcon={<PauseCircleOutlineIcon />}
            disabled={blocked}
            onClick={() => handlers.onHold!(lane)}
            data-testid={`hold-${lane.name}`}
          >
            Hold
          </Button>
        </WithReason>
      )}
    </div>
  );
};
