import { EmptyState, WarningPanel } from '@backstage/core-components';
import { Entity, getCompoundEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { PromotionInfo } from '@berth/plugin-images-common';
import Snackbar from '@material-ui/core/Snackbar';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { useMemo, useState } from 'react';
import {
  useEntityImagesSpec,
  useImageSignals,
  useImagesOverview,
  usePromotions,
  useRetryOn,
} from '../../hooks';
import { describeOutcome } from '../../utils/promotion';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { ApprovalsPanel } from '../ApprovalsPanel';
import { ImageSelector } from '../ImageSelector';
import { ImagesSkeleton } from '../ImagesSkeleton';
import { MissingImagesAnnotation } from '../MissingImagesAnnotation';
import { PromotionHistory } from '../PromotionHistory';

const useStyles = makeStyles(theme => ({
  approvals: { marginBottom: theme.spacing(3) },
  history: { marginTop: theme.spacing(3) },
}));

/** Says how a promotion, rollback or decision ended, until the user closes it. */
const OutcomeSnackbar = (props: {
  outcome?: PromotionInfo;
  onClose: () => void;
}) => {
  const { outcome, onClose } = props;
  const described = outcome && describeOutcome(outcome);
  return (
    <Snackbar
      open={Boolean(described)}
      // Failures stay until read; the rest also shows in the lanes and the history.
      autoHideDuration={described?.severity === 'error' ? null : 10_000}
      anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}
      onClose={(_event, reason) => {
        if (reason !== 'clickaway') onClose();
      }}
    >
      {described ? (
        <Alert
          severity={described.severity}
          onClose={onClose}
          data-testid="promotion-outcome"
        >
          {described.message}
        </Alert>
      ) : undefined}
    </Snackbar>
  );
};

const ImagesOverview = (props: { entity: Entity }) => {
  const entityRef = useMemo(
    () => getCompoundEntityRef(props.entity),
    [props.entity],
  );
  const classes = useStyles();
  const { value, loading, error, retry } = useImagesOverview(entityRef);
  const promotions = usePromotions(entityRef);
  // A push the registry reported, or another user's promotion, moves the lanes: read them again, no reload.
  const changes = useImageSignals(value?.images.map(i => i.image) ?? []);
  useRetryOn(changes, { loading, retry });
  useRetryOn(changes, promotions);
  const [outcome, setOutcome] = useState<PromotionInfo>();

  // Anything that moved an environment or decided on a promotion changes both the lanes and the history.
  const onPromotionDone = (promotion: PromotionInfo) => {
    setOutcome(promotion);
    retry();
    promotions.retry();
  };

  if (error) {
    return (
      <ApiErrorPanel
        title="Could not load the images of this entity"
        error={error}
        onRetry={retry}
      />
    );
  }
  if (loading && !value) return <ImagesSkeleton />;
  if (!value || value.images.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No images"
        description="The images backend knows no image repositories for this entity."
      />
    );
  }
  return (
    <>
      {promotions.value && (
        <ApprovalsPanel
          className={classes.approvals}
          entityRef={entityRef}
          promotions={promotions.value}
          onDecided={onPromotionDone}
        />
      )}
      <ImageSelector
        entityRef={entityRef}
        images={value.images}
        onPromotionDone={onPromotionDone}
        onLanesChanged={retry}
        promotions={promotions.value}
      />
      <div className={classes.history}>
        <PromotionHistory
          promotions={promotions.value}
          error={promotions.error}
          onRetry={promotions.retry}
        />
      </div>
      <OutcomeSnackbar
        outcome={outcome}
        onClose={() => setOutcome(undefined)}
      />
    </>
  );
};

/**
 * The Images tab: for each image of the entity, its environments left to right (status, digest, age, source,
 * drift) with Promote and Roll back, every tag in the registry, and the details of any image; above them the
 * promotions waiting for approval, below them the promotion history. An entity without the annotation gets the
 * onboarding guide; a malformed annotation, what is wrong with it.
 */
export const EntityImagesContent = () => {
  const { entity } = useEntity();
  const spec = useEntityImagesSpec(entity);

  if (spec.state === 'missing') return <MissingImagesAnnotation />;
  if (spec.state === 'malformed') {
    return (
      <WarningPanel
        severity="error"
        title="The Berth annotations of this entity are malformed"
        defaultExpanded
      >
        {spec.error.message}
      </WarningPanel>
    );
  }
  return <ImagesOverview entity={entity} />;
};
