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
  {
    description:
      'Promote to a protected environment and wait up to an hour for a second person to approve it',
    example: yaml.stringify({
      steps: [
        {
          id: 'promote-production',
          action: 'images:promote',
          name: 'Promote to production',
          input: {
            entityRef: '${{ parameters.entity }}',
            environment: 'production',
            source: '${{ parameters.tag }}',
            reason: '${{ parameters.reason }}',
            waitForApproval: 60,
          },
        },
      ],
    }),
  },
  {
    description:
      'Promote past a failed gate, by a user with the force permission, saying why',
    example: yaml.stringify({
      steps: [
        {
          id: 'promote-forced',
          action: 'images:promote',
          name: 'Promote despite the size gate',
          input: {
            entityRef: 'component:default/dotca',
            environment: 'staging',
            source: 'v1.4.0',
            reason: 'Debug symbols on purpose, to chase the checkout crash',
            force: true,
          },
        },
      ],
    }),
  },
];
