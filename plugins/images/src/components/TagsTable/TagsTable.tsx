import { EmptyState, InfoCard } from '@backstage/core-components';
import { TagRow, TagSort } from '@berth/plugin-images-common';
import Chip from '@material-ui/core/Chip';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import InputAdornment from '@material-ui/core/InputAdornment';
import LinearProgress from '@material-ui/core/LinearProgress';
import { makeStyles } from '@material-ui/core/styles';
import Switch from '@material-ui/core/Switch';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import SearchIcon from '@material-ui/icons/Search';
import RemoveCircleOutlineIcon from '@material-ui/icons/RemoveCircleOutline';
import VerifiedUserIcon from '@material-ui/icons/VerifiedUser';
import { ChangeEvent, KeyboardEvent, MouseEvent, useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';
import { ImagesEntityRef } from '../../api';
import { useImageSignals, useRetryOn, useTagPage } from '../../hooks';
import { formatBytes, formatRelativeTime } from '../../utils/format';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { Digest } from '../Digest';
import { TableSkeleton } from '../ImagesSkeleton';
import { TagChip } from '../TagChip';

/** Rows per page of the tags table. */
export const TAGS_PAGE_SIZE = 20;

/** How long the search box waits for typing to stop before it asks the backend. */
export const SEARCH_DEBOUNCE_MS = 300;

const SORTS: Array<{ value: TagSort; label: string }> = [
  { value: 'created', label: 'Newest first' },
  { value: 'version', label: 'Version' },
  { value: 'name', label: 'Name' },
];

const useStyles = makeStyles(theme => ({
  toolbar: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(1),
  },
  search: { flex: '1 1 240px' },
  sort: { minWidth: 160 },
  note: { marginBottom: theme.spacing(1) },
  row: { cursor: 'pointer' },
  tags: { display: 'flex', flexWrap: 'wrap', maxWidth: 480 },
  nowrap: { whiteSpace: 'nowrap' },
  head: { '& th': { whiteSpace: 'nowrap' } },
  signed: { color: theme.palette.success.main },
  unsigned: { color: theme.palette.text.disabled },
  environment: { margin: theme.spacing(0.25) },
  progress: { height: 2 },
  progressPlaceholder: { height: 2 },
}));

const SignedIcon = (props: { signed?: boolean }) => {
  const classes = useStyles();
  if (props.signed === undefined) return <>—</>;
  return props.signed ? (
    <VerifiedUserIcon
      fontSize="small"
      className={classes.signed}
      titleAccess="signed"
    />
  ) : (
    <RemoveCircleOutlineIcon
      fontSize="small"
      className={classes.unsigned}
      titleAccess="unsigned"
    />
  );
};

const TagRowView = (props: {
  row: TagRow;
  onOpenDetails: (digest: string) => void;
}) => {
  const { row, onOpenDetails } = props;
  const classes = useStyles();
  const { digest } = row;
  const open = digest ? () => onOpenDetails(digest) : undefined;
  // A click on a button inside the row (copy the digest) is that button's, not the row's.
  const onClick = (event: MouseEvent<HTMLElement>) => {
    if (!open) return;
    if ((event.target as HTMLElement).closest('button, a')) return;
    open();
  };
  // Newest first sorts by when a tag was pushed where the registry says, else when the image was built.
  const when = row.pushedAt ?? row.created;
  const age = formatRelativeTime(when);
  return (
    <TableRow
      hover={Boolean(open)}
      className={open ? classes.row : undefined}
      onClick={onClick}
      onKeyDown={(event: KeyboardEvent) => {
        if (
          open &&
          event.key === 'Enter' &&
          event.target === event.currentTarget
        ) {
          open();
        }
      }}
      tabIndex={open ? 0 : undefined}
      data-testid="tag-row"
      data-digest={digest ?? ''}
    >
      <TableCell>
        <div className={classes.tags}>
          {row.tags.map(tag => (
            <TagChip key={tag.name} tag={tag} />
          ))}
        </div>
      </TableCell>
      <TableCell>
        {digest ? (
          <Digest digest={digest} />
        ) : (
          <Typography variant="body2" color="textSecondary">
            resolving…
          </Typography>
        )}
        {row.error && (
          <Typography variant="body2" color="error" data-testid="tag-row-error">
            {row.error}
          </Typography>
        )}
      </TableCell>
      <TableCell className={classes.nowrap}>
        {age && when ? (
          <Tooltip
            title={
              row.pushedAt
                ? `pushed ${row.pushedAt}${
                    row.created ? `, built ${row.created}` : ''
                  }`
                : `built ${when}`
            }
          >
            <span>{age}</span>
          </Tooltip>
        ) : (
          '—'
        )}
      </TableCell>
      <TableCell className={classes.nowrap}>
        {row.size !== undefined ? formatBytes(row.size) : '—'}
      </TableCell>
      <TableCell className={classes.nowrap}>
        {row.platforms && row.platforms.length > 0
          ? row.platforms.map(platform => <div key={platform}>{platform}</div>)
          : '—'}
      </TableCell>
      <TableCell>
        <SignedIcon signed={row.signed} />
      </TableCell>
      <TableCell>
        {row.environments.map(environment => (
          <Chip
            key={environment}
            size="small"
            color="primary"
            label={environment}
            className={classes.environment}
          />
        ))}
      </TableCell>
    </TableRow>
  );
};

