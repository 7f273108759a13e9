//! The registration form's edge: its fields parsed into the domain's form, the flow called, and
//! the answer turned into where to go next or the form again with its problems.

use std::collections::BTreeMap;
use std::net::IpAddr;

use chrono::{DateTime, Utc};
use domain::RegisterError;
use domain::{RegistrationForm, RegistrationStatus};
use service::Services;
use service::registration::{Admitted, register};

use crate::model::{FormReply, Submission};

/// The registration form's fields by name (`name`, `email`, `answers.{key}`, `consent=on`, ...)
/// as the domain's form; the correction form sends the same names.
pub fn registration_form(values: &BTreeMap<String, String>) -> RegistrationForm {
    let text = |name: &str| values.get(name).cloned().filter(|v| !v.trim().is_empty());
    RegistrationForm {
        name: values.get("name").cloned().unwrap_or_default(),
        email: values.get("email").cloned().unwrap_or_default(),
        organisation: text("organisation"),
        notes: text("notes"),
        answers: values
            .iter()
            .filter_map(|(k, v)| {
                k.strip_prefix("answers.")
                    .map(|k| (k.to_owned(), v.clone()))
            })
            .filter(|(_, v)| !v.trim().is_empty())
            .collect(),
        consent: values.get("consent").is_some_and(|v| domain::is_ticked(v)),
        locale: values.get("locale").cloned(),
    }
}

/// Registers from the fields of the HTML form (`name`, `email`, `answers.{key}`, `consent=on`,
/// `locale`, ...) sent from `client`: where to go next, or the form again with its problems. The
/// plain form post and the enhanced form (a server function) both come here.
pub async fn submit_form(
    ctx: &Services,
    slug: &domain::EventSlug,
    fields: Vec<(String, String)>,
    client: Option<IpAddr>,
    now: DateTime<Utc>,
) -> FormReply {
    let values: BTreeMap<String, String> = fields.into_iter().collect();
    let form = registration_form(&values);
    let done = |query: String| FormReply::Done(format!("/events/{slug}/registered?{query}"));
    let failure = match register(ctx, slug, &form, client, now).await {
        Ok(Admitted {
            status: RegistrationStatus::Waitlisted,
            waitlist_position: Some(position),
        }) => return done(format!("status=waitlisted&position={position}")),
        Ok(_) => return done("status=pending_email".to_owned()),
        Err(RegisterError::AlreadyRegistered) => return done("status=already".to_owned()),
        Err(failure) => failure,
    };
    let errors = match &failure {
        RegisterError::Invalid(fields) => fields.clone(),
        _ => Vec::new(),
    };
    FormReply::Rejected(Submission {
        values,
        errors,
        failure: Some(failure),
    })
}
