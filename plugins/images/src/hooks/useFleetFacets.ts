import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { parseEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  catalogApiRef,
  humanizeEntityRef,
} from '@backstage/plugin-catalog-react';
import { ANNOTATION_IMAGES } from '@berth/plugin-images-common';
import useAsync from 'react-use/esm/useAsync';

/** One choice of a fleet filter: the value sent to the backend, and what the user reads. */
export interface FleetFacetOption {
  value: string;
  label: string;
}

/** The owners, systems, kinds and lifecycles found among onboarded entities, each sorted by label. */
export interface FleetFacets {
  owners: FleetFacetOption[];
  systems: FleetFacetOption[];
  kinds: FleetFacetOption[];
  lifecycles: FleetFacetOption[];
}

// Owners and systems as the catalog's relations: full entity references, one per entity whatever the spelling of
// spec.owner / spec.system ("payments", "group:payments"), with the entity's namespace. Catalog's owner picker
// reads relations.ownedBy the same way.
const OWNER = 'relations.ownedBy';
const PART_OF = 'relations.partOf';
const KIND = 'kind';
const LIFECYCLE = 'spec.lifecycle';

const NONE: FleetFacets = {
  owners: [],
  systems: [],
  kinds: [],
  lifecycles: [],
};

function sorted(options: FleetFacetOption[]): FleetFacetOption[] {
  return options.sort((a, b) => a.label.localeCompare(b.label));
}

/** Entity references of one kind, labelled short ("payments" for group:default/payments). */
function refOptions(
  values: string[],
  kind: 'group' | 'system',
): FleetFacetOption[] {
  const options: FleetFacetOption[] = [];
  for (const value of values) {
    try {
      const ref = parseEntityRef(value);
      // partOf also holds domains and parent components.
      if (kind === 'system' && ref.kind.toLowerCase() !== 'system') continue;
      options.push({
        value,
        label: humanizeEntityRef(ref, { defaultKind: kind }),
      });
    } catch {
      // Not an entity reference: not a choice.
    }
  }
  return sorted(options);
}

/**
 * The choices of the Images page's owner, system, kind and lifecycle filters: the values present among onboarded
 * entities (those with the `berth.dev/images` annotation), from the catalog's facets. None while loading or when the
 * catalog cannot answer: the filters then offer only "Any".
 */
export function useFleetFacets(): FleetFacets {
  const catalogApi = useApi(catalogApiRef);
  const { value } = useAsync(async () => {
    const { facets } = await catalogApi.getEntityFacets({
      facets: [OWNER, PART_OF, KIND, LIFECYCLE],
      filter: {
        [`metadata.annotations.${ANNOTATION_IMAGES}`]: CATALOG_FILTER_EXISTS,
      },
    });
    const values = (facet: string) => (facets[facet] ?? []).map(f => f.value);
    const plain = (facet: string) =>
      sorted(values(facet).map(v => ({ value: v, label: v })));
    return {
      owners: refOptions(values(OWNER), 'group'),
      systems: refOptions(values(PART_OF), 'system'),
      kinds: plain(KIND),
      lifecycles: plain(LIFECYCLE),
    };
  }, [catalogApi]);
  // An error leaves the filters at "Any": the fleet itself does not depend on them.
  return value ?? NONE;
}
