//! A compiled [`Schema`] in the binary form of [`crate::binary`]: how `trackplan build`
//! writes the plan's schemas, already compiled, and how the wasm reads them back.
//!
//! Nodes are written in arena order, each its JSON pointer (unless left out) as the bytes
//! it shares with the previous node's (a parent's or a sibling's: the compiler numbers
//! nodes as it meets them) and the rest, then each keyword as a tag and its data. Patterns are
//! written by their position in a [`PatternTable`] that the plan writes once, and that
//! the reading side compiles with its own engine before reading any schema; formats and
//! bound keywords by their number in their tables. The number of nodes comes before
//! them, so that reading checks every node id as it reads it: a schema read back never
//! indexes outside its arena.

use crate::prelude::*;

use super::formats::{self, FormatId};
use super::keywords::{
    bound, AdditionalProperties, Conditional, Dependency, Items, Keyword, KeywordId, TypeSet,
    BASIC_CORE, LEAN_CORE,
};
use super::{Node, NodeId, Schema};
use crate::binary::{Reader, Writer};
use crate::regex::{PatternId, RegexEngine};

/// The distinct patterns of the schemas written, in the order first met.
pub struct PatternTable<'a> {
    /// The engine the schemas' patterns were compiled with.
    regex: &'a dyn RegexEngine,
    /// Each pattern's source.
    pub sources: Vec<String>,
}

impl<'a> PatternTable<'a> {
    /// An empty table for schemas whose patterns `regex` compiled.
    pub fn new(regex: &'a dyn RegexEngine) -> Self {
        PatternTable {
            regex,
            sources: Vec::new(),
        }
    }

    /// The position of `source`, added when new.
    fn position(&mut self, source: &str) -> usize {
        self.sources
            .iter()
            .position(|s| s == source)
            .unwrap_or_else(|| {
                self.sources.push(source.to_string());
                self.sources.len() - 1
            })
    }

    /// The position of a compiled pattern.
    fn position_of(&mut self, id: PatternId) -> usize {
        let source = self.regex.source(id).unwrap_or_default();
        self.position(source)
    }
}

/// The patterns of a [`PatternTable`] as the reading side compiled them, with their
/// sources, by position.
pub type CompiledPatterns = [(PatternId, String)];

/// The keywords and formats schemas use, as a set of bits (by tag and by format number):
/// what a core must keep to check them. A plan's binary form carries it, so that a core
/// refuses at once a plan it could not check, naming what it lacks.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Uses {
    keywords: u32,
    formats: u32,
}

impl Uses {
    /// Reads the set as [`Uses::write`] wrote it.
    pub fn read(r: &mut Reader) -> Option<Uses> {
        Some(Uses {
            keywords: u32::try_from(r.uint()?).ok()?,
            formats: u32::try_from(r.uint()?).ok()?,
        })
    }

    /// Writes the set.
    pub fn write(&self, w: &mut Writer) {
        w.uint(self.keywords as usize);
        w.uint(self.formats as usize);
    }

    /// The names of the keywords and formats used (formats as `format: "uri"`).
    pub fn names(&self) -> Vec<String> {
        let keywords = KeywordId::ALL
            .iter()
            .filter(|id| self.keywords & 1 << id.tag() != 0)
            .map(|id| id.name().to_string());
        let formats = FormatId::ALL
            .iter()
            .filter(|id| self.formats & 1 << (**id as u32) != 0)
            .map(|id| crate::text::text!("format: \"", id.name(), "\""));
        keywords.chain(formats).collect()
    }

    /// What the lean production core keeps.
    const LEAN_CORE: Uses = Uses {
        keywords: KeywordId::LEAN_BITS,
        formats: FormatId::LEAN_BITS,
    };

    /// What the basic production core keeps: the lean core's keywords, no format.
    const BASIC_CORE: Uses = Uses {
        keywords: KeywordId::LEAN_BITS,
        formats: 0,
    };

    /// What this build keeps (see [`KeywordId::kept`]).
    const KEPT: Uses = if BASIC_CORE {
        Uses::BASIC_CORE
    } else if LEAN_CORE {
        Uses::LEAN_CORE
    } else {
        Uses {
            keywords: KeywordId::EVERY_BIT,
            formats: FormatId::EVERY_BIT,
        }
    };

    /// Whether this build keeps every keyword and format used; bits past the tables, a
    /// newer build's, are kept by none.
    pub fn all_kept(&self) -> bool {
        self.within(Uses::KEPT)
    }

