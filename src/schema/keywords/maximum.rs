//! `maximum`: a number is at most the limit.

use super::bound::Bound;

/// The `maximum` keyword.
pub(super) const RULE: Bound = Bound::number("maximum", true, false);
