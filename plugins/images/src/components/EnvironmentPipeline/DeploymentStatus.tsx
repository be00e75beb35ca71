import {
  DeploymentState,
  EnvironmentDeployment,
} from '@berth/plugin-images-common';
import { makeStyles } from '@material-ui/core/styles';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import CloudOffIcon from '@material-ui/icons/CloudOff';
import HourglassEmptyIcon from '@material-ui/icons/HourglassEmpty';
import RemoveCircleOutlineIcon from '@material-ui/icons/RemoveCircleOutline';
import WarningIcon from '@material-ui/icons/Warning';
import { Digest } from '../Digest';

const useStyles = makeStyles(theme => ({
  root: { display: 'flex', flexDirection: 'column', gap: 2, minWidth: 0 },
  state: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
  },
  running: { color: theme.palette.success.main },
  'rolling-out': { color: theme.palette.info.main },
  drift: { color: theme.palette.warning.main },
  'not-deployed': { color: theme.palette.text.disabled },
  unreachable: { color: theme.palette.text.disabled },
  digests: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1) },
}));

const STATES: Record<
  DeploymentState,
  { label: string; Icon: typeof CheckCircleIcon }
> = {
  running: { label: 'running', Icon: CheckCircleIcon },
  'rolling-out': { label: 'rolling out', Icon: HourglassEmptyIcon },
  drift: { label: 'drift', Icon: WarningIcon },
  'not-deployed': { label: 'not deployed', Icon: RemoveCircleOutlineIcon },
  unreachable: { label: 'source unreachable', Icon: CloudOffIcon },
};

/**
 * What the environment's deployment runs: the state in a word with its icon, the source's own words, and the
 * digests it runs when they are not simply the lane's.
 */
export const DeploymentStatus = (props: {
  deployment: EnvironmentDeployment;
  /** The digest the lane shows, to leave out of the list when it is all that runs. */
  laneDigest?: string;
}) => {
  const { deployment, laneDigest } = props;
  const classes = useStyles();
  const { label, Icon } = STATES[deployment.state] ?? STATES.unreachable;
  const others =
    deployment.running.length === 1 &&
    deployment.running[0].digest === laneDigest
      ? []
      : deployment.running;
  return (
    <div
      className={classes.root}
      data-testid="lane-deployment"
      data-state={deployment.state}
    >
      <Tooltip title={`${deployment.source}: ${deployment.location}`}>
        <span className={classes.state}>
          <Icon
            fontSize="small"
            className={classes[deployment.state]}
            aria-hidden
          />
          <Typography variant="body2">{label}</Typography>
        </span>
      </Tooltip>
      <Typography variant="caption" color="textSecondary">
        {deployment.message}
      </Typography>
      {others.length > 0 && (
        <span className={classes.digests}>
          {others.map(running => (
            <span key={running.digest}>
              <Digest digest={running.digest} />
              {running.replicas !== undefined && (
                <Typography variant="caption" color="textSecondary">
                  {' '}
                  ×{running.replicas}
                </Typography>
              )}
            </span>
          ))}
        </span>
      )}
    </div>
  );
};