    /// The smallest production core that keeps every keyword and format used, which
    /// `trackplan build` ships with the plan: `basic` (no format), `lean` or `complete`.
    pub fn production_core(&self) -> &'static str {
        if self.within(Uses::BASIC_CORE) {
            "basic"
        } else if self.within(Uses::LEAN_CORE) {
            "lean"
        } else {
            "complete"
        }
    }

    /// Whether every keyword and format used is in `kept`.
    fn within(&self, kept: Uses) -> bool {
        self.keywords & !kept.keywords == 0 && self.formats & !kept.formats == 0
    }

    fn add_keyword(&mut self, id: KeywordId) {
        self.keywords |= 1 << id.tag();
    }

    fn add_format(&mut self, id: FormatId) {
        self.formats |= 1 << (id as u32);
    }
}

impl Schema {
    /// Writes the schema, its patterns as positions in `patterns`, its nodes' pointers
    /// when `pointers` (a violation's `schemaPath`: developer documentation, which the
    /// production cores' plans leave out). Adds to `uses` each keyword and format
    /// written (what the reading build must keep).
    pub fn write(
        &self,
        w: &mut Writer,
        patterns: &mut PatternTable,
        uses: &mut Uses,
        pointers: bool,
    ) {
        w.uint(self.root.0);
        w.uint(self.nodes.len());
        let mut previous = "";
        for node in &self.nodes {
            match node {
                Node::Bool(valid) => w.uint(usize::from(*valid)),
                Node::Keywords { keywords, pointer } => {
                    w.uint(2);
                    if pointers {
                        // What the pointer shares with the previous node's (its parent's
                        // or a sibling's, in the compiler's order), then the rest.
                        let shared = previous
                            .char_indices()
                            .zip(pointer.chars())
                            .find(|((_, a), b)| a != b)
                            .map_or(previous.len().min(pointer.len()), |((at, _), _)| at);
                        w.uint(shared);
                        w.str(pointer.get(shared..).unwrap_or_default());
                        previous = pointer;
                    }
                    w.list(keywords, |w, k| write_keyword(w, k, patterns, uses));
                }
            }
        }
    }

    /// Reads a schema [`Schema::write`] wrote, its patterns from `patterns`, its nodes'
    /// pointers when `pointers`; `None` when the bytes are not such a schema, or hold a
    /// keyword or format this build leaves out.
    pub fn read(r: &mut Reader, patterns: &CompiledPatterns, pointers: bool) -> Option<Schema> {
        let root = r.uint()?;
        // The number of nodes comes first: every node id is checked as it is read.
        let count = r.uint()?;
        let mut nodes = Vec::new();
        for _ in 0..count {
            let node = match r.uint()? {
                0 => Node::Bool(false),
                1 => Node::Bool(true),
                2 => {
                    let pointer = if pointers {
                        read_pointer(r, &nodes)?
                    } else {
                        String::new()
                    };
                    let keywords = r.list(|r| read_keyword(r, patterns, count))?;
                    Node::Keywords { keywords, pointer }
                }
                _ => return None,
            };
            nodes.push(node);
        }
        (root < count).then_some(Schema {
            nodes,
            root: NodeId(root),
            pointers,
        })
    }
}

/// Reads the pointer of the node after `nodes`: the bytes it shares with the last pointer
/// among them, then the rest.
fn read_pointer(r: &mut Reader, nodes: &[Node]) -> Option<String> {
    let previous = nodes.iter().rev().find_map(|node| match node {
        Node::Keywords { pointer, .. } => Some(pointer.as_str()),
        Node::Bool(_) => None,
    });
    let mut pointer = String::from(previous.unwrap_or_default().get(..r.uint()?)?);
    pointer.push_str(r.str()?);
    Some(pointer)
}

fn write_id(w: &mut Writer, id: &NodeId) {
    w.uint(id.0);
}

fn write_ids(w: &mut Writer, ids: &[NodeId]) {
    w.list(ids, write_id);
}

fn write_pattern(w: &mut Writer, patterns: &mut PatternTable, id: PatternId) {
    w.uint(patterns.position_of(id));
}

fn write_names(w: &mut Writer, names: &[String]) {
    w.list(names, |w, name| w.str(name));
}

