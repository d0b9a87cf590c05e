//! `contains`: at least one item of an array matches the schema.

use super::{fail, subject};
use crate::json::{push_pointer, Value};
use crate::prelude::*;
use crate::schema::{NodeId, Validation};
use crate::text::text;

pub(super) fn validate(schema: NodeId, v: &mut Validation, items: &[Value], at: &str) -> bool {
    items.iter().any(|item| v.probe(schema, item))
        || fail(v, at, "contains", |v| match items.first() {
            None => text!(subject(v), " must contain a matching item, and it is empty"),
            Some(first) => {
                let mut path = v.path.clone();
                push_pointer(&mut path, "0");
                let why = v.aside(schema, first, path).into_iter().next();
                text!(
                    subject(v),
                    " must contain a matching item, and none of its ",
                    items.len(),
                    " does",
                    why.map_or_else(String::new, |w| text!(" (first: ", w.message, ")"))
                )
            }
        })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use crate::schema::tests::messages;

    #[test]
    fn explains_with_the_first_item() {
        let schema = r#"{"properties": {"ids": {"contains": {"type": "integer"}}}}"#;
        assert_eq!(
            messages(schema, r#"{"ids": ["a", "b"]}"#),
            [
                r#"`ids` must contain a matching item, and none of its 2 does (first: `ids[0]` must be an integer, got string "a")"#
            ]
        );
        assert_eq!(
            messages(schema, r#"{"ids": []}"#),
            ["`ids` must contain a matching item, and it is empty"]
        );
    }
}
