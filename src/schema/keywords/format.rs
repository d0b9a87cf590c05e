//! `format`: a string is well formed for a known format (dates, e-mail addresses, host
//! names, IP addresses, URIs, JSON pointers, regular expressions); unknown formats pass.

use super::{fail, show_str, subject};
use crate::json::Value;
use crate::schema::formats::{self, Format};
use crate::schema::Validation;
use crate::text::text;

pub(super) fn compile(value: &Value) -> Option<&'static Format> {
    formats::named(value.as_str()?)
}

pub(super) fn validate(format: &Format, v: &mut Validation, s: &str, at: &str) -> bool {
    format.check(s, v.regex)
        || fail(v, at, "format", |v| {
            text!(subject(v), " must be ", format.like, ", got ", show_str(s))
        })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use crate::schema::tests::messages;

    #[test]
    fn shows_what_a_valid_value_looks_like() {
        assert_eq!(
            messages(
                r#"{"properties": {"at": {"format": "date"}}}"#,
                r#"{"at": "31/01/2024"}"#
            ),
            [r#"`at` must be a date like 2024-01-31, got "31/01/2024""#]
        );
        assert!(messages(r#"{"format": "color"}"#, r#""anything""#).is_empty());
        assert!(messages(r#"{"format": "email"}"#, "12").is_empty());
    }
}