/// Writes one keyword: its tag (its row in the keyword table), then its data.
fn write_keyword(w: &mut Writer, keyword: &Keyword, patterns: &mut PatternTable, uses: &mut Uses) {
    uses.add_keyword(keyword.id());
    w.uint(keyword.id().tag());
    match keyword {
        Keyword::Ref(id)
        | Keyword::Contains(id)
        | Keyword::PropertyNames(id)
        | Keyword::Not(id) => write_id(w, id),
        Keyword::Type(types) => w.uint(usize::from(types.0)),
        Keyword::Enum(values) => w.list(values, Writer::value),
        Keyword::Const(value) => w.value(value),
        Keyword::MultipleOf(divisor) => w.number(*divisor),
        Keyword::Bound(rule, limit) => {
            w.uint(rule.position());
            w.number(*limit);
        }
        Keyword::Pattern(_, source) => w.uint(patterns.position(source)),
        Keyword::Format(format) => {
            uses.add_format(format.id);
            w.uint(format.id as usize);
        }
        Keyword::Items(Items::All(id)) => {
            w.uint(0);
            write_id(w, id);
        }
        Keyword::Items(Items::Each(ids)) => {
            w.uint(1);
            write_ids(w, ids);
        }
        Keyword::AdditionalItems(from, id) => {
            w.uint(*from);
            write_id(w, id);
        }
        Keyword::UniqueItems => {}
        Keyword::Required(names) => write_names(w, names),
        Keyword::Properties(props) => w.list(props, |w, (name, id)| {
            w.str(name);
            write_id(w, id);
        }),
        Keyword::PatternProperties(rules) => w.list(rules, |w, (pattern, id)| {
            write_pattern(w, patterns, *pattern);
            write_id(w, id);
        }),
        Keyword::AdditionalProperties(rule) => {
            write_id(w, &rule.schema);
            write_names(w, &rule.known);
            w.list(&rule.patterns, |w, p| write_pattern(w, patterns, *p));
        }
        Keyword::Dependencies(deps) => w.list(deps, |w, (name, dependency)| {
            w.str(name);
            match dependency {
                Dependency::Names(names) => {
                    w.uint(0);
                    write_names(w, names);
                }
                Dependency::Schema(id) => {
                    w.uint(1);
                    write_id(w, id);
                }
            }
        }),
        Keyword::If(rule) => {
            write_id(w, &rule.condition);
            for branch in [rule.then, rule.otherwise] {
                w.uint(branch.map_or(0, |id| id.0 + 1));
            }
        }
        Keyword::AllOf(ids) | Keyword::AnyOf(ids) | Keyword::OneOf(ids) => write_ids(w, ids),
    }
}

/// Reads a node id, `None` unless it is one of the schema's `count` nodes.
fn read_id(r: &mut Reader, count: usize) -> Option<NodeId> {
    r.uint().filter(|id| *id < count).map(NodeId)
}

fn read_ids(r: &mut Reader, count: usize) -> Option<Vec<NodeId>> {
    r.list(|r| read_id(r, count))
}

fn read_pattern<'p>(
    r: &mut Reader,
    patterns: &'p CompiledPatterns,
) -> Option<&'p (PatternId, String)> {
    patterns.get(r.uint()?)
}

