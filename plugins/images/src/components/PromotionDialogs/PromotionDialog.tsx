import {
  PromoteResponse,
  PromotionInfo,
  PromotionPlanInfo,
} from '@berth/plugin-images-common';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import CircularProgress from '@material-ui/core/CircularProgress';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import { makeStyles } from '@material-ui/core/styles';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { ReactNode, useState } from 'react';
import { errorMessage } from '../../utils/format';
import { PromotionPlan } from '../PromotionPlan';

/** The backend keeps at most this much of a reason. */
const MAX_REASON_LENGTH = 500;

const useStyles = makeStyles(theme => ({
  content: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
  },
  force: { marginTop: theme.spacing(-1) },
  // Messages carry digests, which are one long word.
  error: { overflowWrap: 'anywhere' },
}));

/** What both dialogs send: the reason, and whether to only check or to go past failed gates. */
export interface PromotionDialogRequest {
  reason: string;
  dryRun: boolean;
  force?: boolean;
}

/**
 * The steps a promotion and a rollback share: a reason, a check (dry run) that shows the plan, a force checkbox
 * when gates fail and the user may force, then the real request. The plan belongs to the inputs it was checked
 * with (`planKey`): changing them asks for a new check, so nobody acts on a plan they did not see.
 */
export const PromotionDialog = (props: {
  testId: string;
  title: string;
  description?: ReactNode;
  /** Fields of the action itself, above the reason. */
  children?: ReactNode;
  /** Whether the fields in `children` are filled in. */
  ready: boolean;
  planKey: string;
  submitLabel: string;
  canForce: boolean;
  send: (request: PromotionDialogRequest) => Promise<PromoteResponse>;
  onClose: () => void;
  onDone: (promotion: PromotionInfo) => void;
}) => {
  const {
    testId,
    title,
    description,
    children,
    ready,
    planKey,
    submitLabel,
    canForce,
    send,
    onClose,
    onDone,
  } = props;
  const classes = useStyles();
  const [reason, setReason] = useState('');
  const [checked, setChecked] = useState<{
    key: string;
    plan: PromotionPlanInfo;
  }>();
  const [force, setForce] = useState(false);
  const [busy, setBusy] = useState<'check' | 'submit'>();
  const [error, setError] = useState<Error>();

  const plan = checked?.key === planKey ? checked.plan : undefined;
  const failedGates = plan?.gates.filter(gate => !gate.passed) ?? [];
  const hasReason = reason.trim().length > 0;
  const canCheck = ready && hasReason && !busy;
  const canSubmit =
    Boolean(plan) &&
    !plan?.noChange &&
    hasReason &&
    !busy &&
    (failedGates.length === 0 || (canForce && force));

  const check = async () => {
    setBusy('check');
    setError(undefined);
    try {
      const response = await send({ reason: reason.trim(), dryRun: true });
      if (!response.dryRun) {
        throw new Error('The images backend did not answer with a plan');
      }
      setChecked({ key: planKey, plan: response.plan });
      setForce(false);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(undefined);
    }
  };

  const submit = async () => {
    setBusy('submit');
    setError(undefined);
    try {
      const response = await send({
        reason: reason.trim(),
        dryRun: false,
        force: failedGates.length > 0 && force ? true : undefined,
      });
      if (response.dryRun) {
        throw new Error('The images backend answered with a plan only');
      }
      onDone(response.promotion);
    } catch (e) {
      setError(e as Error);
      setBusy(undefined);
    }
  };

  return (
    <Dialog
      open
      onClose={busy === 'submit' ? undefined : onClose}
      maxWidth="sm"
      fullWidth
      aria-labelledby={`${testId}-title`}
      data-testid={testId}
    >
      <DialogTitle id={`${testId}-title`}>{title}</DialogTitle>
      <DialogContent className={classes.content}>
        {description}
        {children}
        <TextField
          id={`${testId}-reason`}
          label="Reason"
          required
          multiline
          minRows={2}
          value={reason}
          onChange={event => setReason(event.target.value)}
          inputProps={{ maxLength: MAX_REASON_LENGTH }}
          helperText="Kept in the promotion history"
          disabled={busy === 'submit'}
        />
        {plan ? (
          <PromotionPlan plan={plan} />
        ) : (
          <Typography variant="body2" color="textSecondary">
            Check shows what will change and runs the validation gates, without
            changing anything.
          </Typography>
        )}
        {plan && failedGates.length > 0 && canForce && (
          <div className={classes.force}>
            <FormControlLabel
              control={
                <Checkbox
                  checked={force}
                  onChange={(_event, value) => setForce(value)}
                  disabled={busy === 'submit'}
                />
              }
              label={`Force: go ahead although ${failedGates.length} ${
                failedGates.length === 1 ? 'gate' : 'gates'
              } failed`}
            />
            <FormHelperText>
              For emergencies. The history marks it as forced, with your reason.
            </FormHelperText>
          </div>
        )}
        {plan && failedGates.length > 0 && !canForce && (
          <Alert severity="error" data-testid="gates-failed">
            {failedGates.length} {failedGates.length === 1 ? 'gate' : 'gates'}{' '}
            failed: only someone allowed to force a promotion can go past them.
          </Alert>
        )}
        {error && (
          <Alert
            severity="error"
            data-testid="promotion-error"
            className={classes.error}
          >
            {errorMessage(error)}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy === 'submit'}>
          Cancel
        </Button>
        <Button
          variant="outlined"
          color="primary"
          onClick={check}
          disabled={!canCheck}
          startIcon={
            busy === 'check' ? <CircularProgress size={16} /> : undefined
          }
        >
          Check
        </Button>
        <Button
          variant="contained"
          color="primary"
          onClick={submit}
          disabled={!canSubmit}
          startIcon={
            busy === 'submit' ? <CircularProgress size={16} /> : undefined
          }
        >
          {submitLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
