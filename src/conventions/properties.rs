//! Conventions about properties: snake_case names, `episode_id` not `channel_id`, no
//! user id among properties, `user_type` as an enum of user types.

use super::names;
use super::rules::{
    PROPERTY_CHANNEL_ID, PROPERTY_NAME_SNAKE_CASE, PROPERTY_USER_ID, USER_TYPES, USER_TYPE_ENUM,
};
use super::Finding;
use crate::json::{self, Value};
use crate::plan::Rule;
use crate::prelude::*;
use alloc::format;

/// The property findings of one rule, top-level and nested properties alike.
pub fn check_rule(rule: &Rule, findings: &mut Vec<Finding>) {
    let properties = rule.properties();
    let top = properties.iter().map(|p| {
        let mut pointer = String::new();
        json::push_pointer(&mut pointer, p.name);
        pointer
    });
    for pointer in top.chain(rule.nested_properties().iter().cloned()) {
        check_name(&rule.name, &pointer, findings);
    }
    if let Some(user_type) = properties.iter().find(|p| p.name == "user_type") {
        let is_enum = !user_type.allowed.is_empty()
            && user_type
                .allowed
                .iter()
                .all(|v| matches!(v, Value::String(_)));
        if !is_enum {
            let types: Vec<String> = USER_TYPES.iter().map(|t| format!("\"{t}\"")).collect();
            findings.push(Finding::new(
                USER_TYPE_ENUM,
                &rule.name,
                "/user_type",
                "`user_type` is not an enum of user types".to_string(),
                format!(
                    "give it `\"enum\": [{}]` (the types this event can have)",
                    types.join(", ")
                ),
            ));
        }
    }
}

/// The findings for the name of the property at `pointer` (its last segment).
fn check_name(event: &str, pointer: &str, findings: &mut Vec<Finding>) {
    let name = pointer
        .rsplit('/')
        .next()
        .unwrap_or("")
        .replace("~1", "/")
        .replace("~0", "~");
    let finding = match names::squashed(&name).as_str() {
        "channelid" => Finding::new(
            PROPERTY_CHANNEL_ID,
            event,
            pointer,
            format!("`{name}` is not how the guide names the episode: always `episode_id`, never `channel_id`"),
            "rename it `episode_id`".to_string(),
        ),
        "userid" => Finding::new(
            PROPERTY_USER_ID,
            event,
            pointer,
            format!("`{name}` is the user id, which belongs to the call, not its properties"),
            "remove it: pass the user id to identify (analytics.js sends it with every later call); say who acted with `user_type`".to_string(),
        ),
        _ if !names::is_snake_case(&name) => Finding::new(
            PROPERTY_NAME_SNAKE_CASE,
            event,
            pointer,
            format!("`{name}` is not lower snake_case"),
            format!("rename it `{}`", names::to_snake_case(&name)),
        ),
        _ => return,
    };
    findings.push(finding);
}
