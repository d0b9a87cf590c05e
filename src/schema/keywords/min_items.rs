//! `minItems`: an array has at least so many items.

use super::bound::{Bound, Measure};

/// The `minItems` keyword.
pub(super) const RULE: Bound = Bound::count("minItems", Measure::Items, false);
