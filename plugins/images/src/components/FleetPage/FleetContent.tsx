import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { FleetRequest } from '../../api';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Paper from '@material-ui/core/Paper';
import Select from '@material-ui/core/Select';
import Switch from '@material-ui/core/Switch';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useEffect, useState } from 'react';
import { useFleet } from '../../hooks';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { ApprovalInbox } from '../ApprovalInbox';
import { FleetCellView } from './FleetCellView';

const useStyles = makeStyles(theme => ({
  filters: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  search: { flex: '1 1 320px' },
  select: { minWidth: 160 },
  image: { fontFamily: 'monospace' },
  inbox: { marginBottom: theme.spacing(2) },
}));

const STATUSES: Array<{ value: FleetRequest['status'] | ''; label: string }> = [
  { value: '', label: 'Any' },
  { value: 'behind', label: 'Behind the environment before' },
  { value: 'RED', label: 'Missing a tag' },
  { value: 'GREY', label: 'Not indexed yet' },
];

/**
 * Every onboarded entity and image the user may read, one row each, against the environments: search by image, tag
 * or digest ("where does sha256:… run?"), filter by owner (mine), system, kind, lifecycle and status, sort by
 * staleness. Everything comes from the images backend's index.
 */
export const FleetContent = () => {
  const classes = useStyles();
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const [mine, setMine] = useState(false);
  const [status, setStatus] = useState<FleetRequest['status'] | ''>('');
  const [sort, setSort] = useState<'name' | 'staleness'>('name');
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(50);

  // The search is asked once typing pauses.
  useEffect(() => {
    const timer = setTimeout(() => {
      setQ(search.trim());
      setPage(0);
    }, 300);
    return () => clearTimeout(timer);
  }, [search]);

  const { value, loading, error, retry } = useFleet({
    ...(q && { q }),
    ...(mine && { mine }),
    ...(status && { status }),
    sort,
    page,
    pageSize,
  });

  return (
    <div data-testid="fleet-page">
      <div className={classes.inbox}>
        {/* An approved promotion moves a lane: the fleet is read again. */}
        <ApprovalInbox onDecided={retry} />
      </div>
      <div className={classes.filters}>
        <TextField
          className={classes.search}
          label="Search by image, tag or digest"
          variant="outlined"
          size="small"
          value={search}
          onChange={event => setSearch(event.target.value)}
          inputProps={{ 'aria-label': 'Search the fleet' }}
        />
        <FormControlLabel
          control={
            <Switch
              checked={mine}
              onChange={event => {
                setMine(event.target.checked);
                setPage(0);
              }}
              color="primary"
            />
          }
          label="Mine"
        />
        <FormControl size="small" variant="outlined" className={classes.select}>
          <InputLabel id="fleet-status">Status</InputLabel>
          <Select
            labelId="fleet-status"
            label="Status"
            value={status}
            onChange={event => {
              setStatus(event.target.value as FleetRequest['status'] | '');
              setPage(0);
            }}
          >
            {STATUSES.map(option => (
              <MenuItem key={option.label} value={option.value}>
                {option.label}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <FormControl size="small" variant="outlined" className={classes.select}>
          <InputLabel id="fleet-sort">Sort</InputLabel>
          <Select
            labelId="fleet-sort"
            label="Sort"
            value={sort}
            onChange={event =>
              setSort(event.target.value as 'name' | 'staleness')
            }
          >
            <MenuItem value="name">By name</MenuItem>
            <MenuItem value="staleness">Longest behind first</MenuItem>
          </Select>
        </FormControl>
      </div>
      {error ? (
        <ApiErrorPanel
          title="Could not load the fleet"
          error={error}
          onRetry={retry}
        />
      ) : (
        <Paper>
          <Table size="small" aria-busy={loading}>
            <TableHead>
              <TableRow>
                <TableCell>Entity</TableCell>
                <TableCell>Image</TableCell>
                {value?.environments.map(env => (
                  <TableCell key={env}>{env}</TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {value?.rows.map(row => (
                <TableRow
                  key={`${row.entityRef} ${row.image}`}
                  data-testid="fleet-row"
                  data-entity={row.entityRef}
                >
                  <TableCell>
                    <EntityRefLink entityRef={row.entityRef} />
                    {row.owner && (
                      <Typography variant="caption" display="block">
                        owner {row.owner}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell className={classes.image}>{row.image}</TableCell>
                  {value.environments.map(env => (
                    <TableCell key={env}>
                      <FleetCellView
                        cell={row.cells.find(c => c.environment === env)}
                      />
                    </TableCell>
                  ))}
                </TableRow>
              ))}
              {value && value.rows.length === 0 && (
                <TableRow>
                  <TableCell colSpan={2 + value.environments.length}>
                    {q || mine || status
                      ? 'Nothing matches these filters.'
                      : 'No onboarded entity: add berth.dev/images to an entity.'}
                  </TableCell>
                </TableRow>
              )}
            </TableBody>
          </Table>
          {value && (
            <TablePagination
              component="div"
              count={value.totalRows}
              page={page}
              rowsPerPage={pageSize}
              rowsPerPageOptions={[25, 50, 100]}
              onPageChange={(_event, next) => setPage(next)}
              onRowsPerPageChange={event => {
                setPageSize(Number(event.target.value));
                setPage(0);
              }}
            />
          )}
        </Paper>
      )}
    </div>
  );
};
