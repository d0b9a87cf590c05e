//! Every convention with a plan that follows it and one that does not.

use super::rules::*;
use super::*;
use crate::regex::NativeRegex;

/// A Public API plan with one TRACK rule per `(event, properties schema)`.
fn plan(events: &[(&str, &str)]) -> String {
    plan_with(events, "")
}

/// Like [`plan`], with extra top-level members (`, "trackplan": …`).
fn plan_with(events: &[(&str, &str)], extra: &str) -> String {
    let rules: Vec<String> = events
        .iter()
        .map(|(event, props)| {
            format!(
                r#"{{"key":{},"type":"TRACK","jsonSchema":{{"type":"object","properties":{props}}}}}"#,
                json::quote(event)
            )
        })
        .collect();
    format!(r#"{{"name":"t","rules":[{}]{extra}}}"#, rules.join(","))
}

fn report(text: &str) -> Report {
    lint_document(text, &mut NativeRegex::default()).expect("a usable plan")
}

/// The ids of the findings for a plan of these events.
fn rules_of(events: &[(&str, &str)]) -> Vec<&'static str> {
    report(&plan(events))
        .findings
        .iter()
        .map(|f| f.rule)
        .collect()
}

/// Asserts that a plan of these events has no findings.
fn assert_clean(events: &[(&str, &str)]) {
    let findings = report(&plan(events)).findings;
    assert!(findings.is_empty(), "{findings:#?}");
}

/// Asserts that `text` contains `part`, showing `text` when it does not.
fn assert_contains(text: &str, part: &str) {
    assert!(text.contains(part), "{text}");
}

const CALL: &str = r#"{"call_id":{"type":"string"},"episode_id":{"type":"string"}}"#;

#[test]
fn the_default_plan_is_clean() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/plan/default.json")).unwrap();
    let report = report(&text);
    assert_eq!(report.findings, [], "{:#?}", report.findings);
}

#[test]
fn event_names_are_lower_case() {
    assert_clean(&[("call started", CALL)]);
    let r = report(&plan(&[("Call Started", CALL)]));
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
    let f = &r.findings[0];
    assert_eq!(
        (f.rule, f.severity, f.event.as_str()),
        (EVENT_NAME_LOWER_CASE, Severity::Error, "Call Started")
    );
    assert_eq!(f.fix, "rename it `call started`");
    assert_eq!(rules_of(&[("callStarted", CALL)]), [EVENT_NAME_LOWER_CASE]);
}

#[test]
fn event_names_are_words_separated_by_single_spaces() {
    assert_eq!(rules_of(&[("call  started", CALL)]), [EVENT_NAME_SPACING]);
    assert_eq!(rules_of(&[("call_started", CALL)]), [EVENT_NAME_SPACING]);
    let r = report(&plan(&[("call-started ", CALL)]));
    assert_eq!(r.findings[0].fix, "rename it `call started`");
    assert_clean(&[("user signed up", "{}")]);
}

#[test]
fn event_names_are_object_then_action() {
    let r = report(&plan(&[("started call", CALL)]));
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
    assert_eq!(r.findings[0].rule, EVENT_NAME_OBJECT_ACTION);
    assert_eq!(r.findings[0].fix, "rename it `call started`");
    assert_eq!(rules_of(&[("checkout", "{}")]), [EVENT_NAME_OBJECT_ACTION]);
    assert_clean(&[("checkout completed", "{}")]);
}

#[test]
fn actions_are_past_tense_where_it_can_be_told() {
    let r = report(&plan(&[("call start", CALL)]));
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
    let f = &r.findings[0];
    assert_eq!(
        (f.rule, f.severity),
        (EVENT_NAME_PAST_TENSE, Severity::Warning)
    );
    assert_eq!(f.fix, "rename it `call started`");
    assert_clean(&[("video widget", "{}")]); // no verb to tell by
    assert_clean(&[("payment sent", "{}")]);
}

