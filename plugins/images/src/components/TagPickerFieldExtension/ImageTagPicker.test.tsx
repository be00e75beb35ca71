import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogApi, catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  createFieldValidation,
  Stepper,
} from '@backstage/plugin-scaffolder-react/alpha';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { TagPage } from '@berth/plugin-images-common';
import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { imagesApiRef } from '../../api';
import {
  DIGEST_NEW,
  DIGEST_OLD,
  entity,
  fakeImagesApi,
  onboardedEntity,
  tagPage,
} from '../../__testUtils__/fixtures';
import { ImageTagPicker } from './ImageTagPicker';
import { ImageTagPickerProps } from './schema';
import { imageTagPickerValidation } from './validation';

const theShop: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: {
    name: 'the-shop',
    namespace: 'default',
    annotations: {
      'berth.dev/images':
        'registry.digitalocean.com/the-shop/web, registry.digitalocean.com/the-shop/api',
    },
  },
  spec: { owner: 'the-shop-team' },
};

const legacyBilling: Entity = {
  ...entity({}),
  metadata: { name: 'legacy-billing', namespace: 'default' },
};

/** A catalog that holds dotca, The Shop and Legacy billing. */
function catalog(): CatalogApi {
  const entities = [onboardedEntity, theShop, legacyBilling];
  return {
    getEntityByRef: jest.fn(async (ref: string) =>
      entities.find(e => stringifyEntityRef(e) === ref),
    ),
  } as unknown as CatalogApi;
}

function fieldProps(
  overrides: Partial<ImageTagPickerProps> = {},
): ImageTagPickerProps {
  return {
    onChange: jest.fn(),
    schema: { type: 'string', title: 'Image tag' },
    uiSchema: {},
    formData: undefined,
    formContext: { formData: { entityRef: 'component:default/dotca' } },
    required: true,
    rawErrors: [],
    idSchema: { $id: 'root_tag' },
    ...overrides,
  } as unknown as ImageTagPickerProps;
}

async function renderPicker(props: ImageTagPickerProps, api = fakeImagesApi()) {
  const rendered = await renderInTestApp(
    <TestApiProvider
      apis={[
        [imagesApiRef, api],
        [catalogApiRef, catalog()],
      ]}
    >
      <ImageTagPicker {...props} />
    </TestApiProvider>,
  );
  const rerender = async (next: ImageTagPickerProps) =>
    rendered.rerender(
      <TestApiProvider
        apis={[
          [imagesApiRef, api],
          [catalogApiRef, catalog()],
        ]}
      >
        <ImageTagPicker {...next} />
      </TestApiProvider>,
    );
  return { ...rendered, api, rerender };
}

async function openOptions() {
  const input = screen.getByRole('textbox', { name: /Image tag/ });
  await userEvent.click(input);
  return input;
}

