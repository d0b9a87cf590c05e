//! `exclusiveMaximum`: a number is below the limit.

use super::bound::Bound;

/// The `exclusiveMaximum` keyword.
pub(super) const RULE: Bound = Bound::number("exclusiveMaximum", true, true);
