import { InfoCard, WarningPanel } from '@backstage/core-components';
import { Entity, getCompoundEntityRef } from '@backstage/catalog-model';
import { useEntity, useEntityRefLink } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_IMAGES,
  EnvironmentLane,
  ImageOverview,
} from '@berth/plugin-images-common';
import { makeStyles } from '@material-ui/core/styles';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import Skeleton from '@material-ui/lab/Skeleton';
import { useMemo } from 'react';
import { useEntityImagesSpec, useImagesOverview } from '../../hooks';
import { formatRelativeTime, shortDigest } from '../../utils/format';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { laneStatusLabel, StatusChip } from '../StatusChip';

const useStyles = makeStyles(theme => ({
  image: {
    fontFamily: 'monospace',
    marginTop: theme.spacing(1),
    overflowWrap: 'anywhere',
  },
  mono: { fontFamily: 'monospace' },
  cell: { paddingLeft: 0 },
  error: { color: theme.palette.error.main },
}));

const LaneRow = (props: { lane: EnvironmentLane }) => {
  const { lane } = props;
  const classes = useStyles();
  const age = formatRelativeTime(lane.image?.created);
  const digest = lane.digest ?? lane.image?.digest;
  return (
    <TableRow
      data-testid={`card-environment-${lane.name}`}
      data-digest={digest ?? ''}
    >
      <TableCell className={classes.cell}>{lane.name}</TableCell>
      <TableCell>
        <StatusChip
          status={lane.status}
          message={lane.message}
          label={laneStatusLabel(lane)}
        />
      </TableCell>
      <TableCell className={classes.mono}>{lane.tag}</TableCell>
      <TableCell className={classes.mono}>
        {digest ? (
          <Tooltip title={digest}>
            <span>{shortDigest(digest)}</span>
          </Tooltip>
        ) : (
          '—'
        )}
      </TableCell>
      <TableCell>
        {age && lane.image?.created ? (
          <Tooltip title={lane.image.created}>
            <span>{age}</span>
          </Tooltip>
        ) : (
          ''
        )}
      </TableCell>
    </TableRow>
  );
};

const ImageRows = (props: { image: ImageOverview }) => {
  const { image } = props;
  const classes = useStyles();
  return (
    <div data-testid="images-card-image" data-image={image.image}>
      <Typography variant="subtitle2" component="h3" className={classes.image}>
        {image.image}
      </Typography>
      {image.error && (
        <Typography variant="body2" className={classes.error}>
          {image.error.message}
        </Typography>
      )}
      <Table size="small" aria-label={`Environments of ${image.image}`}>
        <TableBody>
          {image.environments.map(lane => (
            <LaneRow key={lane.name} lane={lane} />
          ))}
        </TableBody>
      </Table>
    </div>
  );
};

const CardBody = (props: { entity: Entity }) => {
  const entityRef = useMemo(
    () => getCompoundEntityRef(props.entity),
    [props.entity],
  );
  const { value, loading, error, retry } = useImagesOverview(entityRef);
  if (error) {
    return (
      <ApiErrorPanel
        title="Could not load the images"
        error={error}
        onRetry={retry}
      />
    );
  }
  if (loading && !value) {
    return (
      <div data-testid="images-card-skeleton" aria-busy>
        <Skeleton variant="text" width="60%" />
        <Skeleton variant="rect" height={96} />
      </div>
    );
  }
  return (
    <>
      {value?.images.map(image => (
        <ImageRows key={image.image} image={image} />
      ))}
    </>
  );
};

/**
 * A compact card for the entity's Overview tab: each image's environments with status, tag, digest and age, and
 * a link to the Images tab.
 *
 * @public
 */
export const EntityImagesCard = () => {
  const { entity } = useEntity();
  const spec = useEntityImagesSpec(entity);
  const entityLink = useEntityRefLink();

  let body;
  if (spec.state === 'missing') {
    body = (
      <Typography variant="body2" color="textSecondary">
        This entity has no {ANNOTATION_IMAGES} annotation; the Images tab shows
        how to add one.
      </Typography>
    );
  } else if (spec.state === 'malformed') {
    body = (
      <WarningPanel
        severity="error"
        title="The Berth annotations of this entity are malformed"
      >
        {spec.error.message}
      </WarningPanel>
    );
  } else {
    body = <CardBody entity={entity} />;
  }

  return (
    <InfoCard
      title="Images"
      deepLink={{
        title: 'View images',
        link: `${entityLink(entity)}/images`,
      }}
    >
      <div data-testid="images-card">{body}</div>
    </InfoCard>
  );
};
