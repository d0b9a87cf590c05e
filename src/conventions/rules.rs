//! The guide's conventions as data: every rule the lint knows, with its id, severity and
//! what it asks for. Checks refer to rules by id; a plan silences a rule by id.

use core::fmt;

/// How bad a finding is: errors fail the lint (exit code 1) and the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    feature = "full",
    derive(serde::Serialize),
    serde(rename_all = "lowercase")
)]
pub enum Severity {
    /// Breaks the guide: fix it, or silence it with a reason.
    Error,
    /// Probably against the guide: worth a look.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One convention of the tracking guide.
#[derive(Debug, PartialEq, Eq)]
pub struct Convention {
    /// Stable id, used in findings and in a plan's silences.
    pub id: &'static str,
    /// How bad breaking it is.
    pub severity: Severity,
    /// What the convention asks for, in one line.
    pub summary: &'static str,
}

/// Event names are all lower case.
pub const EVENT_NAME_LOWER_CASE: &str = "event-name-lower-case";
/// Event names are words of letters and digits separated by single spaces.
pub const EVENT_NAME_SPACING: &str = "event-name-spacing";
/// Event names are an object then the action performed on it.
pub const EVENT_NAME_OBJECT_ACTION: &str = "event-name-object-action";
/// The action is a past-tense verb.
pub const EVENT_NAME_PAST_TENSE: &str = "event-name-past-tense";
/// Property names are lower snake_case.
pub const PROPERTY_NAME_SNAKE_CASE: &str = "property-name-snake-case";
/// The episode is `episode_id`, never `channel_id`.
pub const PROPERTY_CHANNEL_ID: &str = "property-channel-id";
/// The user id is identify's (or the call's) userId, not a property.
pub const PROPERTY_USER_ID: &str = "property-user-id";
/// Events that differ only by who did it are one event with a `type`.
pub const EVENT_FLATTEN_ACTOR: &str = "event-flatten-actor";
/// Events about a workflow carry its id.
pub const WORKFLOW_ID: &str = "workflow-id";
/// `user_type` is an enum of user types.
pub const USER_TYPE_ENUM: &str = "user-type-enum";
/// A plan's silence names a known rule and gives a reason.
pub const LINT_IGNORE: &str = "lint-ignore";
/// identify has a userId.
pub const USER_ID_MISSING: &str = "user-id-missing";
/// The userId is an id, not an email address.
pub const USER_ID_EMAIL: &str = "user-id-email";
/// identify is followed by the event that caused it.
pub const IDENTIFY_WITHOUT_TRACK: &str = "identify-without-track";
/// identify is called once per session, and again only when the profile changes.
pub const IDENTIFY_REPEATED: &str = "identify-repeated";
/// A profile update passes only the traits that changed.
pub const IDENTIFY_UNCHANGED_TRAITS: &str = "identify-unchanged-traits";

/// Every convention, plan lint first, then the ones checked at run time.
pub const CONVENTIONS: &[Convention] = &[
    Convention {
        id: EVENT_NAME_LOWER_CASE,
        severity: Severity::Error,
        summary: "event names are all lower case: `call started`",
    },
    Convention {
        id: EVENT_NAME_SPACING,
        severity: Severity::Error,
        summary:
            "event names are words separated by single spaces: `call started`, not `call_started`",
    },
    Convention {
        id: EVENT_NAME_OBJECT_ACTION,
        severity: Severity::Error,
        summary: "event names are the object, then the action: `call started`, not `started call`",
    },
    Convention {
        id: EVENT_NAME_PAST_TENSE,
        severity: Severity::Warning,
        summary: "the action is a past-tense verb: `call started`, not `call start`",
    },
    Convention {
        id: PROPERTY_NAME_SNAKE_CASE,
        severity: Severity::Error,
        summary: "property names are lower snake_case: `call_type`",
    },
    Convention {
        id: PROPERTY_CHANNEL_ID,
        severity: Severity::Error,
        summary: "the episode is `episode_id`, never `channel_id`",
    },
    Convention {
        id: PROPERTY_USER_ID,
        severity: Severity::Error,
        summary: "the user id is the call's userId, not a property",
    },
    Convention {
        id: EVENT_FLATTEN_ACTOR,
        severity: Severity::Warning,
        summary: "events that differ only by who did it are one event with a `type` property",
    },
    Convention {
        id: WORKFLOW_ID,
        severity: Severity::Warning,
        summary: "events about a workflow carry its id (`call_id`, `qnaire_tid`)",
    },
    Convention {
        id: USER_TYPE_ENUM,
        severity: Severity::Error,
        summary: "`user_type` is an enum of user types (patient, practitioner, hr_admin, admin, …)",
    },
    Convention {
        id: LINT_IGNORE,
        severity: Severity::Error,
        summary: "a silenced rule is named by a known id and comes with a reason",
    },
    Convention {
        id: USER_ID_MISSING,
        severity: Severity::Error,
        summary: "identify has a userId",
    },
    Convention {
        id: USER_ID_EMAIL,
        severity: Severity::Warning,
        summary: "the userId is a stable id, not an email address",
    },
    Convention {
        id: IDENTIFY_WITHOUT_TRACK,
        severity: Severity::Warning,
        summary: "identify is followed by the event that caused it",
    },
    Convention {
        id: IDENTIFY_REPEATED,
        severity: Severity::Warning,
        summary: "identify is called once per session, and again only when the profile changes",
    },
    Convention {
        id: IDENTIFY_UNCHANGED_TRAITS,
        severity: Severity::Warning,
        summary: "a profile update passes only the traits that changed",
    },
];

/// The convention with id `id`.
pub fn convention(id: &str) -> Option<&'static Convention> {
    CONVENTIONS.iter().find(|c| c.id == id)
}

/// User types the guide names, offered when `user_type` has no enum.
pub const USER_TYPES: &[&str] = &["patient", "practitioner", "hr_admin", "admin"];

/// Workflows and their ids: an event whose object is the first word carries the second.
pub const WORKFLOW_IDS: &[(&str, &str, &str)] = &[
    // (object, id property, newId prefix)
    ("call", "call_id", "call"),
    ("questionnaire", "qnaire_tid", "qnaire"),
    ("qnaire", "qnaire_tid", "qnaire"),
];