/// Reads one keyword [`write_keyword`] wrote, in a schema of `count` nodes; `None` for
/// one this build leaves out (or bytes that are not a keyword).
fn read_keyword(r: &mut Reader, patterns: &CompiledPatterns, count: usize) -> Option<Keyword> {
    use KeywordId as K;
    Some(match KeywordId::from_tag(r.uint()?)? {
        K::Ref => Keyword::Ref(read_id(r, count)?),
        K::Type => Keyword::Type(TypeSet(u8::try_from(r.uint()?).ok()?)),
        K::Enum => Keyword::Enum(r.values()?),
        K::Const => Keyword::Const(r.value()?),
        K::MultipleOf => Keyword::MultipleOf(r.number()?),
        K::Bound => Keyword::Bound(bound::numbered(r.uint()?)?, r.number()?),
        K::Pattern => {
            let (id, source) = read_pattern(r, patterns)?;
            Keyword::Pattern(*id, source.clone())
        }
        K::Format => Keyword::Format(formats::numbered(r.uint()?)?),
        K::Items => Keyword::Items(match r.uint()? {
            0 => Items::All(read_id(r, count)?),
            1 => Items::Each(read_ids(r, count)?),
            _ => return None,
        }),
        K::AdditionalItems => Keyword::AdditionalItems(r.uint()?, read_id(r, count)?),
        K::UniqueItems => Keyword::UniqueItems,
        K::Contains => Keyword::Contains(read_id(r, count)?),
        K::Required => Keyword::Required(r.strings()?),
        K::Properties => {
            Keyword::Properties(r.list(|r| Some((r.str()?.to_string(), read_id(r, count)?)))?)
        }
        K::PatternProperties => Keyword::PatternProperties(
            r.list(|r| Some((read_pattern(r, patterns)?.0, read_id(r, count)?)))?,
        ),
        K::AdditionalProperties => Keyword::AdditionalProperties(AdditionalProperties {
            schema: read_id(r, count)?,
            known: r.strings()?,
            patterns: r.list(|r| read_pattern(r, patterns).map(|p| p.0))?,
        }),
        K::Dependencies => Keyword::Dependencies(r.list(|r| {
            let name = r.str()?.to_string();
            let dependency = match r.uint()? {
                0 => Dependency::Names(r.strings()?),
                1 => Dependency::Schema(read_id(r, count)?),
                _ => return None,
            };
            Some((name, dependency))
        })?),
        K::PropertyNames => Keyword::PropertyNames(read_id(r, count)?),
        K::If => {
            let condition = read_id(r, count)?;
            let mut branch = || match r.uint()? {
                0 => Some(None),
                n => (n <= count).then_some(Some(NodeId(n - 1))),
            };
            Keyword::If(Conditional {
                condition,
                then: branch()?,
                otherwise: branch()?,
            })
        }
        K::AllOf => Keyword::AllOf(read_ids(r, count)?),
        K::AnyOf => Keyword::AnyOf(read_ids(r, count)?),
        K::OneOf => Keyword::OneOf(read_ids(r, count)?),
        K::Not => Keyword::Not(read_id(r, count)?),
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::json::parse;
    use crate::regex::NativeRegex;
    use crate::schema::compile::compile;

    /// `schema` written and read back, with the engine that compiled its patterns.
    fn read_back(schema: &Schema, regex: &mut NativeRegex) -> Option<Schema> {
        read_back_with(schema, regex, true)
    }

    /// [`read_back`], with the nodes' pointers or without.
    fn read_back_with(schema: &Schema, regex: &mut NativeRegex, pointers: bool) -> Option<Schema> {
        let mut w = Writer::default();
        let mut patterns = PatternTable::new(regex);
        schema.write(&mut w, &mut patterns, &mut Uses::default(), pointers);
        let sources = patterns.sources;
        // The engine compiled them already: each keeps its id.
        let compiled: Vec<(PatternId, String)> = sources
            .into_iter()
            .map(|source| (regex.compile(&source).unwrap(), source))
            .collect();
        let mut r = Reader::new(&w.bytes);
        Schema::read(&mut r, &compiled, pointers).filter(|_| r.is_empty())
    }

    #[test]
    fn every_node_id_is_checked_as_it_is_read() {
        // Each schema's last node is the one its keyword refers to: without that node,
        // the id read is outside the arena and the schema is refused.
        for doc in [
            r##"{"$ref":"#/definitions/a","definitions":{"a":{"type":"string"}}}"##,
            r#"{"contains":{"type":"string"}}"#,
            r#"{"propertyNames":{"maxLength":2}}"#,
            r#"{"not":{"type":"string"}}"#,
            r#"{"items":{"type":"string"}}"#,
            r#"{"items":[{},{"type":"string"}]}"#,
            r#"{"items":[{}],"additionalItems":{"type":"string"}}"#,
            r#"{"properties":{"a":{"type":"string"}}}"#,
            r#"{"patternProperties":{"^a":{"type":"string"}}}"#,
            r#"{"additionalProperties":{"type":"string"}}"#,
            r#"{"dependencies":{"a":{"required":["b"]}}}"#,
            r#"{"if":{"type":"string"}}"#,
            r#"{"if":{},"then":{"type":"string"}}"#,
            r#"{"if":{},"else":{"type":"string"}}"#,
            r#"{"allOf":[{},{"type":"string"}]}"#,
            r#"{"anyOf":[{},{"type":"string"}]}"#,
            r#"{"oneOf":[{},{"type":"string"}]}"#,
        ] {
            let mut regex = NativeRegex::default();
            let mut schema = compile(&parse(doc).unwrap(), &mut regex).unwrap();
            // `if` is compiled after its branch: let the branch refer to the last node.
            if let Some(Node::Keywords { keywords, .. }) = schema.nodes.first_mut() {
                if let [Keyword::If(rule)] = keywords.as_mut_slice() {
                    for branch in [&mut rule.then, &mut rule.otherwise].into_iter().flatten() {
                        core::mem::swap(branch, &mut rule.condition);
                    }
                }
            }
            let read = read_back(&schema, &mut regex).unwrap();
            assert_eq!(format!("{read:?}"), format!("{schema:?}"), "{doc}");
            assert!(schema.root.0 + 1 < schema.nodes.len(), "{doc}");
            schema.nodes.pop();
            assert!(read_back(&schema, &mut regex).is_none(), "{doc}");
        }
    }

    #[test]
    fn without_pointers_violations_are_the_same_but_for_their_schema_path() {
        let mut regex = NativeRegex::default();
        let doc = parse(
            r#"{"properties":{"a":{"items":{"type":"string"}},"b":{"enum":[1]}},"required":["c"]}"#,
        )
        .unwrap();
        let schema = compile(&doc, &mut regex).unwrap();
        let bare = read_back_with(&schema, &mut regex, false).unwrap();
        let instance = parse(r#"{"a":[1],"b":2}"#).unwrap();
        let (with, without) = (
            schema.validate(&instance, &regex),
            bare.validate(&instance, &regex),
        );
        assert_eq!(with.len(), 3);
        assert!(with.iter().all(|v| !v.schema_path.is_empty()));
        for (a, b) in with.iter().zip(&without) {
            assert_eq!((a.kind, &a.path, &a.message), (b.kind, &b.path, &b.message));
            assert_eq!(b.schema_path, "");
        }
        assert_eq!(without.len(), with.len());
    }

    #[test]
    fn pointers_read_back_whole_and_a_cut_inside_a_character_is_refused() {
        let mut regex = NativeRegex::default();
        let doc = parse(
            r#"{"properties":{"aé":{"properties":{"x":{}}},"aë":{"items":[{},{"type":"string"}]}}}"#,
        )
        .unwrap();
        let schema = compile(&doc, &mut regex).unwrap();
        let read = read_back(&schema, &mut regex).unwrap();
        assert_eq!(format!("{read:?}"), format!("{schema:?}"));
        // A pointer may share all of the previous one (`/é`, 3 bytes), but not more, nor
        // part of a character.
        for shared in [3, 4, 2] {
            let mut w = Writer::default();
            for n in [0, 2, 2] {
                w.uint(n); // root 0, two nodes: keywords,
            }
            w.uint(0);
            w.str("/é");
            w.uint(0); // no keywords; keywords,
            w.uint(2);
            w.uint(shared);
            w.str("");
            w.uint(0);
            let read = Schema::read(&mut Reader::new(&w.bytes), &[], true);
            assert_eq!(read.is_some(), shared == 3, "{shared}");
        }
    }

    #[test]
    fn the_sets_a_core_keeps_are_those_of_the_tables() {
        for id in KeywordId::ALL {
            let bit = 1 << id.tag();
            assert_ne!(KeywordId::EVERY_BIT & bit, 0, "{id:?}");
            assert_eq!(KeywordId::LEAN_BITS & bit != 0, id.in_lean_core(), "{id:?}");
        }
        assert_eq!(
            KeywordId::EVERY_BIT.count_ones() as usize,
            KeywordId::ALL.len()
        );
        for id in FormatId::ALL {
            let bit = 1 << *id as u32;
            assert_ne!(FormatId::EVERY_BIT & bit, 0, "{id:?}");
            assert_eq!(FormatId::LEAN_BITS & bit != 0, id.in_lean_core(), "{id:?}");
        }
        assert_eq!(
            FormatId::EVERY_BIT.count_ones() as usize,
            FormatId::ALL.len()
        );
        // Natively every keyword and format is kept; the lean core keeps fewer, the
        // basic core no format.
        assert_eq!(Uses::KEPT.keywords, KeywordId::EVERY_BIT);
        assert_ne!(Uses::LEAN_CORE.keywords, KeywordId::EVERY_BIT);
        assert_eq!(Uses::BASIC_CORE.keywords, Uses::LEAN_CORE.keywords);
        assert_eq!(Uses::BASIC_CORE.formats, 0);
    }

    #[test]
    fn a_plan_is_shipped_the_smallest_core_that_keeps_what_it_uses() {
        let core = |doc: &str| {
            let mut uses = Uses::default();
            let schema = compile(&parse(doc).unwrap(), &mut NativeRegex::default()).unwrap();
            schema.write(
                &mut Writer::default(),
                &mut PatternTable::new(&NativeRegex::default()),
                &mut uses,
                false,
            );
            uses.production_core()
        };
        assert_eq!(
            core(r#"{"properties":{"a":{"type":"string","pattern":"^a"}}}"#),
            "basic"
        );
        assert_eq!(core(r#"{"properties":{"a":{"format":"email"}}}"#), "lean");
        assert_eq!(core(r#"{"properties":{"a":{"format":"uri"}}}"#), "complete");
        assert_eq!(core(r#"{"oneOf":[{},{}]}"#), "complete");
    }
}
