//! From a schema document to a [`Schema`]: one pass over the document, each subschema
//! compiled once (memoized by its JSON pointer, so `$ref` cycles terminate).

use std::collections::HashMap;
use std::fmt;

use super::keywords::{self, Keyword};
use super::{Node, NodeId, Schema};
use crate::json::{push_pointer, Value};
use crate::regex::RegexEngine;

/// Why a schema cannot be used: where (a JSON pointer into the schema) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    /// JSON pointer of the offending keyword in the schema document.
    pub pointer: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.pointer.is_empty() {
            "(root)"
        } else {
            &self.pointer
        };
        write!(f, "{} (at {at})", self.message)
    }
}

impl std::error::Error for SchemaError {}

/// Compiles the schema document `doc`; patterns are compiled with `regex`.
pub fn compile(doc: &Value, regex: &mut dyn RegexEngine) -> Result<Schema, SchemaError> {
    let mut compiler = Compiler {
        doc,
        regex,
        nodes: Vec::new(),
        by_pointer: HashMap::new(),
    };
    let root = compiler.subschema(doc, String::new())?;
    Ok(Schema {
        nodes: compiler.nodes,
        root,
    })
}

/// The state of one compilation, handed to each keyword's `compile`.
pub(crate) struct Compiler<'a> {
    doc: &'a Value,
    pub(crate) regex: &'a mut dyn RegexEngine,
    nodes: Vec<Node>,
    by_pointer: HashMap<String, NodeId>,
}

impl Compiler<'_> {
    /// Compiles the subschema `value` found at `pointer` (memoized by pointer).
    pub(crate) fn subschema(
        &mut self,
        value: &Value,
        pointer: String,
    ) -> Result<NodeId, SchemaError> {
        if let Some(id) = self.by_pointer.get(&pointer) {
            return Ok(*id);
        }
        let id = NodeId(self.nodes.len());
        self.nodes.push(Node::Bool(true));
        self.by_pointer.insert(pointer.clone(), id);
        let node = match value {
            Value::Bool(b) => Node::Bool(*b),
            Value::Object(map) => {
                let keywords = if let Some(reference) = map.get("$ref") {
                    // In draft-07 `$ref` overrides every sibling keyword.
                    vec![self.reference(reference, &pointer)?]
                } else {
                    let mut keywords = Vec::new();
                    for (name, value) in map.iter() {
                        let mut at = pointer.clone();
                        push_pointer(&mut at, name);
                        if let Some(keyword) = keywords::compile(self, map, name, value, at)? {
                            keywords.push(keyword);
                        }
                    }
                    keywords
                };
                Node::Keywords { keywords, pointer }
            }
            _ => {
                return Err(SchemaError {
                    pointer,
                    message: format!(
                        "a schema must be an object or a boolean, not {}",
                        value.type_name()
                    ),
                })
            }
        };
        self.nodes[id.0] = node;
        Ok(id)
    }

    /// Compiles the child schema `value` reached from `pointer` through `segment`.
    pub(crate) fn child(
        &mut self,
        value: &Value,
        pointer: &str,
        segment: &str,
    ) -> Result<NodeId, SchemaError> {
        let mut at = pointer.to_string();
        push_pointer(&mut at, segment);
        self.subschema(value, at)
    }

    fn reference(&mut self, reference: &Value, pointer: &str) -> Result<Keyword, SchemaError> {
        let mut at = pointer.to_string();
        push_pointer(&mut at, "$ref");
        let error = |message: String| SchemaError {
            pointer: at.clone(),
            message,
        };
        let uri = reference
            .as_str()
            .ok_or_else(|| error("$ref must be a string".to_string()))?;
        let fragment = uri
            .strip_prefix('#')
            .ok_or_else(|| error(format!("$ref {uri:?} cannot be resolved: only references inside the schema (#/…) are supported")))?;
        let target = resolve_pointer(self.doc, fragment)
            .ok_or_else(|| error(format!("$ref {uri:?} points at nothing in the schema")))?;
        let id = self.subschema(target, fragment.to_string())?;
        Ok(Keyword::Ref(id))
    }
}

/// The value `pointer` (RFC 6901, percent-decoded) designates inside `doc`.
pub(crate) fn resolve_pointer<'a>(doc: &'a Value, pointer: &str) -> Option<&'a Value> {
    if pointer.is_empty() {
        return Some(doc);
    }
    let mut current = doc;
    for raw in pointer.strip_prefix('/')?.split('/') {
        let segment = raw.replace("~1", "/").replace("~0", "~");
        current = match current {
            Value::Object(map) => map.get(&segment)?,
            Value::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(current)
}
