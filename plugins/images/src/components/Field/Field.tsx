import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';

const useStyles = makeStyles(theme => ({
  label: { color: theme.palette.text.secondary },
  // A long digest or reference breaks rather than widening its grid column.
  value: { minWidth: 0, margin: 0, overflowWrap: 'anywhere' },
}));

/** A label and its value, as a `dt`/`dd` pair of the description list (a two-column grid) that holds it. */
export const Field = (props: {
  label: string;
  children: ReactNode;
  /** Marks the value for tests. */
  'data-testid'?: string;
}) => {
  const classes = useStyles();
  return (
    <>
      <Typography variant="body2" component="dt" className={classes.label}>
        {props.label}
      </Typography>
      <Typography
        variant="body2"
        component="dd"
        className={classes.value}
        data-testid={props['data-testid']}
      >
        {props.children}
      </Typography>
    </>
  );
};
