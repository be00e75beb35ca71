import { InfoCard, Table, TableColumn, WarningPanel } from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  EnvironmentDefinition,
  formatImageReference,
  readEntityImagesSpec,
  resolveEnvironments,
} from '@berth/plugin-images-common';
import Grid from '@material-ui/core/Grid';
import { useMemo } from 'react';
import { MissingImagesAnnotation } from '../MissingImagesAnnotation';

interface EnvironmentRow {
  environment: string;
  tag: string;
  reference: string;
  protected: boolean;
}

const columns: TableColumn<EnvironmentRow>[] = [
  { title: 'Environment', field: 'environment' },
  { title: 'Tag', field: 'tag' },
  { title: 'Image', field: 'reference' },
  { title: 'Protected', field: 'protected', render: row => (row.protected ? 'yes' : 'no') },
];

function useConfiguredEnvironments(): EnvironmentDefinition[] {
  const config = useApi(configApiRef);
  return useMemo(
    () =>
      (config.getOptionalConfigArray('images.environments') ?? []).map(env => ({
        name: env.getString('name'),
        tag: env.getString('tag'),
        protected: env.getOptionalBoolean('protected') ?? false,
      })),
    [config],
  );
}

/** The Images tab: the entity's image repositories and the tag each environment runs. */
export const EntityImagesContent = () => {
  const { entity } = useEntity();
  const configured = useConfiguredEnvironments();

  let spec;
  try {
    spec = readEntityImagesSpec(entity);
  } catch (error) {
    return (
      <WarningPanel severity="error" title="The Berth annotations of this entity are malformed" defaultExpanded>
        {(error as Error).message}
      </WarningPanel>
    );
  }
  if (!spec) return <MissingImagesAnnotation />;

  const environments = resolveEnvironments(configured, spec.environmentOverrides);
  return (
    <Grid container spacing={3}>
      {spec.images.map(image => {
        const name = formatImageReference(image);
        const rows = environments.map(env => ({
          environment: env.name,
          tag: env.tag,
          reference: formatImageReference({ ...image, tag: env.tag }),
          protected: Boolean(env.protected),
        }));
        return (
          <Grid item xs={12} key={name}>
            <InfoCard title={name} subheader="Environments">
              <Table<EnvironmentRow>
                options={{ paging: false, search: false, toolbar: false, padding: 'dense' }}
                columns={columns}
                data={rows}
              />
            </InfoCard>
          </Grid>
        );
      })}
    </Grid>
  );
};
