//! Parsing at the edge: path segments become domain types before a handler runs, and a form
//! body becomes the handler's own form struct.

use std::collections::BTreeMap;

use axum::extract::{FromRequestParts, Path};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Path parameters parsed into `T` (an `EventSlug`, an id, a tuple of them). A segment that
/// does not parse names nothing on this site: 404, as an unknown one.
pub struct Found<T>(pub T);

impl<T, S> FromRequestParts<S> for Found<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = StatusCode;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(value)| Found(value))
            .map_err(|_| StatusCode::NOT_FOUND)
    }
}

/// A form as it is shown back after a refusal: its fields by name, as the page reads them.
/// Fields marked `#[serde(skip_serializing)]` (passwords) are never sent back.
pub fn shown_back(form: &impl Serialize) -> BTreeMap<String, String> {
    let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(form) else {
        return BTreeMap::new();
    };
    fields
        .into_iter()
        .filter_map(|(name, value)| match value {
            serde_json::Value::String(text) => Some((name, text)),
            serde_json::Value::Null => None,
            other => Some((name, other.to_string())),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct SignIn {
        email: String,
        #[serde(skip_serializing)]
        #[allow(dead_code)]
        password: String,
        remember: Option<String>,
        count: u32,
    }

    #[test]
    fn a_refused_form_comes_back_without_its_secrets() {
        let form = SignIn {
            email: "a@example.org".into(),
            password: "hunter2".into(),
            remember: None,
            count: 3,
        };
        let values = shown_back(&form);
        assert_eq!(
            values,
            BTreeMap::from([
                ("count".to_owned(), "3".to_owned()),
                ("email".to_owned(), "a@example.org".to_owned()),
            ])
        );
    }
}
