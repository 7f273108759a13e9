//! convene's pure domain rules: what an event is, how a series expands into occurrences, how an
//! agenda is ordered, and how times are shown. Nothing here does I/O; everything is unit-tested.

pub mod agenda;
pub mod event;
pub mod recurrence;
pub mod time;

pub use event::{Event, EventKind, EventSlug, OccurrenceOverride, ParseError};
pub use recurrence::{
    Occurrence, OccurrenceStatus, Recurrence, RecurrenceError, Rule, WeekOfMonth,
};
