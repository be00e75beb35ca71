import { GateResultInfo } from '@berth/plugin-images-common';
import { makeStyles } from '@material-ui/core/styles';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';

const useStyles = makeStyles(theme => ({
  allPassed: { color: theme.palette.success.main },
  someFailed: { color: theme.palette.error.main },
  messages: { margin: 0, paddingLeft: theme.spacing(2) },
}));

/** "6/7 passed", red when one failed; each gate's message in the tooltip. */
export const GatesSummary = (props: { gates: GateResultInfo[] }) => {
  const { gates } = props;
  const classes = useStyles();
  if (gates.length === 0) return <>—</>;
  const passed = gates.filter(gate => gate.passed).length;
  return (
    <Tooltip
      title={
        <ul className={classes.messages}>
          {gates.map(gate => (
            <li key={gate.id}>
              {gate.passed ? '✓' : '✗'} {gate.id}: {gate.message}
            </li>
          ))}
        </ul>
      }
    >
      <Typography
        variant="body2"
        component="span"
        className={
          passed === gates.length ? classes.allPassed : classes.someFailed
        }
      >
        {passed}/{gates.length} passed
      </Typography>
    </Tooltip>
  );
};
