import { PlatformDetails } from '@berth/plugin-images-common';
import { makeStyles } from '@material-ui/core/styles';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { formatBytes, formatRelativeTime } from '../../utils/format';
import { Digest } from '../Digest';
import { Field } from '../Field';

const useStyles = makeStyles(theme => ({
  section: {
    marginBottom: theme.spacing(3),
    paddingBottom: theme.spacing(2),
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  fields: {
    display: 'grid',
    gridTemplateColumns: 'max-content minmax(0, 1fr)',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: theme.spacing(1, 0, 2),
  },
  mono: { fontFamily: 'monospace', overflowWrap: 'anywhere' },
  subheading: { marginTop: theme.spacing(2) },
  fixedTable: { tableLayout: 'fixed', width: '100%' },
  labelKey: { width: '45%' },
}));

/** `["node","server.js"]`, as `docker inspect` shows a command. */
function formatCommand(command?: string[]): string | undefined {
  return command && command.length > 0 ? JSON.stringify(command) : undefined;
}

/** One platform of an image: its config (command, user, health check, ports), labels and layers. */
export const PlatformSection = (props: { platform: PlatformDetails }) => {
  const { platform } = props;
  const classes = useStyles();
  const created = formatRelativeTime(platform.created);
  const labels = Object.entries(platform.labels).sort(([a], [b]) =>
    a.localeCompare(b),
  );
  return (
    <section
      className={classes.section}
      aria-label={`Platform ${platform.platform}`}
      data-testid={`platform-${platform.platform}`}
    >
      <Typography variant="h6" component="h3">
        {platform.platform}
      </Typography>
      <dl className={classes.fields}>
        <Field label="Digest">
          <Digest digest={platform.digest} />
        </Field>
        {created && platform.created && (
          <Field label="Created">
            <Tooltip title={platform.created}>
              <span>{created}</span>
            </Tooltip>
          </Field>
        )}
        <Field label="Size">{formatBytes(platform.size)}</Field>
        <Field label="Entrypoint">
          <span className={classes.mono}>
            {formatCommand(platform.entrypoint) ?? '—'}
          </span>
        </Field>
        <Field label="Cmd">
          <span className={classes.mono}>
            {formatCommand(platform.cmd) ?? '—'}
          </span>
        </Field>
        <Field label="User">
          <span className={classes.mono}>
            {platform.user || 'not set (runs as root)'}
          </span>
        </Field>
        <Field label="Health check">
          <span className={classes.mono}>
            {formatCommand(platform.healthcheck) ?? 'none'}
          </span>
        </Field>
        <Field label="Exposed ports">
          {platform.exposedPorts.length > 0
            ? platform.exposedPorts.join(', ')
            : 'none'}
        </Field>
      </dl>

      <Typography variant="subtitle2" className={classes.subheading}>
        Labels ({labels.length})
      </Typography>
      {labels.length > 0 ? (
        <Table
          size="small"
          className={classes.fixedTable}
          aria-label={`Labels of ${platform.platform}`}
        >
          <TableBody>
            {labels.map(([key, value]) => (
              <TableRow key={key}>
                <TableCell className={`${classes.mono} ${classes.labelKey}`}>
                  {key}
                </TableCell>
                <TableCell className={classes.mono}>{value}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : (
        <Typography variant="body2" color="textSecondary">
          No labels.
        </Typography>
      )}

      <Typography variant="subtitle2" className={classes.subheading}>
        Layers ({platform.layers.length})
      </Typography>
      <Table size="small" aria-label={`Layers of ${platform.platform}`}>
        <TableHead>
          <TableRow>
            <TableCell>#</TableCell>
            <TableCell>Digest</TableCell>
            <TableCell align="right">Size</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {platform.layers.map((layer, index) => (
            <TableRow key={`${index}:${layer.digest}`}>
              <TableCell>{index + 1}</TableCell>
              <TableCell>
                <Digest digest={layer.digest} />
              </TableCell>
              <TableCell align="right">{formatBytes(layer.size)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </section>
  );
};
