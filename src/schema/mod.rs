//! A compact JSON Schema draft-07 validator.
//!
//! A schema is compiled once into a flat arena of `Node`s (one per subschema) and then
//! validated many times without touching the schema document again. Every violation is
//! collected, each with its keyword, instance path, schema path and a message a person
//! understands. Each keyword lives in a file of its own under [`keywords`].
//!
//! `$ref` follows draft-07's base URIs (`$id`, relative references, `#name` fragments,
//! JSON pointers); documents other than the schema itself come from a resolver given to
//! [`compile_with`]. Schemas that could loop without descending into the value are refused
//! when compiled; validation never recurses deeper than [`MAX_VALIDATION_DEPTH`].
//!
//! A compiled schema can be written in a binary form and read back without compiling
//! (`encoding.rs`): that is how a plan reaches the production cores.

mod compile;
pub(crate) mod encoding;
pub mod formats;
pub mod keywords;
mod uri;

use crate::json::{push_pointer, Value};
use crate::prelude::*;
use crate::regex::RegexEngine;
use crate::text::text;
use crate::violation::Violation;
pub use compile::{compile, compile_with, SchemaError};
use keywords::Keyword;

/// Deepest chain of subschemas one validation may follow, so that deep values against
/// recursive schemas stay within the (small, wasm) stack: deeper nesting is reported as
/// a `depth` violation. (Cycles that never descend into the value are refused when the
/// schema compiles.)
pub const MAX_VALIDATION_DEPTH: usize = 512;

/// The message of a `depth` violation (a test checks that it names
/// [`MAX_VALIDATION_DEPTH`]).
const TOO_DEEP: &str = "nesting deeper than 512 levels is not checked";

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
    /// Whether the nodes know where they stand in the schema document: not when read
    /// from a plan written without its developer documentation (the production cores'),
    /// whose violations then have no schema path.
    pub(crate) pointers: bool,
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
    /// Whether combinators explain their failures with a branch's violations: off inside
    /// such an explanation, so explanations never nest (nor multiply the work and stack).
    explain: bool,
}

impl Schema {
    /// Checks `instance`, appending one [`Violation`] per failure to `out`, with paths
    /// prefixed by `base_path` (a JSON pointer). Returns whether the instance is valid.
    ///
    /// Most instances are valid: a first pass that stops at the first failure and builds
    /// no paths answers for them. Only an invalid one is gone through again, collecting.
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
            path: String::new(),
            out: None,
            depth: 0,
            explain: true,
        };
        if v.node(self.root, instance) {
            return true;
        }
        v.path.reserve(base_path.len() + 64);
        v.path.push_str(base_path);
        v.out = Some(out);
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
            explain: true,
        };
        v.node(self.root, instance)
    }

    /// The top-level `properties` the schema declares (following a top-level `$ref`),
    /// in document order, with each property's subschema.
    pub fn declared_properties(&self) -> &[(String, NodeId)] {
        self.keywords_of(self.root)
            .iter()
            .find_map(|k| match k {
                Keyword::Properties(props) => Some(props.as_slice()),
                _ => None,
            })
            .unwrap_or(&[])
    }

    /// The keywords of node `id`, following `$ref` (whose siblings draft-07 ignores);
    /// none for a boolean schema or a chain of `$ref`s that never ends.
    pub(crate) fn keywords_of(&self, mut id: NodeId) -> &[Keyword] {
        for _ in 0..MAX_VALIDATION_DEPTH {
            let Some(Node::Keywords { keywords, .. }) = self.nodes.get(id.0) else {
                return &[];
            };
            match keywords.iter().find_map(|k| match k {
                Keyword::Ref(target) => Some(*target),
                _ => None,
            }) {
                Some(target) => id = target,
                None => return keywords,
            }
        }
        &[]
    }

    /// Whether node `id` is the `false` schema.
    pub(crate) fn is_false(&self, id: NodeId) -> bool {
        matches!(self.nodes.get(id.0), Some(Node::Bool(false)))
    }
}

