//! From a schema document to a [`Schema`].
//!
//! A scan first registers every `$id` of a document (its absolute URI, or its plain-name
//! fragment `#foo`) with its location; then one pass compiles each subschema once,
//! memoized by its location, so `$ref` cycles terminate. The target of a `$ref` is
//! compiled from a work list rather than recursively, so compiling never nests deeper
//! than the document does. A `$ref` to a URI no document declares asks the resolver for
//! that document. Finally schemas that could reach themselves without descending into
//! the value (`{"$ref": "#"}`) are refused: validating them would never end.

use crate::prelude::*;
use alloc::format;
use alloc::rc::Rc;
use core::fmt;

use super::keywords::{self, invalid};
use super::uri;
use super::{Node, NodeId, Schema};
use crate::json::{join_pointer, push_pointer, Map, Value, MAX_DEPTH};
use crate::regex::RegexEngine;

/// Why a schema cannot be used: where (a JSON pointer into the schema) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    /// JSON pointer of the offending keyword in the schema document (prefixed with the
    /// document's URI and `#` when the keyword is in a remote document).
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

impl core::error::Error for SchemaError {}

/// Compiles the schema document `doc`; patterns are compiled with `regex`. A `$ref` to
/// another document cannot be resolved: use [`compile_with`] for those.
pub fn compile(doc: &Value, regex: &mut dyn RegexEngine) -> Result<Schema, SchemaError> {
    compile_with(doc, regex, &|_| None)
}

/// Compiles `doc` like [`compile`], asking `resolver` for the document of each absolute
/// URI (without fragment) that a `$ref` names and no `$id` seen so far declares, e.g.
/// `http://json-schema.org/draft-07/schema`. The resolver answers `None` when it does not
/// know the URI; each URI is asked for at most once.
pub fn compile_with(
    doc: &Value,
    regex: &mut dyn RegexEngine,
    resolver: &dyn Fn(&str) -> Option<Value>,
) -> Result<Schema, SchemaError> {
    let mut c = Compiler {
        root: doc,
        remotes: Vec::new(),
        resolver,
        regex,
        nodes: Vec::new(),
        memo: Vec::new(),
        ids: vec![(String::new(), 0, String::new())],
        pending: Vec::new(),
        doc: 0,
        depth: 0,
        has_refs: false,
        keyword_paths: Vec::new(),
    };
    c.scan(0, doc, &mut Vec::new(), "", 0);
    let root = c.subschema(doc, String::new())?;
    while let Some((id, doc, at)) = c.pending.pop() {
        c.doc = doc;
        let document = c.document(doc);
        let raw = at.get(c.prefix(doc).len()..).unwrap_or_default();
        if let Some(value) = resolve_pointer(&document, raw) {
            c.fill(id, value, at)?;
        }
    }
    if c.has_refs {
        refuse_cycles(&c.nodes)?;
    }
    Ok(Schema {
        nodes: c.nodes,
        root,
        pointers: true,
    })
}

/// The state of one compilation, handed to each keyword's `compile`.
pub(crate) struct Compiler<'a> {
    /// Document 0.
    root: &'a Value,
    /// Documents 1…, with the URI they were retrieved from.
    remotes: Vec<(String, Rc<Value>)>,
    /// `$ref` targets still to compile: node, document, pointer.
    pending: Vec<(NodeId, usize, String)>,
    resolver: &'a dyn Fn(&str) -> Option<Value>,
    pub(crate) regex: &'a mut dyn RegexEngine,
    nodes: Vec<Node>,
    /// Compiled subschemas by document and pointer, sorted (a binary search keeps
    /// hashing code out of the wasm).
    memo: Vec<((usize, String), NodeId)>,
    /// Every identifier seen: URI (a resource without fragment, or `…#name` for a
    /// plain-name fragment), document, and JSON pointer in that document.
    ids: Vec<(String, usize, String)>,
    /// The document being compiled.
    doc: usize,
    depth: usize,
    /// Whether the document has a `$ref`. Without one every subschema is compiled once,
    /// where it stands, and no cycle can form: the memo and the cycle check are skipped.
    has_refs: bool,
    /// Spare buffers for [`Compiler::at_keyword`], one per level of keywords under way.
    keyword_paths: Vec<String>,
}