/**
 * Every tag of an image, one row per digest, paged, searched and sorted by the backend. A click on a row opens
 * the image's details.
 */
export const TagsTable = (props: {
  entityRef: ImagesEntityRef;
  image: string;
  onOpenDetails: (digest: string) => void;
  /** The page is read again when this changes, keeping search, sort and page. */
  refreshKey?: string;
}) => {
  const { entityRef, image, onOpenDetails, refreshKey } = props;
  const classes = useStyles();
  const [searchInput, setSearchInput] = useState('');
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<TagSort>('created');
  const [artifacts, setArtifacts] = useState(false);
  const [page, setPage] = useState(0);

  useDebounce(
    () => {
      if (searchInput.trim() !== search) {
        setSearch(searchInput.trim());
        setPage(0);
      }
    },
    SEARCH_DEBOUNCE_MS,
    [searchInput],
  );

  const { value, loading, error, retry } = useTagPage(entityRef, {
    image,
    page,
    pageSize: TAGS_PAGE_SIZE,
    sort,
    search: search || undefined,
    artifacts,
  });

  // After a promotion (the lanes moved) or a push the registry reported (a signal), the page is read again.
  const pushes = useImageSignals(image ? [image] : []);
  useRetryOn(`${refreshKey ?? ''} ${pushes}`, { loading, retry });

  const index = value?.index;
  const indexNote = index && (
    <>
      {!index.complete && (
        <Typography
          variant="caption"
          color="textSecondary"
          component="p"
          data-testid="tag-index-note"
        >
          Indexing {index.resolvedTags.toLocaleString('en-US')} of{' '}
          {index.totalTags.toLocaleString('en-US')} tags…
          {sort === 'created' &&
            index.order === 'partial' &&
            ' Newest first is partial until then: images not described yet follow the dated ones, this page first.'}
        </Typography>
      )}
      {index.heldBack && (
        <Typography
          variant="caption"
          color="textSecondary"
          component="p"
          data-testid="tag-index-held-back"
        >
          Indexing paused: {index.heldBack}.
        </Typography>
      )}
      {index.truncated && (
        <Typography variant="caption" color="textSecondary" component="p">
          The registry has more tags than Berth indexes; only the first{' '}
          {index.totalTags.toLocaleString('en-US')} are listed.
        </Typography>
      )}
    </>
  );

  let body;
  if (error) {
    body = (
      <ApiErrorPanel
        title={`Could not list the tags of ${image}`}
        error={error}
        onRetry={retry}
      />
    );
  } else if (!value) {
    body = <TableSkeleton />;
  } else if (value.totalRows === 0 && value.rows.length === 0) {
    body = search ? (
      <Typography variant="body2" color="textSecondary">
        No tags of {image} match “{search}”.
      </Typography>
    ) : (
      <EmptyState
        missing="data"
        title={`No tags in ${image} yet`}
        description="Push an image to this repository and its tags appear here."
      />
    );
  } else {
    body = (
      <>
        <Table
          size="small"
          data-testid="tags-table"
          aria-label={`Tags of ${image}`}
        >
          <TableHead>
            <TableRow className={classes.head}>
              <TableCell>Tags</TableCell>
              <TableCell>Digest</TableCell>
              <TableCell>Age</TableCell>
              <TableCell>Size</TableCell>
              <TableCell>Platforms</TableCell>
              <TableCell>Signed</TableCell>
              <TableCell>Environments</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {value.rows.map(row => (
              <TagRowView
                key={row.digest ?? `tag:${row.tags[0]?.name}`}
                row={row}
                onOpenDetails={onOpenDetails}
              />
            ))}
          </TableBody>
        </Table>
        <TablePagination
          component="div"
          count={value.totalRows}
          page={Math.min(
            page,
            Math.max(0, Math.ceil(value.totalRows / TAGS_PAGE_SIZE) - 1),
          )}
          rowsPerPage={TAGS_PAGE_SIZE}
          rowsPerPageOptions={[TAGS_PAGE_SIZE]}
          onPageChange={(_event, next) => setPage(next)}
        />
      </>
    );
  }

  return (
    <InfoCard title="Tags" subheader={indexNote}>
      <div className={classes.toolbar}>
        <TextField
          className={classes.search}
          placeholder="Search tags"
          value={searchInput}
          onChange={(event: ChangeEvent<HTMLInputElement>) =>
            setSearchInput(event.target.value)
          }
          inputProps={{ 'aria-label': 'Search tags' }}
          InputProps={{
            startAdornment: (
              <InputAdornment position="start">
                <SearchIcon fontSize="small" />
              </InputAdornment>
            ),
          }}
        />
        <TextField
          select
          id="tags-sort"
          label="Sort by"
          className={classes.sort}
          value={sort}
          SelectProps={{ native: true }}
          onChange={(event: ChangeEvent<HTMLInputElement>) => {
            setSort(event.target.value as TagSort);
            setPage(0);
          }}
        >
          {SORTS.map(option => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </TextField>
        <FormControlLabel
          control={
            <Switch
              checked={artifacts}
              onChange={(_event, checked) => {
                setArtifacts(checked);
                setPage(0);
              }}
              color="primary"
            />
          }
          label="Show signatures & attestations"
        />
      </div>
      {loading && value ? (
        <LinearProgress className={classes.progress} />
      ) : (
        <div className={classes.progressPlaceholder} />
      )}
      {body}
    </InfoCard>
  );
};
