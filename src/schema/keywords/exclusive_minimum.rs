//! `exclusiveMinimum`: a number is above the limit.

use super::bound::Bound;

/// The `exclusiveMinimum` keyword.
pub(super) const RULE: Bound = Bound::number("exclusiveMinimum", false, true);
