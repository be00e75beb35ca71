import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Check that the image a new service will deploy is in the registry (no entity names it yet: needs images.image.verify)',
    example: yaml.stringify({
      steps: [
        {
          id: 'verify-image',
          action: 'images:verify',
          name: 'Verify the image exists',
          input: { image: 'ghcr.io/bxtech/dotca', tag: 'staging' },
        },
      ],
    }),
  },
  {
    description:
      "Check an entity's image: the user needs read access to the entity, not the images.image.verify permission",
    example: yaml.stringify({
      steps: [
        {
          id: 'verify-image',
          action: 'images:verify',
          name: 'Verify the staging tag of dotca',
          input: {
            entityRef: 'component:default/dotca',
            image: 'ghcr.io/bxtech/dotca',
            tag: 'staging',
          },
        },
      ],
    }),
  },
  {
    description: 'Fail the template when the tag is missing',
    example: yaml.stringify({
      steps: [
        {
          id: 'verify-image',
          action: 'images:verify',
          name: 'Require the release tag',
          input: {
            image: 'quay.io/jordigilh/gateway-service',
            tag: 'v1.2.3',
            failIfMissing: true,
          },
        },
      ],
    }),
  },
];
