import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { spec } from './openapi.generated';

describe('openapi.generated.ts', () => {
  it('is generated from the current openapi.yaml (run `yarn generate:openapi` in plugins/images-backend)', () => {
    const source = YAML.parse(
      readFileSync(join(__dirname, 'openapi.yaml'), 'utf8'),
    );
    expect(spec).toEqual(source);
  });
});