/// The identifier a schema object declares: `$id`, or Segment's legacy `id` when it reads
/// as an absolute URI or a `#name` fragment (Segment writes `"id": "/properties/x"`
/// annotations, which must not move the base URI).
fn declared_id(map: &Map) -> Option<&str> {
    map.get("$id").and_then(Value::as_str).or_else(|| {
        let id = map.get("id")?.as_str()?;
        let name = id.strip_prefix('#').filter(|name| {
            name.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_:.".contains(&b))
        });
        (name.is_some() || uri::is_valid(id, true)).then_some(id)
    })
}

/// A step down from a schema document's root: a member or an array item.
#[derive(Clone, Copy)]
enum Step<'v> {
    Member(&'v str),
    Index(usize),
}

/// The JSON pointer of the value `path` leads to.
fn pointer_of(path: &[Step]) -> String {
    let mut pointer = String::new();
    for step in path {
        match step {
            Step::Member(name) => push_pointer(&mut pointer, name),
            Step::Index(i) => push_pointer(&mut pointer, &i.to_string()),
        }
    }
    pointer
}

/// A document, borrowed (the schema itself) or shared (a remote one).
enum DocRef<'a> {
    Root(&'a Value),
    Remote(Rc<Value>),
}

impl core::ops::Deref for DocRef<'_> {
    type Target = Value;

    fn deref(&self) -> &Value {
        match self {
            DocRef::Root(doc) => doc,
            DocRef::Remote(doc) => doc,
        }
    }
}

