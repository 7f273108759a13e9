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

/// A form's fields by name. The boxes of a question of several choices send its name once per
/// ticked choice: those are kept one a line; of any other field sent twice, the last counts.
pub fn form_values(fields: Vec<(String, String)>) -> BTreeMap<String, String> {
    let mut values: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in fields {
        match values.get_mut(&name) {
            Some(kept) if name.starts_with("answers.") => {
                kept.push('\n');
                kept.push_str(&value);
            }
            _ => {
                values.insert(name, value);
            }
        }
    }
    values
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
    let values = form_values(fields);
    let form = registration_form(&values);
    let done = |query: String| FormReply::Done {
        location: format!("{}?{query}", crate::model::registered_href(slug.as_str())),
        sent_to: form.email.trim().to_owned(),
    };
    let failure = match register(ctx, slug, &form, client, now).await {
        Ok(Admitted {
            status: RegistrationStatus::Waitlisted,
            waitlist_position: Some(position),
            ..
        }) => return done(format!("status=waitlisted&position={position}")),
        Ok(Admitted {
            hold_until: Some(until),
            ..
        }) => return done(format!("status=pending_email&until={}", until.timestamp())),
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

/// The cookie that tells the page after registering where the mail went: set with the
/// redirect to that page, for an hour, only for that page (README: "Privacy").
pub const SENT_TO_COOKIE: &str = "convene_sent_to";

/// How long the page after registering can show the address.
pub const SENT_TO_SECONDS: i64 = 3600;

/// The address as a cookie value (hex: an address may hold characters a cookie may not).
pub fn sent_to_value(address: &str) -> String {
    address.bytes().map(|b| format!("{b:02x}")).collect()
}

/// The address in a cookie value; `None` for anything [`sent_to_value`] did not write.
pub fn sent_to_address(value: &str) -> Option<String> {
    // At most as long as the longest address, in UTF-8 (up to 4 bytes a character), in hex.
    let longest = domain::EmailAddress::MAX_LEN * 4 * 2;
    let hex = value.bytes().all(|b| b.is_ascii_hexdigit());
    if !hex || value.is_empty() || !value.len().is_multiple_of(2) || value.len() > longest {
        return None;
    }
    let bytes = (0..value.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(value.get(i..i + 2)?, 16).ok())
        .collect::<Option<Vec<u8>>>()?;
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticked_choices_are_kept_one_a_line_and_other_fields_once() {
        let pair = |k: &str, v: &str| (k.to_owned(), v.to_owned());
        let values = form_values(vec![
            pair("answers.days", "Day 1"),
            pair("name", "Ada"),
            pair("answers.days", "Day 2"),
            pair("name", "Grace"),
        ]);
        assert_eq!(values["answers.days"], "Day 1\nDay 2");
        assert_eq!(values["name"], "Grace");
    }

    #[test]
    fn the_address_survives_the_cookie_and_nothing_else_passes() {
        for address in ["ada@example.org", "o'brien+tag@example.org", "zoë@例え.jp"] {
            let value = sent_to_value(address);
            assert!(value.bytes().all(|b| b.is_ascii_hexdigit()), "{value}");
            assert_eq!(sent_to_address(&value).as_deref(), Some(address));
        }
        let too_long = "61".repeat(domain::EmailAddress::MAX_LEN * 4 + 1);
        for value in ["", "a", "zz", "616", "ff", "+6", too_long.as_str()] {
            assert_eq!(sent_to_address(value), None, "{value}");
        }
    }
}
