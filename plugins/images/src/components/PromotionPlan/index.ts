export { PromotionPlan } from './PromotionPlan';
