import { SidebarItem } from '@backstage/core-components';
import StorageIcon from '@material-ui/icons/Storage';
import { useApprovalCount } from '../../hooks';

/**
 * The sidebar item of the Images page, with the count of promotions waiting for the user's approval.
 *
 * @public
 */
export const ImagesSidebarItem = (props: { to?: string; text?: string }) => {
  const { to = 'images', text = 'Images' } = props;
  const waiting = useApprovalCount();
  return (
    <SidebarItem
      icon={StorageIcon}
      to={to}
      text={waiting ? `${text} (${waiting})` : text}
      hasNotifications={waiting > 0}
    />
  );
};
