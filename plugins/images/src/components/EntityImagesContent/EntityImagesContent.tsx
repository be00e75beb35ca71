import { EmptyState, WarningPanel } from '@backstage/core-components';
import { Entity, getCompoundEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { useMemo } from 'react';
import { useEntityImagesSpec, useImagesOverview } from '../../hooks';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { ImageSelector } from '../ImageSelector';
import { ImagesSkeleton } from '../ImagesSkeleton';
import { MissingImagesAnnotation } from '../MissingImagesAnnotation';

const ImagesOverview = (props: { entity: Entity }) => {
  const entityRef = useMemo(
    () => getCompoundEntityRef(props.entity),
    [props.entity],
  );
  const { value, loading, error, retry } = useImagesOverview(entityRef);

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
  return <ImageSelector entityRef={entityRef} images={value.images} />;
};

/**
 * The Images tab: for each image of the entity, its environments left to right (status, digest, age, source,
 * drift), every tag in the registry, and the details of any image. An entity without the annotation gets the
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
