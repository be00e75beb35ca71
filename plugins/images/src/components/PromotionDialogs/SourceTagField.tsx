import TextField from '@material-ui/core/TextField';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { ReactNode, useMemo, useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';
import { ImagesEntityRef } from '../../api';
import { useTagPage } from '../../hooks';
import { shortDigest } from '../../utils/format';
import { SEARCH_DEBOUNCE_MS } from '../TagsTable';

/** How many of the newest matching tags the field offers. */
const SUGGESTIONS = 50;

const useStyles = makeStyles(theme => ({
  option: {
    display: 'flex',
    justifyContent: 'space-between',
    gap: theme.spacing(2),
    width: '100%',
  },
  tag: { fontFamily: 'monospace' },
  digest: { fontFamily: 'monospace', color: theme.palette.text.secondary },
}));

function looksLikeDigest(text: string): boolean {
  return /^[a-z0-9]+:[0-9a-f]*$/i.test(text.trim());
}

/**
 * A tag or digest of the image. Suggests the image's tags, newest first, narrowed by the backend as the user types;
 * anything else (a digest, a tag the index has not seen yet) may be typed freely.
 */
export const SourceTagField = (props: {
  entityRef: ImagesEntityRef;
  image: string;
  value: string;
  onChange: (value: string) => void;
  helperText?: ReactNode;
  disabled?: boolean;
}) => {
  const { entityRef, image, value, onChange, helperText, disabled } = props;
  const classes = useStyles();
  // The chosen option is kept apart from the text: were it always equal to the text, the field would stop
  // narrowing its suggestions to what is typed.
  const [selected, setSelected] = useState<string | null>(value || null);
  const [search, setSearch] = useState('');
  useDebounce(
    () => setSearch(looksLikeDigest(value) ? '' : value.trim()),
    SEARCH_DEBOUNCE_MS,
    [value],
  );
  const { value: page, loading } = useTagPage(entityRef, {
    image,
    sort: 'created',
    pageSize: SUGGESTIONS,
    search: search || undefined,
    artifacts: false,
  });
  const digestOfTag = useMemo(() => {
    const digests = new Map<string, string | undefined>();
    for (const row of page?.rows ?? []) {
      for (const tag of row.tags) {
        if (tag.kind !== 'artifact') digests.set(tag.name, row.digest);
      }
    }
    return digests;
  }, [page]);

  return (
    <Autocomplete
      freeSolo
      options={[...digestOfTag.keys()]}
      value={selected}
      inputValue={value}
      onChange={(_event, option) => {
        setSelected(option);
        onChange(option ?? '');
      }}
      onInputChange={(_event, text) => onChange(text)}
      loading={loading}
      disabled={disabled}
      renderOption={tag => {
        const digest = digestOfTag.get(tag);
        return (
          <span className={classes.option}>
            <span className={classes.tag}>{tag}</span>
            {digest && (
              <Typography variant="caption" className={classes.digest}>
                {shortDigest(digest)}
              </Typography>
            )}
          </span>
        );
      }}
      renderInput={params => (
        <TextField
          {...params}
          label="Source tag or digest"
          required
          helperText={helperText}
          inputProps={{
            ...params.inputProps,
            'data-testid': 'promote-source',
          }}
        />
      )}
    />
  );
};
