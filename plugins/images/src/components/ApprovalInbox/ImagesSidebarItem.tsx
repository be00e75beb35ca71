import { SidebarItem } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import StorageIcon from '@material-ui/icons/Storage';
import { useEffect, useState } from 'react';
import { imagesApiRef } from '../../api';

/** How often the count of what waits for approval is asked again. */
const REFRESH_MS = 60_000;

/**
 * The sidebar item of the Images page, with the count of promotions waiting for the user's approval.
 *
 * @public
 */
export const ImagesSidebarItem = (props: { to?: string; text?: string }) => {
  const { to = 'images', text = 'Images' } = props;
  const api = useApi(imagesApiRef);
  const [waiting, setWaiting] = useState(0);
  useEffect(() => {
    let live = true;
    const ask = () =>
      api
        .getApprovalInbox()
        .then(items => live && setWaiting(items.length))
        // The count is a hint: the page says what went wrong.
        .catch(() => undefined);
    ask();
    const timer = setInterval(ask, REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api]);
  return (
    <SidebarItem
      icon={StorageIcon}
      to={to}
      text={waiting ? `${text} (${waiting})` : text}
      hasNotifications={waiting > 0}
    />
  );
};
