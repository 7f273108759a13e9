//! Organizer sign-in through the community's identity provider (OpenID Connect: Keycloak, or any
//! certified provider): the authorization code flow with PKCE, `state` and `nonce`, the ID token's
//! signature, issuer, audience, expiry and nonce checked by the `openidconnect` crate, and the
//! organizer account found or made with the role the person's groups give (at every sign-in).

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use domain::admin::{AdminError, SESSION_LIFETIME};
use domain::sso::{PendingSignIn, RoleGroups};
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreErrorResponseType,
    CoreGenderClaim, CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
    CoreRevocableToken, CoreRevocationErrorResponse, CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AccessTokenHash, AdditionalClaims, AuthorizationCode, ClientId, ClientSecret, CsrfToken,
    EmptyExtraTokenFields, EndpointMaybeSet, EndpointNotSet, EndpointSet, IdTokenFields, IssuerUrl,
    LogoutRequest, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier,
    PostLogoutRedirectUrl, ProviderMetadataWithLogout, RedirectUrl, RequestTokenError, Scope,
    StandardErrorResponse, StandardTokenResponse, TokenResponse,
};
use serde::{Deserialize, Serialize};
use store::{Identity, IdentitySignIn, NewSession};
use tokio::sync::Mutex;

use crate::Services;
use crate::token::SecretToken;

/// The settings of the single sign-on (`CONVENE_OIDC_*`).
#[derive(Clone, PartialEq, Eq)]
pub struct SsoSettings {
    /// The provider's issuer, e.g. `https://id.example.org/realms/scs` (its discovery document is
    /// at `{issuer}/.well-known/openid-configuration`).
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// Scopes asked for besides `openid`.
    pub scopes: Vec<String>,
    /// Where the person's groups are in the ID token (`groups`, or a dotted path).
    pub groups_claim: String,
    pub roles: RoleGroups,
    /// The provider's name on the sign-in button.
    pub name: String,
}

impl std::fmt::Debug for SsoSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SsoSettings")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &"(hidden)")
            .field("scopes", &self.scopes)
            .field("groups_claim", &self.groups_claim)
            .field("roles", &self.roles)
            .field("name", &self.name)
            .finish()
    }
}

/// The claims of an ID token besides the standard ones: the groups are somewhere among them.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct OtherClaims {
    #[serde(flatten)]
    claims: serde_json::Map<String, serde_json::Value>,
}

impl AdditionalClaims for OtherClaims {}

type IdFields = IdTokenFields<
    OtherClaims,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
type Tokens = StandardTokenResponse<IdFields, CoreTokenType>;
type OidcClient = openidconnect::Client<
    OtherClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    Tokens,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// How long a discovered provider (its endpoints and signing keys) is used before it is read
/// again: sign-ins do not each cost the provider two requests, and rotated keys arrive soon.
const DISCOVERY_LIFETIME: Duration = Duration::from_secs(60);

/// How long a sign-in may stay at the provider (the pending cookie's lifetime).
pub const PENDING_SECONDS: i64 = 600;

/// The single sign-on of this site: its settings, an HTTP client for the provider, and the
/// provider's metadata as last discovered.
pub struct Sso {
    pub settings: SsoSettings,
    http: reqwest::Client,
    discovered: Mutex<Option<(Instant, ProviderMetadataWithLogout)>>,
}

impl std::fmt::Debug for Sso {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.settings.fmt(f)
    }
}

