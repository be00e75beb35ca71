import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Promote the build a user picked to staging, refusing if staging moved since they looked',
    example: yaml.stringify({
      steps: [
        {
          id: 'promote',
          action: 'images:promote',
          name: 'Promote to staging',
          input: {
            entityRef: '${{ parameters.entity }}',
            environment: 'staging',
            source: '${{ parameters.tag }}',
            reason: '${{ parameters.reason }}',
            expectedCurrentDigest: '${{ parameters.currentDigest }}',
          },
        },
      ],
    }),
  },
  {
    description: 'Promote one image of a system with several images, by digest',
    example: yaml.stringify({
      steps: [
        {
          id: 'promote-api',
          action: 'images:promote',
          name: 'Promote the API image',
          input: {
            entityRef: 'system:default/the-shop',
            image: 'registry.digitalocean.com/the-shop/api',
            environment: 'staging',
            source:
              'sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae',
            reason: 'Hotfix for the checkout timeout',
          },
        },
      ],
    }),
  },
];
