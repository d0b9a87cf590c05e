//! Reading names the way the guide writes them: words, lower snake_case, past tenses.

use crate::prelude::*;
use crate::text::{join, text};

/// Past tenses that do not end in `-ed`, separated by spaces (one string keeps a table of
/// pointers out of the wasm).
const IRREGULAR_PAST: &str =
    "began begun bought brought built chosen done found given got held hidden kept \
left lost made met paid put ran read run said seen sent set shown sold spent \
taken told won written";

/// Verbs in their base form, each followed by its past tense, all separated by spaces: an
/// action word found here is in the wrong tense.
const PRESENT_TO_PAST: &str =
    "accept accepted add added answer answered approve approved begin began \
book booked buy bought cancel cancelled change changed click clicked \
close closed complete completed connect connected create created \
decline declined delete deleted download downloaded edit edited end ended \
enter entered exit exited fail failed finish finished invite invited \
join joined leave left load loaded log logged open opened pause paused pay paid \
play played receive received reject rejected remove removed request requested \
reset reset save saved schedule scheduled search searched select selected \
send sent share shared show shown sign signed start started stop stopped \
submit submitted tap tapped update updated upload uploaded view viewed";

/// Words that belong to the verb before them (`signed up`, `logged in`), separated by
/// spaces.
const PARTICLES: &str = "up in out off on down";

/// Whether `c` belongs in a word: an ASCII letter or digit, or any non-ASCII character
/// (names are judged by ASCII rules, which keeps Unicode's tables out of the wasm).
pub fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || !c.is_ascii()
}