impl<'a> Compiler<'a> {
    /// Registers the identifiers of the schema `value` at `path` of document `doc` and
    /// of its subschemas; `base` is the URI in force there. Notes whether any `$ref` is
    /// met. `path` is extended and restored on the way, and written out as a pointer only
    /// for a subschema with an identifier.
    fn scan<'v>(
        &mut self,
        doc: usize,
        value: &'v Value,
        path: &mut Vec<Step<'v>>,
        base: &str,
        depth: usize,
    ) {
        let Value::Object(map) = value else {
            return;
        };
        // Siblings of `$ref` are ignored, `$id` included.
        if map.get("$ref").is_some() {
            self.has_refs = true;
            return;
        }
        if depth > MAX_DEPTH {
            return;
        }
        let mut declared = None;
        if let Some(id) = declared_id(map) {
            let pointer = pointer_of(path);
            let full = uri::resolve(base, id);
            let (resource, fragment) = uri::split_fragment(&full);
            if !id.starts_with('#') {
                self.ids.push((resource.to_string(), doc, pointer.clone()));
                declared = Some(resource.to_string());
            }
            if !fragment.is_empty() {
                self.ids.push((full.clone(), doc, pointer));
            }
        }
        let base = declared.as_deref().unwrap_or(base);
        for (name, sub) in map.iter() {
            let len = path.len();
            match (name, sub) {
                ("items" | "allOf" | "anyOf" | "oneOf", Value::Array(list)) => {
                    path.push(Step::Member(name));
                    for (i, child) in list.iter().enumerate() {
                        path.push(Step::Index(i));
                        self.scan(doc, child, path, base, depth + 1);
                        path.pop();
                    }
                }
                (
                    "properties" | "patternProperties" | "definitions" | "dependencies",
                    Value::Object(members),
                ) => {
                    path.push(Step::Member(name));
                    for (key, child) in members.iter() {
                        path.push(Step::Member(key));
                        self.scan(doc, child, path, base, depth + 1);
                        path.pop();
                    }
                }
                (
                    "items"
                    | "additionalItems"
                    | "additionalProperties"
                    | "contains"
                    | "propertyNames"
                    | "if"
                    | "then"
                    | "else"
                    | "not",
                    _,
                ) => {
                    path.push(Step::Member(name));
                    self.scan(doc, sub, path, base, depth + 1);
                }
                _ => {}
            }
            path.truncate(len);
        }
    }

    /// What pointers into document `doc` are prefixed with in schema paths.
    fn prefix(&self, doc: usize) -> String {
        match doc.checked_sub(1).and_then(|i| self.remotes.get(i)) {
            Some((uri, _)) => format!("{uri}#"),
            None => String::new(),
        }
    }

    /// Document `doc` (0 is the schema itself).
    fn document(&self, doc: usize) -> DocRef<'a> {
        match doc.checked_sub(1).and_then(|i| self.remotes.get(i)) {
            Some((_, remote)) => DocRef::Remote(Rc::clone(remote)),
            None => DocRef::Root(self.root),
        }
    }

    /// The node of the subschema at `pointer` of the current document: compiled already,
    /// or now, from `value` (`None`: later, from the work list).
    fn node_at(&mut self, value: Option<&Value>, pointer: String) -> Result<NodeId, SchemaError> {
        let id = NodeId(self.nodes.len());
        if self.has_refs {
            let key = (self.doc, pointer.clone());
            match self.memo.binary_search_by(|(k, _)| k.cmp(&key)) {
                Ok(found) => return Ok(self.memo[found].1),
                Err(slot) => self.memo.insert(slot, (key, id)),
            }
        }
        self.nodes.push(Node::Bool(true));
        match value {
            Some(value) => self.fill(id, value, pointer)?,
            None => self.pending.push((id, self.doc, pointer)),
        }
        Ok(id)
    }

    /// Compiles the subschema `value` found at `pointer` of the current document
    /// (memoized by location).
    pub(crate) fn subschema(
        &mut self,
        value: &Value,
        pointer: String,
    ) -> Result<NodeId, SchemaError> {
        self.node_at(Some(value), pointer)
    }

    /// Compiles `value`, found at `pointer`, into node `id`.
    fn fill(&mut self, id: NodeId, value: &Value, pointer: String) -> Result<(), SchemaError> {
        if self.depth >= MAX_DEPTH {
            return Err(invalid(
                &pointer,
                format!("schemas nested deeper than {MAX_DEPTH} levels"),
            ));
        }
        self.depth += 1;
        let node = match value {
            Value::Bool(b) => Node::Bool(*b),
            Value::Object(map) => {
                // At most one keyword a member: never grown. (Reserved rather than
                // `with_capacity`, which the default wasm's plan decoder shares.)
                let mut keywords = Vec::new();
                keywords.reserve_exact(map.len());
                // In draft-07 `$ref` overrides every sibling keyword.
                match map.get("$ref") {
                    Some(reference) => {
                        keywords.extend(keywords::compile(self, map, &pointer, "$ref", reference)?)
                    }
                    None => {
                        for (name, value) in map.iter() {
                            keywords.extend(keywords::compile(self, map, &pointer, name, value)?);
                        }
                    }
                }
                Node::Keywords { keywords, pointer }
            }
            _ => {
                return Err(invalid(
                    &pointer,
                    format!(
                        "a schema must be an object or a boolean, not {}",
                        value.type_name()
                    ),
                ))
            }
        };
        self.depth -= 1;
        self.nodes[id.0] = node;
        Ok(())
    }

    /// Calls `f` with the schema path of keyword `name` of the subschema at `at`. Most
    /// keywords need their path only to report an error, so it is written in a buffer
    /// reused from keyword to keyword rather than allocated for each.
    pub(crate) fn at_keyword<T>(
        &mut self,
        at: &str,
        name: &str,
        f: impl FnOnce(&mut Self, &str) -> T,
    ) -> T {
        let mut path = self.keyword_paths.pop().unwrap_or_default();
        path.clear();
        path.push_str(at);
        push_pointer(&mut path, name);
        let compiled = f(self, &path);
        self.keyword_paths.push(path);
        compiled
    }

    /// Compiles the child schema `value` reached from `pointer` through `segment`.
    pub(crate) fn child(
        &mut self,
        value: &Value,
        pointer: &str,
        segment: &str,
    ) -> Result<NodeId, SchemaError> {
        self.subschema(value, join_pointer(pointer, segment))
    }

    /// The node of the target of `$ref: reference`, written in the subschema at
    /// `pointer` (compiled later, from the work list). `None` when the reference
    /// designates nothing.
    pub(crate) fn reference(
        &mut self,
        reference: &str,
        pointer: &str,
    ) -> Result<Option<NodeId>, SchemaError> {
        let raw = pointer
            .get(self.prefix(self.doc).len()..)
            .unwrap_or_default();
        // The base URI: the identifier of the closest enclosing resource.
        let base = self
            .ids
            .iter()
            .filter(|(uri, doc, at)| {
                *doc == self.doc
                    && !uri.contains('#')
                    && raw
                        .strip_prefix(at.as_str())
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            })
            .max_by_key(|(_, _, at)| at.len())
            .map_or("", |(uri, ..)| uri.as_str());
        let full = uri::resolve(base, reference);
        let (resource, fragment) = uri::split_fragment(&full);
        let Some((doc, target)) = self.locate(resource, fragment, &full) else {
            return Ok(None);
        };
        if resolve_pointer(&self.document(doc), &target).is_none() {
            return Ok(None);
        }
        let outer = core::mem::replace(&mut self.doc, doc);
        let id = self.node_at(None, self.prefix(doc) + &target);
        self.doc = outer;
        id.map(Some)
    }

    /// The document and pointer `full` (`resource#fragment`) designates, loading the
    /// resource through the resolver when no identifier so far matches.
    fn locate(&mut self, resource: &str, fragment: &str, full: &str) -> Option<(usize, String)> {
        let pointer = fragment.is_empty() || fragment.starts_with('/');
        let find = |ids: &[(String, usize, String)]| {
            if pointer {
                let (_, doc, at) = ids.iter().find(|(uri, ..)| uri == resource)?;
                Some((*doc, format!("{at}{}", uri::percent_decode(fragment))))
            } else {
                let (_, doc, at) = ids.iter().find(|(uri, ..)| uri == full)?;
                Some((*doc, at.clone()))
            }
        };
        if let Some(found) = find(&self.ids) {
            return Some(found);
        }
        if self.remotes.iter().any(|(uri, _)| uri == resource) {
            return None;
        }
        let document = Rc::new((self.resolver)(resource)?);
        self.remotes
            .push((resource.to_string(), Rc::clone(&document)));
        let doc = self.remotes.len();
        self.ids.push((resource.to_string(), doc, String::new()));
        self.scan(doc, &document, &mut Vec::new(), resource, 0);
        find(&self.ids)
    }
}

