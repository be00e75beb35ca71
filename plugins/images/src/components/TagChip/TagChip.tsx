import { TagInfo, TagKind } from '@berth/plugin-images-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import Tooltip from '@material-ui/core/Tooltip';

const useStyles = makeStyles(theme => ({
  chip: {
    margin: theme.spacing(0.25),
    maxWidth: '100%',
  },
  label: {
    fontFamily: 'monospace',
  },
  environment: {
    backgroundColor: theme.palette.primary.main,
    color: theme.palette.primary.contrastText,
    fontWeight: theme.typography.fontWeightBold as number,
  },
  release: {
    borderColor: theme.palette.success.main,
    color: theme.palette.success.dark,
  },
  commit: {},
  rollback: {
    borderColor: theme.palette.warning.main,
    color: theme.palette.warning.dark,
  },
  'pull-request': {
    borderColor: theme.palette.info.main,
    color: theme.palette.info.dark,
  },
  artifact: {
    color: theme.palette.text.secondary,
    borderStyle: 'dashed',
  },
  other: {},
}));

/** What each kind of tag is, as the chip's tooltip says it. */
export const TAG_KIND_LABELS: Record<TagKind, string> = {
  environment: 'environment tag',
  release: 'release',
  commit: 'commit build',
  rollback: 'rollback tag',
  'pull-request': 'pull-request build',
  artifact: 'signature / attestation',
  other: 'tag',
};

/** A tag as a chip, coloured by its kind; environment tags stand out. */
export const TagChip = (props: { tag: TagInfo }) => {
  const { tag } = props;
  const classes = useStyles();
  return (
    <Tooltip title={TAG_KIND_LABELS[tag.kind]}>
      <Chip
        size="small"
        variant={tag.kind === 'environment' ? 'default' : 'outlined'}
        label={tag.name}
        className={`${classes.chip} ${classes[tag.kind]}`}
        classes={{ label: classes.label }}
        data-kind={tag.kind}
      />
    </Tooltip>
  );
};
