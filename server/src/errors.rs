//! Each flow's error becomes an HTTP status here, once: the plain form posts, the JSON API and
//! the organizers' pages all answer with these (and the API names the error by `code`).

use axum::http::StatusCode;
use domain::admin::AdminError;
use domain::{LinkError, RegisterError, TopicError, TopicRefusal};

/// When to try again after a "busy" answer (a full write queue drains in seconds).
pub const BUSY_RETRY_SECONDS: u64 = 5;

/// What an HTTP answer needs to know about a flow's error.
pub trait HttpError {
    fn status(&self) -> StatusCode;

    /// Seconds for a `Retry-After` header, when the answer is "not now".
    fn retry_after(&self) -> Option<u64> {
        None
    }
}

impl HttpError for RegisterError {
    fn status(&self) -> StatusCode {
        match self {
            RegisterError::UnknownEvent => StatusCode::NOT_FOUND,
            RegisterError::NotOffered
            | RegisterError::NotYetOpen { .. }
            | RegisterError::Full
            | RegisterError::AlreadyRegistered => StatusCode::CONFLICT,
            RegisterError::Closed => StatusCode::GONE,
            RegisterError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            RegisterError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            RegisterError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            RegisterError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn retry_after(&self) -> Option<u64> {
        match self {
            RegisterError::RateLimited { retry_after } => Some(*retry_after),
            RegisterError::Busy => Some(BUSY_RETRY_SECONDS),
            _ => None,
        }
    }
}

/// The JSON API's name for a registration error.
pub fn register_code(error: &RegisterError) -> &'static str {
    match error {
        RegisterError::UnknownEvent => "not_found",
        RegisterError::NotOffered => "registration_not_offered",
        RegisterError::NotYetOpen { .. } => "registration_not_open",
        RegisterError::Closed => "registration_closed",
        RegisterError::Invalid(_) => "invalid",
        RegisterError::Full => "full",
        RegisterError::AlreadyRegistered => "already_registered",
        RegisterError::RateLimited { .. } => "rate_limited",
        RegisterError::Busy => "busy",
        RegisterError::Internal => "internal",
    }
}

impl HttpError for LinkError {
    fn status(&self) -> StatusCode {
        match self {
            LinkError::Unknown => StatusCode::NOT_FOUND,
            LinkError::AlreadyConfirmed => StatusCode::CONFLICT,
            LinkError::Cancelled | LinkError::Expired => StatusCode::GONE,
            LinkError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            LinkError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn retry_after(&self) -> Option<u64> {
        (*self == LinkError::Busy).then_some(BUSY_RETRY_SECONDS)
    }
}

impl HttpError for TopicError {
    fn status(&self) -> StatusCode {
        match self {
            TopicError::NotCollecting | TopicError::UnknownLink | TopicError::UnknownTopic => {
                StatusCode::NOT_FOUND
            }
            TopicError::Inactive | TopicError::Refused(TopicRefusal::NotYours) => {
                StatusCode::FORBIDDEN
            }
            TopicError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            TopicError::Refused(TopicRefusal::ProposalsClosed) => StatusCode::GONE,
            TopicError::Refused(_) => StatusCode::CONFLICT,
            TopicError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            TopicError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            TopicError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn retry_after(&self) -> Option<u64> {
        matches!(self, TopicError::Busy).then_some(BUSY_RETRY_SECONDS)
    }
}

impl HttpError for domain::call::AgendaError {
    fn status(&self) -> StatusCode {
        use domain::call::{AgendaError as E, AgendaRefusal as R};
        match self {
            E::UnknownLink
            | E::UnknownCall
            | E::UnknownSection
            | E::UnknownItem
            | E::NotACallSeries => StatusCode::NOT_FOUND,
            E::NotYours => StatusCode::FORBIDDEN,
            E::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            E::Refused(R::CallOver) => StatusCode::GONE,
            E::Refused(_) => StatusCode::CONFLICT,
            E::Busy => StatusCode::SERVICE_UNAVAILABLE,
            E::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn retry_after(&self) -> Option<u64> {
        matches!(self, domain::call::AgendaError::Busy).then_some(BUSY_RETRY_SECONDS)
    }
}

impl HttpError for AdminError {
    fn status(&self) -> StatusCode {
        match self {
            AdminError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AdminError::WrongCredentials => StatusCode::UNAUTHORIZED,
            AdminError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AdminError::NotFound => StatusCode::NOT_FOUND,
            AdminError::NotYourRole(_) => StatusCode::FORBIDDEN,
            AdminError::OrganizerExists
            | AdminError::NoRegistration
            | AdminError::WrongStatus(_)
            | AdminError::MailNotRetryable
            | AdminError::HasRegistrations
            | AdminError::EventCancelled
            | AdminError::OwnAccess
            | AdminError::NotOver
            | AdminError::AlreadyErased => StatusCode::CONFLICT,
            AdminError::SsoRefused => StatusCode::BAD_REQUEST,
            AdminError::SsoNoRole | AdminError::PasswordsOff => StatusCode::FORBIDDEN,
            AdminError::SsoAddressTaken => StatusCode::CONFLICT,
            AdminError::Busy | AdminError::SsoUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            AdminError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn retry_after(&self) -> Option<u64> {
        match self {
            AdminError::RateLimited { retry_after } => Some(*retry_after),
            AdminError::Busy | AdminError::SsoUnavailable => Some(BUSY_RETRY_SECONDS),
            _ => None,
        }
    }
}
