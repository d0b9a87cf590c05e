//! Every constraint of a planned property, for `explain()` and the inspector: its
//! pattern, format, bounds, `multipleOf`, `uniqueItems`, a closed object's
//! `additionalProperties: false`, the outline of its items and of its nested properties,
//! and the alternatives of `allOf`, `anyOf` and `oneOf`, each named as JSON Schema names
//! it. The keywords shown only by name (`not`, `if`, `contains`, …) are listed in
//! `others`.
//!
//! Read from the rule's compiled schema, not its document: a plan in the binary form
//! (what `trackplan build` writes) shows them as one read from JSON does, and the plan
//! carries nothing twice. Written only where there is [`ADVICE`] (natively and in the
//! full core), so that the production core and its plan summary stay as they were.
//!
//! [`ADVICE`]: crate::tracker::ADVICE

use super::{write_number, write_value, List, Object};
use crate::json::push_quoted;
use crate::plan::Rule;
use crate::prelude::*;
use crate::schema::keywords::{Items, Keyword};
use crate::schema::{NodeId, Schema};

/// How deep items and nested properties are outlined: past it (a recursive schema), a
/// property lists `items` or `properties` among its `others`.
const MAX_DEPTH: usize = 8;

/// Writes the constraints of the schema of the property `name` of `rule` onto `object`,
/// the property's summary.
pub(super) fn write_property(object: &mut Object, rule: &Rule, name: &str) {
    let Some(schema) = rule.payload() else {
        return;
    };
    let declared = schema.declared_properties();
    if let Some((_, id)) = declared.iter().find(|(n, _)| n == name) {
        write_constraints(object, schema, schema.keywords_of(*id), 0);
    }
}

/// Writes the constraints among `keywords` (a subschema `depth` levels of items and
/// properties below a planned property) as members of `object`.
fn write_constraints(object: &mut Object, schema: &Schema, keywords: &[Keyword], depth: usize) {
    let mut others: Vec<&str> = Vec::new();
    let deeper = depth < MAX_DEPTH;
    for keyword in keywords {
        match keyword {
            // What the summaries of the property itself (type, allowed values) and of its
            // members (required) say; `$ref` is followed by `Schema::keywords_of`.
            Keyword::Ref(_)
            | Keyword::Type(_)
            | Keyword::Enum(_)
            | Keyword::Const(_)
            | Keyword::Required(_) => {}
            Keyword::Pattern(_, source) => object.string("pattern", source),
            Keyword::Format(format) => object.string("format", format.id.name()),
            Keyword::Bound(bound, limit) => write_number(object.key(bound.name), *limit),
            Keyword::MultipleOf(divisor) => write_number(object.key("multipleOf"), *divisor),
            Keyword::UniqueItems => object.raw("uniqueItems", "true"),
            Keyword::AdditionalProperties(rule) if schema.is_false(rule.schema) => {
                object.raw("additionalProperties", "false");
            }
            Keyword::Items(Items::All(id)) if deeper => {
                write_outline(object.key("items"), schema, *id, depth + 1);
            }
            Keyword::Items(Items::Each(ids)) if deeper => {
                write_outlines(object.key("items"), schema, ids, depth + 1);
            }
            Keyword::Properties(properties) if deeper => {
                let required = keywords.iter().find_map(|k| match k {
                    Keyword::Required(names) => Some(names.as_slice()),
                    _ => None,
                });
                let mut list = List::open(object.key("properties"));
                for (name, id) in properties {
                    let mut nested = Object::open(list.item());
                    nested.string("name", name);
                    let required = required.is_some_and(|r| r.contains(name));
                    nested.raw("required", crate::text::boolean(required));
                    write_members(&mut nested, schema, *id, depth + 1);
                    nested.close();
                }
                list.close();
            }
            Keyword::AllOf(ids) | Keyword::AnyOf(ids) | Keyword::OneOf(ids) if deeper => {
                write_outlines(object.key(keyword.id().name()), schema, ids, depth + 1);
            }
            other => others.push(other.id().name()),
        }
    }
    if !others.is_empty() {
        let mut list = List::open(object.key("others"));
        for name in others {
            push_quoted(list.item(), name);
        }
        list.close();
    }
}

