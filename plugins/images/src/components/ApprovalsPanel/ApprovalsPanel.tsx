import { InfoCard } from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { PromotionInfo } from '@berth/plugin-images-common';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import TextField from '@material-ui/core/TextField';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import ArrowForwardIcon from '@material-ui/icons/ArrowForward';
import Alert from '@material-ui/lab/Alert';
import { ReactElement, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { imagesApiRef, ImagesEntityRef } from '../../api';
import { PermissionState, usePromotionPermissions } from '../../hooks';
import { errorMessage, formatRelativeTime } from '../../utils/format';
import { isSameEntityRef, userName } from '../../utils/promotion';
import { Digest } from '../Digest';
import { Field } from '../Field';
import { GatesList } from '../Gates';
import { ForcedChip } from '../PromotionStatusChip';

/** The backend keeps at most this much of a decision's comment. */
const MAX_COMMENT_LENGTH = 1000;

const REQUESTER_CANNOT_DECIDE =
  'You asked for this promotion: a second person must approve it';
const NOT_ALLOWED_TO_DECIDE =
  'You are not allowed to approve promotions of this entity';

const useStyles = makeStyles(theme => ({
  list: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
  },
  item: {
    border: `1px solid ${theme.palette.warning.main}`,
    borderRadius: theme.shape.borderRadius,
    padding: theme.spacing(2),
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
  },
  headline: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    justifyContent: 'space-between',
    gap: theme.spacing(1),
  },
  fields: {
    display: 'grid',
    gridTemplateColumns: 'auto 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    alignItems: 'center',
    margin: 0,
  },
  move: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  mono: { fontFamily: 'monospace' },
  tag: { fontFamily: 'monospace', margin: theme.spacing(0.25) },
  decision: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
  },
  comment: { flex: '1 1 280px' },
  buttons: {
    display: 'flex',
    gap: theme.spacing(1),
    paddingTop: theme.spacing(1),
  },
}));

/** A disabled button fires no mouse events, so its tooltip needs a wrapper that does. */
const WithReason = (props: { reason?: string; children: ReactElement }) => (
  // An empty title shows no tooltip; the wrapper stays, so the button keeps its place in the DOM.
  <Tooltip title={props.reason ?? ''}>
    <span>{props.children}</span>
  </Tooltip>
);