/// The value `pointer` (RFC 6901, already percent-decoded) designates inside `doc`.
pub(crate) fn resolve_pointer<'a>(doc: &'a Value, pointer: &str) -> Option<&'a Value> {
    if pointer.is_empty() {
        return Some(doc);
    }
    let mut current = doc;
    for raw in pointer.strip_prefix('/')?.split('/') {
        let segment = crate::json::unescape_pointer_segment(raw);
        current = match current {
            Value::Object(map) => map.get(&segment)?,
            Value::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(current)
}

/// Refuses a schema in which a subschema reaches itself through keywords that apply to
/// the same value (`$ref`, `allOf`, `anyOf`, `oneOf`, `not`, `if`/`then`/`else`,
/// `dependencies`): validation would never end.
fn refuse_cycles(nodes: &[Node]) -> Result<(), SchemaError> {
    let edges: Vec<Vec<NodeId>> = nodes
        .iter()
        .map(|node| match node {
            Node::Keywords { keywords, .. } => {
                let mut out = Vec::new();
                keywords.iter().for_each(|k| k.same_value(&mut out));
                out
            }
            Node::Bool(_) => Vec::new(),
        })
        .collect();
    let pointer = |id: usize| match nodes.get(id) {
        Some(Node::Keywords { pointer, .. }) => pointer.as_str(),
        _ => "",
    };
    // 0: not seen, 1: on the current path, 2: done.
    let mut state = vec![0u8; nodes.len()];
    for start in 0..nodes.len() {
        if state[start] != 0 {
            continue;
        }
        state[start] = 1;
        let mut path = vec![(start, 0)];
        while let Some((node, next)) = path.last_mut() {
            let node = *node;
            let Some(child) = edges[node].get(*next).map(|c| c.0) else {
                state[node] = 2;
                path.pop();
                continue;
            };
            *next += 1;
            match state[child] {
                0 => {
                    state[child] = 1;
                    path.push((child, 0));
                }
                1 => {
                    let target = match pointer(child) {
                        "" => "the root schema",
                        target => target,
                    };
                    return Err(invalid(
                        pointer(node),
                        format!(
                            "this schema leads back to {target} without descending into the value, so validation would never end: break the loop"
                        ),
                    ));
                }
                _ => {}
            }
        }
    }
    Ok(())
}
