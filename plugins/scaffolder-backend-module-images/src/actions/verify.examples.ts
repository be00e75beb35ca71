import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Check that the image a new service will deploy is in the registry',
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
