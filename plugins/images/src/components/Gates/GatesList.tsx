import { GateResultInfo } from '@berth/plugin-images-common';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import CancelIcon from '@material-ui/icons/Cancel';

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  gate: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    padding: theme.spacing(0.25, 0),
  },
  passed: { color: theme.palette.success.main },
  failed: { color: theme.palette.error.main },
  id: { fontWeight: theme.typography.fontWeightBold as number },
}));

/** Each gate's verdict: a tick or a cross, its id and its one-sentence reason. */
export const GatesList = (props: { gates: GateResultInfo[] }) => {
  const { gates } = props;
  const classes = useStyles();
  if (gates.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No validation gates are configured.
      </Typography>
    );
  }
  return (
    <ul className={classes.list} aria-label="Validation gates">
      {gates.map(gate => (
        <li
          key={gate.id}
          className={classes.gate}
          data-testid={`gate-${gate.id}`}
          data-passed={gate.passed}
        >
          {gate.passed ? (
            <CheckCircleIcon
              fontSize="small"
              className={classes.passed}
              titleAccess="passed"
            />
          ) : (
            <CancelIcon
              fontSize="small"
              className={classes.failed}
              titleAccess="failed"
            />
          )}
          <Typography variant="body2">
            <span className={classes.id}>{gate.id}</span>: {gate.message}
          </Typography>
        </li>
      ))}
    </ul>
  );
};
