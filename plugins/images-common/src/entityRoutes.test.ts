import { entityRouteParams } from './entityRoutes';

describe('entityRouteParams', () => {
  it('reads a string reference, with the default namespace and the kind in lower case', () => {
    expect(entityRouteParams('Component:default/dotca')).toEqual({
      kind: 'component',
      namespace: 'default',
      name: 'dotca',
    });
    expect(entityRouteParams(' system:the-shop ')).toEqual({
      kind: 'system',
      namespace: 'default',
      name: 'the-shop',
    });
  });

  it('takes a compound reference as it is, but for the kind and an empty namespace', () => {
    expect(
      entityRouteParams({
        kind: 'Component',
        namespace: 'team a',
        name: 'x/y',
      }),
    ).toEqual({ kind: 'component', namespace: 'team a', name: 'x/y' });
    expect(
      entityRouteParams({ kind: 'Component', namespace: '', name: 'dotca' }),
    ).toEqual({ kind: 'component', namespace: 'default', name: 'dotca' });
  });

  it("throws the catalog's error for a string that is not a reference", () => {
    expect(() => entityRouteParams('dotca')).toThrow(/missing or empty kind/);
    expect(() => entityRouteParams('component:')).toThrow(
      /was not on the form/,
    );
  });
});
