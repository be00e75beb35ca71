import { CopyTextButton } from '@backstage/core-components';
import Link from '@material-ui/core/Link';
import { makeStyles } from '@material-ui/core/styles';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { shortDigest } from '../../utils/format';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    whiteSpace: 'nowrap',
  },
  digest: { fontFamily: 'monospace' },
}));

/**
 * A digest as its first 12 hex digits with a button that copies the whole digest; clicking the digest itself
 * opens the image's details when `onOpen` is given.
 */
export const Digest = (props: { digest: string; onOpen?: () => void }) => {
  const { digest, onOpen } = props;
  const classes = useStyles();
  const short = shortDigest(digest);
  return (
    <span className={classes.root}>
      <Tooltip title={digest}>
        {onOpen ? (
          <Link
            component="button"
            variant="body2"
            className={classes.digest}
            onClick={onOpen}
            aria-label={`Show details of ${short}`}
          >
            {short}
          </Link>
        ) : (
          <Typography
            variant="body2"
            component="span"
            className={classes.digest}
          >
            {short}
          </Typography>
        )}
      </Tooltip>
      <CopyTextButton
        text={digest}
        aria-label={`Copy digest ${short}`}
        tooltipText="Digest copied to clipboard"
        variant="tertiary"
      />
    </span>
  );
};
