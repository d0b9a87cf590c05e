//! `propertyNames`: the name of every member of an object matches the schema.

use super::{all, fail, subject};
use crate::json::{quote, Map, Value};
use crate::prelude::*;
use crate::schema::{NodeId, Validation};
use crate::text::text;

pub(super) fn validate(schema: NodeId, v: &mut Validation, map: &Map, at: &str) -> bool {
    all(v, map.iter(), |v, (name, _)| {
        let name_value = Value::String(name.to_string());
        v.probe(schema, &name_value)
            || fail(v, at, "propertyNames", |v| {
                let why = v
                    .aside(schema, &name_value, String::new())
                    .into_iter()
                    .next();
                text!(
                    subject(v),
                    " has a member named ",
                    quote(name),
                    ", which is not an allowed name",
                    why.map_or_else(String::new, |w| text!(": ", w.message))
                )
            })
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use crate::schema::tests::messages;

    #[test]
    fn explains_why_a_name_is_refused() {
        assert_eq!(
            messages(
                r#"{"propertyNames": {"maxLength": 3}}"#,
                r#"{"abc": 1, "abcd": 2}"#
            ),
            [
                r#"the value has a member named "abcd", which is not an allowed name: the value must be at most 3 characters long, got 4"#
            ]
        );
    }
}
