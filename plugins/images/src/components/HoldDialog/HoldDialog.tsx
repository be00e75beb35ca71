import { useApi } from '@backstage/core-plugin-api';
import { EnvironmentLane } from '@berth/plugin-images-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { imagesApiRef, ImagesEntityRef } from '../../api';
import { errorMessage } from '../../utils/format';

/** Holds an environment of one image, with the reason everyone will see on its lane. */
export const HoldDialog = (props: {
  entityRef: ImagesEntityRef;
  image: string;
  lane: EnvironmentLane;
  onClose: () => void;
  onDone: () => void;
}) => {
  const { entityRef, image, lane, onClose, onDone } = props;
  const api = useApi(imagesApiRef);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const trimmed = reason.trim();

  const hold = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api.holdEnvironment(entityRef, {
        environment: lane.name,
        image,
        reason: trimmed,
      });
      onDone();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm">
      <div data-testid="hold-dialog">
        <DialogTitle>Hold {lane.name}</DialogTitle>
        <DialogContent>
          <Typography variant="body2" paragraph>
            No promotion of {image} enters {lane.name} until the hold is
            released; a rollback still may. Everyone sees who holds it and why.
          </Typography>
          <TextField
            id="hold-reason"
            label="Why"
            fullWidth
            required
            variant="outlined"
            value={reason}
            onChange={event => setReason(event.target.value)}
            inputProps={{ maxLength: 1000 }}
          />
          {error && <Alert severity="error">{errorMessage(error)}</Alert>}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            color="primary"
            variant="contained"
            disabled={!trimmed || busy}
            onClick={hold}
          >
            Hold
          </Button>
        </DialogActions>
      </div>
    </Dialog>
  );
};
