import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useEffect, useState } from 'react';
import { useFleet } from '../../hooks';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { ApprovalInbox } from '../ApprovalInbox';
import { FleetCellView } from './FleetCellView';
import {
  FleetFilter,
  FleetFilters,
  FleetSort,
  NO_FILTER,
} from './FleetFilters';

const useStyles = makeStyles(theme => ({
  image: { fontFamily: 'monospace' },
  inbox: { marginBottom: theme.spacing(2) },
}));

/**
 * Every onboarded entity and image the user may read, one row each, against the environments: search by image, tag
 * or digest ("where does sha256:… run?"), filter by owner (mine), system, kind, lifecycle and status, sort by
 * staleness. Everything comes from the images backend's index.
 */
export const FleetContent = () => {
  const classes = useStyles();
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const [filter, setFilter] = useState<FleetFilter>(NO_FILTER);
  const [sort, setSort] = useState<FleetSort>('name');
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

  const { mine, status, owner, system, kind, lifecycle } = filter;
  const { value, loading, error, retry } = useFleet({
    ...(q && { q }),
    ...(mine && { mine }),
    ...(status && { status }),
    ...(owner && { owner }),
    ...(system && { system }),
    ...(kind && { kind }),
    ...(lifecycle && { lifecycle }),
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
      <FleetFilters
        search={search}
        onSearch={setSearch}
        filter={filter}
        onFilter={next => {
          setFilter(next);
          setPage(0);
        }}
        sort={sort}
        onSort={setSort}
      />
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
                    {q || Object.values(filter).some(Boolean)
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
