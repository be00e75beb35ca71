import {
  EnvironmentLane,
  EnvironmentStatus,
} from '@berth/plugin-images-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import Tooltip from '@material-ui/core/Tooltip';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ErrorIcon from '@material-ui/icons/Error';
import HelpIcon from '@material-ui/icons/Help';

const useStyles = makeStyles(theme => ({
  GREEN: {
    backgroundColor: theme.palette.success.main,
    color: theme.palette.success.contrastText,
  },
  RED: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
  GREY: {
    backgroundColor: theme.palette.grey[500],
    color: theme.palette.getContrastText(theme.palette.grey[500]),
  },
  icon: { color: 'inherit' },
}));

/** What each status means, in the words the tab uses. */
export const STATUS_LABELS: Record<EnvironmentStatus, string> = {
  GREEN: 'tag exists',
  RED: 'missing',
  GREY: 'unknown',
};

/**
 * A lane's status in words: where a deployment source says what runs, the chip says that ("running", "drift",
 * "rolling out", "not deployed") rather than only whether the tag exists.
 */
export function laneStatusLabel(lane: EnvironmentLane): string {
  const state = lane.deployment?.state;
  if (lane.status === 'GREEN' && state === 'running') return 'running';
  if (lane.status === 'RED' && lane.digest && state === 'drift') return 'drift';
  if (lane.status === 'RED' && lane.digest && state === 'not-deployed') {
    return 'not deployed';
  }
  if (lane.status === 'GREY' && state === 'rolling-out') return 'rolling out';
  return STATUS_LABELS[lane.status];
}

const ICONS = { GREEN: CheckCircleIcon, RED: ErrorIcon, GREY: HelpIcon };

/** GREEN "tag exists", RED "missing", GREY "unknown"; the message (why) as tooltip. */
export const StatusChip = (props: {
  status: EnvironmentStatus;
  message?: string;
  size?: 'small' | 'medium';
  /** The words on the chip, when they say more than the status (see {@link laneStatusLabel}). */
  label?: string;
}) => {
  const { status, message, size = 'small', label } = props;
  const classes = useStyles();
  const Icon = ICONS[status];
  const chip = (
    <Chip
      size={size}
      className={classes[status]}
      icon={<Icon className={classes.icon} />}
      label={label ?? STATUS_LABELS[status]}
      data-status={status}
    />
  );
  return message ? <Tooltip title={message}>{chip}</Tooltip> : chip;
};
