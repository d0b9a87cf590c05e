//! `maxLength`: a string has at most so many characters (Unicode code points, not bytes).

use super::bound::{Bound, Measure};

/// The `maxLength` keyword.
pub(super) const RULE: Bound = Bound::count("maxLength", Measure::Characters, true);
