//! Conventions about events: names, workflow ids, flattening events that differ only by
//! who did them.

use super::names::{self, Shape};
use super::rules::{
    EVENT_FLATTEN_ACTOR, EVENT_NAME_LOWER_CASE, EVENT_NAME_OBJECT_ACTION, EVENT_NAME_PAST_TENSE,
    EVENT_NAME_SPACING, WORKFLOW_ID, WORKFLOW_IDS,
};
use super::Finding;
use crate::plan::{Plan, Rule, RuleKind};
use crate::prelude::*;
use crate::text::text;
use alloc::format;

/// The event-level findings of one rule: its name and its workflow id (track rules only).
pub fn check_rule(rule: &Rule, findings: &mut Vec<Finding>) {
    if rule.kind != RuleKind::Track {
        return;
    }
    check_name(&rule.name, findings);
    check_workflow_id(rule, findings);
}

/// Case, spacing, object-action order and tense of an event name.
pub fn check_name(name: &str, findings: &mut Vec<Finding>) {
    let suggested = names::suggested_event_name(name);
    let rename = || {
        if suggested.is_empty() {
            "give it a name of words: the object, then the action, e.g. `call started`".to_string()
        } else {
            text!("rename it `", suggested, "`")
        }
    };
    let mut add =
        |rule, message: String| findings.push(Finding::new(rule, name, "", message, rename()));
    let lower = name.to_ascii_lowercase();
    if lower != name {
        add(
            EVENT_NAME_LOWER_CASE,
            text!("`", name, "` has capitals; event names are all lower case"),
        );
    }
    let spaced = !lower.is_empty()
        && lower
            .split(' ')
            .all(|w| !w.is_empty() && w.chars().all(names::is_word_char));
    if !spaced {
        add(
            EVENT_NAME_SPACING,
            text!("`", name, "` is not words separated by single spaces"),
        );
    }
    let words = names::words(name);
    match names::shape(&words) {
        Shape::OneWord => add(
            EVENT_NAME_OBJECT_ACTION,
            text!("`", name, "` is not an object and an action"),
        ),
        Shape::ActionFirst(_) => add(
            EVENT_NAME_OBJECT_ACTION,
            text!("`", name, "` puts the action before the object"),
        ),
        Shape::WrongTense(i, _) => add(
            EVENT_NAME_PAST_TENSE,
            text!(
                "the action `",
                words[i],
                "` of `",
                name,
                "` is not in the past tense"
            ),
        ),
        Shape::ObjectAction(_) | Shape::Unknown => {}
    }
}

/// Events about a workflow (`call …`, `questionnaire …`) carry the workflow's id.
fn check_workflow_id(rule: &Rule, findings: &mut Vec<Finding>) {
    let words = names::words(&rule.name);
    let Some(object) = words.first() else {
        return;
    };
    for (workflow, id, prefix) in WORKFLOW_IDS {
        if object == workflow && !rule.declares(id) {
            findings.push(Finding::new(
                WORKFLOW_ID,
                &rule.name,
                "",
                format!(
                    "`{}` is about a {workflow} but has no `{id}` to join its events on",
                    rule.name
                ),
                format!(
                    "add a required string property `{id}`, made with tracker.newId('{prefix}')"
                ),
            ));
        }
    }
}

/// Events that differ only by who did it (`call ended by patient`, `call ended by
/// practitioner`) are one event with a `type` property (`ended_by_patient`, …).
pub fn check_flattening(plan: &Plan, findings: &mut Vec<Finding>) {
    // (event name, words before "by", the type value it would have)
    let mut by_actor: Vec<(&str, String, String)> = Vec::new();
    for rule in plan.rules().filter(|r| r.kind == RuleKind::Track) {
        if by_actor.iter().any(|(name, _, _)| *name == rule.name) {
            continue; // another version of the same event
        }
        let words = names::words(&rule.name);
        let Some(by) = words.iter().skip(2).position(|w| w == "by").map(|p| p + 2) else {
            continue;
        };
        if by + 1 >= words.len() {
            continue;
        }
        let action_start = match names::shape(&words[..by]) {
            Shape::ObjectAction(i) => i,
            _ => by - 1,
        };
        by_actor.push((
            rule.name.as_str(),
            words[..by].join(" "),
            words[action_start..].join("_"),
        ));
    }
    let mut reported: Vec<&str> = Vec::new();
    for (name, base, _) in &by_actor {
        if reported.contains(&base.as_str()) {
            continue;
        }
        let group: Vec<&(&str, String, String)> =
            by_actor.iter().filter(|(_, b, _)| b == base).collect();
        if group.len() < 2 {
            continue;
        }
        reported.push(base);
        let events: Vec<String> = group.iter().map(|(n, _, _)| format!("`{n}`")).collect();
        let types: Vec<String> = group.iter().map(|(_, _, t)| format!("`{t}`")).collect();
        findings.push(Finding::new(
            EVENT_FLATTEN_ACTOR,
            name,
            "",
            format!("{} differ only by who did it", events.join(", ")),
            format!(
                "make them one event `{base}` with a `type` property ({})",
                types.join(", ")
            ),
        ));
    }
}