impl Sso {
    pub fn new(settings: SsoSettings) -> Result<Sso, String> {
        let http = reqwest::Client::builder()
            // Following redirects would let a provider's answer point us anywhere (SSRF).
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| format!("cannot make the HTTP client for the sign-in service: {e}"))?;
        Ok(Sso {
            settings,
            http,
            discovered: Mutex::new(None),
        })
    }

    /// The provider's metadata, discovered again when it is older than a minute.
    async fn metadata(&self) -> Result<ProviderMetadataWithLogout, AdminError> {
        let mut cached = self.discovered.lock().await;
        if let Some((at, metadata)) = cached.as_ref()
            && at.elapsed() < DISCOVERY_LIFETIME
        {
            return Ok(metadata.clone());
        }
        let issuer = IssuerUrl::new(self.settings.issuer.clone()).map_err(|error| {
            tracing::error!(%error, "the sign-in service's issuer is no URL");
            AdminError::SsoUnavailable
        })?;
        let metadata = ProviderMetadataWithLogout::discover_async(issuer, &self.http)
            .await
            .map_err(|error| {
                tracing::warn!(error = %error_chain(&error), "discovery of the sign-in service failed");
                AdminError::SsoUnavailable
            })?;
        *cached = Some((Instant::now(), metadata.clone()));
        Ok(metadata)
    }

    fn client(
        &self,
        metadata: ProviderMetadataWithLogout,
        base_url: &str,
    ) -> Result<OidcClient, AdminError> {
        let redirect = RedirectUrl::new(format!("{base_url}{CALLBACK_PATH}")).map_err(|error| {
            tracing::error!(%error, "the site's address makes no redirect URL");
            AdminError::Internal
        })?;
        Ok(OidcClient::from_provider_metadata(
            metadata,
            ClientId::new(self.settings.client_id.clone()),
            Some(ClientSecret::new(self.settings.client_secret.clone())),
        )
        .set_redirect_uri(redirect))
    }
}

/// Where the provider sends people back to (register it as the client's redirect URI).
pub const CALLBACK_PATH: &str = "/admin/sso/callback";

/// The full text of an error and its sources, for the log.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text
}

/// Starts a sign-in: the provider's authorization address to send the person to, and what the
/// answer must match (for the pending cookie). `next` is the admin page to go to afterwards.
pub async fn begin(ctx: &Services, next: &str) -> Result<(String, PendingSignIn), AdminError> {
    let sso = ctx.sso.as_ref().ok_or(AdminError::NotFound)?;
    let client = sso.client(sso.metadata().await?, &ctx.base_url)?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .set_pkce_challenge(challenge);
    for scope in &sso.settings.scopes {
        request = request.add_scope(Scope::new(scope.clone()));
    }
    let (url, state, nonce) = request.url();
    let pending = PendingSignIn {
        state: state.secret().clone(),
        nonce: nonce.secret().clone(),
        verifier: verifier.secret().clone(),
        next: next.to_owned(),
    };
    Ok((url.to_string(), pending))
}

/// What the provider sent back to the callback.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct ProviderAnswer {
    pub code: Option<String>,
    pub state: Option<String>,
    /// The provider's refusal (e.g. `access_denied`), instead of a code.
    pub error: Option<String>,
}

/// A completed single sign-on: the session's secret (for the cookie), and where to go.
#[derive(Debug)]
pub struct SsoSignIn {
    pub session_secret: String,
    pub next: String,
}

