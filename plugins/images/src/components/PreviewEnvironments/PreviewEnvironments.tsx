import { PreviewEnvironment } from '@berth/plugin-images-common';
import Card from '@material-ui/core/Card';
import CardContent from '@material-ui/core/CardContent';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import { formatRelativeTime } from '../../utils/format';
import { Digest } from '../Digest';

const useStyles = makeStyles(theme => ({
  list: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1.5),
  },
  card: { minWidth: 200 },
  tag: { fontFamily: 'monospace', fontWeight: 600 },
}));

/**
 * Short-lived environments of an image (tags such as `pr-412` or `feature-search`): a card each with its digest and
 * age, newest first. Nothing is shown without any.
 */
export const PreviewEnvironments = (props: {
  previews?: PreviewEnvironment[];
  onOpenDetails?: (digest: string) => void;
}) => {
  const { previews, onOpenDetails } = props;
  const classes = useStyles();
  if (!previews?.length) return null;
  return (
    <section
      aria-label="Preview environments"
      data-testid="preview-environments"
    >
      <Typography variant="h6" component="h3" gutterBottom>
        Preview environments ({previews.length})
      </Typography>
      <ul className={classes.list}>
        {previews.map(preview => (
          <li key={preview.tag} data-testid={`preview-${preview.tag}`}>
            <Card variant="outlined" className={classes.card}>
              <CardContent>
                <Typography className={classes.tag}>{preview.tag}</Typography>
                <Digest
                  digest={preview.digest}
                  onOpen={
                    onOpenDetails
                      ? () => onOpenDetails(preview.digest)
                      : undefined
                  }
                />
                <Typography variant="body2" color="textSecondary">
                  {preview.pushedAt
                    ? `pushed ${formatRelativeTime(preview.pushedAt)}`
                    : `built ${formatRelativeTime(preview.created)}`}
                </Typography>
              </CardContent>
            </Card>
          </li>
        ))}
      </ul>
    </section>
  );
};
