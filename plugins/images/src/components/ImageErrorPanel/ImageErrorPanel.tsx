import { WarningPanel } from '@backstage/core-components';
import { ImageOverview } from '@berth/plugin-images-common';
import Typography from '@material-ui/core/Typography';

/**
 * One image of the entity could not be shown (the entity's other images still answer): its registry failed, or the
 * entity may not claim its repository. The backend's message as is, and where to look.
 */
export const ImageErrorPanel = (props: { image: ImageOverview }) => {
  const { image } = props;
  if (!image.error) return null;
  const refused = image.error.kind === 'claim-refused';
  return (
    <WarningPanel
      severity="error"
      title={
        refused
          ? `This entity may not claim ${image.image}`
          : `Registry ${image.registry} could not be read for ${image.image}`
      }
      defaultExpanded
    >
      <div data-testid="image-error" data-kind={image.error.kind}>
        <Typography variant="body1" paragraph>
          {image.error.message}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          {refused
            ? 'Berth shows and promotes a repository only for entities whose owners images.repositoryOwners in app-config.yaml names for it.'
            : `The environments below show what Berth could tell. If the message does not say how to fix it, ask your Backstage administrator to check the ${image.registry} entry of images.registries in app-config.yaml (its credentials must be able to read ${image.repository}).`}
        </Typography>
      </div>
    </WarningPanel>
  );
};
