import {
  Content,
  Header,
  InfoCard,
  Page,
  ProxiedSignInPage,
} from '@backstage/core-components';
import { IdentityApi, SignInPageProps } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';

/** Where the chosen demo user is kept, so that a reload signs in again as the same user. */
const KEY = 'berth-demo-user';

const USERS = [
  {
    name: 'guest',
    title: 'Guest',
    about: 'A developer: promotes images, and asks for production releases.',
  },
  {
    name: 'ada',
    title: 'Ada Lovelace',
    about:
      'A release manager: approves the production releases others ask for.',
  },
];

/** The same identity, forgetting the chosen user on sign-out, so that the next sign-in may choose the other. */
function forgettingOnSignOut(identity: IdentityApi): IdentityApi {
  return {
    getProfileInfo: () => identity.getProfileInfo(),
    getBackstageIdentity: () => identity.getBackstageIdentity(),
    getCredentials: () => identity.getCredentials(),
    signOut: async () => {
      localStorage.removeItem(KEY);
      await identity.signOut();
    },
  };
}

/**
 * Demo only: choose who to be, one of two users of the demo catalog (the backend's `demo` provider signs in as the
 * one chosen), so that a promotion one asks for can be approved by the other. A real app uses its identity provider.
 */
export const DemoSignInPage = (props: SignInPageProps) => {
  const [user, setUser] = useState(() => localStorage.getItem(KEY));
  if (user) {
    return (
      <ProxiedSignInPage
        {...props}
        provider="demo"
        headers={{ 'x-berth-demo-user': user }}
        onSignInSuccess={identity =>
          props.onSignInSuccess(forgettingOnSignOut(identity))
        }
      />
    );
  }
  return (
    <Page themeId="home">
      <Header title="Berth demo" subtitle="Sign in as one of two demo users" />
      <Content>
        <Grid container spacing={3}>
          {USERS.map(demoUser => (
            <Grid item xs={12} md={6} key={demoUser.name}>
              <InfoCard title={demoUser.title}>
                <Typography paragraph>{demoUser.about}</Typography>
                <Button
                  variant="contained"
                  color="primary"
                  onClick={() => {
                    localStorage.setItem(KEY, demoUser.name);
                    setUser(demoUser.name);
                  }}
                >
                  Sign in as {demoUser.title}
                </Button>
              </InfoCard>
            </Grid>
          ))}
        </Grid>
      </Content>
    </Page>
  );
};
