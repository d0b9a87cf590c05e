//! `minimum`: a number is at least the limit.

use super::bound::Bound;

/// The `minimum` keyword.
pub(super) const RULE: Bound = Bound::number("minimum", false, false);
