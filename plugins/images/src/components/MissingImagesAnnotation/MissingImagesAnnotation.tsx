import { CodeSnippet, EmptyState } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import {
  ANNOTATION_ENVIRONMENTS,
  ANNOTATION_IMAGES,
} from '@berth/plugin-images-common';

const SNIPPET = `metadata:
  annotations:
    ${ANNOTATION_IMAGES}: ghcr.io/your-org/your-service
    # optional: which tag each environment runs, when it is not the configured default
    ${ANNOTATION_ENVIRONMENTS}: staging=staging,production=latest`;

/** Shown instead of the tab when an entity has no `berth.dev/images` annotation: how to onboard it. */
export const MissingImagesAnnotation = () => (
  <EmptyState
    missing="field"
    title={`No images: add the ${ANNOTATION_IMAGES} annotation`}
    description={
      <Typography variant="body1" component="span">
        Berth shows an entity's container images once its catalog-info.yaml
        names the image repositories it builds. Add the annotations below, then
        refresh the entity.
      </Typography>
    }
    action={<CodeSnippet language="yaml" text={SNIPPET} showCopyCodeButton />}
  />
);
