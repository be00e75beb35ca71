import { Link } from '@backstage/core-components';
import {
  classifyTag,
  EnvironmentLane,
  PromotionInfo,
} from '@berth/plugin-images-common';
import Card from '@material-ui/core/Card';
import Alert from '@material-ui/lab/Alert';
import CardContent from '@material-ui/core/CardContent';
import { makeStyles } from '@material-ui/core/styles';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import LockIcon from '@material-ui/icons/Lock';
import VerifiedUserIcon from '@material-ui/icons/VerifiedUser';
import RemoveCircleOutlineIcon from '@material-ui/icons/RemoveCircleOutline';
import { ReactNode } from 'react';
import {
  formatBytes,
  formatRelativeTime,
  shortRevision,
} from '../../utils/format';
import { userName } from '../../utils/promotion';
import { Digest } from '../Digest';
import { Field } from '../Field';
import { laneStatusLabel, StatusChip } from '../StatusChip';
import { TagChip } from '../TagChip';
import { DeploymentStatus } from './DeploymentStatus';
import { DriftIndicator } from './DriftIndicator';
import { LanePolicyChips } from './LanePolicyChips';

const useStyles = makeStyles(theme => ({
  card: {
    flex: '1 1 0',
    minWidth: 240,
    maxWidth: 420,
    alignSelf: 'stretch',
  },
  header: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(1),
  },
  name: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
  },
  protected: {
    display: 'inline-flex',
    alignItems: 'center',
    color: theme.palette.text.secondary,
  },
  message: {
    marginBottom: theme.spacing(1),
  },
  fields: {
    display: 'grid',
    gridTemplateColumns: 'auto 1fr',
    columnGap: theme.spacing(1.5),
    rowGap: theme.spacing(0.5),
    alignItems: 'center',
    margin: theme.spacing(1, 0),
  },
  mono: { fontFamily: 'monospace' },
  chips: { display: 'flex', flexWrap: 'wrap', minWidth: 0 },
  signed: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
  },
  signedIcon: { color: theme.palette.success.main },
  unsignedIcon: { color: theme.palette.text.disabled },
}));

