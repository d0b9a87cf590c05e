//! `if`/`then`/`else`: when the value matches `if`, it must match `then`, otherwise `else`
//! (`if` itself never fails; `then` and `else` without `if` do nothing).

use crate::json::{Map, Value};
use crate::schema::compile::{Compiler, SchemaError};
use crate::schema::{NodeId, Validation};

/// `if` with its sibling `then` and `else`.
#[derive(Debug)]
pub(crate) struct Conditional {
    pub(crate) condition: NodeId,
    pub(crate) then: Option<NodeId>,
    pub(crate) otherwise: Option<NodeId>,
}

impl Conditional {
    /// The three subschemas, all applied to the value itself.
    pub(crate) fn nodes(&self) -> impl Iterator<Item = NodeId> {
        [Some(self.condition), self.then, self.otherwise]
            .into_iter()
            .flatten()
    }
}

pub(super) fn compile(
    c: &mut Compiler,
    parent: &Map,
    value: &Value,
    at: &str,
) -> Result<Conditional, SchemaError> {
    let mut branch = |name| {
        parent
            .get(name)
            .map(|schema| c.child(schema, at, name))
            .transpose()
    };
    Ok(Conditional {
        then: branch("then")?,
        otherwise: branch("else")?,
        condition: c.child(value, at, "if")?,
    })
}

pub(super) fn validate(rule: &Conditional, v: &mut Validation, instance: &Value) -> bool {
    let next = if v.probe(rule.condition, instance) {
        rule.then
    } else {
        rule.otherwise
    };
    next.is_none_or(|id| v.node(id, instance))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use crate::schema::tests::messages;

    #[test]
    fn reports_the_branch_taken() {
        let schema = r#"{
            "if": {"properties": {"country": {"const": "US"}}},
            "then": {"required": ["zip"]},
            "else": {"required": ["postcode"]}
        }"#;
        assert_eq!(
            messages(schema, r#"{"country": "US"}"#),
            ["`zip` is required but missing"]
        );
        assert_eq!(
            messages(schema, r#"{"country": "FR"}"#),
            ["`postcode` is required but missing"]
        );
        assert!(messages(r#"{"then": false}"#, "1").is_empty());
    }
}