/// Completes a sign-in: the answer must carry the pending sign-in's `state`, its code is
/// exchanged (with the PKCE verifier) for an ID token whose signature, issuer, audience, expiry
/// and nonce are checked; the person's groups must give a role. Anything else signs nobody in.
pub async fn finish(
    ctx: &Services,
    pending: Option<PendingSignIn>,
    answer: &ProviderAnswer,
    now: DateTime<Utc>,
) -> Result<SsoSignIn, AdminError> {
    let sso = ctx.sso.as_ref().ok_or(AdminError::NotFound)?;
    let refused = |why: &str| {
        tracing::warn!(why, "single sign-on refused");
        AdminError::SsoRefused
    };
    let pending = pending.ok_or_else(|| refused("no sign-in is pending in this browser"))?;
    let state_matches = answer
        .state
        .as_deref()
        .is_some_and(|state| crate::token::same_secret(state, &pending.state));
    if !state_matches {
        return Err(refused("the answer's state is not the pending sign-in's"));
    }
    if let Some(error) = &answer.error {
        tracing::warn!(error, "the sign-in service did not sign the person in");
        return Err(AdminError::SsoRefused);
    }
    let code = answer
        .code
        .clone()
        .ok_or_else(|| refused("the answer has no code"))?;
    let client = sso.client(sso.metadata().await?, &ctx.base_url)?;
    let tokens = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|_| refused("the provider has no token endpoint"))?
        .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier))
        .request_async(&sso.http)
        .await
        .map_err(|error| match error {
            RequestTokenError::ServerResponse(answer) => {
                tracing::warn!(error = %answer, "the provider refused the code");
                AdminError::SsoRefused
            }
            other => {
                tracing::warn!(error = %error_chain(&other), "the code exchange failed");
                AdminError::SsoUnavailable
            }
        })?;
    let id_token = tokens
        .id_token()
        .ok_or_else(|| refused("the provider sent no ID token"))?;
    let verifier = client.id_token_verifier();
    let claims = id_token
        .claims(&verifier, &Nonce::new(pending.nonce))
        .map_err(|error| {
            tracing::warn!(error = %error_chain(&error), "the ID token failed its checks");
            AdminError::SsoRefused
        })?;
    if let Some(expected) = claims.access_token_hash() {
        let actual = id_token
            .signing_alg()
            .ok()
            .zip(id_token.signing_key(&verifier).ok())
            .and_then(|(alg, key)| {
                AccessTokenHash::from_token(tokens.access_token(), alg, key).ok()
            });
        if actual.as_ref() != Some(expected) {
            return Err(refused("the access token is not the ID token's"));
        }
    }
    let subject = claims.subject().as_str();
    let email = claims
        .email()
        .map(|email| email.as_str().to_owned())
        .filter(|email| domain::EmailAddress::parse(email).is_ok())
        .ok_or_else(|| refused("the ID token holds no usable e-mail address"))?;
    let groups = domain::sso::claim_values(
        &serde_json::Value::Object(claims.additional_claims().claims.clone()),
        &sso.settings.groups_claim,
    );
    let Some(role) = sso.settings.roles.role_for(&groups) else {
        if ctx.store.remove_identity_access(subject, now).await? {
            tracing::info!(
                subject,
                "organizer's access ended: their groups give no role"
            );
        }
        tracing::warn!(
            subject,
            ?groups,
            "single sign-on refused: no group gives a role"
        );
        return Err(AdminError::SsoNoRole);
    };
    let token = SecretToken::generate()
        .map_err(|e| crate::failed("random source", e, AdminError::Internal))?;
    let identity = Identity {
        subject,
        email: &email,
        email_verified: claims.email_verified().unwrap_or(false),
        role,
    };
    let session = NewSession {
        token_hash: &token.hash(),
        expires_at: now + SESSION_LIFETIME,
    };
    match ctx.store.sign_in_identity(identity, session, now).await? {
        IdentitySignIn::SignedIn(organizer) => {
            tracing::info!(
                organizer,
                role = role.as_str(),
                "organizer signed in by single sign-on"
            );
            Ok(SsoSignIn {
                session_secret: token.as_str().to_owned(),
                next: pending.next,
            })
        }
        IdentitySignIn::AddressTaken => {
            tracing::warn!(
                subject,
                "single sign-on refused: another account has the address"
            );
            Err(AdminError::SsoAddressTaken)
        }
    }
}

/// The provider's end-session address (RP-initiated logout), leading back to the sign-in page;
/// `None` when the provider has none.
pub async fn end_session_url(ctx: &Services) -> Result<Option<String>, AdminError> {
    let sso = ctx.sso.as_ref().ok_or(AdminError::NotFound)?;
    let metadata = sso.metadata().await?;
    let Some(endpoint) = metadata.additional_metadata().end_session_endpoint.clone() else {
        return Ok(None);
    };
    let back = PostLogoutRedirectUrl::new(format!("{}/admin/sign-in", ctx.base_url))
        .map_err(|_| AdminError::Internal)?;
    Ok(Some(
        LogoutRequest::from(endpoint)
            .set_client_id(ClientId::new(sso.settings.client_id.clone()))
            .set_post_logout_redirect_uri(back)
            .http_get_url()
            .to_string(),
    ))
}