describe('ImageTagPicker', () => {
  // Rendering the picker (and, in one case, the whole scaffolder form) takes seconds of jsdom work on a busy machine.
  jest.setTimeout(20_000);

  it("lists the entity's tags newest first, grouped by digest with its age, and chooses one", async () => {
    const props = fieldProps();
    const { api } = await renderPicker(props);
    await openOptions();

    expect(await screen.findByRole('option', { name: 'v1.3.0' })).toBeVisible();
    expect(api.getTags).toHaveBeenCalledWith('component:default/dotca', {
      image: 'ghcr.io/bxtech/dotca',
      pageSize: 50,
      sort: 'created',
      search: undefined,
    });
    // One group per digest, in the backend's order, with the tags on that digest under it.
    const groups = screen
      .getAllByRole('listbox')[0]
      .querySelectorAll('.MuiAutocomplete-groupLabel');
    expect(Array.from(groups, group => group.textContent)).toEqual([
      `sha256:${DIGEST_NEW.slice(7, 19)} · 1 day ago · runs in development`,
      `sha256:${DIGEST_OLD.slice(
        7,
        19,
      )} · 3 days ago · runs in staging, production`,
      'digest not resolved yet',
    ]);
    expect(
      screen.getAllByRole('option').map(option => option.textContent),
    ).toEqual([
      'latest-dev',
      'v1.3.0',
      'main-0f1e2d3',
      'latest',
      'staging',
      'v1.2.3',
      'pr-456',
    ]);
    expect(screen.getByText('Tags of ghcr.io/bxtech/dotca')).toBeVisible();

    await userEvent.click(screen.getByRole('option', { name: 'v1.2.3' }));
    expect(props.onChange).toHaveBeenCalledWith('v1.2.3');
  });

  it('describes the chosen tag by its digest and age', async () => {
    await renderPicker(fieldProps({ formData: 'v1.2.3' }));
    expect(
      await screen.findByTestId('image-tag-picker-selection'),
    ).toHaveTextContent(
      `v1.2.3 · sha256:${DIGEST_OLD.slice(
        7,
        19,
      )} · 3 days ago · runs in staging, production`,
    );
    expect(screen.getByRole('textbox', { name: /Image tag/ })).toHaveValue(
      'v1.2.3',
    );
  });

  it('searches on the backend as the user types', async () => {
    const matching: TagPage = tagPage({
      rows: [tagPage().rows[1]],
      totalRows: 1,
    });
    const api = fakeImagesApi({
      getTags: jest.fn(async (_ref, request) =>
        request.search ? matching : tagPage(),
      ),
    });
    await renderPicker(fieldProps(), api);
    const input = await openOptions();
    await screen.findByRole('option', { name: 'v1.3.0' });

    await userEvent.type(input, 'v1.2');
    await waitFor(() =>
      expect(api.getTags).toHaveBeenLastCalledWith('component:default/dotca', {
        image: 'ghcr.io/bxtech/dotca',
        pageSize: 50,
        sort: 'created',
        search: 'v1.2',
      }),
    );
    // Debounced: one request for the whole word, not one per key.
    expect(
      api.getTags.mock.calls.filter(([, request]) => request.search),
    ).toHaveLength(1);
    await waitFor(() =>
      expect(
        screen.queryByRole('option', { name: 'v1.3.0' }),
      ).not.toBeInTheDocument(),
    );
    expect(screen.getByRole('option', { name: 'v1.2.3' })).toBeVisible();
  });

  it('says when more images exist than it lists', async () => {
    await renderPicker(
      fieldProps(),
      fakeImagesApi({
        getTags: jest.fn(async () => tagPage({ totalRows: 1234 })),
      }),
    );
    expect(
      await screen.findByText(
        'The newest 3 of 1,234 images of ghcr.io/bxtech/dotca: type to search',
      ),
    ).toBeVisible();
  });

  it('waits for an entity before it lists anything', async () => {
    const { api } = await renderPicker(fieldProps({ formContext: {} }));
    expect(screen.getByText('Choose the entity first')).toBeVisible();
    expect(screen.getByRole('textbox', { name: /Image tag/ })).toBeDisabled();
    expect(api.getTags).not.toHaveBeenCalled();
  });

  it('reads the entity and the image from the fields its options name', async () => {
    const { api } = await renderPicker(
      fieldProps({
        uiSchema: {
          'ui:options': { entityRefField: 'service', imageField: 'image' },
        },
        formContext: {
          formData: {
            service: 'system:default/the-shop',
            image: 'registry.digitalocean.com/the-shop/api',
          },
        },
      }),
    );
    await waitFor(() =>
      expect(api.getTags).toHaveBeenCalledWith(
        'system:default/the-shop',
        expect.objectContaining({
          image: 'registry.digitalocean.com/the-shop/api',
        }),
      ),
    );
  });

  it('explains an entity that is not onboarded, without asking the images backend', async () => {
    const { api } = await renderPicker(
      fieldProps({
        formContext: {
          formData: { entityRef: 'component:default/legacy-billing' },
        },
      }),
    );
    expect(
      await screen.findByText(
        'legacy-billing has no berth.dev/images annotation: onboard it to Berth first',
      ),
    ).toBeVisible();
    expect(api.getTags).not.toHaveBeenCalled();
  });

  it('shows the backend error', async () => {
    await renderPicker(
      fieldProps(),
      fakeImagesApi({
        getTags: jest.fn(async () => {
          throw new Error('ghcr.io answered 503 Service Unavailable');
        }),
      }),
    );
    expect(
      await screen.findByText('ghcr.io answered 503 Service Unavailable'),
    ).toBeVisible();
  });

  it('forgets the chosen tag when another entity is chosen', async () => {
    const props = fieldProps({ formData: 'v1.2.3' });
    const { rerender } = await renderPicker(props);
    await screen.findByTestId('image-tag-picker-selection');
    expect(props.onChange).not.toHaveBeenCalled();

    await act(() =>
      rerender({
        ...props,
        formContext: { formData: { entityRef: 'system:default/the-shop' } },
      }),
    );
    expect(props.onChange).toHaveBeenCalledWith(undefined);
  });

  it('reads the entity from a sibling field inside the scaffolder form', async () => {
    // The stepper scrolls to the top of each step; jsdom has no scrolling.
    jest.spyOn(window, 'scrollTo').mockImplementation(() => {});
    const api = fakeImagesApi();
    const onCreate = jest.fn();
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [imagesApiRef, api],
          [catalogApiRef, catalog()],
        ]}
      >
        <Stepper
          manifest={{
            title: 'Promote image',
            steps: [
              {
                title: 'What to promote',
                schema: {
                  type: 'object',
                  required: ['entityRef', 'tag'],
                  properties: {
                    entityRef: { type: 'string', title: 'Entity' },
                    tag: {
                      type: 'string',
                      title: 'Image tag',
                      'ui:field': 'ImageTagPicker',
                    },
                  },
                },
              },
            ],
          }}
          extensions={[
            {
              name: 'ImageTagPicker',
              component: ImageTagPicker,
              validation: imageTagPickerValidation,
            },
          ]}
          onCreate={onCreate}
        />
      </TestApiProvider>,
    );
    await userEvent.type(
      screen.getByRole('textbox', { name: /Entity/ }),
      'component:default/dotca',
    );
    await openOptions();
    await userEvent.click(
      await screen.findByRole('option', { name: 'v1.2.3' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Review' }));
    await userEvent.click(
      await screen.findByRole('button', { name: 'Create' }),
    );
    expect(onCreate).toHaveBeenCalledWith({
      entityRef: 'component:default/dotca',
      tag: 'v1.2.3',
    });
  });
});

describe('imageTagPickerValidation', () => {
  function validate(value: string | undefined) {
    const validation = createFieldValidation();
    imageTagPickerValidation(value as string, validation, {} as any);
    return validation.__errors;
  }

  it('asks for a tag', () => {
    expect(validate(undefined)).toEqual(['Choose a tag of the image']);
    expect(validate('  ')).toEqual(['Choose a tag of the image']);
  });

  it('refuses what cannot be a tag', () => {
    expect(validate('-v1')?.[0]).toMatch(/"-v1" is not an image tag/);
    expect(validate('v1:2')?.[0]).toMatch(/is not an image tag/);
  });

  it('accepts tags and digests', () => {
    expect(validate('v1.2.3')).toEqual([]);
    expect(validate(DIGEST_OLD)).toEqual([]);
  });
});
