//! `minProperties`: an object has at least so many members.

use super::bound::{Bound, Measure};

/// The `minProperties` keyword.
pub(super) const RULE: Bound = Bound::count("minProperties", Measure::Properties, false);
