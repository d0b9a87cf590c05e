//! identify's userId, as the guide wants it: present, and a stable id rather than an
//! email address (an email is a trait).

use super::rules::{
    Severity, IDENTIFY_REPEATED, IDENTIFY_UNCHANGED_TRAITS, IDENTIFY_WITHOUT_TRACK, USER_ID_EMAIL,
    USER_ID_MISSING,
};
use super::Finding;
use crate::prelude::*;
use crate::session::Repeat;
use crate::text::text;

/// What is wrong with the userId given to identify, if anything: a missing or empty id is
/// an error, an email address a warning.
pub fn check_user_id(user_id: Option<&str>) -> Option<Finding> {
    match user_id.map(str::trim) {
        None | Some("") => missing_user_id(None),
        Some(id) if looks_like_email(id) => Some(Finding::new(
            USER_ID_EMAIL,
            "identify",
            "",
            text!("the userId `", id, "` is an email address"),
            "use the user's stable id as userId and send the email as the `email` trait"
                .to_string(),
        )),
        Some(_) => None,
    }
}

/// The error of a missing or empty userId, if it is: [`check_user_id`] without the
/// advice (the email check), as the production core checks identify. An id of white
/// space only is empty (found without `trim` or `chars`, whose code is larger in wasm).
pub fn missing_user_id(user_id: Option<&str>) -> Option<Finding> {
    let empty = user_id.is_none_or(crate::text::is_blank);
    empty.then(|| {
        identify_finding(
            USER_ID_MISSING,
            Severity::Error,
            "identify has no userId",
            "pass the user's id as the first argument: identify(userId, traits)",
        )
    })
}

/// The hint for an identify that no track followed within the same task.
pub fn identify_without_track() -> Finding {
    identify_finding(
        IDENTIFY_WITHOUT_TRACK,
        Severity::Warning,
        "identify was not followed by a track in the same task",
        "track the event that caused it right after (`user signed up`, `user logged in`, …)",
    )
}

/// The hint for an identify that repeats what the session sent for `user_id` (see
/// [`crate::session`]): all of it (`identify-repeated`), or some traits with the value
/// they already had (`identify-unchanged-traits`, naming them); `None` when it repeats
/// nothing.
pub fn identify_again(user_id: &str, repeat: &Repeat) -> Option<Finding> {
    if repeat.nothing_new {
        return Some(identify_finding(
            IDENTIFY_REPEATED,
            Severity::Warning,
            &text!(
                "identify repeats userId `",
                user_id,
                "` and its traits within this session"
            ),
            "call identify once per session, and again only when the profile changes \
             (or set the policy `identify: 'changed'`)",
        ));
    }
    let names: Vec<String> = repeat
        .unchanged
        .iter()
        .map(|n| text!("`", n, "`"))
        .collect();
    (!names.is_empty()).then(|| {
        identify_finding(
            IDENTIFY_UNCHANGED_TRAITS,
            Severity::Warning,
            &text!("identify resends unchanged traits: ", names.join(", ")),
            "pass the userId and only the traits that changed (or set the policy \
             `identify: 'changed'`)",
        )
    })
}

/// A finding on identify whose severity is written here (the one of `rule` in
/// [`super::rules::CONVENTIONS`], as a test checks) rather than looked up in the table:
/// these are the only findings the production core makes, which then leaves the table
/// out (see [`crate::tracker::ADVICE`]).
fn identify_finding(rule: &'static str, severity: Severity, message: &str, fix: &str) -> Finding {
    Finding {
        rule,
        severity,
        event: "identify".to_string(),
        property: String::new(),
        message: message.to_string(),
        fix: fix.to_string(),
    }
}

/// Whether `text` has the shape `local@domain.tld`.
fn looks_like_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !text.contains(char::is_whitespace)
        && domain.split('.').count() >= 2
        && domain.split('.').all(|part| !part.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_ids_are_present_and_not_emails() {
        assert_eq!(check_user_id(None).unwrap().rule, USER_ID_MISSING);
        assert_eq!(check_user_id(Some("  ")).unwrap().severity, Severity::Error);
        let email = check_user_id(Some("ada@example.com")).unwrap();
        assert_eq!(
            (email.rule, email.severity),
            (USER_ID_EMAIL, Severity::Warning)
        );
        assert!(check_user_id(Some("user_8f3a")).is_none());
        assert!(
            check_user_id(Some("team@home")).is_none(),
            "no domain: not an email"
        );
    }

    #[test]
    fn severities_written_here_are_the_tables() {
        let repeat = |unchanged: &[&str], nothing_new| Repeat {
            unchanged: unchanged.iter().map(|n| n.to_string()).collect(),
            nothing_new,
        };
        let again = [
            identify_again("u1", &repeat(&["plan"], true)).unwrap(),
            identify_again("u1", &repeat(&["plan"], false)).unwrap(),
        ];
        assert_eq!(
            (again[0].rule, again[1].rule),
            (IDENTIFY_REPEATED, IDENTIFY_UNCHANGED_TRAITS)
        );
        assert_eq!(identify_again("u1", &repeat(&[], false)), None);
        for finding in [missing_user_id(None).unwrap(), identify_without_track()]
            .into_iter()
            .chain(again)
        {
            let rule = crate::conventions::rules::convention(finding.rule).unwrap();
            assert_eq!(finding.severity, rule.severity, "{}", finding.rule);
            assert_eq!(
                finding,
                Finding::new(
                    finding.rule,
                    "identify",
                    "",
                    finding.message.clone(),
                    finding.fix.clone()
                )
            );
        }
    }

    #[test]
    fn a_missing_user_id_is_found_without_the_email_advice() {
        assert_eq!(missing_user_id(None), check_user_id(None));
        assert_eq!(missing_user_id(Some(" ")), check_user_id(Some(" ")));
        assert!(missing_user_id(Some("ada@example.com")).is_none());
        assert!(missing_user_id(Some("user_8f3a")).is_none());
        for id in [
            "",
            " ",
            "\t\n",
            "\u{a0}\u{2003}\u{3000}",
            " x ",
            "\u{200b}",
            "\u{feff}",
        ] {
            assert_eq!(
                missing_user_id(Some(id)).is_some(),
                id.trim().is_empty(),
                "{id:?}"
            );
        }
    }
}
