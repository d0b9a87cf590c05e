//! What the page's session knows of its user, for the implementation guide's identify
//! rules: "you only need to call identify() once per session unless the user updates
//! their profile information", and then "only the changed information needs to be
//! passed".
//!
//! The session is the tracker's life: the page's, from load to unload, across the
//! client-side navigations of a single-page app (analytics-next has no session of its
//! own to follow). It ends early when an identify names another userId, or on `reset`.

use crate::json::{Map, Value};
use crate::prelude::*;

/// The userId the session's identify calls sent, and every trait sent for it since, each
/// with its latest value.
#[derive(Debug, Default)]
pub struct Session {
    user: Option<(String, Map)>,
}

/// How an identify compares with what the session sent before for the same userId.
#[derive(Debug, Clone, PartialEq)]
pub struct Repeat {
    /// The traits it gives with the value the session already sent, in its order.
    pub unchanged: Vec<String>,
    /// Whether it says nothing new: every trait it gives is unchanged (or it gives none).
    pub nothing_new: bool,
}

impl Session {
    /// How an identify of `user_id` with `traits` repeats what the session sent; `None`
    /// when the session has sent nothing for that userId (the first identify, or another
    /// user).
    pub fn repeat(&self, user_id: &str, traits: &Value) -> Option<Repeat> {
        let (_, sent) = self.user.as_ref().filter(|(id, _)| id == user_id)?;
        let mut repeat = Repeat {
            unchanged: Vec::new(),
            nothing_new: true,
        };
        for (name, value) in members(traits) {
            if sent.get(name).is_some_and(|old| old.json_eq(value)) {
                repeat.unchanged.push(name.to_string());
            } else {
                repeat.nothing_new = false;
            }
        }
        Some(repeat)
    }

    /// Remembers an identify the page sent: `user_id` with `traits`, less the names in
    /// `left_out` (what the policy kept from analytics.js). Another userId than the
    /// session's starts a new session.
    pub fn remember(&mut self, user_id: &str, traits: &Value, left_out: &[String]) {
        let (_, sent) = match &mut self.user {
            Some(user) if user.0 == user_id => user,
            user => user.insert((user_id.to_string(), Map::new())),
        };
        for (name, value) in members(traits) {
            if !left_out.iter().any(|n| n == name) {
                sent.insert(name.to_string(), value.clone());
            }
        }
    }

    /// Ends the session: the next identify is a first one.
    pub fn reset(&mut self) {
        self.user = None;
    }
}

/// The members of `traits`; none when it is not an object (a call the core refused).
fn members(traits: &Value) -> &[(String, Value)] {
    match traits {
        Value::Object(map) => map.members(),
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    fn traits(text: &str) -> Value {
        parse(text).unwrap()
    }

    fn repeat(unchanged: &[&str], nothing_new: bool) -> Option<Repeat> {
        Some(Repeat {
            unchanged: unchanged.iter().map(|n| n.to_string()).collect(),
            nothing_new,
        })
    }

    #[test]
    fn a_first_identify_repeats_nothing() {
        let session = Session::default();
        assert_eq!(session.repeat("u1", &traits("{}")), None);
    }

    #[test]
    fn the_same_user_and_traits_say_nothing_new() {
        let mut session = Session::default();
        session.remember("u1", &traits(r#"{"plan":"pro","seats":2}"#), &[]);
        assert_eq!(
            session.repeat("u1", &traits(r#"{"seats":2.0,"plan":"pro"}"#)),
            repeat(&["seats", "plan"], true),
            "numbers compare by value, members in any order"
        );
        assert_eq!(session.repeat("u1", &traits("{}")), repeat(&[], true));
    }

    #[test]
    fn a_changed_or_new_trait_is_news_and_the_rest_unchanged() {
        let mut session = Session::default();
        session.remember("u1", &traits(r#"{"plan":"pro","tags":["a"]}"#), &[]);
        assert_eq!(
            session.repeat("u1", &traits(r#"{"plan":"team","tags":["a"]}"#)),
            repeat(&["tags"], false)
        );
        assert_eq!(
            session.repeat("u1", &traits(r#"{"email":"a@b.c","plan":"pro"}"#)),
            repeat(&["plan"], false)
        );
    }

    #[test]
    fn traits_sent_later_add_to_the_session_and_the_latest_value_counts() {
        let mut session = Session::default();
        session.remember("u1", &traits(r#"{"plan":"pro"}"#), &[]);
        session.remember("u1", &traits(r#"{"email":"a@b.c","plan":"team"}"#), &[]);
        assert_eq!(
            session.repeat("u1", &traits(r#"{"plan":"team","email":"a@b.c"}"#)),
            repeat(&["plan", "email"], true)
        );
        assert_eq!(
            session.repeat("u1", &traits(r#"{"plan":"pro"}"#)),
            repeat(&[], false)
        );
    }

    #[test]
    fn what_was_left_out_was_not_sent() {
        let mut session = Session::default();
        session.remember(
            "u1",
            &traits(r#"{"plan":"pro","age":"x"}"#),
            &["age".into()],
        );
        assert_eq!(
            session.repeat("u1", &traits(r#"{"plan":"pro","age":"x"}"#)),
            repeat(&["plan"], false)
        );
    }

    #[test]
    fn another_user_or_a_reset_starts_a_new_session() {
        let mut session = Session::default();
        session.remember("u1", &traits(r#"{"plan":"pro"}"#), &[]);
        assert_eq!(session.repeat("u2", &traits(r#"{"plan":"pro"}"#)), None);
        session.remember("u2", &traits("{}"), &[]);
        assert_eq!(
            session.repeat("u1", &traits(r#"{"plan":"pro"}"#)),
            None,
            "u2 replaced u1"
        );
        assert_eq!(
            session.repeat("u2", &traits(r#"{"plan":"pro"}"#)),
            repeat(&[], false)
        );
        session.reset();
        assert_eq!(session.repeat("u2", &traits("{}")), None);
    }
}
