//! `maxProperties`: an object has at most so many members.

use super::bound::{Bound, Measure};

/// The `maxProperties` keyword.
pub(super) const RULE: Bound = Bound::count("maxProperties", Measure::Properties, true);