/** One promotion waiting for approval: what it moves and why, and Approve and Reject for those who may decide. */
export const PendingPromotion = (props: {
  entityRef: ImagesEntityRef;
  promotion: PromotionInfo;
  permission: PermissionState;
  userEntityRef?: string;
  onDecided: (promotion: PromotionInfo) => void;
}) => {
  const { entityRef, promotion, permission, userEntityRef, onDecided } = props;
  const classes = useStyles();
  const api = useApi(imagesApiRef);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<'approve' | 'reject'>();
  const [error, setError] = useState<Error>();

  const isRequester = isSameEntityRef(promotion.requestedBy, userEntityRef);
  const approvals = promotion.approvals ?? [];
  const approvedAlready = approvals.some(a =>
    isSameEntityRef(a.by, userEntityRef),
  );
  let blockedReason: string | undefined;
  if (!permission.loading && !permission.allowed) {
    blockedReason = NOT_ALLOWED_TO_DECIDE;
  } else if (isRequester) {
    blockedReason = REQUESTER_CANNOT_DECIDE;
  } else if (approvedAlready) {
    blockedReason = 'You approved it already: it waits for other people';
  }
  const canDecide =
    !blockedReason && !permission.loading && Boolean(userEntityRef) && !busy;
  const trimmed = comment.trim();

  const decide = async (decision: 'approve' | 'reject') => {
    setBusy(decision);
    setError(undefined);
    try {
      const decided =
        decision === 'approve'
          ? await api.approvePromotion(
              entityRef,
              promotion.id,
              trimmed || undefined,
            )
          : await api.rejectPromotion(entityRef, promotion.id, trimmed);
      onDecided(decided);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(undefined);
    }
  };

  const age = formatRelativeTime(promotion.createdAt);
  const what =
    promotion.kind === 'rollback'
      ? `roll back ${promotion.environment} of ${promotion.image}`
      : `promote ${promotion.image} to ${promotion.environment}`;

  return (
    <li
      className={classes.item}
      data-testid="pending-promotion"
      data-promotion-id={promotion.id}
    >
      <div className={classes.headline}>
        <Typography variant="subtitle1" component="h3">
          <Tooltip title={promotion.requestedBy}>
            <strong>{userName(promotion.requestedBy)}</strong>
          </Tooltip>{' '}
          asks to {what}
          {promotion.forced && <ForcedChip />}
        </Typography>
        {age && (
          <Tooltip title={promotion.createdAt}>
            <Typography variant="body2" color="textSecondary">
              {age}
            </Typography>
          </Tooltip>
        )}
      </div>
      <dl className={classes.fields}>
        <Field label="Image">
          <span className={classes.move}>
            {promotion.previousDigest ? (
              <Digest digest={promotion.previousDigest} />
            ) : (
              'what it runs now'
            )}
            <ArrowForwardIcon fontSize="small" aria-label="moves to" />
            {promotion.sourceDigest ? (
              <Digest digest={promotion.sourceDigest} />
            ) : null}
            {/* A tag says more than the digest beside it; a digest would only repeat it. */}
            {!promotion.source.startsWith('sha256:') && (
              <span className={classes.mono}>({promotion.source})</span>
            )}
          </span>
        </Field>
        <Field label="Tags">
          {promotion.tags.length
            ? promotion.tags.map(tag => (
                <Chip
                  key={tag}
                  size="small"
                  variant="outlined"
                  label={tag}
                  className={classes.tag}
                />
              ))
            : '—'}
        </Field>
        <Field label="Reason">{promotion.reason}</Field>
        {promotion.approvalsNeeded ? (
          <Field label="Approvals" data-testid="promotion-approvals">
            {approvals.length} of {promotion.approvalsNeeded}
            {approvals.length > 0 &&
              ` (${approvals.map(a => userName(a.by)).join(', ')})`}
            {promotion.approvalGroup &&
              `, from members of ${promotion.approvalGroup}`}
          </Field>
        ) : null}
        {promotion.approvers?.length ? (
          <Field label="Approvers" data-testid="promotion-approvers">
            only owners of the entity that named this repository first:{' '}
            {promotion.approvers.join(', ')}
          </Field>
        ) : null}
      </dl>
      <GatesList gates={promotion.gates} />
      {error && <Alert severity="error">{errorMessage(error)}</Alert>}
      <div className={classes.decision}>
        {!blockedReason && (
          <TextField
            id={`decision-comment-${promotion.id}`}
            className={classes.comment}
            label="Comment"
            size="small"
            variant="outlined"
            value={comment}
            onChange={event => setComment(event.target.value)}
            inputProps={{ maxLength: MAX_COMMENT_LENGTH }}
            helperText="Optional to approve, required to reject"
            disabled={Boolean(busy)}
          />
        )}
        <div className={classes.buttons}>
          {isRequester && (
            <Button
              variant="outlined"
              disabled={Boolean(busy) || !userEntityRef}
              onClick={() => decide('reject')}
              data-testid="withdraw-promotion"
            >
              Withdraw
            </Button>
          )}
          <WithReason reason={blockedReason}>
            <Button
              variant="contained"
              color="primary"
              disabled={!canDecide}
              onClick={() => decide('approve')}
            >
              Approve
            </Button>
          </WithReason>
          <WithReason
            reason={
              blockedReason ??
              (canDecide && !trimmed
                ? 'Say why in the comment to reject'
                : undefined)
            }
          >
            <Button
              variant="outlined"
              disabled={!canDecide || !trimmed}
              onClick={() => decide('reject')}
            >
              Reject
            </Button>
          </WithReason>
        </div>
      </div>
    </li>
  );
};

/**
 * Promotions of the entity waiting for a second person's approval, each with what it would move and why, and
 * Approve and Reject for those who may decide. Nothing is shown while none waits.
 */
export const ApprovalsPanel = (props: {
  entityRef: ImagesEntityRef;
  promotions: PromotionInfo[];
  onDecided: (promotion: PromotionInfo) => void;
  className?: string;
}) => {
  const { entityRef, promotions, onDecided, className } = props;
  const classes = useStyles();
  const identityApi = useApi(identityApiRef);
  const { approve } = usePromotionPermissions(entityRef);
  const { value: identity } = useAsync(
    () => identityApi.getBackstageIdentity(),
    [identityApi],
  );
  const pending = promotions.filter(
    promotion => promotion.status === 'pending-approval',
  );
  if (pending.length === 0) return null;
  return (
    <div data-testid="approvals-panel" className={className}>
      <InfoCard
        title={`Waiting for approval (${pending.length})`}
        subheader="Promotions to protected environments run once a second person approves them."
      >
        <ul className={classes.list}>
          {pending.map(promotion => (
            <PendingPromotion
              key={promotion.id}
              entityRef={entityRef}
              promotion={promotion}
              permission={approve}
              userEntityRef={identity?.userEntityRef}
              onDecided={onDecided}
            />
          ))}
        </ul>
      </InfoCard>
    </div>
  );
};
