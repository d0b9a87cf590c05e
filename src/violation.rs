//! Violations: what is wrong with a call, as data.

use crate::prelude::*;

/// One thing wrong with a call: which rule, where, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The rule broken: a JSON Schema keyword (`type`, `required`, `enum`, …) or one of
    /// trackplan's own kinds in [`kind`].
    pub kind: &'static str,
    /// JSON pointer into the call's properties or traits; `""` for the whole object.
    pub path: String,
    /// JSON pointer into the plan's schema of the keyword that failed; `""` when no
    /// schema keyword is involved.
    pub schema_path: String,
    /// What is wrong and how to fix it, for a person.
    pub message: String,
}

/// trackplan's own violation kinds, beside the JSON Schema keywords.
pub mod kind {
    /// The event is not in the plan.
    pub const UNPLANNED_EVENT: &str = "unplanned_event";
    /// A property or trait the plan does not declare.
    pub const UNPLANNED_PROPERTY: &str = "unplanned_property";
    /// The call could not be read as JSON (cyclic, a function, a BigInt, …).
    pub const INVALID_INPUT: &str = "invalid_input";
    /// The call is larger than Segment accepts.
    pub const SIZE: &str = "size";
    /// The plan's rule for the call cannot be read (its compiled bytes are damaged, or
    /// hold what this core leaves out): the call fails rather than pass unchecked.
    pub const INVALID_PLAN: &str = "invalid_plan";
}

/// Renders a JSON pointer as the dotted name people write in code: `/quality/rating`
/// becomes `quality.rating`, `/items/0` becomes `items[0]`, `""` becomes `(root)`.
pub fn display_path(pointer: &str) -> String {
    if pointer.is_empty() {
        return "(root)".to_string();
    }
    let mut out = String::new();
    push_display_path(&mut out, pointer);
    out
}

/// Appends the dotted rendering of `pointer` to `out`, as [`display_path`] writes it (but
/// nothing for `""`). Returns where the rendering starts in `out`, for
/// [`push_display_segment`] to go on from.
pub(crate) fn push_display_path(out: &mut String, pointer: &str) -> usize {
    let start = out.len();
    if let Some(segments) = pointer.get(1..) {
        for segment in crate::text::pieces(segments, b'/') {
            if crate::text::has_byte(segment.as_bytes(), b'~') {
                push_display_segment(out, start, &crate::json::unescape_pointer_segment(segment));
            } else {
                push_display_segment(out, start, segment);
            }
        }
    }
    start
}

/// Appends one (unescaped) segment to a dotted path written in `out` from `start`:
/// `[0]` for an index, `.name` (no dot first) for a name.
pub(crate) fn push_display_segment(out: &mut String, start: usize, segment: &str) {
    if !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit()) {
        out.push('[');
        out.push_str(segment);
        out.push(']');
    } else {
        if out.len() > start {
            out.push('.');
        }
        out.push_str(segment);
    }
}

#[cfg(test)]
mod tests {
    use super::display_path;

    #[test]
    fn pointers_read_like_code() {
        assert_eq!(display_path(""), "(root)");
        assert_eq!(display_path("/quality/rating"), "quality.rating");
        assert_eq!(display_path("/items/0/name"), "items[0].name");
        assert_eq!(display_path("/a~1b/c~0d"), "a/b.c~d");
    }
}
