//! convene's pure domain rules: what an event is, how a series expands into occurrences, how an
//! agenda is ordered, and how times are shown. Nothing here does I/O; everything is unit-tested.

pub mod admin;
pub mod agenda;
pub mod answers;
pub mod atom;
pub mod audit;
pub mod call;
pub mod changes;
pub mod csv;
pub mod curve;
pub mod dates;
pub mod deck;
pub mod event;
pub mod event_form;
pub mod form;
pub mod ics;
pub mod matrix;
pub mod paths;
pub mod preview;
pub mod privacy;
pub mod questions;
pub mod rate;
pub mod recurrence;
pub mod registration;
pub mod sort;
pub mod sso;
pub mod subscribe;
pub mod tickets;
pub mod time;
pub mod topics;
pub mod webhooks;

pub use event::{Event, EventKind, EventSlug, OccurrenceOverride, ParseError};
pub use form::{
    EmailAddress, Field, FieldError, Problem, RegistrationForm, ValidRegistration, is_ticked,
};
pub use questions::{Question, QuestionKind};
pub use recurrence::{
    Occurrence, OccurrenceStatus, Recurrence, RecurrenceError, Rule, WeekOfMonth,
};
pub use registration::{
    Admission, CorrectionError, LinkError, RegisterError, RegistrationLimits, RegistrationSettings,
    RegistrationStatus, Window,
};
pub use time::Lang;
pub use topics::{TopicError, TopicRefusal, TopicSettings, TopicStatus};
