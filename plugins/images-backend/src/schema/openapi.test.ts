import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { spec } from './openapi.generated';

// The generator is a plain Node script (run by `yarn generate:openapi`); the test runs it in memory.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const generator: {
  staleFiles(): string[];
} = require('../../scripts/generate-openapi');

describe('generated from openapi.yaml', () => {
  it('openapi.generated.ts holds the current spec (run `yarn generate:openapi` in plugins/images-backend)', () => {
    const source = YAML.parse(
      readFileSync(join(__dirname, 'openapi.yaml'), 'utf8'),
    );
    expect(spec).toEqual(source);
  });

  it('the router and images-common client are current (run `yarn generate:openapi` in plugins/images-backend)', () => {
    expect(generator.staleFiles()).toEqual([]);
  });
});
