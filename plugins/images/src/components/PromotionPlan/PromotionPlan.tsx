import { PromotionPlanInfo } from '@berth/plugin-images-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import ArrowForwardIcon from '@material-ui/icons/ArrowForward';
import Alert from '@material-ui/lab/Alert';
import { Digest } from '../Digest';
import { Field } from '../Field';
import { GatesList } from '../Gates';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1.5),
  },
  fields: {
    display: 'grid',
    gridTemplateColumns: 'auto 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(1),
    alignItems: 'center',
    margin: 0,
  },
  move: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  tag: { fontFamily: 'monospace', margin: theme.spacing(0.25) },
}));

/**
 * What a promotion or rollback will do, from its dry run: the digest the environment moves from and to, the tags
 * it writes, the rollback tag it keeps, the gates' verdicts and whether a second person must approve.
 */
export const PromotionPlan = (props: { plan: PromotionPlanInfo }) => {
  const { plan } = props;
  const classes = useStyles();
  const failedGates = plan.gates.filter(gate => !gate.passed).length;
  return (
    <div className={classes.root} data-testid="promotion-plan">
      {plan.noChange && (
        <Alert severity="info">
          {plan.environment} already runs this image: there is nothing to
          change.
        </Alert>
      )}
      <dl className={classes.fields}>
        <Field label={plan.environment}>
          <span className={classes.move} data-testid="plan-move">
            {plan.currentDigest ? (
              <Digest digest={plan.currentDigest} />
            ) : (
              <span>no image</span>
            )}
            <ArrowForwardIcon fontSize="small" aria-label="moves to" />
            <Digest digest={plan.sourceDigest} />
          </span>
        </Field>
        <Field label="Tags to write">
          <span data-testid="plan-tags">
            {plan.tags.length > 0
              ? plan.tags.map(tag => (
                  <Chip
                    key={tag}
                    size="small"
                    variant="outlined"
                    className={classes.tag}
                    label={tag}
                  />
                ))
              : 'none'}
          </span>
        </Field>
        {plan.rollbackTag && (
          <Field label="Rollback tag">
            <span className={classes.tag}>{plan.rollbackTag}</span>
          </Field>
        )}
      </dl>
      <div>
        <Typography variant="subtitle2" component="h3">
          Validation gates
          {failedGates > 0 && ` (${failedGates} failed)`}
        </Typography>
        <GatesList gates={plan.gates} />
      </div>
      {plan.needsApproval && (
        <Alert severity="warning" data-testid="plan-needs-approval">
          {plan.approvers?.length
            ? `Another entity named this repository first: this will wait until one of its owners (${plan.approvers.join(
                ', ',
              )}) approves it.`
            : `${plan.environment} is protected: this will wait until a second person approves it.`}
        </Alert>
      )}
    </div>
  );
};
