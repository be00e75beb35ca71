import {
  CompoundEntityRef,
  DEFAULT_NAMESPACE,
  parseEntityRef,
} from '@backstage/catalog-model';

/**
 * The `{kind}/{namespace}/{name}` of an entity's routes in the images API (`/entities/{kind}/{namespace}/{name}/…`).
 *
 * @public
 */
export interface EntityRouteParams {
  /** In lower case: `component`. */
  kind: string;
  /** `default` unless the reference names another. */
  namespace: string;
  /** The entity's name, as written. */
  name: string;
}

/**
 * The route parameters of an entity, from a compound reference or a string such as `component:default/dotca` (the
 * namespace defaults to `default`): the kind in lower case, as the catalog compares kinds. A string without a kind
 * throws the catalog's error.
 *
 * @public
 */
export function entityRouteParams(
  entityRef: CompoundEntityRef | string,
): EntityRouteParams {
  const ref =
    typeof entityRef === 'string'
      ? parseEntityRef(entityRef.trim(), {
          defaultNamespace: DEFAULT_NAMESPACE,
        })
      : entityRef;
  return {
    kind: ref.kind.toLocaleLowerCase('en-US'),
    namespace: ref.namespace || DEFAULT_NAMESPACE,
    name: ref.name,
  };
}
