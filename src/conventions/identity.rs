//! identify's userId, as the guide wants it: present, and a stable id rather than an
//! email address (an email is a trait).

use super::rules::{IDENTIFY_WITHOUT_TRACK, USER_ID_EMAIL, USER_ID_MISSING};
use super::Finding;
use crate::prelude::*;
use crate::text::text;

/// What is wrong with the userId given to identify, if anything: a missing or empty id is
/// an error, an email address a warning.
pub fn check_user_id(user_id: Option<&str>) -> Option<Finding> {
    match user_id.map(str::trim) {
        None | Some("") => Some(Finding::new(
            USER_ID_MISSING,
            "identify",
            "",
            "identify has no userId".to_string(),
            "pass the user's id as the first argument: identify(userId, traits)".to_string(),
        )),
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
    use crate::conventions::rules::Severity;

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
}
