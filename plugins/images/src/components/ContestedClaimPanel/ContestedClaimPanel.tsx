import { WarningPanel } from '@backstage/core-components';
import { ImageOverview } from '@berth/plugin-images-common';
import Typography from '@material-ui/core/Typography';

/**
 * The image's repository is named by other entities too and no configured owners decide: who named it first, and
 * that promotions from the others wait for the first one's owners.
 */
export const ContestedClaimPanel = (props: {
  image: ImageOverview;
  entityRef: string;
}) => {
  const { image, entityRef } = props;
  const claim = image.claim;
  if (!claim) return null;
  const others = claim.claimants.filter(ref => ref !== entityRef);
  const first = claim.firstClaimant === entityRef;
  return (
    <WarningPanel
      severity="warning"
      title={`${image.image} is contested: ${others.join(', ')} name it too`}
    >
      <div data-testid="contested-claim">
        <Typography variant="body1" paragraph>
          {first
            ? `This entity named it first: promotions asked from the others wait for an approval by its owners.`
            : `${
                claim.firstClaimant
              } named it first: promotions asked here wait for an approval by its owners (${
                claim.firstClaimantOwners.join(', ') || 'none known'
              }).`}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          To settle who owns it, the platform team can bind the repository to
          its owners with images.repositoryOwners in app-config.yaml.
        </Typography>
      </div>
    </WarningPanel>
  );
};
