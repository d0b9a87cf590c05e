//! `additionalItems`: beside an array of `items`, the items past those positions match
//! this schema (`false`: there may be none).

use super::{fail, subject, Keyword};
use crate::json::{Map, Value};
use crate::prelude::*;
use crate::schema::compile::{Compiler, SchemaError};
use crate::schema::{NodeId, Validation};
use crate::text::text;

pub(super) fn compile(
    c: &mut Compiler,
    parent: &Map,
    _at: &str,
    pointer: &str,
    _name: &str,
    value: &Value,
) -> Result<Option<Keyword>, SchemaError> {
    let Some(positions) = parent.get("items").and_then(Value::as_array) else {
        return Ok(None);
    };
    let schema = c.subschema(value, pointer.to_string())?;
    Ok(Some(Keyword::AdditionalItems(positions.len(), schema)))
}

pub(super) fn validate(
    from: usize,
    schema: NodeId,
    v: &mut Validation,
    items: &[Value],
    at: &str,
) -> bool {
    if items.len() > from && v.schema.is_false(schema) {
        return fail(v, at, "additionalItems", |v| {
            text!(
                subject(v),
                " has ",
                items.len(),
                " items, but no more than ",
                from,
                " are allowed: remove the extra ones"
            )
        });
    }
    super::all(v, items.iter().enumerate().skip(from), |v, (i, item)| {
        v.child(schema, &text!(i), item)
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use crate::schema::tests::messages;

    #[test]
    fn extra_items_are_checked_or_refused() {
        let schema = r#"{"items": [{"type": "string"}], "additionalItems": false}"#;
        assert_eq!(
            messages(schema, r#"["a", 1]"#),
            ["the value has 2 items, but no more than 1 are allowed: remove the extra ones"]
        );
        let schema = r#"{"items": [{}], "additionalItems": {"type": "integer"}}"#;
        assert_eq!(
            messages(schema, r#"["a", 1, "b"]"#),
            [r#"`[2]` must be an integer, got string "b""#]
        );
        assert!(messages(r#"{"additionalItems": false}"#, "[1, 2]").is_empty());
    }
}
