import { InfoCard } from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { makeStyles } from '@material-ui/core/styles';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { imagesApiRef } from '../../api';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { PendingPromotion } from '../ApprovalsPanel';

const useStyles = makeStyles(theme => ({
  list: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
  },
}));

/** The backend answered only what this user may approve. */
const ALLOWED = { loading: false, allowed: true };

/**
 * Every promotion, across entities, waiting for an approval the signed-in user may give, each with its plan and
 * Approve and Reject. Nothing is shown while none waits.
 */
export const ApprovalInbox = (props: { onDecided?: () => void }) => {
  const classes = useStyles();
  const api = useApi(imagesApiRef);
  const identityApi = useApi(identityApiRef);
  const { value: identity } = useAsync(
    () => identityApi.getBackstageIdentity(),
    [identityApi],
  );
  const inbox = useAsyncRetry(() => api.getApprovalInbox(), [api]);
  if (inbox.error) {
    return (
      <ApiErrorPanel
        title="Could not load what waits for your approval"
        error={inbox.error}
        onRetry={inbox.retry}
      />
    );
  }
  const items = inbox.value ?? [];
  if (items.length === 0) return null;
  return (
    <div data-testid="approval-inbox">
      <InfoCard title={`Waiting for your approval (${items.length})`}>
        <ul className={classes.list}>
          {items.map(({ entityRef, promotion }) => (
            <li key={promotion.id} data-testid="inbox-item">
              <EntityRefLink entityRef={entityRef} />
              <ul className={classes.list}>
                <PendingPromotion
                  entityRef={entityRef}
                  promotion={promotion}
                  permission={ALLOWED}
                  userEntityRef={identity?.userEntityRef}
                  onDecided={() => {
                    inbox.retry();
                    props.onDecided?.();
                  }}
                />
              </ul>
            </li>
          ))}
        </ul>
      </InfoCard>
    </div>
  );
};
