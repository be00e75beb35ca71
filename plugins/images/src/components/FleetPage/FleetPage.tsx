import { Content, Header, Page } from '@backstage/core-components';
import { FleetContent } from './FleetContent';

/** The Images page of the legacy frontend system: the fleet, under a header. */
export const FleetPage = () => (
  <Page themeId="tool">
    <Header
      title="Images"
      subtitle="What runs where, across every onboarded service"
    />
    <Content>
      <FleetContent />
    </Content>
  </Page>
);
