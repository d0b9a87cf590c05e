//! A compact JSON Schema draft-07 validator.
//!
//! A schema is compiled once into a flat arena of [`Node`]s (one per subschema) and then
//! validated many times without touching the schema document again. Every violation is
//! collected, each with its keyword, instance path, schema path and a message a person
//! understands. Each keyword lives in a file of its own under [`keywords`].

mod compile;
pub mod keywords;

use crate::json::{push_pointer, Value};
use crate::regex::RegexEngine;
use crate::violation::Violation;
pub use compile::{compile, SchemaError};
use keywords::Keyword;

/// Deepest chain of subschemas one validation may follow (guards `$ref` cycles that
/// consume no input and absurdly deep instances alike).
pub const MAX_VALIDATION_DEPTH: usize = 512;

/// Index of a node in a [`Schema`]'s arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeId(pub(crate) usize);

/// One compiled subschema.
#[derive(Debug)]
pub(crate) enum Node {
    /// `true` accepts everything, `false` nothing.
    Bool(bool),
    /// An object schema: its keywords, in the order they are checked, and where it
    /// stands in the schema document (a JSON pointer).
    Keywords {
        keywords: Vec<Keyword>,
        pointer: String,
    },
}

/// A compiled JSON Schema, ready to validate instances.
#[derive(Debug)]
pub struct Schema {
    pub(crate) nodes: Vec<Node>,
    pub(crate) root: NodeId,
}

/// The state of one validation: where in the instance it is, and where violations go.
pub(crate) struct Validation<'a> {
    pub(crate) schema: &'a Schema,
    pub(crate) regex: &'a dyn RegexEngine,
    /// JSON pointer of the instance value being checked.
    pub(crate) path: String,
    /// Collected violations; `None` when only a yes/no answer is needed (inside `anyOf`,
    /// `not`, …), which lets validation stop at the first failure.
    pub(crate) out: Option<&'a mut Vec<Violation>>,
    depth: usize,
}

impl Schema {
    /// Checks `instance`, appending one [`Violation`] per failure to `out`, with paths
    /// prefixed by `base_path` (a JSON pointer). Returns whether the instance is valid.
    pub fn validate_into(
        &self,
        instance: &Value,
        regex: &dyn RegexEngine,
        base_path: &str,
        out: &mut Vec<Violation>,
    ) -> bool {
        let mut v = Validation {
            schema: self,
            regex,
            path: base_path.to_string(),
            out: Some(out),
            depth: 0,
        };
        v.node(self.root, instance)
    }

    /// All violations of `instance`, paths relative to the instance.
    pub fn validate(&self, instance: &Value, regex: &dyn RegexEngine) -> Vec<Violation> {
        let mut out = Vec::new();
        self.validate_into(instance, regex, "", &mut out);
        out
    }

    /// Whether `instance` is valid, stopping at the first failure.
    pub fn is_valid(&self, instance: &Value, regex: &dyn RegexEngine) -> bool {
        let mut v = Validation {
            schema: self,
            regex,
            path: String::new(),
            out: None,
            depth: 0,
        };
        v.node(self.root, instance)
    }

    /// The top-level `properties` the schema declares (following a top-level `$ref`),
    /// in document order, with each property's subschema.
    pub fn declared_properties(&self) -> &[(String, NodeId)] {
        let mut id = self.root;
        for _ in 0..MAX_VALIDATION_DEPTH {
            let Node::Keywords { keywords, .. } = &self.nodes[id.0] else {
                return &[];
            };
            if let Some(target) = keywords.iter().find_map(|k| match k {
                Keyword::Ref(target) => Some(*target),
                _ => None,
            }) {
                id = target;
                continue;
            }
            return keywords
                .iter()
                .find_map(|k| match k {
                    Keyword::Properties(props) => Some(props.as_slice()),
                    _ => None,
                })
                .unwrap_or(&[]);
        }
        &[]
    }

    /// Whether the schema declares a top-level property named `name`.
    pub fn declares(&self, name: &str) -> bool {
        self.declared_properties().iter().any(|(n, _)| n == name)
    }
}

impl Validation<'_> {
    /// Validates `instance` against node `id`.
    pub(crate) fn node(&mut self, id: NodeId, instance: &Value) -> bool {
        if self.depth >= MAX_VALIDATION_DEPTH {
            self.fail(
                "depth",
                "",
                format!("nesting deeper than {MAX_VALIDATION_DEPTH} levels is not checked"),
            );
            return false;
        }
        self.depth += 1;
        let schema = self.schema;
        let valid = match &schema.nodes[id.0] {
            Node::Bool(true) => true,
            Node::Bool(false) => {
                self.fail("false", "", "no value is allowed here".to_string());
                false
            }
            Node::Keywords { keywords, pointer } => {
                let mut valid = true;
                for keyword in keywords {
                    if !keyword.validate(self, instance, pointer) {
                        valid = false;
                        if self.out.is_none() {
                            break;
                        }
                    }
                }
                valid
            }
        };
        self.depth -= 1;
        valid
    }

    /// Validates a child of the current instance (`segment` appended to the path).
    pub(crate) fn child(&mut self, id: NodeId, segment: &str, instance: &Value) -> bool {
        let len = self.path.len();
        push_pointer(&mut self.path, segment);
        let valid = self.node(id, instance);
        self.path.truncate(len);
        valid
    }

    /// Whether `instance` is valid against `id`, without recording violations.
    pub(crate) fn probe(&mut self, id: NodeId, instance: &Value) -> bool {
        let out = self.out.take();
        let valid = self.node(id, instance);
        self.out = out;
        valid
    }

    /// Whether violations are being collected (so messages are worth formatting).
    pub(crate) fn collecting(&self) -> bool {
        self.out.is_some()
    }

    /// Records a violation of `kind` at the current path; `schema_path` is the failing
    /// keyword's pointer in the schema document.
    pub(crate) fn fail(&mut self, kind: &'static str, schema_path: &str, message: String) {
        if let Some(out) = self.out.as_deref_mut() {
            out.push(Violation {
                kind,
                path: self.path.clone(),
                schema_path: schema_path.to_string(),
                message,
            });
        }
    }
}