/// Writes the outlines of the subschemas `ids`, as a list.
fn write_outlines(out: &mut String, schema: &Schema, ids: &[NodeId], depth: usize) {
    let mut list = List::open(out);
    for id in ids {
        write_outline(list.item(), schema, *id, depth);
    }
    list.close();
}

/// Writes the outline of subschema `id`: `{ type, allowed, …constraints }`.
fn write_outline(out: &mut String, schema: &Schema, id: NodeId, depth: usize) {
    let mut object = Object::open(out);
    write_members(&mut object, schema, id, depth);
    object.close();
}

/// Writes the members of subschema `id`'s outline: its types, its allowed values (`enum`,
/// `const`) and its constraints.
fn write_members(object: &mut Object, schema: &Schema, id: NodeId, depth: usize) {
    let keywords = schema.keywords_of(id);
    let mut types = List::open(object.key("type"));
    for keyword in keywords {
        if let Keyword::Type(set) = keyword {
            for name in set.names() {
                push_quoted(types.item(), name);
            }
        }
    }
    types.close();
    let mut allowed = List::open(object.key("allowed"));
    for keyword in keywords {
        match keyword {
            Keyword::Enum(values) => values.iter().for_each(|v| write_value(allowed.item(), v)),
            Keyword::Const(value) => write_value(allowed.item(), value),
            _ => {}
        }
    }
    allowed.close();
    write_constraints(object, schema, keywords, depth);
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use crate::json::{parse, Value};
    use crate::plan::Plan;
    use crate::regex::NativeRegex;
    use crate::report;

    const PLAN: &str = r##"{"name":"p","rules":[
        {"key":"e","type":"TRACK","jsonSchema":{"required":["id"],"properties":{
            "id":{"type":"string","pattern":"^[a-z]+$","minLength":1,"maxLength":40},
            "at":{"type":"string","format":"date-time"},
            "n":{"type":"integer","exclusiveMinimum":0,"maximum":10,"multipleOf":0.5},
            "tags":{"type":"array","minItems":1,"maxItems":3,"uniqueItems":true,
                "items":{"type":"string","enum":["a","b"]}},
            "pair":{"items":[{"type":"number","minimum":-1.5},{"const":"x"}]},
            "meta":{"type":"object","additionalProperties":false,"required":["sku"],
                "properties":{"sku":{"type":"string","pattern":"^S"},"deep":{"properties":{"x":{"format":"email"}}}}},
            "price":{"$ref":"#/definitions/price"},
            "choice":{"anyOf":[{"type":"string","maxLength":2},{"type":"number"}]},
            "when":{"if":{"type":"string"},"then":{"maxLength":2},"not":{"const":3}},
            "plain":{"type":"boolean"},
            "tree":{"$ref":"#/definitions/tree"}},
          "definitions":{"price":{"type":"number","minimum":0},
            "tree":{"type":"object","properties":{"children":{"type":"array","items":{"$ref":"#/definitions/tree"}}}}}}}]}"##;

    /// The plan's summary, as JSON, read from its document.
    fn summary(text: &str) -> Value {
        let plan = Plan::from_json(text, &mut NativeRegex::default()).unwrap();
        parse(&report::plan(&plan)).unwrap()
    }

    /// The summary of property `name` of the first event.
    fn property(summary: &Value, name: &str) -> Value {
        let events = summary.get("events").and_then(Value::as_array).unwrap();
        let properties = events[0].get("properties").and_then(Value::as_array);
        let found = properties
            .unwrap()
            .iter()
            .find(|p| p.get("name").and_then(Value::as_str) == Some(name));
        found.cloned().unwrap()
    }

    /// `value` as compact JSON text.
    fn text(value: &Value) -> String {
        let mut out = String::new();
        report::write_value(&mut out, value);
        out
    }

    /// The summary of property `name` of the plan's event, as JSON text.
    fn shown(name: &str) -> String {
        text(&property(&summary(PLAN), name))
    }

    #[test]
    fn a_property_shows_every_constraint_of_its_schema() {
        assert_eq!(
            shown("id"),
            r#"{"name":"id","type":["string"],"required":true,"allowed":[],"pattern":"^[a-z]+$","minLength":1,"maxLength":40}"#
        );
        assert_eq!(
            shown("at"),
            r#"{"name":"at","type":["string"],"required":false,"allowed":[],"format":"date-time"}"#
        );
        let n = property(&summary(PLAN), "n");
        for (bound, limit) in [
            ("exclusiveMinimum", 0.0),
            ("maximum", 10.0),
            ("multipleOf", 0.5),
        ] {
            assert_eq!(n.get(bound).and_then(Value::as_f64), Some(limit), "{bound}");
        }
        assert_eq!(
            shown("plain"),
            r#"{"name":"plain","type":["boolean"],"required":false,"allowed":[]}"#,
            "nothing more than a type: no members added"
        );
    }

    #[test]
    fn items_and_nested_properties_are_outlined_with_theirs() {
        assert_eq!(
            shown("tags"),
            r#"{"name":"tags","type":["array"],"required":false,"allowed":[],"minItems":1,"maxItems":3,"uniqueItems":true,"items":{"type":["string"],"allowed":["a","b"]}}"#
        );
        assert_eq!(
            shown("pair"),
            r#"{"name":"pair","type":[],"required":false,"allowed":[],"items":[{"type":["number"],"allowed":[],"minimum":-1.5},{"type":[],"allowed":["x"]}]}"#
        );
        assert_eq!(
            shown("meta"),
            concat!(
                r#"{"name":"meta","type":["object"],"required":false,"allowed":[],"additionalProperties":false,"properties":["#,
                r#"{"name":"sku","required":true,"type":["string"],"allowed":[],"pattern":"^S"},"#,
                r#"{"name":"deep","required":false,"type":[],"allowed":[],"properties":["#,
                r#"{"name":"x","required":false,"type":[],"allowed":[],"format":"email"}]}]}"#
            )
        );
    }

    #[test]
    fn references_are_followed_and_combinators_outlined_branch_by_branch() {
        let summary = summary(PLAN);
        let price = property(&summary, "price");
        assert_eq!(price.get("minimum").and_then(Value::as_f64), Some(0.0));
        assert_eq!(
            text(property(&summary, "choice").get("anyOf").unwrap()),
            r#"[{"type":["string"],"allowed":[],"maxLength":2},{"type":["number"],"allowed":[]}]"#
        );
        assert_eq!(
            text(property(&summary, "when").get("others").unwrap()),
            r#"["if","not"]"#,
            "what is not outlined is named"
        );
    }

    #[test]
    fn a_recursive_schema_is_outlined_to_a_depth_then_named() {
        let summary = summary(PLAN);
        let mut level = property(&summary, "tree");
        let mut depth = 0;
        while let Some(items) = level
            .get("properties")
            .and_then(Value::as_array)
            .and_then(|p| p.first())
            .and_then(|children| children.get("items"))
        {
            level = items.clone();
            depth += 1;
        }
        assert_eq!(
            depth, 4,
            "two levels (a property and its items) per tree level"
        );
        assert_eq!(text(level.get("others").unwrap()), r#"["properties"]"#);
    }

    #[test]
    fn a_plan_in_the_binary_form_shows_the_same_constraints() {
        let mut regex = NativeRegex::default();
        let plan = Plan::from_json(PLAN, &mut regex).unwrap();
        for documented in [true, false] {
            let (bytes, _) = plan.to_binary(&regex, documented);
            let read = Plan::from_binary(bytes, &mut NativeRegex::default()).unwrap();
            assert_eq!(report::plan(&read), report::plan(&plan));
        }
    }
}
