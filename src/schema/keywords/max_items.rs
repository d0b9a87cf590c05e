//! `maxItems`: an array has at most so many items.

use super::bound::{Bound, Measure};

/// The `maxItems` keyword.
pub(super) const RULE: Bound = Bound::count("maxItems", Measure::Items, true);
