#!/usr/bin/env node
// Generates src/schema/openapi.generated.ts from src/schema/openapi.yaml: the spec as a typed constant and the
// validated router factory, as Backstage's repo-tools does. Run `yarn generate:openapi` after editing the yaml;
// a test fails while the two differ.
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const YAML = require('yaml');

const dir = join(__dirname, '..', 'src', 'schema');
const spec = YAML.parse(readFileSync(join(dir, 'openapi.yaml'), 'utf8'));
const output = `// Generated from openapi.yaml by \`yarn generate:openapi\` (plugins/images-backend/scripts/generate-openapi.js).
// Do not edit: edit openapi.yaml and generate again.
/* eslint-disable */
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = ${JSON.stringify(spec, null, 2)} as const;

export const createOpenApiRouter = async (
  options?: Parameters<typeof createValidatedOpenApiRouter>['1'],
) => createValidatedOpenApiRouter<typeof spec>(spec, options);
`;
writeFileSync(join(dir, 'openapi.generated.ts'), output);
