import { WarningPanel } from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { errorMessage } from '../../utils/format';

/** A failed call to the images backend: the backend's own message, and a retry button. */
export const ApiErrorPanel = (props: {
  title: string;
  error: Error;
  onRetry?: () => void;
}) => {
  const { title, error, onRetry } = props;
  return (
    <WarningPanel severity="error" title={title} defaultExpanded>
      <div>
        <Typography variant="body2" paragraph data-testid="api-error">
          {errorMessage(error)}
        </Typography>
        {onRetry && (
          <Button size="small" variant="outlined" onClick={onRetry}>
            Retry
          </Button>
        )}
      </div>
    </WarningPanel>
  );
};
