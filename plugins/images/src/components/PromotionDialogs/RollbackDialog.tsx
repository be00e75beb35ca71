import { useApi } from '@backstage/core-plugin-api';
import { EnvironmentLane, PromotionInfo } from '@berth/plugin-images-common';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useCallback, useState } from 'react';
import { imagesApiRef, ImagesEntityRef } from '../../api';
import { expectedTagDigest } from '../../utils/promotion';
import { shortDigest } from '../../utils/format';
import { PromotionDialog, PromotionDialogRequest } from './PromotionDialog';

/**
 * Moves an environment back to the image it ran before its last move. The check shows which digest that is before
 * anything changes.
 */
export const RollbackDialog = (props: {
  entityRef: ImagesEntityRef;
  image: string;
  lane: EnvironmentLane;
  canForce: boolean;
  onClose: () => void;
  onDone: (promotion: PromotionInfo) => void;
}) => {
  const { entityRef, image, lane, canForce, onClose, onDone } = props;
  const api = useApi(imagesApiRef);
  const [target, setTarget] = useState('');
  const chosen = target.trim() || undefined;

  const send = useCallback(
    ({ reason, dryRun, force }: PromotionDialogRequest) =>
      api.rollback(entityRef, {
        image,
        environment: lane.name,
        reason,
        target: chosen,
        expectedCurrentDigest: expectedTagDigest(lane),
        force,
        dryRun,
      }),
    [api, entityRef, image, lane, chosen],
  );

  return (
    <PromotionDialog
      testId="rollback-dialog"
      title={`Roll back ${lane.name}`}
      description={
        <Typography variant="body2">
          {image}: {lane.name} ({lane.tag}) runs{' '}
          {lane.digest ? shortDigest(lane.digest) : 'no image'}. Rolling back
          returns it to the image it ran before its last promotion, or to the
          rollback tag or digest you name.
        </Typography>
      }
      ready
      planKey={`${lane.name}:${chosen ?? ''}`}
      submitLabel="Roll back"
      canForce={canForce}
      send={send}
      onClose={onClose}
      onDone={onDone}
    >
      <TextField
        label="Back to (optional)"
        placeholder="rollback-20261103-142210-checkout-5xx or sha256:…"
        helperText="A rollback tag or digest; empty: the image it ran before"
        value={target}
        onChange={event => setTarget(event.target.value)}
        inputProps={{ 'data-testid': 'rollback-target', spellCheck: false }}
        fullWidth
      />
    </PromotionDialog>
  );
};
