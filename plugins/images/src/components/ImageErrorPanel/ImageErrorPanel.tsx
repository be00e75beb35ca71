import { WarningPanel } from '@backstage/core-components';
import { ImageOverview } from '@berth/plugin-images-common';
import Typography from '@material-ui/core/Typography';

/**
 * The registry of one image failed (the entity's other images still answer): which registry, the backend's
 * message as is, and where to look.
 */
export const ImageErrorPanel = (props: { image: ImageOverview }) => {
  const { image } = props;
  if (!image.error) return null;
  return (
    <WarningPanel
      severity="error"
      title={`Registry ${image.registry} could not be read for ${image.image}`}
      defaultExpanded
    >
      <div data-testid="image-error">
        <Typography variant="body1" paragraph>
          {image.error.message}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          The environments below show what Berth could tell. If the message does
          not say how to fix it, ask your Backstage administrator to check the{' '}
          {image.registry} entry of images.registries in app-config.yaml (its
          credentials must be able to read {image.repository}).
        </Typography>
      </div>
    </WarningPanel>
  );
};
