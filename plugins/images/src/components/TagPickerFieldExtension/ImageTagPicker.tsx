import { Entity } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { ScaffolderField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  entityImageByName,
  formatImageReference,
  readEntityImagesSpec,
  TagPage,
  TagRow,
} from '@berth/plugin-images-common';
import CircularProgress from '@material-ui/core/CircularProgress';
import { makeStyles } from '@material-ui/core/styles';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { useEffect, useMemo, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useDebounce from 'react-use/esm/useDebounce';
import { imagesApiRef } from '../../api';
import {
  errorMessage,
  formatRelativeTime,
  shortDigest,
} from '../../utils/format';
import { ImageTagPickerProps } from './schema';

/** How many images (digests) one request lists: the newest, or the newest that match the search. */
export const TAG_PICKER_PAGE_SIZE = 50;

/** How long the picker waits for typing to stop before it asks the backend. */
export const TAG_PICKER_DEBOUNCE_MS = 300;

/** One choice: a tag, and what the picker knows about the image (digest) it points at. */
interface TagOption {
  tag: string;
  digest?: string;
  created?: string;
  environments: string[];
  /** The group the option is listed under: its digest, age and environments. */
  group: string;
}

const useStyles = makeStyles(theme => ({
  option: { fontFamily: 'monospace' },
  summary: { marginTop: theme.spacing(0.5) },
}));

/** `sha256:1a2b3c4d5e6f · 2 days ago · runs in staging`: what the tags under it point at. */
function describeImage(row: {
  digest?: string;
  created?: string;
  environments: string[];
}): string {
  if (!row.digest) return 'digest not resolved yet';
  const parts = [`sha256:${shortDigest(row.digest)}`];
  const age = formatRelativeTime(row.created);
  if (age) parts.push(age);
  if (row.environments.length > 0)
    parts.push(`runs in ${row.environments.join(', ')}`);
  return parts.join(' · ');
}

function optionsOf(rows: TagRow[]): TagOption[] {
  return rows.flatMap(row => {
    const group = describeImage(row);
    return row.tags.map(tag => ({
      tag: tag.name,
      digest: row.digest,
      created: row.created,
      environments: row.environments,
      group,
    }));
  });
}

/** A form field's value by name; `a.b` reads a field of an object field. */
function fieldValue(
  formData: Record<string, unknown> | undefined,
  name: string,
): string | undefined {
  let value: unknown = formData;
  for (const key of name.split('.')) {
    if (!value || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** The image whose tags are listed: the one another field names, else the entity's first. */
function pickImage(entity: Entity, requested: string | undefined): string {
  const spec = readEntityImagesSpec(entity);
  if (!spec || spec.images.length === 0) {
    throw new Error(
      `${entity.metadata.name} has no berth.dev/images annotation: onboard it to Berth first`,
    );
  }
  const image = entityImageByName(spec.images, requested);
  if (!image) {
    throw new Error(
      `${requested} is not one of ${
        entity.metadata.name
      }'s images (${spec.images.map(formatImageReference).join(', ')})`,
    );
  }
  return formatImageReference(image);
}

/**
 * The `ImageTagPicker` scaffolder field: lists the tags of an entity's image, newest first and grouped by the
 * image they point at (short digest, age, environments that run it), and searches them on the backend as the
 * user types. The entity comes from another field of the form (`ui:options.entityRefField`, default `entityRef`),
 * the image from `ui:options.imageField` or else the entity's first image.
 *
 * @public
 */
export const ImageTagPicker = (props: ImageTagPickerProps) => {
  const {
    onChange,
    schema: { title = 'Image tag', description = 'A tag of the image' },
    uiSchema,
    formData,
    formContext,
    required,
    rawErrors,
    errors,
    idSchema,
  } = props;
  const classes = useStyles();
  const catalogApi = useApi(catalogApiRef);
  const imagesApi = useApi(imagesApiRef);

  const options = uiSchema?.['ui:options'];
  const entityRefField = options?.entityRefField ?? 'entityRef';
  const siblings = formContext?.formData as Record<string, unknown> | undefined;
  const entityRef = fieldValue(siblings, entityRefField);
  const requestedImage = options?.imageField
    ? fieldValue(siblings, options.imageField)
    : undefined;

  const [inputValue, setInputValue] = useState(formData ?? '');
  const [search, setSearch] = useState('');
  const [debouncedSearch, setDebouncedSearch] = useState('');
  useDebounce(() => setDebouncedSearch(search.trim()), TAG_PICKER_DEBOUNCE_MS, [
    search,
  ]);

  // Another entity or image has other tags: a tag chosen for the previous one no longer applies.
  const target = `${entityRef ?? ''}|${requestedImage ?? ''}`;
  const previousTarget = useRef(target);
  useEffect(() => {
    if (previousTarget.current === target) return;
    previousTarget.current = target;
    setSearch('');
    setDebouncedSearch('');
    setInputValue('');
    if (formData) onChange(undefined);
  }, [target, formData, onChange]);

  const image = useAsync(async () => {
    if (!entityRef) return undefined;
    const entity = await catalogApi.getEntityByRef(entityRef);
    if (!entity) throw new Error(`${entityRef} is not in the catalog`);
    return pickImage(entity, requestedImage);
  }, [catalogApi, entityRef, requestedImage]);

  const tags = useAsync(async (): Promise<TagPage | undefined> => {
    if (!entityRef || !image.value) return undefined;
    return imagesApi.getTags(entityRef, {
      image: image.value,
      pageSize: TAG_PICKER_PAGE_SIZE,
      sort: 'created',
      search: debouncedSearch || undefined,
    });
  }, [imagesApi, entityRef, image.value, debouncedSearch]);

  const listed = useMemo(() => optionsOf(tags.value?.rows ?? []), [tags.value]);
  const selected = useMemo((): TagOption | null => {
    if (!formData) return null;
    return (
      listed.find(option => option.tag === formData) ?? {
        tag: formData,
        environments: [],
        group: 'chosen',
      }
    );
  }, [formData, listed]);
  // The chosen tag stays a valid choice while a search lists other tags.
  const choices =
    selected && !listed.some(option => option.tag === selected.tag)
      ? [...listed, selected]
      : listed;

  const loading =
    image.loading || tags.loading || search.trim() !== debouncedSearch;
  const failure = image.error ?? tags.error;
  const page = tags.value;

  let helperText: string | undefined;
  if (!entityRef) helperText = 'Choose the entity first';
  else if (failure) helperText = errorMessage(failure);
  else if (page && page.totalRows > page.rows.length)
    helperText = `The newest ${
      page.rows.length
    } of ${page.totalRows.toLocaleString('en-US')} images of ${
      page.image
    }: type to search`;
  else if (page) helperText = `Tags of ${page.image}`;

  return (
    <ScaffolderField
      rawErrors={rawErrors}
      rawDescription={uiSchema?.['ui:description'] ?? description}
      required={required}
      errors={errors}
    >
      <Autocomplete<TagOption>
        id={idSchema?.$id}
        data-testid="image-tag-picker"
        disabled={!entityRef}
        options={choices}
        value={selected}
        inputValue={inputValue}
        loading={loading}
        // The backend searches; every option it answers with is a match.
        filterOptions={all => all}
        groupBy={option => option.group}
        getOptionLabel={option => option.tag}
        getOptionSelected={(option, value) => option.tag === value.tag}
        onChange={(_event, option) => onChange(option?.tag)}
        onInputChange={(_event, value, reason) => {
          setInputValue(value);
          if (reason === 'input') setSearch(value);
          else setSearch('');
        }}
        noOptionsText={
          debouncedSearch
            ? `No tag matches “${debouncedSearch}”`
            : 'The image has no tags yet'
        }
        renderOption={option => (
          <span className={classes.option}>{option.tag}</span>
        )}
        renderInput={params => (
          <TextField
            {...params}
            label={title}
            margin="dense"
            variant="outlined"
            required={required}
            error={Boolean(failure) || (rawErrors?.length ?? 0) > 0}
            helperText={helperText}
            InputProps={{
              ...params.InputProps,
              endAdornment: (
                <>
                  {loading && entityRef ? (
                    <CircularProgress
                      color="inherit"
                      size={20}
                      data-testid="image-tag-picker-loading"
                    />
                  ) : null}
                  {params.InputProps.endAdornment}
                </>
              ),
            }}
          />
        )}
      />
      {selected?.digest && (
        <Typography
          variant="caption"
          color="textSecondary"
          className={classes.summary}
          data-testid="image-tag-picker-selection"
        >
          {selected.tag} · {describeImage(selected)}
        </Typography>
      )}
    </ScaffolderField>
  );
};
