// A real OpenID Provider for the tests: the certified `oidc-provider` package (end2end's
// lockfile) with its development login form, which takes any login name and password. The tests
// start it, tell it the accounts (`PUT /test/accounts/{login}`), and sign in through it.
//
// Settings (environment): OIDC_PORT, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI (convene's callback),
// OIDC_POST_LOGOUT_URI (where convene wants people after the provider's sign-out).
//
// An account may ask the provider to misbehave, so that the tests can see convene refuse what a
// broken or hostile provider (or someone between) sends: `tamper` re-signs the ID token with
// another audience ("aud"), a key the provider does not publish ("key"), another nonce
// ("nonce") or an expiry in the past ("exp"); `codeSeconds` shortens the code's lifetime.

import http from 'node:http';

import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from 'jose';
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;
const accounts = new Map();

const signingKey = await generateKeyPair('RS256', { extractable: true });
const rogueKey = await generateKeyPair('RS256', { extractable: true });
const kid = 'test-signing-key';
const privateJwk = { ...(await exportJWK(signingKey.privateKey)), kid, alg: 'RS256', use: 'sig' };

function account(login) {
  return accounts.get(login) ?? { email: `${login}@example.org`, email_verified: true, groups: [] };
}

const client = (clientId) => ({
  client_id: clientId,
  client_secret: process.env.OIDC_CLIENT_SECRET,
  redirect_uris: [process.env.OIDC_REDIRECT_URI],
  post_logout_redirect_uris: [process.env.OIDC_POST_LOGOUT_URI],
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
});

const provider = new Provider(issuer, {
  clients: [client('convene'), client('another-app')],
  jwks: { keys: [privateJwk] },
  cookies: { keys: ['a cookie key for the tests only'] },
  scopes: ['openid', 'email', 'groups'],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], groups: ['groups'] },
  // Like Keycloak: the claims of the scopes asked for are in the ID token itself.
  conformIdTokenClaims: false,
  ttl: {
    AuthorizationCode: (ctx, code) => account(code.accountId).codeSeconds ?? 60,
    AccessToken: 600,
    IdToken: 600,
    Interaction: 600,
    Session: 3600,
    Grant: 3600,
  },
  async findAccount(ctx, login) {
    return {
      accountId: login,
      async claims() {
        const { email, email_verified, groups } = account(login);
        return { sub: login, email, email_verified, groups };
      },
    };
  },
  // The organizers' site is the community's own: no consent screen after the login.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email groups');
    await grant.save();
    return grant;
  },
});

// The misbehaviour an account asked for, applied to the token endpoint's answer.
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path !== '/token' || !ctx.body?.id_token) return;
  const claims = decodeJwt(ctx.body.id_token);
  const tamper = account(claims.sub).tamper;
  if (!tamper) return;
  let key = signingKey.privateKey;
  if (tamper === 'aud') claims.aud = 'another-app';
  if (tamper === 'key') key = rogueKey.privateKey;
  if (tamper === 'nonce') claims.nonce = 'not-the-nonce-convene-sent';
  if (tamper === 'exp') {
    claims.iat -= 7200;
    claims.exp = claims.iat + 600;
  }
  ctx.body.id_token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(key);
});

const handle = provider.callback();
const server = http.createServer((req, res) => {
  const match = req.url.match(/^\/test\/accounts\/([^/?]+)$/);
  if (!match || req.method !== 'PUT') return handle(req, res);
  let body = '';
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => {
    accounts.set(decodeURIComponent(match[1]), JSON.parse(body));
    res.writeHead(204).end();
  });
  return undefined;
});
server.listen(port, '127.0.0.1', () => console.log(`ready ${issuer}`));
