import Badge from '@material-ui/core/Badge';
import StorageIcon from '@material-ui/icons/Storage';
import { useApprovalCount } from '../../hooks';

/**
 * The icon of the Images page in the new frontend system, with the count of promotions waiting for the user's
 * approval as a badge. The app renders a page's icon element inside its tree (in the nav and the page header), so the
 * count is asked from there, like {@link ImagesSidebarItem} does in the legacy sidebar.
 */
export const ImagesNavIcon = () => {
  const waiting = useApprovalCount();
  return (
    <Badge
      // Nothing is shown while none waits.
      badgeContent={waiting || undefined}
      color="secondary"
      max={99}
      overlap="rectangular"
      title={waiting ? `${waiting} waiting for your approval` : undefined}
    >
      <StorageIcon />
    </Badge>
  );
};
