//! Conversions between the core's data and JavaScript values.

use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::prelude::*;

use crate::json::Value;
use crate::plan::{PropertySummary, Rule};
use crate::tracker::{Decision, HistoryEntry, Verdict};
use crate::violation::Violation;

/// Sets `key` on `target` (a plain object built here, so this cannot fail).
pub fn set(target: &Object, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(target, &JsValue::from_str(key), &value.into());
}

/// Reads `key` from `source`; `undefined` when `source` is not an object, the key is
/// absent or a getter throws.
pub fn get(source: &JsValue, key: &str) -> JsValue {
    if !source.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(source, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// `JSON.stringify(value)` as the core wants it: the text, or why there is none.
/// `undefined` and `null` are an empty object (a call without properties).
pub fn stringify(value: &JsValue) -> Result<String, String> {
    if value.is_undefined() || value.is_null() {
        return Ok("{}".to_string());
    }
    match JSON::stringify(value) {
        Ok(text) => text
            .as_string()
            .ok_or_else(|| "a function or symbol is not data".to_string()),
        Err(e) => Err(js_sys::Error::from(e)
            .message()
            .as_string()
            .unwrap_or_else(|| "JSON.stringify threw".to_string())),
    }
}

/// A JSON value as a JavaScript value.
pub fn to_js(value: &Value) -> JsValue {
    match value {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Number(n) => JsValue::from_f64(*n),
        Value::String(s) => JsValue::from_str(s),
        Value::Array(items) => items.iter().map(to_js).collect::<Array>().into(),
        Value::Object(map) => {
            let object = Object::new();
            for (k, v) in map.iter() {
                define_data(&object, k, to_js(v));
            }
            object.into()
        }
    }
}

/// Sets `key` on `target` as an own data property, as `JSON.parse` makes it: a key named
/// `__proto__` does not change the prototype.
pub fn define_data(target: &Object, key: &str, value: JsValue) {
    if key == "__proto__" {
        let descriptor = Object::new();
        set(&descriptor, "value", value);
        set(&descriptor, "enumerable", true);
        set(&descriptor, "writable", true);
        set(&descriptor, "configurable", true);
        Object::define_property(target, &JsValue::from_str(key), &descriptor);
    } else {
        set(target, key, value);
    }
}

/// A violation or hint: `{ kind, path, message, schemaPath? }`.
pub fn violation(v: &Violation) -> Object {
    let object = Object::new();
    set(&object, "kind", v.kind);
    set(&object, "path", v.path.as_str());
    set(&object, "message", v.message.as_str());
    if !v.schema_path.is_empty() {
        set(&object, "schemaPath", v.schema_path.as_str());
    }
    object
}

/// The contract's `Verdict`: `{ ok, action, event?, violations, omitted, hints }`.
pub fn verdict(v: &Verdict) -> Object {
    let object = Object::new();
    set(&object, "ok", v.ok());
    set(
        &object,
        "action",
        match v.decision {
            Decision::Send => "sent",
            Decision::Block => "blocked",
        },
    );
    set(&object, "type", v.kind.name());
    if let Some(event) = &v.event {
        set(&object, "event", event.as_str());
    }
    set(
        &object,
        "violations",
        v.violations.iter().map(violation).collect::<Array>(),
    );
    set(
        &object,
        "omitted",
        v.omitted
            .iter()
            .map(|o| JsValue::from_str(o))
            .collect::<Array>(),
    );
    set(
        &object,
        "hints",
        v.hints.iter().map(violation).collect::<Array>(),
    );
    if let Some(version) = v.rule_version {
        set(&object, "version", version);
    }
    object
}

/// A history entry: the verdict plus the call's sequence number and payload.
pub fn history_entry(entry: &HistoryEntry) -> Object {
    let object = verdict(&entry.verdict);
    set(&object, "seq", entry.seq as f64);
    set(&object, "payload", to_js(&entry.payload));
    object
}

fn property(p: &PropertySummary) -> Object {
    let object = Object::new();
    set(&object, "name", p.name.as_str());
    set(
        &object,
        "type",
        p.types
            .iter()
            .map(|t| JsValue::from_str(t))
            .collect::<Array>(),
    );
    set(&object, "required", p.required);
    set(
        &object,
        "allowed",
        p.allowed.iter().map(to_js).collect::<Array>(),
    );
    if let Some(d) = &p.description {
        set(&object, "description", d.as_str());
    }
    object
}

/// A rule as the console and tools see it.
pub fn rule(r: &Rule) -> Object {
    let object = Object::new();
    set(&object, "name", r.name.as_str());
    set(&object, "version", r.version);
    if let Some(d) = &r.description {
        set(&object, "description", d.as_str());
    }
    set(
        &object,
        "properties",
        r.properties.iter().map(property).collect::<Array>(),
    );
    object
}
