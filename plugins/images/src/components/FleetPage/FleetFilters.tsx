import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import Switch from '@material-ui/core/Switch';
import TextField from '@material-ui/core/TextField';
import { makeStyles } from '@material-ui/core/styles';
import { FleetRequest } from '../../api';
import { FleetFacetOption, useFleetFacets } from '../../hooks';

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
}));

/** What the fleet is narrowed to; '' (and false) is "Any". */
export interface FleetFilter {
  mine: boolean;
  status: FleetRequest['status'] | '';
  owner: string;
  system: string;
  kind: string;
  lifecycle: string;
}

export const NO_FILTER: FleetFilter = {
  mine: false,
  status: '',
  owner: '',
  system: '',
  kind: '',
  lifecycle: '',
};

export type FleetSort = NonNullable<FleetRequest['sort']>;

const STATUSES: FleetFacetOption[] = [
  { value: 'behind', label: 'Behind the environment before' },
  { value: 'RED', label: 'Missing a tag' },
  { value: 'GREY', label: 'Not indexed yet' },
];

const SORTS: FleetFacetOption[] = [
  { value: 'name', label: 'By name' },
  { value: 'staleness', label: 'Longest behind first' },
];

const FilterSelect = (props: {
  name: string;
  label: string;
  value: string;
  options: FleetFacetOption[];
  onChange: (value: string) => void;
  /** Offers "Any" (the value ''), first. */
  any?: boolean;
}) => {
  const classes = useStyles();
  const { name, label, value, options, onChange, any = true } = props;
  return (
    <FormControl size="small" variant="outlined" className={classes.select}>
      <InputLabel id={`fleet-${name}`}>{label}</InputLabel>
      <Select
        labelId={`fleet-${name}`}
        label={label}
        value={value}
        onChange={event => onChange(event.target.value as string)}
      >
        {any && <MenuItem value="">Any</MenuItem>}
        {options.map(option => (
          <MenuItem key={option.value} value={option.value}>
            {option.label}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
};

/**
 * The Images page's filter bar: search, mine, status, owner, system, kind, lifecycle and sort. The owner, system,
 * kind and lifecycle choices are those present among onboarded entities, from the catalog.
 */
export const FleetFilters = (props: {
  search: string;
  onSearch: (search: string) => void;
  filter: FleetFilter;
  onFilter: (filter: FleetFilter) => void;
  sort: FleetSort;
  onSort: (sort: FleetSort) => void;
}) => {
  const classes = useStyles();
  const { search, onSearch, filter, onFilter, sort, onSort } = props;
  const facets = useFleetFacets();
  const set = (change: Partial<FleetFilter>) =>
    onFilter({ ...filter, ...change });
  return (
    <div className={classes.filters}>
      <TextField
        className={classes.search}
        label="Search by image, tag or digest"
        variant="outlined"
        size="small"
        value={search}
        onChange={event => onSearch(event.target.value)}
        inputProps={{ 'aria-label': 'Search the fleet' }}
      />
      <FormControlLabel
        control={
          <Switch
            checked={filter.mine}
            onChange={event => set({ mine: event.target.checked })}
            color="primary"
          />
        }
        label="Mine"
      />
      <FilterSelect
        name="owner"
        label="Owner"
        value={filter.owner}
        options={facets.owners}
        onChange={owner => set({ owner })}
      />
      <FilterSelect
        name="system"
        label="System"
        value={filter.system}
        options={facets.systems}
        onChange={system => set({ system })}
      />
      <FilterSelect
        name="kind"
        label="Kind"
        value={filter.kind}
        options={facets.kinds}
        onChange={kind => set({ kind })}
      />
      <FilterSelect
        name="lifecycle"
        label="Lifecycle"
        value={filter.lifecycle}
        options={facets.lifecycles}
        onChange={lifecycle => set({ lifecycle })}
      />
      <FilterSelect
        name="status"
        label="Status"
        value={filter.status ?? ''}
        options={STATUSES}
        onChange={status => set({ status: status as FleetFilter['status'] })}
      />
      <FilterSelect
        name="sort"
        label="Sort"
        value={sort}
        options={SORTS}
        onChange={next => onSort(next as FleetSort)}
        any={false}
      />
    </div>
  );
};
