//! What a violation does: Segment Protocols' source settings, per environment.

use crate::prelude::*;
use crate::text::{boolean, text, Piece};

/// Where the page runs; each environment sends to its own Segment source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    /// Real users; the production write key.
    Production,
    /// Pre-release deploys.
    Staging,
    /// Developers' machines and previews.
    Development,
    /// Automated tests: nothing is sent, violations throw.
    Test,
}

impl Environment {
    /// Parses the contract's name (`production`, `staging`, `development`, `test`).
    pub fn from_name(name: &str) -> Option<Environment> {
        match name {
            "production" => Some(Environment::Production),
            "staging" => Some(Environment::Staging),
            "development" => Some(Environment::Development),
            "test" => Some(Environment::Test),
            _ => None,
        }
    }

    /// The contract's name of the environment.
    pub fn name(self) -> &'static str {
        match self {
            Environment::Production => "production",
            Environment::Staging => "staging",
            Environment::Development => "development",
            Environment::Test => "test",
        }
    }
}

/// What to do with a call to an event the plan does not have (Protocols:
/// `allowUnplannedEvents`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnplannedEvents {
    /// Send it anyway (the violation is still reported).
    Allow,
    /// Do not send it.
    Block,
}

/// What to do with properties or traits the plan does not declare (Protocols:
/// `allowUnplannedEventProperties`, `allowUnplannedTraits`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnplannedProperties {
    /// Send them (the violation is still reported).
    Allow,
    /// Remove them and send the rest.
    Omit,
}

/// What to do with a call that breaks its schema (Protocols: `commonEventOnViolations`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnViolation {
    /// Send it as it is.
    Allow,
    /// Do not send it.
    Block,
    /// Remove the properties that fail and send the rest.
    OmitProperties,
}

/// How the tracker treats violations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Unplanned events.
    pub unplanned_events: UnplannedEvents,
    /// Unplanned properties and traits.
    pub unplanned_properties: UnplannedProperties,
    /// Schema violations.
    pub violations: OnViolation,
    /// Throw a `TrackingPlanError` synchronously (strict mode for tests).
    pub throw_on_violation: bool,
    /// Send a `Violation Generated` track call per violation.
    pub forward_violations: bool,
}

impl Policy {
    /// The contract's default for `env`: `test` throws; `development` and `staging` block
    /// (and the shim logs loudly); `production` never throws, blocks unplanned and invalid
    /// events, omits unplanned properties and forwards violations.
    pub fn default_for(env: Environment) -> Policy {
        Policy {
            unplanned_events: UnplannedEvents::Block,
            unplanned_properties: UnplannedProperties::Omit,
            violations: OnViolation::Block,
            throw_on_violation: env == Environment::Test,
            forward_violations: env == Environment::Production,
        }
    }

    /// Makes the policy keep the contract's promise for `env` and says what it changed:
    /// production never throws into the page, so a `throwOnViolation: true` override
    /// is ignored there (a set-up error would surface only in production, where the
    /// environment is first resolved, and break the page it must not break).
    pub fn enforce(&mut self, env: Environment) -> Option<&'static str> {
        if env == Environment::Production && self.throw_on_violation {
            self.throw_on_violation = false;
            return Some("policy.throwOnViolation is ignored in production: production never throws; use onViolation to see violations");
        }
        None
    }

    /// Applies one override by the contract's field and value names
    /// (`unplannedEvents: 'allow'`, `throwOnViolation: true`, …).
    pub fn set(&mut self, field: &str, value: PolicyValue) -> Result<(), String> {
        use PolicyValue::{Flag, Word};
        match (field, value) {
            ("unplannedEvents", Word("allow")) => self.unplanned_events = UnplannedEvents::Allow,
            ("unplannedEvents", Word("block")) => self.unplanned_events = UnplannedEvents::Block,
            ("unplannedProperties", Word("allow")) => {
                self.unplanned_properties = UnplannedProperties::Allow
            }
            ("unplannedProperties", Word("omit")) => {
                self.unplanned_properties = UnplannedProperties::Omit
            }
            ("violations", Word("allow")) => self.violations = OnViolation::Allow,
            ("violations", Word("block")) => self.violations = OnViolation::Block,
            ("violations", Word("omit_properties")) => {
                self.violations = OnViolation::OmitProperties
            }
            ("throwOnViolation", Flag(on)) => self.throw_on_violation = on,
            ("forwardViolations", Flag(on)) => self.forward_violations = on,
            (field, value) => {
                return Err(text!(
                    "policy.",
                    field,
                    " cannot be ",
                    value,
                    ": ",
                    match field {
                        "unplannedEvents" => "use 'allow' or 'block'",
                        "unplannedProperties" => "use 'allow' or 'omit'",
                        "violations" => "use 'allow', 'block' or 'omit_properties'",
                        "throwOnViolation" | "forwardViolations" => "use true or false",
                        _ => "the fields are unplannedEvents, unplannedProperties, violations, throwOnViolation and forwardViolations",
                    }
                ))
            }
        }
        Ok(())
    }
}