#[test]
fn property_names_are_snake_case() {
    assert_clean(&[("form submitted", r#"{"form_name":{},"step_2":{}}"#)]);
    let r = report(&plan(&[(
        "form submitted",
        r#"{"formName":{},"quality":{"type":"object","properties":{"Rating":{}}}}"#,
    )]));
    let found: Vec<_> = r
        .findings
        .iter()
        .map(|f| (f.rule, f.property.as_str(), f.fix.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                PROPERTY_NAME_SNAKE_CASE,
                "/formName",
                "rename it `form_name`"
            ),
            (
                PROPERTY_NAME_SNAKE_CASE,
                "/quality/Rating",
                "rename it `rating`"
            ),
        ]
    );
}

#[test]
fn channel_id_is_an_error_that_says_episode_id() {
    let r = report(&plan(&[(
        "call started",
        r#"{"call_id":{},"channel_id":{}}"#,
    )]));
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
    let f = &r.findings[0];
    assert_eq!(
        (f.rule, f.severity, f.property.as_str()),
        (PROPERTY_CHANNEL_ID, Severity::Error, "/channel_id")
    );
    assert_contains(&f.fix, "episode_id");
    assert_clean(&[("call started", CALL)]);
}

#[test]
fn user_ids_do_not_belong_in_properties() {
    for name in ["user_id", "userId"] {
        let props = format!(r#"{{{}:{{}}}}"#, json::quote(name));
        assert_eq!(
            rules_of(&[("form submitted", &props)]),
            [PROPERTY_USER_ID],
            "{name}"
        );
    }
    let identify = r#"{"rules":[{"type":"IDENTIFY","jsonSchema":{"properties":{"user_id":{}}}}]}"#;
    assert_eq!(report(identify).findings[0].event, "identify");
    assert_clean(&[("form submitted", r#"{"user_type":{"enum":["patient"]}}"#)]);
}

#[test]
fn events_that_differ_only_by_actor_are_flattened() {
    let r = report(&plan(&[
        ("call ended by patient", CALL),
        ("call ended by practitioner", CALL),
        ("form submitted by patient", "{}"),
    ]));
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
    let f = &r.findings[0];
    assert_eq!(
        (f.rule, f.severity),
        (EVENT_FLATTEN_ACTOR, Severity::Warning)
    );
    assert_eq!(f.event, "call ended by patient");
    assert_eq!(
        f.fix,
        "make them one event `call ended` with a `type` property (`ended_by_patient`, `ended_by_practitioner`)"
    );
    assert_clean(&[(
        "call ended",
        r#"{"call_id":{},"type":{"enum":["ended_by_patient"]}}"#,
    )]);
}

#[test]
fn workflow_events_carry_the_workflow_id() {
    let r = report(&plan(&[
        ("call started", r#"{"episode_id":{}}"#),
        ("questionnaire opened", "{}"),
    ]));
    let found: Vec<_> = r
        .findings
        .iter()
        .map(|f| (f.rule, f.severity, f.event.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (WORKFLOW_ID, Severity::Warning, "call started"),
            (WORKFLOW_ID, Severity::Warning, "questionnaire opened"),
        ]
    );
    assert_contains(&r.findings[1].fix, "qnaire_tid");
    assert_contains(&r.findings[1].fix, "newId('qnaire')");
    assert_clean(&[
        ("call started", CALL),
        ("questionnaire opened", r#"{"qnaire_tid":{}}"#),
    ]);
}

#[test]
fn user_type_is_an_enum_of_user_types() {
    let r = report(&plan(&[(
        "form submitted",
        r#"{"user_type":{"type":"string"}}"#,
    )]));
    assert_eq!(r.findings.len(), 1);
    let f = &r.findings[0];
    assert_eq!(
        (f.rule, f.property.as_str()),
        (USER_TYPE_ENUM, "/user_type")
    );
    assert_contains(&f.fix, r#""patient", "practitioner", "hr_admin", "admin""#);
    assert_clean(&[(
        "form submitted",
        r#"{"user_type":{"enum":["patient","hr_admin"]}}"#,
    )]);
}

#[test]
fn a_plan_silences_a_rule_with_a_reason() {
    let events = [("call start", CALL), ("Form Sent", "{}")];
    let silenced = plan_with(
        &events,
        r#","trackplan":{"lint":{"ignore":[
            {"rule":"event-name-past-tense","event":"call start","reason":"legacy name, kept for dashboards"}]}}"#,
    );
    let r = report(&silenced);
    assert_eq!(r.silenced, 1);
    assert_eq!(
        r.findings.iter().map(|f| f.rule).collect::<Vec<_>>(),
        [EVENT_NAME_LOWER_CASE]
    );
    assert_eq!((r.errors(), r.warnings()), (1, 0));
}

#[test]
fn a_silence_without_a_reason_or_with_an_unknown_rule_is_a_finding() {
    let text = plan_with(
        &[("call start", CALL)],
        r#","trackplan":{"lint":{"ignore":[
            {"rule":"event-name-past-tense","reason":"  "},
            {"rule":"no-such-rule","reason":"x"},
            {"event":"call start","reason":"x"}]}}"#,
    );
    let r = report(&text);
    assert_eq!(r.silenced, 0);
    let found: Vec<_> = r.findings.iter().map(|f| f.rule).collect();
    assert_eq!(
        found,
        [LINT_IGNORE, LINT_IGNORE, LINT_IGNORE, EVENT_NAME_PAST_TENSE]
    );
    assert_contains(&r.findings[0].message, "without a reason");
    assert_contains(&r.findings[1].message, "no-such-rule");
    let not_a_list = plan_with(
        &[("call started", CALL)],
        r#","trackplan":{"lint":{"ignore":{}}}"#,
    );
    assert_eq!(report(&not_a_list).findings[0].rule, LINT_IGNORE);
}

#[test]
fn unusable_plans_are_errors_not_findings() {
    let mut regex = NativeRegex::default();
    assert!(lint_document("{", &mut regex)
        .unwrap_err()
        .message
        .contains("not valid JSON"));
    assert!(lint_document(r#"{"name":"x"}"#, &mut regex).is_err());
}

#[test]
fn findings_read_with_their_rule_event_property_and_fix() {
    let r = report(&plan(&[("form submitted", r#"{"channel_id":{}}"#)]));
    assert_eq!(
        r.findings[0].to_string(),
        "error [property-channel-id] \"form submitted\" at /channel_id: `channel_id` is not how the \
         guide names the episode: always `episode_id`, never `channel_id`; fix: rename it `episode_id`"
    );
}

#[test]
fn every_convention_has_a_unique_id_and_a_summary() {
    for (i, c) in CONVENTIONS.iter().enumerate() {
        assert!(!c.summary.is_empty());
        assert!(
            CONVENTIONS[..i].iter().all(|o| o.id != c.id),
            "{} twice",
            c.id
        );
        assert!(
            c.id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
            "{}",
            c.id
        );
    }
}
