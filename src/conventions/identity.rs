//! identify's userId, as the guide wants it: present, and a stable id rather than an
//! email address (an email is a trait).

use super::rules::{
    IDENTIFY_REPEATED, IDENTIFY_UNCHANGED_TRAITS, IDENTIFY_WITHOUT_TRACK, USER_ID_EMAIL,
    USER_ID_MISSING,
};
use super::Finding;
use crate::prelude::*;
use crate::session::Repeat;
use crate::text::text;
use crate::violation::Violation;

/// The violation of a missing or empty userId, if it is: what every core finds in an
/// identify call, the production core without the advice on an email as userId (see
/// [`email_as_user_id`]). An id of white space only is empty (found without `trim` or
/// `chars`, whose code is larger in wasm).
pub fn missing_user_id(user_id: Option<&str>) -> Option<Violation> {
    user_id
        .is_none_or(crate::text::is_blank)
        .then(|| Violation {
            kind: USER_ID_MISSING,
            path: String::new(),
            schema_path: String::new(),
            message: MISSING_USER_ID.to_string(),
        })
}

/// The message of [`missing_user_id`]'s violation: what is wrong, then the fix.
const MISSING_USER_ID: &str =
    "identify has no userId: pass the user's id as the first argument: identify(userId, traits)";

/// The advice on a userId that is an email address (an email is a trait), if it is one.
pub fn email_as_user_id(user_id: Option<&str>) -> Option<Finding> {
    let id = user_id?.trim();
    looks_like_email(id).then(|| {
        Finding::new(
            USER_ID_EMAIL,
            "identify",
            "",
            text!("the userId `", id, "` is an email address"),
            "use the user's stable id as userId and send the email as the `email` trait"
                .to_string(),
        )
    })
}

/// The hint for an identify that no track followed within the same task.
pub fn identify_without_track() -> Finding {
    Finding::new(
        IDENTIFY_WITHOUT_TRACK,
        "identify",
        "",
        "identify was not followed by a track in the same task".to_string(),
        "track the event that caused it right after (`user signed up`, `user logged in`, …)"
            .to_string(),
    )
}

/// The hint for an identify that repeats what the session sent for `user_id` (see
/// [`crate::session`]): all of it (`identify-repeated`), or some traits with the value
/// they already had (`identify-unchanged-traits`, naming them); `None` when it repeats
/// nothing.
pub fn identify_again(user_id: &str, repeat: &Repeat) -> Option<Finding> {
    if repeat.nothing_new {
        return Some(Finding::new(
            IDENTIFY_REPEATED,
            "identify",
            "",
            text!(
                "identify repeats userId `",
                user_id,
                "` and its traits within this session"
            ),
            "call identify once per session, and again only when the profile changes \
             (or set the policy `identify: 'changed'`)"
                .to_string(),
        ));
    }
    let names: Vec<String> = repeat
        .unchanged
        .iter()
        .map(|n| text!("`", n, "`"))
        .collect();
    (!names.is_empty()).then(|| {
        Finding::new(
            IDENTIFY_UNCHANGED_TRAITS,
            "identify",
            "",
            text!("identify resends unchanged traits: ", names.join(", ")),
            "pass the userId and only the traits that changed (or set the policy \
             `identify: 'changed'`)"
                .to_string(),
        )
    })
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
    use crate::conventions::rules::{convention, Severity};

    #[test]
    fn user_ids_are_present_and_not_emails() {
        let missing = missing_user_id(None).unwrap();
        assert_eq!(missing.kind, USER_ID_MISSING);
        assert_eq!(
            missing.message,
            "identify has no userId: pass the user's id as the first argument: identify(userId, traits)"
        );
        assert!(missing_user_id(Some("  ")).is_some());
        assert!(missing_user_id(Some("ada@example.com")).is_none());
        let email = email_as_user_id(Some("ada@example.com")).unwrap();
        assert_eq!(
            (email.rule, email.severity),
            (USER_ID_EMAIL, Severity::Warning)
        );
        assert!(email_as_user_id(None).is_none());
        assert!(email_as_user_id(Some("user_8f3a")).is_none());
        assert!(
            email_as_user_id(Some("team@home")).is_none(),
            "no domain: not an email"
        );
    }

    #[test]
    fn a_missing_user_id_is_an_error_of_the_tables() {
        assert_eq!(
            convention(USER_ID_MISSING).unwrap().severity,
            Severity::Error
        );
    }

    #[test]
    fn a_repeat_is_told_all_of_it_or_the_traits_unchanged() {
        let repeat = |unchanged: &[&str], nothing_new| Repeat {
            unchanged: unchanged.iter().map(|n| n.to_string()).collect(),
            nothing_new,
        };
        let all = identify_again("u1", &repeat(&["plan"], true)).unwrap();
        assert_eq!(
            (all.rule, all.severity),
            (IDENTIFY_REPEATED, Severity::Warning)
        );
        assert!(all.message.contains("`u1`"), "{}", all.message);
        let some = identify_again("u1", &repeat(&["plan", "name"], false)).unwrap();
        assert_eq!(
            (some.rule, some.severity),
            (IDENTIFY_UNCHANGED_TRAITS, Severity::Warning)
        );
        assert_eq!(
            some.message,
            "identify resends unchanged traits: `plan`, `name`"
        );
        assert_eq!(identify_again("u1", &repeat(&[], false)), None);
    }

    #[test]
    fn an_id_of_white_space_only_is_missing() {
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
