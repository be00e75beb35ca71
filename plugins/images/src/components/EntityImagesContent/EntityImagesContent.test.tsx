import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider, mockApis } from '@backstage/test-utils';
import { configApiRef } from '@backstage/core-plugin-api';
import { screen } from '@testing-library/react';
import { EntityImagesContent } from './EntityImagesContent';

const config = mockApis.config({
  data: {
    images: {
      environments: [
        { name: 'development', tag: 'latest-dev' },
        { name: 'staging', tag: 'staging' },
        { name: 'production', tag: 'latest', protected: true },
      ],
    },
  },
});

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'dotca', annotations },
    spec: { type: 'service', owner: 'bxtech', lifecycle: 'production' },
  };
}

async function renderFor(e: Entity) {
  return renderInTestApp(
    <TestApiProvider apis={[[configApiRef, config]]}>
      <EntityProvider entity={e}>
        <EntityImagesContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntityImagesContent', () => {
  it('shows how to onboard an entity without the annotation', async () => {
    const { baseElement } = await renderFor(entity({}));
    expect(screen.getByText('No images: add the berth.dev/images annotation')).toBeInTheDocument();
    // The snippet is syntax-highlighted, so its text is split across elements.
    expect(baseElement.textContent).toContain('berth.dev/images: ghcr.io/your-org/your-service');
  });

  it('lists each environment with the tag the entity overrides', async () => {
    await renderFor(
      entity({
        'berth.dev/images': 'ghcr.io/bxtech/dotca',
        'berth.dev/environments': 'canary=canary',
      }),
    );
    expect(screen.getByText('ghcr.io/bxtech/dotca')).toBeInTheDocument();
    expect(screen.getByText('ghcr.io/bxtech/dotca:latest-dev')).toBeInTheDocument();
    expect(screen.getByText('ghcr.io/bxtech/dotca:latest')).toBeInTheDocument();
    expect(screen.getByText('ghcr.io/bxtech/dotca:canary')).toBeInTheDocument();
  });

  it('says precisely what is wrong with a malformed annotation', async () => {
    await renderFor(entity({ 'berth.dev/images': 'ghcr.io/bxtech/DotCa' }));
    expect(screen.getByText(/The Berth annotations of this entity are malformed/)).toBeInTheDocument();
    expect(
      screen.getByText(/invalid repository path component "DotCa": repository names are lowercase/),
    ).toBeInTheDocument();
  });
});
