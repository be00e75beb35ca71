import { AttachmentInfo } from '@berth/plugin-images-common';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import AssignmentIcon from '@material-ui/icons/Assignment';
import DescriptionIcon from '@material-ui/icons/Description';
import InsertDriveFileIcon from '@material-ui/icons/InsertDriveFile';
import VerifiedUserIcon from '@material-ui/icons/VerifiedUser';
import { shortDigest } from '../../utils/format';

const ICONS = {
  signature: VerifiedUserIcon,
  attestation: AssignmentIcon,
  sbom: DescriptionIcon,
  other: InsertDriveFileIcon,
};

const KIND_LABELS = {
  signature: 'Signature',
  attestation: 'Attestation',
  sbom: 'SBOM',
  other: 'Attachment',
};

/** Signatures, attestations and SBOMs that refer to the image. */
export const AttachmentsList = (props: { attachments: AttachmentInfo[] }) => {
  const { attachments } = props;
  if (attachments.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No signatures, attestations or SBOMs.
      </Typography>
    );
  }
  return (
    <List dense aria-label="Attachments">
      {attachments.map(attachment => {
        const Icon = ICONS[attachment.kind] ?? InsertDriveFileIcon;
        const details = [
          attachment.artifactType ?? attachment.mediaType,
          attachment.tag ? `tag ${attachment.tag}` : undefined,
          `from ${attachment.source}`,
          shortDigest(attachment.digest),
        ].filter(Boolean);
        return (
          <ListItem key={`${attachment.source}:${attachment.digest}`}>
            <ListItemIcon>
              <Icon />
            </ListItemIcon>
            <ListItemText
              primary={KIND_LABELS[attachment.kind] ?? attachment.kind}
              secondary={details.join(' · ')}
            />
          </ListItem>
        );
      })}
    </List>
  );
};