/// A value given for a policy field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyValue<'a> {
    /// A word such as `allow`.
    Word(&'a str),
    /// A boolean.
    Flag(bool),
}

/// A word quoted, a boolean as it is.
impl Piece for PolicyValue<'_> {
    fn push_to(&self, out: &mut String) {
        match self {
            PolicyValue::Word(w) => out.push_str(&crate::json::quote(w)),
            PolicyValue::Flag(b) => out.push_str(boolean(*b)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_defaults_follow_the_contract() {
        let test = Policy::default_for(Environment::Test);
        assert!(test.throw_on_violation && !test.forward_violations);
        for env in [Environment::Development, Environment::Staging] {
            let p = Policy::default_for(env);
            assert_eq!(p.unplanned_events, UnplannedEvents::Block);
            assert_eq!(p.violations, OnViolation::Block);
            assert!(!p.throw_on_violation && !p.forward_violations);
        }
        let prod = Policy::default_for(Environment::Production);
        assert_eq!(prod.unplanned_events, UnplannedEvents::Block);
        assert_eq!(prod.unplanned_properties, UnplannedProperties::Omit);
        assert_eq!(prod.violations, OnViolation::Block);
        assert!(!prod.throw_on_violation && prod.forward_violations);
    }

    #[test]
    fn every_field_can_be_overridden() {
        let mut p = Policy::default_for(Environment::Production);
        p.set("unplannedEvents", PolicyValue::Word("allow"))
            .unwrap();
        p.set("unplannedProperties", PolicyValue::Word("allow"))
            .unwrap();
        p.set("violations", PolicyValue::Word("omit_properties"))
            .unwrap();
        p.set("throwOnViolation", PolicyValue::Flag(true)).unwrap();
        p.set("forwardViolations", PolicyValue::Flag(false))
            .unwrap();
        assert_eq!(
            p,
            Policy {
                unplanned_events: UnplannedEvents::Allow,
                unplanned_properties: UnplannedProperties::Allow,
                violations: OnViolation::OmitProperties,
                throw_on_violation: true,
                forward_violations: false,
            }
        );
    }

    #[test]
    fn production_never_throws_whatever_the_overrides() {
        let mut prod = Policy::default_for(Environment::Production);
        prod.set("throwOnViolation", PolicyValue::Flag(true))
            .unwrap();
        assert!(prod
            .enforce(Environment::Production)
            .unwrap()
            .contains("never throws"));
        assert!(!prod.throw_on_violation);
        let mut staging = Policy::default_for(Environment::Staging);
        staging
            .set("throwOnViolation", PolicyValue::Flag(true))
            .unwrap();
        assert_eq!(staging.enforce(Environment::Staging), None);
        assert!(staging.throw_on_violation);
    }

    #[test]
    fn bad_overrides_say_what_to_use() {
        let mut p = Policy::default_for(Environment::Test);
        let err = p.set("violations", PolicyValue::Word("drop")).unwrap_err();
        assert!(err.contains("'omit_properties'"), "{err}");
        let err = p.set("strict", PolicyValue::Flag(true)).unwrap_err();
        assert!(err.contains("unplannedEvents"), "{err}");
    }

    #[test]
    fn environment_names_round_trip() {
        for name in ["production", "staging", "development", "test"] {
            assert_eq!(Environment::from_name(name).unwrap().name(), name);
        }
        assert!(Environment::from_name("prod").is_none());
    }
}
