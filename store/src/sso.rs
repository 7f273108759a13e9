//! Organizer accounts of people who sign in through the community's identity provider: found by
//! the provider's subject identifier, made on the first sign-in, their role set from their groups
//! at every sign-in (noted in the account log by convene itself).

use chrono::{DateTime, Utc};
use domain::admin::Role;
use domain::audit::AccountChange;

use crate::admin::{INSERT_ACCOUNT_LOG, stored_role};
use crate::{Actor, Store, StoreResult, on_backend};

/// A person as the identity provider vouched for them in a checked ID token.
#[derive(Debug, Clone, Copy)]
pub struct Identity<'a> {
    /// The provider's `sub`: stable, unlike the address.
    pub subject: &'a str,
    pub email: &'a str,
    /// Whether the provider says the address is theirs (`email_verified`): only then may an
    /// account made here with a password be taken over by the identity.
    pub email_verified: bool,
    /// What their groups give now.
    pub role: Role,
}

/// A new session for the identity's account.
#[derive(Debug, Clone, Copy)]
pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub expires_at: DateTime<Utc>,
}

/// What became of a sign-in by the identity provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentitySignIn {
    /// Signed in as this organizer.
    SignedIn(i64),
    /// Another account has the address (made here, and the provider does not vouch for the
    /// address; or linked to another identity): nothing changed.
    AddressTaken,
}

type AccountRow = (i64, String, Option<DateTime<Utc>>, Option<String>);

impl Store {
    /// Signs the identity in, in one transaction: finds its account by subject (or, the first
    /// time, an account with the same address if the provider vouches for it; or makes one
    /// without a password), gives it `identity.role` (and its access back if it was taken),
    /// keeps its address current, and starts a session.
    pub async fn sign_in_identity(
        &self,
        identity: Identity<'_>,
        session: NewSession<'_>,
        now: DateTime<Utc>,
    ) -> StoreResult<IdentitySignIn> {
        let email_normalized = identity.email.trim().to_lowercase();
        let system = Actor::System.stored();
        let outcome = on_backend!(self, pool => {
            let mut tx = pool.begin().await?;
            let select = "SELECT id, role, removed_at, sso_subject FROM organizers WHERE ";
            let by_subject: Option<AccountRow> =
                sqlx::query_as(&format!("{select} sso_subject = $1"))
                    .bind(identity.subject)
                    .fetch_optional(&mut *tx)
                    .await?;
            let account = match by_subject {
                Some(row) => Some(row),
                None => {
                    let by_email: Option<AccountRow> =
                        sqlx::query_as(&format!("{select} email_normalized = $1"))
                            .bind(&email_normalized)
                            .fetch_optional(&mut *tx)
                            .await?;
                    match by_email {
                        Some(row) if row.3.is_none() && identity.email_verified => {
                            sqlx::query("UPDATE organizers SET sso_subject = $1 WHERE id = $2")
                                .bind(identity.subject)
                                .bind(row.0)
                                .execute(&mut *tx)
                                .await?;
                            Some(row)
                        }
                        Some(_) => return Ok(IdentitySignIn::AddressTaken),
                        None => None,
                    }
                }
            };
            let mut changes = Vec::new();
            let id = match account {
                None => {
                    let (id,): (i64,) = sqlx::query_as(
                        "INSERT INTO organizers \
                         (email, email_normalized, password_hash, role, created_at, sso_subject) \
                         VALUES ($1, $2, '', $3, $4, $5) RETURNING id",
                    )
                    .bind(identity.email.trim())
                    .bind(&email_normalized)
                    .bind(identity.role.as_str())
                    .bind(now)
                    .bind(identity.subject)
                    .fetch_one(&mut *tx)
                    .await?;
                    changes.push(AccountChange::Added { organizer: id, role: identity.role });
                    id
                }
                Some((id, role, removed_at, _)) => {
                    let from = stored_role(role)?;
                    if removed_at.is_some() {
                        changes.push(AccountChange::Added { organizer: id, role: identity.role });
                    } else if from != identity.role {
                        changes.push(AccountChange::RoleChanged {
                            organizer: id,
                            from,
                            to: identity.role,
                        });
                    }
                    // The address follows the provider's, unless another account has it.
                    sqlx::query(
                        "UPDATE organizers SET role = $1, removed_at = NULL, \
                         email = CASE WHEN EXISTS (SELECT 1 FROM organizers other \
                           WHERE other.email_normalized = $2 AND other.id <> $3) \
                           THEN email ELSE $4 END, \
                         email_normalized = CASE WHEN EXISTS (SELECT 1 FROM organizers other \
                           WHERE other.email_normalized = $2 AND other.id <> $3) \
                           THEN email_normalized ELSE $2 END \
                         WHERE id = $3",
                    )
                    .bind(identity.role.as_str())
                    .bind(&email_normalized)
                    .bind(id)
                    .bind(identity.email.trim())
                    .execute(&mut *tx)
                    .await?;
                    id
                }
            };
            for change in &changes {
                sqlx::query(INSERT_ACCOUNT_LOG)
                    .bind(&system)
                    .bind(crate::to_json(change)?)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(
                "INSERT INTO organizer_sessions (token_hash, organizer_id, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(session.token_hash)
            .bind(id)
            .bind(now)
            .bind(session.expires_at)
            .execute(&mut *tx)
            .await?;
            sqlx::query(INSERT_ACCOUNT_LOG)
                .bind(Actor::Organizer(id).stored())
                .bind(crate::to_json(&AccountChange::SignedIn { organizer: id })?)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            IdentitySignIn::SignedIn(id)
        });
        Ok(outcome)
    }

    /// Takes access away from the account of an identity whose groups give no role any more
    /// (its sessions end; noted as done by convene). `false` when it has no active account.
    pub async fn remove_identity_access(
        &self,
        subject: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let found: Option<(i64,)> = on_backend!(self, pool => {
            sqlx::query_as(
                "SELECT id FROM organizers WHERE sso_subject = $1 AND removed_at IS NULL",
            )
            .bind(subject)
            .fetch_optional(pool)
            .await?
        });
        match found {
            Some((id,)) => self.remove_organizer(id, Actor::System, now).await,
            None => Ok(false),
        }
    }
}
