//! `allOf`: the value matches every schema; each one's violations are reported.

use crate::json::Value;
use crate::schema::{NodeId, Validation};

pub(super) fn validate(schemas: &[NodeId], v: &mut Validation, instance: &Value) -> bool {
    super::all(v, schemas, |v, id| v.node(*id, instance))
}
