import { CodeSnippet, CopyTextButton } from '@backstage/core-components';
import { classifyTag, ImageDetails } from '@berth/plugin-images-common';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Drawer from '@material-ui/core/Drawer';
import IconButton from '@material-ui/core/IconButton';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import CloseIcon from '@material-ui/icons/Close';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import Skeleton from '@material-ui/lab/Skeleton';
import { useEffect, useState } from 'react';
import { ImagesEntityRef } from '../../api';
import { useImageDetails } from '../../hooks';
import { shortDigest } from '../../utils/format';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { TagChip } from '../TagChip';
import { AttachmentsList } from './AttachmentsList';
import { PlatformSection } from './PlatformSection';

const useStyles = makeStyles(theme => ({
  paper: {
    width: 720,
    maxWidth: '100vw',
    overflowX: 'hidden',
  },
  content: {
    padding: theme.spacing(3),
  },
  header: {
    display: 'flex',
    alignItems: 'flex-start',
    justifyContent: 'space-between',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  title: { overflowWrap: 'anywhere' },
  heading: { marginTop: theme.spacing(3), marginBottom: theme.spacing(1) },
  pull: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(1, 1, 1, 2),
    backgroundColor: theme.palette.background.default,
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
  },
  pullCommand: {
    flex: 1,
    minWidth: 0,
    fontFamily: 'monospace',
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    margin: 0,
  },
  tags: { display: 'flex', flexWrap: 'wrap' },
  manifest: { display: 'block', width: '100%' },
}));

const DetailsBody = (props: {
  details: ImageDetails;
  environmentTags: string[];
}) => {
  const { details, environmentTags } = props;
  const classes = useStyles();
  return (
    <>
      <Typography variant="subtitle2" className={classes.heading}>
        Pull
      </Typography>
      <div className={classes.pull}>
        <pre className={classes.pullCommand} data-testid="pull-command">
          {details.pullCommand}
        </pre>
        <CopyTextButton
          text={details.pullCommand}
          aria-label="Copy pull command"
          tooltipText="Pull command copied to clipboard"
          variant="tertiary"
        />
      </div>

      {details.tags.length > 0 && (
        <>
          <Typography variant="subtitle2" className={classes.heading}>
            Tags
          </Typography>
          <div className={classes.tags}>
            {details.tags.map(tag => (
              <TagChip
                key={tag}
                tag={{ name: tag, kind: classifyTag(tag, environmentTags) }}
              />
            ))}
          </div>
        </>
      )}

      <Typography variant="subtitle2" className={classes.heading}>
        Platforms ({details.platforms.length})
      </Typography>
      {details.platforms.map(platform => (
        <PlatformSection key={platform.digest} platform={platform} />
      ))}

      <Typography variant="subtitle2" className={classes.heading}>
        Signatures, attestations and SBOMs
      </Typography>
      <AttachmentsList attachments={details.attachments} />

      <Accordion TransitionProps={{ unmountOnExit: true }}>
        <AccordionSummary expandIcon={<ExpandMoreIcon />}>
          <Typography variant="subtitle2">
            Raw manifest ({details.mediaType})
          </Typography>
        </AccordionSummary>
        <AccordionDetails>
          <div className={classes.manifest}>
            <CodeSnippet
              language="json"
              text={details.manifest}
              showCopyCodeButton
            />
          </div>
        </AccordionDetails>
      </Accordion>
    </>
  );
};

/**
 * The details of one image (a digest), in a drawer on the right: how to pull it, its platforms, attachments and
 * raw manifest. Open while `digest` is set.
 */
export const ImageDetailsDrawer = (props: {
  entityRef: ImagesEntityRef;
  image: string;
  digest?: string;
  environmentTags?: string[];
  onClose: () => void;
}) => {
  const { entityRef, image, environmentTags = [], onClose } = props;
  const classes = useStyles();
  // Keep showing the last image while the drawer slides shut.
  const [digest, setDigest] = useState(props.digest);
  useEffect(() => {
    if (props.digest) setDigest(props.digest);
  }, [props.digest]);
  const { value, loading, error, retry } = useImageDetails(entityRef, {
    image,
    digest,
  });

  return (
    <Drawer
      anchor="right"
      open={Boolean(props.digest)}
      onClose={onClose}
      classes={{ paper: classes.paper }}
    >
      <div
        className={classes.content}
        data-testid="image-details"
        role="region"
        aria-label="Image details"
        data-digest={digest ?? ''}
      >
        <div className={classes.header}>
          <div>
            <Typography variant="h5" component="h2">
              Image details
            </Typography>
            <Typography
              variant="body2"
              color="textSecondary"
              className={classes.title}
            >
              {image}
              {digest && `@${digest}`}
            </Typography>
          </div>
          <IconButton aria-label="Close details" onClick={onClose}>
            <CloseIcon />
          </IconButton>
        </div>
        {error && (
          <ApiErrorPanel
            title={`Could not describe ${image}@${
              digest ? shortDigest(digest) : ''
            }`}
            error={error}
            onRetry={retry}
          />
        )}
        {!error && (loading || !value) && (
          <div data-testid="image-details-loading" aria-busy>
            <Skeleton variant="rect" height={48} />
            <Skeleton variant="text" width="40%" height={32} />
            <Skeleton variant="rect" height={200} />
            <Skeleton variant="text" width="40%" height={32} />
            <Skeleton variant="rect" height={120} />
          </div>
        )}
        {!error && !loading && value && (
          <DetailsBody details={value} environmentTags={environmentTags} />
        )}
      </div>
    </Drawer>
  );
};
