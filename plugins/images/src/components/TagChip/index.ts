export { TagChip, TAG_KIND_LABELS } from './TagChip';
