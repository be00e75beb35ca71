export { ContestedClaimPanel } from './ContestedClaimPanel';
