import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Roll production back to what it ran before its last move, refusing if it moved since the user looked',
    example: yaml.stringify({
      steps: [
        {
          id: 'rollback',
          action: 'images:rollback',
          name: 'Roll back production',
          input: {
            entityRef: '${{ parameters.entity }}',
            environment: 'production',
            reason: '${{ parameters.reason }}',
            expectedCurrentDigest: '${{ parameters.currentDigest }}',
            waitForApproval: 30,
          },
        },
      ],
    }),
  },
  {
    description:
      'Roll staging back to a rollback tag kept by an earlier promotion',
    example: yaml.stringify({
      steps: [
        {
          id: 'rollback-staging',
          action: 'images:rollback',
          name: 'Roll staging back',
          input: {
            entityRef: 'component:default/dotca',
            environment: 'staging',
            target: 'rollback-20261122-151500-ship-v2',
            reason: 'v2 breaks the checkout',
          },
        },
      ],
    }),
  },
];
