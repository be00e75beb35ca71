export {
  ForcedChip,
  PROMOTION_STATUS_LABELS,
  PromotionStatusChip,
} from './PromotionStatusChip';