impl Validation<'_> {
    /// Validates `instance` against node `id`.
    pub(crate) fn node(&mut self, id: NodeId, instance: &Value) -> bool {
        if self.depth >= MAX_VALIDATION_DEPTH {
            return self.reject("depth", None, |_| String::from(TOO_DEEP));
        }
        self.depth += 1;
        let schema = self.schema;
        // Node ids are the compiler's: one that names no node is a bug, and checks nothing
        // rather than stopping the page.
        let valid = match schema.nodes.get(id.0) {
            None => true,
            Some(Node::Bool(valid)) => {
                *valid
                    || self.reject("false", None, |v| {
                        text!(keywords::subject(v), " is not allowed here")
                    })
            }
            Some(Node::Keywords { keywords, pointer }) => {
                keywords::all(self, keywords, |v, keyword| {
                    keyword.validate(v, instance, pointer)
                })
            }
        };
        self.depth -= 1;
        valid
    }

    /// Validates a child of the current instance (`segment` appended to the path, which
    /// is kept only while violations are collected: nothing else reads it).
    pub(crate) fn child(&mut self, id: NodeId, segment: &str, instance: &Value) -> bool {
        let len = self.path.len();
        if self.collecting() {
            push_pointer(&mut self.path, segment);
        }
        let valid = self.node(id, instance);
        // What `String::truncate` does, but where its assertion would panic (bringing its
        // message and this file's name into the wasm) nothing is cut; the path only grew
        // since `len` was taken, so it is always cut.
        if self.path.is_char_boundary(len) {
            // SAFETY: `len` is a character boundary of the path (just tested), so the bytes
            // before it, all that `truncate` keeps, are UTF-8.
            unsafe { self.path.as_mut_vec().truncate(len) };
        }
        valid
    }

    /// Whether `instance` is valid against `id`, without recording violations.
    pub(crate) fn probe(&mut self, id: NodeId, instance: &Value) -> bool {
        let out = self.out.take();
        let valid = self.node(id, instance);
        self.out = out;
        valid
    }

    /// The violations of `instance` against `id` as if it stood at `path`, collected
    /// aside instead of reported, to explain a combinator's failure; none inside another
    /// explanation.
    pub(crate) fn aside(&self, id: NodeId, instance: &Value, path: String) -> Vec<Violation> {
        let mut out = Vec::new();
        if self.explain {
            Validation {
                schema: self.schema,
                regex: self.regex,
                path,
                out: Some(&mut out),
                depth: self.depth,
                explain: false,
            }
            .node(id, instance);
        }
        out
    }

    /// Whether violations are being collected (so messages are worth formatting).
    pub(crate) fn collecting(&self) -> bool {
        self.out.is_some()
    }

    /// Records a violation of `kind` at the current path; its schema path is keyword
    /// `kind` of the subschema at `at` (`None`: no keyword, `""`). The message is built
    /// only when violations are collected. Always `false`, to end a check with
    /// `ok || v.reject(…)`.
    ///
    /// What each call site keeps is the test of [`Validation::collecting`]: a valid
    /// payload's pass costs no call. Each message is built by a function of its own
    /// ([`message_of`], never inlined by rustc, so message formatting stays out of the
    /// stack frames of the recursive path) rather than through a `&dyn Fn`, whose vtable
    /// and shims the wasm would carry for every message; [`Validation::record`] is the
    /// one copy of the rest.
    #[inline(always)]
    pub(crate) fn reject(
        &mut self,
        kind: &'static str,
        at: Option<&str>,
        message: impl Fn(&Validation) -> String,
    ) -> bool {
        if self.collecting() {
            let message = message_of(&message, self);
            self.record(kind, at, message);
        }
        false
    }

    /// Appends a violation of `kind` with `message` at the current path (see
    /// [`Validation::reject`]).
    #[inline(never)]
    fn record(&mut self, kind: &'static str, at: Option<&str>, message: String) {
        let violation = Violation {
            kind,
            path: self.path.clone(),
            schema_path: at
                .filter(|_| self.schema.pointers)
                .map(|at| keywords::keyword_path(at, kind))
                .unwrap_or_default(),
            message,
        };
        if let Some(out) = self.out.as_deref_mut() {
            out.push(violation);
        }
    }
}

