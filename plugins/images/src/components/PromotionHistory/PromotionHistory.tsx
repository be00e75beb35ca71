import { EmptyState, InfoCard } from '@backstage/core-components';
import { PromotionInfo } from '@berth/plugin-images-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import ArrowForwardIcon from '@material-ui/icons/ArrowForward';
import { formatRelativeTime } from '../../utils/format';
import { userName } from '../../utils/promotion';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { Digest } from '../Digest';
import { GatesSummary } from '../Gates';
import { TableSkeleton } from '../ImagesSkeleton';
import { ForcedChip, PromotionStatusChip } from '../PromotionStatusChip';
import { TagChip } from '../TagChip';

const useStyles = makeStyles(theme => ({
  scroll: { overflowX: 'auto' },
  head: { '& th': { whiteSpace: 'nowrap' } },
  row: { verticalAlign: 'top' },
  nowrap: { whiteSpace: 'nowrap' },
  mono: { fontFamily: 'monospace' },
  move: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    whiteSpace: 'nowrap',
  },
  arrow: { color: theme.palette.text.secondary },
  tags: { display: 'flex', flexWrap: 'wrap', maxWidth: 320 },
  tag: { fontFamily: 'monospace', margin: theme.spacing(0.25) },
  reason: { minWidth: 160, maxWidth: 320, overflowWrap: 'break-word' },
  error: { maxWidth: 320, overflowWrap: 'break-word' },
}));

const User = (props: { entityRef: string }) => (
  <Tooltip title={props.entityRef}>
    <span>{userName(props.entityRef)}</span>
  </Tooltip>
);

const HistoryRow = (props: {
  promotion: PromotionInfo;
  showImage: boolean;
}) => {
  const { promotion, showImage } = props;
  const classes = useStyles();
  const when = formatRelativeTime(promotion.createdAt) ?? promotion.createdAt;
  return (
    <TableRow
      className={classes.row}
      data-testid="promotion-row"
      data-promotion-id={promotion.id}
      data-status={promotion.status}
    >
      <TableCell className={classes.nowrap}>
        <Tooltip title={promotion.createdAt}>
          <span>{when}</span>
        </Tooltip>
      </TableCell>
      <TableCell className={classes.nowrap}>{promotion.kind}</TableCell>
      <TableCell className={classes.nowrap}>{promotion.environment}</TableCell>
      {showImage && (
        <TableCell className={`${classes.mono} ${classes.nowrap}`}>
          {promotion.image}
        </TableCell>
      )}
      <TableCell className={classes.nowrap}>
        <PromotionStatusChip status={promotion.status} />
        {promotion.forced && <ForcedChip />}
        {promotion.error && (
          <Typography
            variant="body2"
            color="error"
            className={classes.error}
            data-testid="promotion-error"
          >
            {promotion.error}
          </Typography>
        )}
        {promotion.resumedFrom && (
          <Typography
            variant="body2"
            color="textSecondary"
            data-testid="promotion-retry"
          >
            retry: finished the work of {promotion.resumedFrom.slice(0, 8)}
          </Typography>
        )}
      </TableCell>
      <TableCell className={classes.nowrap}>
        <User entityRef={promotion.requestedBy} />
      </TableCell>
      <TableCell>
        <span className={classes.move}>
          {promotion.previousDigest ? (
            <Digest digest={promotion.previousDigest} />
          ) : (
            '—'
          )}
          <ArrowForwardIcon
            fontSize="small"
            className={classes.arrow}
            aria-label="to"
          />
          {promotion.sourceDigest ? (
            <Digest digest={promotion.sourceDigest} />
          ) : (
            <span className={classes.mono}>{promotion.source}</span>
          )}
        </span>
      </TableCell>
      <TableCell>
        <div className={classes.tags}>
          {promotion.tags.map(tag => (
            <Chip
              key={tag}
              size="small"
              variant="outlined"
              label={tag}
              className={classes.tag}
            />
          ))}
        </div>
      </TableCell>
      <TableCell>
        {promotion.rollbackTag ? (
          <TagChip tag={{ name: promotion.rollbackTag, kind: 'rollback' }} />
        ) : (
          '—'
        )}
      </TableCell>
      <TableCell className={classes.reason}>{promotion.reason}</TableCell>
      <TableCell className={classes.nowrap}>
        <GatesSummary gates={promotion.gates} />
      </TableCell>
      <TableCell className={classes.reason}>
        {promotion.decidedBy ? (
          <>
            <User entityRef={promotion.decidedBy} />
            {promotion.decisionComment && `: ${promotion.decisionComment}`}
          </>
        ) : (
          '—'
        )}
      </TableCell>
    </TableRow>
  );
};

/**
 * Every promotion and rollback of the entity, newest first: who moved which environment of which image from what
 * to what, why, what the gates said, who approved, and how it ended.
 */
export const PromotionHistory = (props: {
  promotions?: PromotionInfo[];
  error?: Error;
  onRetry?: () => void;
}) => {
  const { promotions, error, onRetry } = props;
  const classes = useStyles();

  let body;
  if (error) {
    body = (
      <ApiErrorPanel
        title="Could not load the promotion history"
        error={error}
        onRetry={onRetry}
      />
    );
  } else if (!promotions) {
    body = <TableSkeleton rows={3} />;
  } else if (promotions.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title="No promotions yet"
        description="Promotions and rollbacks of this entity's images appear here, with who made them and why."
      />
    );
  } else {
    // One image: its name is on the tab already.
    const showImage = new Set(promotions.map(p => p.image)).size > 1;
    body = (
      <div className={classes.scroll}>
        <Table size="small" aria-label="Promotion history">
          <TableHead>
            <TableRow className={classes.head}>
              <TableCell>When</TableCell>
              <TableCell>Kind</TableCell>
              <TableCell>Environment</TableCell>
              {showImage && <TableCell>Image</TableCell>}
              <TableCell>Status</TableCell>
              <TableCell>By</TableCell>
              <TableCell>Digest</TableCell>
              <TableCell>Tags written</TableCell>
              <TableCell>Rollback tag</TableCell>
              <TableCell>Reason</TableCell>
              <TableCell>Gates</TableCell>
              <TableCell>Decision</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {promotions.map(promotion => (
              <HistoryRow
                key={promotion.id}
                promotion={promotion}
                showImage={showImage}
              />
            ))}
          </TableBody>
        </Table>
      </div>
    );
  }

  return (
    <div data-testid="promotion-history">
      <InfoCard title="Promotion history">{body}</InfoCard>
    </div>
  );
};