function displayRepository(repository: string): string {
  return repository.replace(/^https?:\/\//, '').replace(/\.git$/, '');
}

/**
 * One environment of an image: status, its hold and release policies, tag, digest, what its deployment runs, age,
 * source, platforms, size, signature and drift.
 */
export const EnvironmentLaneCard = (props: {
  lane: EnvironmentLane;
  /** Name of the previous environment that has an image, for the drift text. */
  previous?: string;
  /** Tags of every environment of the image, to tell environment tags apart. */
  environmentTags: string[];
  /** The promotion or rollback that put the lane's image there, from the history. */
  lastMove?: PromotionInfo;
  onOpenDetails?: (digest: string) => void;
  /** Buttons at the foot of the card (promote, roll back). */
  actions?: ReactNode;
}) => {
  const { lane, previous, environmentTags, lastMove, onOpenDetails, actions } =
    props;
  const classes = useStyles();
  const image = lane.image;
  const digest = lane.digest ?? image?.digest;
  const otherTags = (image?.tags ?? []).filter(tag => tag !== lane.tag);
  const built = formatRelativeTime(image?.created);
  const source = image?.source;

  return (
    <Card
      variant="outlined"
      className={classes.card}
      component="section"
      aria-label={`${lane.name} environment`}
      data-testid={`environment-lane-${lane.name}`}
      data-digest={digest ?? ''}
      data-status={lane.status}
    >
      <CardContent>
        <div className={classes.header}>
          <div className={classes.name}>
            <Typography variant="h6" component="h3">
              {lane.name}
            </Typography>
            {lane.protected && (
              <Tooltip title="Protected: a promotion needs a second person's approval">
                <span className={classes.protected}>
                  <LockIcon fontSize="small" aria-hidden />
                  <Typography variant="caption">protected</Typography>
                </span>
              </Tooltip>
            )}
          </div>
          <StatusChip status={lane.status} label={laneStatusLabel(lane)} />
        </div>
        {lane.hold && (
          <Alert
            severity="warning"
            className={classes.message}
            data-testid={`lane-hold-${lane.name}`}
          >
            Held by {userName(lane.hold.heldBy)}{' '}
            {formatRelativeTime(lane.hold.heldAt)}: {lane.hold.reason}. No
            promotion enters until it is released.
          </Alert>
        )}
        <LanePolicyChips lane={lane} />
        {lane.message && (lane.status !== 'GREEN' || lane.deployment) && (
          <Typography
            variant="body2"
            color="textSecondary"
            className={classes.message}
          >
            {lane.message}
          </Typography>
        )}
        <dl className={classes.fields}>
          <Field label="Tag">
            <span className={classes.mono}>{lane.tag}</span>
          </Field>
          {digest && (
            <Field label="Digest">
              <Digest
                digest={digest}
                onOpen={onOpenDetails ? () => onOpenDetails(digest) : undefined}
              />
            </Field>
          )}
          {lane.deployment && (
            <Field label="Runs">
              <DeploymentStatus
                deployment={lane.deployment}
                laneDigest={digest}
              />
            </Field>
          )}
          {otherTags.length > 0 && (
            <Field label="Also">
              <span className={classes.chips}>
                {otherTags.map(tag => (
                  <TagChip
                    key={tag}
                    tag={{ name: tag, kind: classifyTag(tag, environmentTags) }}
                  />
                ))}
              </span>
            </Field>
          )}
          {built && image?.created && (
            <Field label="Built">
              <Tooltip title={image.created}>
                <span>built {built}</span>
              </Tooltip>
            </Field>
          )}
          {source?.repository && (
            <Field label="Source">
              {/^https?:\/\//.test(source.repository) ? (
                <Link to={source.repository}>
                  {displayRepository(source.repository)}
                </Link>
              ) : (
                displayRepository(source.repository)
              )}
            </Field>
          )}
          {source?.revision && (
            <Field label="Commit">
              {source.commitUrl ? (
                <Link to={source.commitUrl} className={classes.mono}>
                  {shortRevision(source.revision)}
                </Link>
              ) : (
                <span className={classes.mono}>
                  {shortRevision(source.revision)}
                </span>
              )}
            </Field>
          )}
          {lastMove && (
            <Field
              label={lastMove.kind === 'rollback' ? 'Rolled back' : 'Promoted'}
            >
              <Tooltip
                title={`“${lastMove.reason}”${
                  lastMove.forced ? ' (forced past failed gates)' : ''
                }`}
              >
                <span data-testid="lane-last-move">
                  by {userName(lastMove.requestedBy)}
                  {lastMove.decidedBy &&
                    `, approved by ${userName(lastMove.decidedBy)}`}{' '}
                  {formatRelativeTime(
                    lastMove.finishedAt ?? lastMove.createdAt,
                  )}
                  {lastMove.forced && ' · forced'}
                </span>
              </Tooltip>
            </Field>
          )}
          {image && image.platforms.length > 0 && (
            <Field label="Platforms">{image.platforms.join(', ')}</Field>
          )}
          {image?.size !== undefined && (
            <Field label="Size">{formatBytes(image.size)}</Field>
          )}
          {image && (
            <Field label="Signature">
              <span className={classes.signed}>
                {image.signed ? (
                  <VerifiedUserIcon
                    fontSize="small"
                    className={classes.signedIcon}
                    aria-hidden
                  />
                ) : (
                  <RemoveCircleOutlineIcon
                    fontSize="small"
                    className={classes.unsignedIcon}
                    aria-hidden
                  />
                )}
                {image.signed ? 'signed' : 'unsigned'}
              </span>
            </Field>
          )}
        </dl>
        {lane.drift && previous && (
          <DriftIndicator drift={lane.drift} previous={previous} />
        )}
        {actions}
      </CardContent>
    </Card>
  );
};
