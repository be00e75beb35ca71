import { PromotionStatus } from '@berth/plugin-images-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  succeeded: {
    backgroundColor: theme.palette.success.main,
    color: theme.palette.success.contrastText,
  },
  failed: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
  'pending-approval': {
    backgroundColor: theme.palette.warning.main,
    color: theme.palette.warning.contrastText,
  },
  running: {
    backgroundColor: theme.palette.info.main,
    color: theme.palette.info.contrastText,
  },
  rejected: {
    backgroundColor: theme.palette.grey[500],
    color: theme.palette.getContrastText(theme.palette.grey[500]),
  },
  forced: {
    borderColor: theme.palette.error.main,
    color: theme.palette.error.main,
    marginLeft: theme.spacing(0.5),
  },
}));

/** What each promotion status is called on the tab. */
export const PROMOTION_STATUS_LABELS: Record<PromotionStatus, string> = {
  'pending-approval': 'pending approval',
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  rejected: 'rejected',
};

/** Succeeded green, failed red, pending amber, running blue, rejected grey. */
export const PromotionStatusChip = (props: { status: PromotionStatus }) => {
  const { status } = props;
  const classes = useStyles();
  return (
    <Chip
      size="small"
      className={classes[status]}
      label={PROMOTION_STATUS_LABELS[status]}
      data-status={status}
    />
  );
};

/** Marks a promotion that went past failed gates, so nobody mistakes it for a clean one. */
export const ForcedChip = () => {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      variant="outlined"
      className={classes.forced}
      label="forced"
      data-testid="forced-chip"
    />
  );
};
