import { ImageOverview, PromotionInfo } from '@berth/plugin-images-common';
import { makeStyles } from '@material-ui/core/styles';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { ImagesEntityRef } from '../../api';
import { ImageView } from '../ImageView';
import { STATUS_LABELS } from '../StatusChip';

const useStyles = makeStyles(theme => ({
  tabs: { marginBottom: theme.spacing(3) },
  tab: { maxWidth: 'none', textTransform: 'none' },
  tabLabel: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    textTransform: 'none',
  },
  dots: { display: 'flex', gap: 4, marginTop: 4 },
  dot: { width: 10, height: 10, borderRadius: '50%' },
  GREEN: { backgroundColor: theme.palette.success.main },
  RED: { backgroundColor: theme.palette.error.main },
  GREY: { backgroundColor: theme.palette.grey[500] },
  title: { marginBottom: theme.spacing(2), fontFamily: 'monospace' },
}));

const ImageTabLabel = (props: { image: ImageOverview }) => {
  const { image } = props;
  const classes = useStyles();
  return (
    <span className={classes.tabLabel}>
      <span>{image.image}</span>
      <span className={classes.dots}>
        {image.environments.map(lane => (
          <Tooltip
            key={lane.name}
            title={`${lane.name}: ${STATUS_LABELS[lane.status]}`}
          >
            <span
              className={`${classes.dot} ${classes[lane.status]}`}
              aria-label={`${lane.name}: ${STATUS_LABELS[lane.status]}`}
            />
          </Tooltip>
        ))}
      </span>
    </span>
  );
};

/**
 * The entity's images: one image is shown as is; several get a tab each, labelled with the image and a dot per
 * environment (its status).
 */
export const ImageSelector = (props: {
  entityRef: ImagesEntityRef;
  images: ImageOverview[];
  onPromotionDone?: (promotion: PromotionInfo) => void;
  /** The entity's promotion history, newest first: each lane names its last move. */
  promotions?: PromotionInfo[];
  /** An environment was held or released: the lanes are read again. */
  onLanesChanged?: () => void;
}) => {
  const { entityRef, images, onPromotionDone, promotions, onLanesChanged } =
    props;
  const classes = useStyles();
  const [selected, setSelected] = useState(0);
  const index = Math.min(selected, images.length - 1);
  const current = images[index];

  return (
    <>
      {images.length > 1 ? (
        <Tabs
          value={index}
          onChange={(_event, value: number) => setSelected(value)}
          variant="scrollable"
          scrollButtons="auto"
          indicatorColor="primary"
          className={classes.tabs}
          aria-label="Images"
        >
          {images.map(image => (
            <Tab
              key={image.image}
              className={classes.tab}
              label={<ImageTabLabel image={image} />}
              aria-label={image.image}
            />
          ))}
        </Tabs>
      ) : (
        <Typography variant="h6" component="h2" className={classes.title}>
          {current.image}
        </Typography>
      )}
      <ImageView
        key={current.image}
        entityRef={entityRef}
        overview={current}
        onPromotionDone={onPromotionDone}
        onLanesChanged={onLanesChanged}
        promotions={promotions}
      />
    </>
  );
};
