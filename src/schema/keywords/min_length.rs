//! `minLength`: a string has at least so many characters (Unicode code points, not bytes).

use super::bound::{Bound, Measure};

/// The `minLength` keyword.
pub(super) const RULE: Bound = Bound::count("minLength", Measure::Characters, false);