/// Builds a violation's message: one function per message, out of the caller's frame.
#[inline(never)]
fn message_of<F: Fn(&Validation) -> String>(message: &F, v: &Validation) -> String {
    message(v)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) mod tests {
    use super::*;
    use crate::json::parse;
    use crate::regex::NativeRegex;

    /// The messages of the violations of `instance` against `schema` (both JSON text).
    pub(crate) fn messages(schema: &str, instance: &str) -> Vec<String> {
        let mut regex = NativeRegex::default();
        let schema = compile(&parse(schema).unwrap(), &mut regex).unwrap();
        let instance = parse(instance).unwrap();
        let violations = schema.validate(&instance, &regex);
        assert_eq!(violations.is_empty(), schema.is_valid(&instance, &regex));
        violations.into_iter().map(|v| v.message).collect()
    }

    fn compile_text(schema: &str) -> Result<Schema, SchemaError> {
        compile(&parse(schema).unwrap(), &mut NativeRegex::default())
    }

    #[test]
    fn violations_carry_kind_and_both_paths() {
        let mut regex = NativeRegex::default();
        let doc = parse(r#"{"properties": {"a": {"items": {"type": "string"}}}}"#).unwrap();
        let schema = compile(&doc, &mut regex).unwrap();
        let got = schema.validate(&parse(r#"{"a": ["x", 1]}"#).unwrap(), &regex);
        assert_eq!(
            got,
            [Violation {
                kind: "type",
                path: "/a/1".into(),
                schema_path: "/properties/a/items/type".into(),
                message: "`a[1]` must be a string, got number 1".into(),
            }]
        );
    }

    #[test]
    fn the_depth_message_names_the_limit() {
        assert_eq!(
            TOO_DEEP,
            format!("nesting deeper than {MAX_VALIDATION_DEPTH} levels is not checked")
        );
    }

    #[test]
    fn false_schemas_name_the_value() {
        assert_eq!(
            messages(r#"{"properties": {"legacy": false}}"#, r#"{"legacy": 1}"#),
            ["`legacy` is not allowed here"]
        );
    }

    #[test]
    fn recursive_refs_follow_the_value() {
        let schema = r##"{"$id": "http://x/tree", "properties": {"kids": {"items": {"$ref": "#"}}, "n": {"type": "integer"}}}"##;
        assert!(messages(schema, r#"{"kids": [{"kids": [{"n": 1}]}]}"#).is_empty());
        assert_eq!(
            messages(schema, r#"{"kids": [{"kids": [{"n": "x"}]}]}"#),
            [r#"`kids[0].kids[0].n` must be an integer, got string "x""#]
        );
    }

    #[test]
    fn ref_cycles_that_never_descend_are_refused() {
        for looping in [
            r##"{"$ref": "#"}"##,
            r##"{"definitions": {"a": {"allOf": [{"$ref": "#/definitions/b"}]}, "b": {"anyOf": [{"$ref": "#/definitions/a"}]}}, "$ref": "#/definitions/a"}"##,
            r##"{"not": {"if": {"$ref": "#"}}}"##,
        ] {
            let err = compile_text(looping).unwrap_err();
            assert!(err.message.contains("never end"), "{looping}: {err}");
        }
    }

    #[test]
    fn unresolvable_refs_are_schema_errors() {
        let err =
            compile_text(r##"{"properties": {"a": {"$ref": "#/definitions/nope"}}}"##).unwrap_err();
        assert_eq!(err.pointer, "/properties/a/$ref");
        assert!(compile_text(r#"{"$ref": "http://elsewhere/x.json"}"#).is_err());
    }

    #[test]
    fn remote_documents_come_from_the_resolver() {
        let remote = parse(r#"{"definitions": {"n": {"type": "integer"}}}"#).unwrap();
        let resolver = |uri: &str| (uri == "http://x/defs.json").then(|| remote.clone());
        let mut regex = NativeRegex::default();
        let doc = parse(
            r#"{"$id": "http://x/main.json", "items": {"$ref": "defs.json#/definitions/n"}}"#,
        )
        .unwrap();
        let schema = compile_with(&doc, &mut regex, &resolver).unwrap();
        let got = schema.validate(&parse(r#"[1, "a"]"#).unwrap(), &regex);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].schema_path, "http://x/defs.json#/definitions/n/type");
    }

    #[test]
    fn identifiers_are_found_in_arrays_of_schemas() {
        let mut regex = NativeRegex::default();
        let doc = parse(
            r##"{"items": [true, {"$id": "#s", "type": "string"}], "properties": {"x": {"$ref": "#s"}}}"##,
        )
        .unwrap();
        let schema = compile(&doc, &mut regex).unwrap();
        let got = schema.validate(&parse(r#"{"x": 1}"#).unwrap(), &regex);
        assert_eq!(got.len(), 1);
        assert_eq!(
            (got[0].path.as_str(), got[0].schema_path.as_str()),
            ("/x", "/items/1/type")
        );
    }

    #[test]
    fn segment_path_ids_do_not_move_the_base_uri() {
        let schema = r##"{
            "definitions": {"s": {"type": "string"}},
            "properties": {"id": {"id": "/properties/id", "$comment": "a member named id", "properties": {"x": {"$ref": "#/definitions/s"}}}}
        }"##;
        assert_eq!(
            messages(schema, r#"{"id": {"x": 1}}"#),
            ["`id.x` must be a string, got number 1"]
        );
        let anchored =
            r##"{"allOf": [{"$ref": "#n"}], "definitions": {"n": {"id": "#n", "type": "null"}}}"##;
        assert_eq!(messages(anchored, "1").len(), 1);
    }

    #[test]
    fn deep_values_and_deep_schemas_never_overflow() {
        // A value nested as deep as the parser allows, validated in full through two nodes
        // a level, and cut off at MAX_VALIDATION_DEPTH through three, on a 2 MiB thread
        // (what libtest gives; unoptimized frames are about twice the release ones, which
        // need under 0.5 MiB here).
        let depth = crate::json::MAX_DEPTH;
        let instance = parse(&("[".repeat(depth) + &"]".repeat(depth))).unwrap();
        let outcomes = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                let regex = NativeRegex::default();
                [
                    r##"{"items": {"$ref": "#"}, "anyOf": [{"type": "array"}, {"items": false}]}"##,
                    r##"{"anyOf": [{"type": "string"}, {"items": {"allOf": [{"$ref": "#"}]}}]}"##,
                ]
                .map(|schema| {
                    let schema = compile_text(schema).unwrap();
                    let kinds: Vec<_> = schema
                        .validate(&instance, &regex)
                        .iter()
                        .map(|v| v.kind)
                        .collect();
                    (kinds, schema.is_valid(&instance, &regex))
                })
            })
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(outcomes[0], (vec![], true));
        assert_eq!(outcomes[1], (vec!["anyOf"], false));
        // A schema nested deeper than validation may follow is refused, not compiled.
        let mut value = Value::Bool(true);
        for _ in 0..600 {
            let mut map = crate::json::Map::new();
            map.insert("not".into(), value);
            value = Value::Object(map);
        }
        assert!(compile(&value, &mut NativeRegex::default()).is_err());
    }
}
