//! `uniqueItems`: no two items of an array are equal (JSON equality: `1` equals `1.0`,
//! member order does not matter).

use super::{fail, show, subject};
use crate::json::Value;
use crate::schema::Validation;
use crate::text::text;

pub(super) fn validate(v: &mut Validation, items: &[Value], at: &str) -> bool {
    let duplicate = items.iter().enumerate().find_map(|(j, b)| {
        let i = items.iter().take(j).position(|a| a.json_eq(b))?;
        Some((i, j, b))
    });
    let Some((i, j, item)) = duplicate else {
        return true;
    };
    fail(v, at, "uniqueItems", |v| {
        text!(
            subject(v),
            " must not contain duplicates: items ",
            i,
            " and ",
            j,
            " are both ",
            show(item)
        )
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use crate::schema::tests::messages;

    #[test]
    fn names_the_duplicates() {
        assert_eq!(
            messages(
                r#"{"uniqueItems": true}"#,
                r#"[{"a": 1, "b": 2}, 3, {"b": 2, "a": 1.0}]"#
            ),
            ["the value must not contain duplicates: items 0 and 2 are both an object"]
        );
        assert!(messages(r#"{"uniqueItems": false}"#, "[1, 1]").is_empty());
    }
}