/// The words of a name, lower case: split at spaces, `_`, `-`, `.` and camelCase humps.
pub fn words(name: &str) -> Vec<String> {
    // Each word is a run of the name's bytes: cut at the bytes of ASCII separators and
    // before humps, which are all character boundaries.
    let mut out: Vec<String> = Vec::new();
    let (mut start, mut previous_lower) = (0, false);
    for i in 0..=name.len() {
        let c = name.as_bytes().get(i).copied().unwrap_or(b' ');
        let in_word = c.is_ascii_alphanumeric() || !c.is_ascii();
        if !in_word || c.is_ascii_uppercase() && previous_lower {
            if let Some(word) = name.get(start..i).filter(|w| !w.is_empty()) {
                out.push(word.to_ascii_lowercase());
            }
            start = if in_word { i } else { i + 1 };
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
    }
    out
}

/// Whether `name` is lower snake_case: `a-z` and digits in words joined by single `_`,
/// starting with a letter.
pub fn is_snake_case(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.split('_').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// `name` in lower snake_case (`callType` → `call_type`).
pub fn to_snake_case(name: &str) -> String {
    join(&words(name), "_")
}

/// A name's letters and digits, lower case: `user_id`, `userId` and `UserID` are alike.
pub fn squashed(name: &str) -> String {
    name.chars()
        .filter(|c| is_word_char(*c))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Whether `word` reads as a past-tense verb.
pub fn is_past(word: &str) -> bool {
    (word.len() > 3 && word.ends_with("ed")) || IRREGULAR_PAST.split(' ').any(|past| past == word)
}

/// The past tense of an action word in the wrong tense (`start`, `starting`), when it can
/// be told.
pub fn past_of(word: &str) -> Option<String> {
    let base = word
        .strip_suffix("ing")
        .filter(|b| b.len() > 2)
        .unwrap_or(word);
    let mut table = PRESENT_TO_PAST.split(' ');
    core::iter::from_fn(|| Some((table.next()?, table.next()?)))
        .find(|(present, _)| {
            *present == base || (base != word && present.strip_suffix('e') == Some(base))
        })
        .map(|(_, past)| past.to_string())
        .or_else(|| (base != word).then(|| text!(base, "ed")))
}

/// How an event name's words split into object and action.
#[derive(Debug, PartialEq, Eq)]
pub enum Shape {
    /// Object words, then a past-tense action at this index.
    ObjectAction(usize),
    /// The action comes first, in this many words (the verb, and its particle if any), and
    /// the object after it.
    ActionFirst(usize),
    /// The action is in the wrong tense: the word's index and its past tense.
    WrongTense(usize, String),
    /// A single word: no object or no action.
    OneWord,
    /// Nothing tells which word is the action.
    Unknown,
}

/// Reads the object and action of an event name's words.
pub fn shape(words: &[String]) -> Shape {
    if words.len() < 2 {
        return Shape::OneWord;
    }
    if let Some(i) = (1..words.len()).find(|&i| is_past(&words[i])) {
        return Shape::ObjectAction(i);
    }
    if is_past(&words[0]) {
        let verb_len = if PARTICLES.split(' ').any(|p| p == words[1]) {
            2
        } else {
            1
        };
        if verb_len < words.len() {
            return Shape::ActionFirst(verb_len);
        }
    }
    match (1..words.len()).find_map(|i| past_of(&words[i]).map(|p| (i, p))) {
        Some((i, past)) => Shape::WrongTense(i, past),
        None => Shape::Unknown,
    }
}

/// The name the guide would give an event: lower-case words, single spaces, object first.
pub fn suggested_event_name(name: &str) -> String {
    let words = words(name);
    match shape(&words) {
        Shape::ActionFirst(verb_len) => {
            let (action, object) = words.split_at(verb_len);
            let mut reordered = join(object, " ");
            reordered.push(' ');
            reordered.push_str(&join(action, " "));
            reordered
        }
        Shape::WrongTense(i, past) => {
            let mut fixed = words;
            fixed[i] = past;
            join(&fixed, " ")
        }
        _ => join(&words, " "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_at_separators_and_humps() {
        assert_eq!(words("callStarted"), ["call", "started"]);
        assert_eq!(words("Call_Started-now"), ["call", "started", "now"]);
        assert_eq!(words("  call   started "), ["call", "started"]);
        assert_eq!(to_snake_case("episodeID"), "episode_id");
    }

    #[test]
    fn words_are_cut_as_a_loop_over_chars_cut_them() {
        let by_chars = |name: &str| {
            let mut out: Vec<String> = Vec::new();
            let mut current = String::new();
            let mut previous_lower = false;
            for c in name.chars() {
                if !is_word_char(c) {
                    previous_lower = false;
                    if !current.is_empty() {
                        out.push(core::mem::take(&mut current));
                    }
                    continue;
                }
                if c.is_ascii_uppercase() && previous_lower && !current.is_empty() {
                    out.push(core::mem::take(&mut current));
                }
                previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
                current.push(c.to_ascii_lowercase());
            }
            if !current.is_empty() {
                out.push(current);
            }
            out
        };
        for name in [
            "",
            " ",
            "callStarted",
            "Call_Started-now",
            "  call   started ",
            "episodeID",
            "ÉcoleOuverte",
            "caféOuvert",
            "日本語Name",
            "a1B2c",
            "ABC",
            "aB",
            "x.y.z",
            "éA",
            "q2Score",
            "already lower",
            "__a__",
            "a\u{a0}b",
            "🙂Smile",
        ] {
            assert_eq!(words(name), by_chars(name), "{name:?}");
        }
    }

    #[test]
    fn word_lists_read_as_words_and_pairs() {
        assert!(IRREGULAR_PAST
            .split(' ')
            .all(|w| !w.is_empty() && !is_past_by_ending(w)));
        assert_eq!(IRREGULAR_PAST.split(' ').count(), 33);
        let table: Vec<&str> = PRESENT_TO_PAST.split(' ').collect();
        assert_eq!(table.len(), 104);
        // Every past tense reads as one, but `reset`, which is its own.
        assert!(table
            .chunks(2)
            .all(|pair| !pair[0].is_empty() && (is_past(pair[1]) || pair[1] == pair[0])));
        assert_eq!(past_of("accept").as_deref(), Some("accepted"));
        assert_eq!(past_of("viewing").as_deref(), Some("viewed"));
        assert_eq!(past_of("sharing").as_deref(), Some("shared"));
        assert_eq!(past_of("tap").as_deref(), Some("tapped"));
        assert!(is_past("written") && is_past("began") && !is_past("write"));
    }

    fn is_past_by_ending(word: &str) -> bool {
        word.len() > 3 && word.ends_with("ed")
    }

    #[test]
    fn snake_case_is_lower_words_joined_by_one_underscore() {
        assert!(is_snake_case("call_type"));
        assert!(is_snake_case("q2_score"));
        for bad in [
            "callType",
            "call__type",
            "_call",
            "call_",
            "Call",
            "2fa",
            "call-type",
            "",
        ] {
            assert!(!is_snake_case(bad), "{bad}");
        }
    }

    #[test]
    fn shapes_and_suggestions() {
        let w = |s: &str| words(s);
        assert_eq!(shape(&w("call started")), Shape::ObjectAction(1));
        assert_eq!(shape(&w("user signed up")), Shape::ObjectAction(1));
        assert_eq!(shape(&w("questionnaire sent")), Shape::ObjectAction(1));
        assert_eq!(shape(&w("call")), Shape::OneWord);
        assert_eq!(shape(&w("signed up user")), Shape::ActionFirst(2));
        assert_eq!(shape(&w("call widget")), Shape::Unknown);
        assert_eq!(suggested_event_name("started call"), "call started");
        assert_eq!(suggested_event_name("signed up user"), "user signed up");
        assert_eq!(suggested_event_name("call start"), "call started");
        assert_eq!(suggested_event_name("call starting"), "call started");
        assert_eq!(suggested_event_name("file sharing"), "file shared");
        assert_eq!(suggested_event_name("Call Started"), "call started");
    }
}
