import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { signalApiRef, SignalApi } from '@backstage/plugin-signals-react';
import { act } from 'react';
import { imagesApiRef } from '../../api';
import {
  DIGEST_NEW,
  DIGEST_OLD,
  fakeImagesApi,
  tagPage,
} from '../../__testUtils__/fixtures';
import { TagsTable } from './TagsTable';

const ref = { kind: 'Component', namespace: 'default', name: 'dotca' };

async function renderTable(api = fakeImagesApi(), onOpenDetails = jest.fn()) {
  await renderInTestApp(
    <TestApiProvider apis={[[imagesApiRef, api]]}>
      <TagsTable
        entityRef={ref}
        image="ghcr.io/bxtech/dotca"
        onOpenDetails={onOpenDetails}
      />
    </TestApiProvider>,
  );
  return { api, onOpenDetails };
}

describe('TagsTable', () => {
  it('reads the page again when the images backend signals that the image changed, and stops listening when gone', async () => {
    // The browser side of Backstage's signals: the channels subscribed, and a way to deliver a message on one (the
    // end-to-end test runs the real signals plugins).
    const listeners = new Map<string, Set<(message: any) => void>>();
    const signals: SignalApi = {
      subscribe(channel, onMessage) {
        const set = listeners.get(channel) ?? new Set();
        set.add(onMessage);
        listeners.set(channel, set);
        return { unsubscribe: () => set.delete(onMessage) };
      },
    };
    const api = fakeImagesApi();
    const { unmount } = await renderInTestApp(
      <TestApiProvider
        apis={[
          [imagesApiRef, api],
          [signalApiRef, signals],
        ]}
      >
        <TagsTable
          entityRef={ref}
          image="ghcr.io/bxtech/dotca"
          onOpenDetails={jest.fn()}
        />
      </TestApiProvider>,
    );
    await screen.findByTestId('tags-table');
    expect(api.getTags).toHaveBeenCalledTimes(1);
    expect([...listeners.keys()]).toEqual(['images:ghcr.io/bxtech/dotca']);

    act(() =>
      listeners
        .get('images:ghcr.io/bxtech/dotca')!
        .forEach(deliver => deliver({ changed: 'tags' })),
    );
    await waitFor(() => expect(api.getTags).toHaveBeenCalledTimes(2));

    unmount();
    expect(listeners.get('images:ghcr.io/bxtech/dotca')!.size).toBe(0);
  });

  it('lists one row per digest with its tags, age, size, platforms, signature and environments', async () => {
    const { api } = await renderTable();
    const table = await screen.findByTestId('tags-table');
    expect(api.getTags).toHaveBeenCalledWith(ref, {
      image: 'ghcr.io/bxtech/dotca',
      page: 0,
      pageSize: 20,
      sort: 'created',
      search: undefined,
      artifacts: false,
    });

    const rows = within(table).getAllByTestId('tag-row');
    expect(rows).toHaveLength(3);
    expect(rows[0]).toHaveAttribute('data-digest', DIGEST_NEW);
    const first = within(rows[0]);
    expect(
      first.getByText('latest-dev').closest('[data-kind]'),
    ).toHaveAttribute('data-kind', 'environment');
    expect(first.getByText('v1.3.0').closest('[data-kind]')).toHaveAttribute(
      'data-kind',
      'release',
    );
    expect(first.getByText(DIGEST_NEW.slice(7, 19))).toBeInTheDocument();
    expect(first.getByText('1 day ago')).toBeInTheDocument();
    expect(first.getByText('45.2 MB')).toBeInTheDocument();
    expect(first.getByText('linux/amd64')).toBeInTheDocument();
    expect(first.getByText('linux/arm64')).toBeInTheDocument();
    expect(first.getByTitle('signed')).toBeInTheDocument();
    expect(first.getByText('development')).toBeInTheDocument();

    const second = within(rows[1]);
    expect(second.getByTitle('unsigned')).toBeInTheDocument();
    expect(
      second.getByText('staging', { selector: '.MuiChip-colorPrimary *' }),
    ).toBeInTheDocument();
    expect(second.getByText('production')).toBeInTheDocument();

    // a tag whose digest the index has not resolved yet
    expect(rows[2]).toHaveAttribute('data-digest', '');
    expect(within(rows[2]).getByText('pr-456')).toBeInTheDocument();
    expect(within(rows[2]).getByText('resolving…')).toBeInTheDocument();

    expect(screen.getByTestId('tag-index-note')).toHaveTextContent(
      'Indexing 6 of 7 tags…',
    );
  });

  it('says why a digest cannot be described, and still lists its tags', async () => {
    const message = `ghcr.io returned the manifest bxtech/dotca@${DIGEST_OLD} that Berth cannot read: entry 1 of its manifests is null`;
    const api = fakeImagesApi({
      getTags: jest.fn(async () =>
        tagPage({
          rows: [
            {
              digest: DIGEST_OLD,
              tags: [{ name: 'v1.0.0', kind: 'release' }],
              environments: [],
              error: message,
            },
          ],
          totalRows: 1,
        }),
      ),
    });
    await renderTable(api);
    const [row] = await screen.findAllByTestId('tag-row');
    expect(within(row).getByTestId('tag-row-error')).toHaveTextContent(message);
    expect(within(row).getByText('v1.0.0')).toBeInTheDocument();
  });

  it('searches on the backend once typing stops', async () => {
    const { api } = await renderTable();
    await screen.findByTestId('tags-table');
    await userEvent.type(screen.getByLabelText('Search tags'), 'v1.2');
    await waitFor(() =>
      expect(api.getTags).toHaveBeenLastCalledWith(
        ref,
        expect.objectContaining({ search: 'v1.2', page: 0 }),
      ),
    );
    const searches = api.getTags.mock.calls.map(
      ([, request]) => request.search,
    );
    expect(searches).toEqual([undefined, 'v1.2']);
  });

  it('sorts, shows artefacts and pages on the backend', async () => {
    const api = fakeImagesApi({
      getTags: jest.fn(async () => tagPage({ totalRows: 45 })),
    });
    await renderTable(api);
    await screen.findByTestId('tags-table');

    await userEvent.selectOptions(screen.getByLabelText('Sort by'), 'Version');
    await waitFor(() =>
      expect(api.getTags).toHaveBeenLastCalledWith(
        ref,
        expect.objectContaining({ sort: 'version', page: 0 }),
      ),
    );
    await userEvent.selectOptions(screen.getByLabelText('Sort by'), 'Name');
    await waitFor(() =>
      expect(api.getTags).toHaveBeenLastCalledWith(
        ref,
        expect.objectContaining({ sort: 'name' }),
      ),
    );

    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Show signatures & attestations' }),
    );
    await waitFor(() =>
      expect(api.getTags).toHaveBeenLastCalledWith(
        ref,
        expect.objectContaining({ artifacts: true, sort: 'name' }),
      ),
    );

    expect(screen.getByText('1-20 of 45')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() =>
      expect(api.getTags).toHaveBeenLastCalledWith(
        ref,
        expect.objectContaining({ page: 1, pageSize: 20 }),
      ),
    );
  });

  it('says when newest first is partial, when a rate limit holds indexing back, and dates rows by their push', async () => {
    const pushedAt = new Date(Date.now() - 3 * 3600_000).toISOString();
    const api = fakeImagesApi({
      getTags: jest.fn(async () =>
        tagPage({
          rows: [
            {
              digest: DIGEST_NEW,
              tags: [{ name: 'build-7', kind: 'other' }],
              pushedAt,
              environments: [],
            },
            { tags: [{ name: 'build-6', kind: 'other' }], environments: [] },
          ],
          totalRows: 2,
          index: {
            totalTags: 2,
            resolvedTags: 1,
            complete: false,
            truncated: false,
            order: 'partial',
            heldBack:
              "registry-1.docker.io's rate limit leaves 40 of 100 requests until 2026-12-02T18:00:00.000Z: Berth keeps them for page views and promotions, and indexes library/shop further after that",
          },
        }),
      ),
    });
    await renderTable(api);
    const rows = within(await screen.findByTestId('tags-table')).getAllByTestId(
      'tag-row',
    );
    expect(within(rows[0]).getByText('3 hours ago')).toBeInTheDocument();
    expect(screen.getByTestId('tag-index-note')).toHaveTextContent(
      'Indexing 1 of 2 tags… Newest first is partial until then: images not described yet follow the dated ones, this page first.',
    );
    expect(screen.getByTestId('tag-index-held-back')).toHaveTextContent(
      "Indexing paused: registry-1.docker.io's rate limit leaves 40 of 100 requests until",
    );
  });

  it('says so when the repository has no tags yet', async () => {
    const api = fakeImagesApi({
      getTags: jest.fn(async () =>
        tagPage({
          rows: [],
          totalRows: 0,
          index: {
            totalTags: 0,
            resolvedTags: 0,
            complete: true,
            truncated: false,
          },
        }),
      ),
    });
    await renderTable(api);
    expect(
      await screen.findByText('No tags in ghcr.io/bxtech/dotca yet'),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('tags-table')).not.toBeInTheDocument();
    expect(screen.queryByTestId('tag-index-note')).not.toBeInTheDocument();
  });

  it('opens the details of a row, but not when its digest is copied', async () => {
    // jsdom has no clipboard; copy-to-clipboard falls back to window.prompt
    jest.spyOn(window, 'prompt').mockImplementation(() => null);
    const { onOpenDetails } = await renderTable();
    const rows = within(await screen.findByTestId('tags-table')).getAllByTestId(
      'tag-row',
    );
    await userEvent.click(
      within(rows[1]).getByRole('button', {
        name: `Copy digest ${DIGEST_OLD.slice(7, 19)}`,
      }),
    );
    expect(onOpenDetails).not.toHaveBeenCalled();
    await userEvent.click(within(rows[1]).getByText('v1.2.3'));
    expect(onOpenDetails).toHaveBeenCalledWith(DIGEST_OLD);
    await userEvent.click(within(rows[2]).getByText('pr-456'));
    expect(onOpenDetails).toHaveBeenCalledTimes(1);
  });

  it("shows the backend's message when the tags cannot be listed", async () => {
    const error = Object.assign(new Error('Request failed with 502'), {
      name: 'ResponseError',
      cause: { name: 'Error', message: 'ghcr.io timed out listing tags' },
    });
    await renderTable(
      fakeImagesApi({ getTags: jest.fn().mockRejectedValue(error) }),
    );
    expect(
      await screen.findByText('ghcr.io timed out listing tags'),
    ).toBeInTheDocument();
  });
});
