import { makeStyles } from '@material-ui/core/styles';
import Skeleton from '@material-ui/lab/Skeleton';
import ArrowForwardIcon from '@material-ui/icons/ArrowForward';
import { Fragment } from 'react';

const useStyles = makeStyles(theme => ({
  lanes: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    overflowX: 'auto',
  },
  lane: { flex: '1 0 260px', maxWidth: 360 },
  arrow: { color: theme.palette.action.disabled },
  table: { marginTop: theme.spacing(3) },
}));

/** Placeholder shaped like the environment lanes. */
export const LanesSkeleton = (props: { lanes?: number }) => {
  const { lanes = 3 } = props;
  const classes = useStyles();
  return (
    <div className={classes.lanes} data-testid="lanes-skeleton" aria-busy>
      {Array.from({ length: lanes }, (_, i) => (
        <Fragment key={i}>
          {i > 0 && <ArrowForwardIcon className={classes.arrow} />}
          <div className={classes.lane}>
            <Skeleton variant="text" width="50%" height={32} />
            <Skeleton variant="rect" width={96} height={24} />
            <Skeleton variant="text" width="80%" />
            <Skeleton variant="text" width="70%" />
            <Skeleton variant="text" width="60%" />
            <Skeleton variant="rect" height={48} />
          </div>
        </Fragment>
      ))}
    </div>
  );
};

/** Placeholder shaped like the tags table. */
export const TableSkeleton = (props: { rows?: number }) => {
  const { rows = 5 } = props;
  return (
    <div data-testid="table-skeleton" aria-busy>
      <Skeleton variant="rect" height={40} />
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} variant="text" height={36} />
      ))}
    </div>
  );
};

/** Placeholder for the whole tab while the overview loads. */
export const ImagesSkeleton = () => {
  const classes = useStyles();
  return (
    <div data-testid="images-skeleton">
      <LanesSkeleton />
      <div className={classes.table}>
        <TableSkeleton />
      </div>
    </div>
  );
};
