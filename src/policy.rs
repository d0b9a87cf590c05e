//! What a violation does: Segment Protocols' source settings, per environment.

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
    /// The environment of the shim's code: its place in
    /// [`crate::protocol::ENVIRONMENTS`]. The shim checks the name and says what is wrong
    /// with one it does not know; a code it never sends is development, the environment
    /// of anything unknown.
    pub fn from_code(code: u32) -> Environment {
        crate::protocol::ENVIRONMENTS
            .get(code as usize)
            .copied()
            .unwrap_or(Environment::Development)
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

/// A policy field's choices, declared once: the enum, its values in their order across
/// the boundary (`ALL`) and their names in the contract (`NAMES`, which the shim's
/// `protocol.js` is generated from).
macro_rules! choices {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl $name {
            /// The values, in the order of their numbers across the boundary (from 1).
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// Their names in the contract, in the same order.
            pub const NAMES: [&'static str; [$($text),+].len()] = [$($text),+];
        }
    };
}

choices! {
    /// What to do with a call to an event the plan does not have (Protocols:
    /// `allowUnplannedEvents`).
    UnplannedEvents {
        /// Send it anyway (the violation is still reported).
        Allow = "allow",
        /// Do not send it.
        Block = "block",
    }
}

choices! {
    /// What to do with properties or traits the plan does not declare (Protocols:
    /// `allowUnplannedEventProperties`, `allowUnplannedTraits`).
    UnplannedProperties {
        /// Send them (the violation is still reported).
        Allow = "allow",
        /// Remove them and send the rest.
        Omit = "omit",
    }
}

choices! {
    /// What to do with a call that breaks its schema (Protocols: `commonEventOnViolations`).
    OnViolation {
        /// Send it as it is.
        Allow = "allow",
        /// Do not send it.
        Block = "block",
        /// Remove the properties that fail and send the rest.
        OmitProperties = "omit_properties",
    }
}

choices! {
    /// When an identify is sent (the implementation guide: "you only need to call
    /// identify() once per session unless the user updates their profile information",
    /// then "only the changed information needs to be passed"; see [`crate::session`]).
    Identify {
        /// Every identify, as the page makes it.
        Always = "always",
        /// A repeated identify only when something changed, and then only the changed
        /// traits (the userId always): what is left out is listed in the call's record.
        Changed = "changed",
    }
}

/// How the tracker treats violations, and repeated identify calls.
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
    /// Repeated identify calls.
    pub identify: Identify,
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
            identify: Identify::Always,
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

    /// Applies the overrides the shim checked and encoded (`policyCode` in
    /// `js/sdk/core.js`, which says what is wrong with a bad one): two bits per field of
    /// [`crate::protocol::POLICY_FIELDS`], from the lowest. 0 leaves a field as it is; `n`
    /// sets it to its `n`th value in that order.
    pub fn override_by_code(&mut self, code: u32) {
        let field = |index: u32| (code >> (2 * index) & 3) as usize;
        let choice = |index: u32, flag: bool| {
            match field(index) {
                1 => Some(true),
                2 => Some(false),
                _ => None,
            }
            .unwrap_or(flag)
        };
        if let Some(n) = field(0).checked_sub(1) {
            self.unplanned_events = *UnplannedEvents::ALL
                .get(n)
                .unwrap_or(&self.unplanned_events);
        }
        if let Some(n) = field(1).checked_sub(1) {
            self.unplanned_properties = *UnplannedProperties::ALL
                .get(n)
                .unwrap_or(&self.unplanned_properties);
        }
        if let Some(n) = field(2).checked_sub(1) {
            self.violations = *OnViolation::ALL.get(n).unwrap_or(&self.violations);
        }
        self.throw_on_violation = choice(3, self.throw_on_violation);
        self.forward_violations = choice(4, self.forward_violations);
        if let Some(n) = field(5).checked_sub(1) {
            self.identify = *Identify::ALL.get(n).unwrap_or(&self.identify);
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

    /// The override code of `(field index, value number)` pairs, as the shim writes it.
    fn code(overrides: &[(u32, u32)]) -> u32 {
        overrides.iter().map(|(field, n)| n << (2 * field)).sum()
    }

    #[test]
    fn every_field_can_be_overridden() {
        let mut p = Policy::default_for(Environment::Production);
        p.override_by_code(code(&[(0, 1), (1, 1), (2, 3), (3, 1), (4, 2), (5, 2)]));
        assert_eq!(
            p,
            Policy {
                unplanned_events: UnplannedEvents::Allow,
                unplanned_properties: UnplannedProperties::Allow,
                violations: OnViolation::OmitProperties,
                throw_on_violation: true,
                forward_violations: false,
                identify: Identify::Changed,
            }
        );
        p.override_by_code(code(&[(0, 2), (1, 2), (2, 2), (3, 2), (4, 1), (5, 1)]));
        assert_eq!(
            p,
            Policy {
                unplanned_events: UnplannedEvents::Block,
                unplanned_properties: UnplannedProperties::Omit,
                violations: OnViolation::Block,
                throw_on_violation: false,
                forward_violations: true,
                identify: Identify::Always,
            }
        );
        p.override_by_code(code(&[(2, 1)]));
        assert_eq!(p.violations, OnViolation::Allow);
    }

    #[test]
    fn fields_not_in_the_code_keep_the_environments_default() {
        let mut p = Policy::default_for(Environment::Test);
        p.override_by_code(0);
        assert_eq!(p, Policy::default_for(Environment::Test));
        p.override_by_code(code(&[(4, 1)]));
        assert_eq!(
            p,
            Policy {
                forward_violations: true,
                ..Policy::default_for(Environment::Test)
            }
        );
    }

    #[test]
    fn production_never_throws_whatever_the_overrides() {
        let mut prod = Policy::default_for(Environment::Production);
        prod.override_by_code(code(&[(3, 1)]));
        assert!(prod
            .enforce(Environment::Production)
            .unwrap()
            .contains("never throws"));
        assert!(!prod.throw_on_violation);
        let mut staging = Policy::default_for(Environment::Staging);
        staging.override_by_code(code(&[(3, 1)]));
        assert_eq!(staging.enforce(Environment::Staging), None);
        assert!(staging.throw_on_violation);
    }

    #[test]
    fn environment_codes_follow_the_shims_list() {
        for (code, name) in ["production", "staging", "development", "test"]
            .into_iter()
            .enumerate()
        {
            assert_eq!(Environment::from_code(code as u32).name(), name);
        }
        assert_eq!(Environment::from_code(4), Environment::Development);
    }
}
