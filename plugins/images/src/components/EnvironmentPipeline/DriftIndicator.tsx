import { EnvironmentDrift } from '@berth/plugin-images-common';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import CompareArrowsIcon from '@material-ui/icons/CompareArrows';
import DragHandleIcon from '@material-ui/icons/DragHandle';
import TrendingDownIcon from '@material-ui/icons/TrendingDown';
import TrendingUpIcon from '@material-ui/icons/TrendingUp';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
  },
  same: { color: theme.palette.success.main },
  behind: { color: theme.palette.warning.main },
  ahead: { color: theme.palette.info.main },
  different: { color: theme.palette.warning.main },
}));

const ICONS = {
  same: DragHandleIcon,
  behind: TrendingDownIcon,
  ahead: TrendingUpIcon,
  different: CompareArrowsIcon,
};

/** How a lane's image compares with the previous environment's, in words. */
export function driftText(drift: EnvironmentDrift, previous: string): string {
  switch (drift) {
    case 'same':
      return `same as ${previous}`;
    case 'behind':
      return `behind ${previous}`;
    case 'ahead':
      return `ahead of ${previous}`;
    default:
      return `differs from ${previous}`;
  }
}

/** "same as staging", "behind staging", "ahead of staging" or "differs from staging", with an icon. */
export const DriftIndicator = (props: {
  drift: EnvironmentDrift;
  previous: string;
}) => {
  const { drift, previous } = props;
  const classes = useStyles();
  const Icon = ICONS[drift] ?? CompareArrowsIcon;
  return (
    <div className={classes.root} data-testid="drift" data-drift={drift}>
      <Icon fontSize="small" className={classes[drift]} />
      <Typography variant="body2">{driftText(drift, previous)}</Typography>
    </div>
  );
};
