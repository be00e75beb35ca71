import { FleetCell } from '@berth/plugin-images-common';
import { makeStyles } from '@material-ui/core/styles';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { formatRelativeTime, shortDigest } from '../../utils/format';
import { StatusChip } from '../StatusChip';

const useStyles = makeStyles(theme => ({
  cell: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: theme.spacing(0.25),
  },
  digest: { fontFamily: 'monospace' },
  behind: { color: theme.palette.warning.dark },
}));

/** `3 builds behind staging for 9 days`, or as much of it as is known. */
export function behindText(cell: FleetCell): string | undefined {
  if (cell.drift !== 'behind' || !cell.behind) return undefined;
  const { builds, environment, since } = cell.behind;
  const count =
    builds === undefined
      ? 'behind'
      : `${builds} build${builds === 1 ? '' : 's'} behind`;
  const how = since
    ? ` for ${formatRelativeTime(since)?.replace(/ ago$/, '') ?? 'a while'}`
    : '';
  return `${count} ${environment}${how}`;
}

/** One environment of one fleet row: status, tag, short digest, age, and drift from the environment before. */
export const FleetCellView = (props: { cell?: FleetCell }) => {
  const { cell } = props;
  const classes = useStyles();
  if (!cell) return <Typography color="textSecondary">—</Typography>;
  const behind = behindText(cell);
  return (
    <div
      className={classes.cell}
      data-testid={`fleet-cell-${cell.environment}`}
      data-status={cell.status}
      data-digest={cell.digest ?? ''}
    >
      <StatusChip
        status={cell.status}
        message={
          cell.status === 'GREEN'
            ? undefined
            : `${cell.tag}: ${
                cell.status === 'RED'
                  ? 'no such tag'
                  : 'not indexed yet: open the entity once'
              }`
        }
      />
      <Typography variant="body2">
        {cell.tag}
        {cell.digest && (
          <Tooltip title={cell.digest}>
            <span className={classes.digest}> {shortDigest(cell.digest)}</span>
          </Tooltip>
        )}
      </Typography>
      {(cell.since || cell.created) && (
        <Typography variant="caption" color="textSecondary">
          {cell.since
            ? `here since ${formatRelativeTime(cell.since)}`
            : `built ${formatRelativeTime(cell.created)}`}
        </Typography>
      )}
      {behind && (
        <Typography variant="caption" className={classes.behind}>
          {behind}
        </Typography>
      )}
      {cell.drift === 'same' && (
        <Typography variant="caption" color="textSecondary">
          same as before
        </Typography>
      )}
    </div>
  );
};
