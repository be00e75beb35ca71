import { useApi } from '@backstage/core-plugin-api';
import { EnvironmentLane, PromotionInfo } from '@berth/plugin-images-common';
import Typography from '@material-ui/core/Typography';
import { useCallback, useState } from 'react';
import { imagesApiRef, ImagesEntityRef } from '../../api';
import { expectedTagDigest } from '../../utils/promotion';
import { shortDigest } from '../../utils/format';
import { PromotionDialog, PromotionDialogRequest } from './PromotionDialog';
import { SourceTagField } from './SourceTagField';

/**
 * Promotes a tag or digest of the image to one environment. When the environment is behind the one before it, the
 * source starts as what that environment runs. The request carries the digest the lane showed, so a promotion
 * over a change the user has not seen fails instead of overwriting it.
 */
export const PromoteDialog = (props: {
  entityRef: ImagesEntityRef;
  image: string;
  lane: EnvironmentLane;
  /** The previous environment that has an image. */
  previous?: EnvironmentLane;
  canForce: boolean;
  onClose: () => void;
  onDone: (promotion: PromotionInfo) => void;
}) => {
  const { entityRef, image, lane, previous, canForce, onClose, onDone } = props;
  const api = useApi(imagesApiRef);
  const suggested =
    lane.drift === 'behind' && previous?.digest ? previous : undefined;
  const [source, setSource] = useState(suggested?.digest ?? '');

  const send = useCallback(
    ({ reason, dryRun, force }: PromotionDialogRequest) =>
      api.promote(entityRef, {
        image,
        environment: lane.name,
        source: source.trim(),
        reason,
        expectedCurrentDigest: expectedTagDigest(lane),
        force,
        dryRun,
      }),
    [api, entityRef, image, lane, source],
  );

  return (
    <PromotionDialog
      testId="promote-dialog"
      title={`Promote to ${lane.name}`}
      description={
        <Typography variant="body2">
          {image}: {lane.name} ({lane.tag}){' '}
          {lane.digest
            ? `runs ${shortDigest(lane.digest)}`
            : 'has no image yet'}
          .
        </Typography>
      }
      ready={source.trim().length > 0}
      planKey={source.trim()}
      submitLabel="Promote"
      canForce={canForce}
      send={send}
      onClose={onClose}
      onDone={onDone}
    >
      <SourceTagField
        entityRef={entityRef}
        image={image}
        value={source}
        onChange={setSource}
        helperText={
          suggested && source === suggested.digest
            ? `What ${suggested.name} runs (${suggested.tag}): ${lane.name} is behind it`
            : 'A tag of the image, newest first, or a digest'
        }
      />
    </PromotionDialog>
  );
};
