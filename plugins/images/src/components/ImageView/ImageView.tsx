import { ImageOverview } from '@berth/plugin-images-common';
import { makeStyles } from '@material-ui/core/styles';
import { useState } from 'react';
import { ImagesEntityRef } from '../../api';
import { EnvironmentPipeline } from '../EnvironmentPipeline';
import { ImageDetailsDrawer } from '../ImageDetailsDrawer';
import { ImageErrorPanel } from '../ImageErrorPanel';
import { TagsTable } from '../TagsTable';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(3),
  },
}));

/** One image of the entity: its environments, its tags, and the details drawer. */
export const ImageView = (props: {
  entityRef: ImagesEntityRef;
  overview: ImageOverview;
}) => {
  const { entityRef, overview } = props;
  const classes = useStyles();
  const [digest, setDigest] = useState<string>();
  return (
    <div
      className={classes.root}
      data-testid="image-view"
      data-image={overview.image}
    >
      {overview.error && <ImageErrorPanel image={overview} />}
      <EnvironmentPipeline
        environments={overview.environments}
        onOpenDetails={setDigest}
      />
      <TagsTable
        entityRef={entityRef}
        image={overview.image}
        onOpenDetails={setDigest}
      />
      <ImageDetailsDrawer
        entityRef={entityRef}
        image={overview.image}
        digest={digest}
        environmentTags={overview.environments.map(lane => lane.tag)}
        onClose={() => setDigest(undefined)}
      />
    </div>
  );
};
