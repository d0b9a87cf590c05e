//! URI references as RFC 3986 spells them: resolution against a base (for `$id` and
//! `$ref`) and the syntax check behind the `uri` and `uri-reference` formats.

use super::formats::ipv6;
use crate::prelude::*;
use alloc::format;

/// The scheme of `s` (without its `:`), if `s` starts with a valid one.
fn scheme(s: &str) -> Option<&str> {
    let (name, _) = s.split_once([':', '/', '?', '#'])?;
    let valid = s.as_bytes().get(name.len()) == Some(&b':')
        && name.bytes().next()?.is_ascii_alphabetic()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b));
    valid.then_some(name)
}

/// Splits `uri` at its first `#` into the URI without fragment and the fragment (`""`
/// when there is none).
pub(crate) fn split_fragment(uri: &str) -> (&str, &str) {
    uri.split_once('#').unwrap_or((uri, ""))
}

/// Resolves the reference `r` against `base` (RFC 3986 §5.2). `base` may be empty (a
/// document without `$id`), and the result is then as relative as `r`.
pub(crate) fn resolve(base: &str, r: &str) -> String {
    let base = split_fragment(base).0;
    if scheme(r).is_some() {
        return r.to_string();
    }
    if r.is_empty() || r.starts_with('#') {
        return format!("{base}{r}");
    }
    let scheme_end = scheme(base).map_or(0, |s| s.len() + 1);
    if r.starts_with("//") {
        return format!("{}{r}", base.get(..scheme_end).unwrap_or_default());
    }
    let rest = base.get(scheme_end..).unwrap_or_default();
    let authority_end = match rest.strip_prefix("//") {
        Some(auth) => 2 + auth.find(['/', '?']).unwrap_or(auth.len()),
        None => 0,
    };
    let (prefix, path) = base
        .split_at_checked(scheme_end + authority_end)
        .unwrap_or((base, ""));
    let path = path.split_once('?').map_or(path, |(path, _)| path);
    if r.starts_with('?') {
        return format!("{prefix}{path}{r}");
    }
    let r_path = r.split_once(['?', '#']).map_or(r, |(path, _)| path);
    let r_tail = r.get(r_path.len()..).unwrap_or_default();
    let merged = if r_path.starts_with('/') {
        r_path.to_string()
    } else if authority_end > 0 && path.is_empty() {
        format!("/{r_path}")
    } else {
        let directory = path.rsplit_once('/').map_or("", |(dir, _)| dir);
        let slash = if path.contains('/') { "/" } else { "" };
        format!("{directory}{slash}{r_path}")
    };
    format!("{prefix}{}{r_tail}", remove_dots(&merged))
}

/// Removes `.` and `..` segments from a path (RFC 3986 §5.2.4).
fn remove_dots(path: &str) -> String {
    let segments: Vec<&str> = path.split('/').collect();
    let mut out: Vec<&str> = Vec::new();
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *segment {
            "." | ".." => {
                // Never pop the empty segment that makes the path absolute.
                if *segment == ".." && out.last().is_some_and(|s| !s.is_empty() || out.len() > 1) {
                    out.pop();
                }
                if last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    out.join("/")
}

/// Percent-decodes the ASCII escapes of `s` (`%25` → `%`); other and invalid escapes
/// stay as they are.
pub(crate) fn percent_decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        let rest = chars.as_str().as_bytes();
        let hex = |i: usize| rest.get(i).and_then(|b| char::from(*b).to_digit(16));
        match (c, hex(0), hex(1)) {
            ('%', Some(high), Some(low)) if high < 8 => {
                out.push(char::from((high * 16 + low) as u8));
                chars.nth(1);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Whether every character of `s` is unreserved, a sub-delimiter, one of `extra`, or a
/// well-formed percent escape.
fn chars(s: &str, extra: &[u8]) -> bool {
    let hex = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_hexdigit());
    let mut bytes = s.bytes();
    while let Some(b) = bytes.next() {
        let ok = if b == b'%' {
            hex(bytes.next()) && hex(bytes.next())
        } else {
            b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=".contains(&b) || extra.contains(&b)
        };
        if !ok {
            return false;
        }
    }
    true
}

/// Whether `s` is a URI reference, or with `absolute` a URI (scheme required).
pub(crate) fn is_valid(s: &str, absolute: bool) -> bool {
    let (s, fragment) = split_fragment(s);
    let (s, query) = s.split_once('?').unwrap_or((s, ""));
    let scheme = scheme(s);
    if absolute && scheme.is_none() {
        return false;
    }
    let rest = s
        .get(scheme.map_or(0, |name| name.len() + 1)..)
        .unwrap_or_default();
    let path = match rest.strip_prefix("//") {
        Some(after) => {
            let authority = after
                .split_once('/')
                .map_or(after, |(authority, _)| authority);
            let path = after.get(authority.len()..).unwrap_or_default();
            if !is_authority(authority) {
                return false;
            }
            path
        }
        // In a relative reference a `:` in the first segment would read as a scheme.
        None if scheme.is_none() && rest.split('/').next().is_some_and(|s| s.contains(':')) => {
            return false
        }
        None => rest,
    };
    chars(path, b":@/") && chars(query, b":@/?") && chars(fragment, b":@/?")
}

/// `[userinfo "@"] host [":" port]`, the host a name, an IPv4 address or a bracketed IP
/// literal.
fn is_authority(authority: &str) -> bool {
    let (userinfo, host_port) = authority.split_once('@').unwrap_or(("", authority));
    let (host_ok, port) = match host_port.strip_prefix('[') {
        Some(literal) => match literal.split_once(']') {
            Some((ip, port)) => (ipv6(ip.as_bytes()) || is_ip_future(ip), port),
            None => return false,
        },
        None => {
            let host = host_port
                .split_once(':')
                .map_or(host_port, |(host, _)| host);
            let port = host_port.get(host.len()..).unwrap_or_default();
            (chars(host, b""), port)
        }
    };
    chars(userinfo, b":")
        && host_ok
        && (port.is_empty()
            || port
                .strip_prefix(':')
                .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit())))
}

/// `IPvFuture`: `"v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )`.
fn is_ip_future(ip: &str) -> bool {
    ip.strip_prefix(['v', 'V'])
        .and_then(|rest| rest.split_once('.'))
        .is_some_and(|(version, rest)| {
            !version.is_empty()
                && version.bytes().all(|b| b.is_ascii_hexdigit())
                && !rest.is_empty()
                && !rest.contains('%')
                && chars(rest, b":")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_as_rfc_3986_section_5_4_says() {
        let base = "http://a/b/c/d;p?q";
        for (r, expected) in [
            ("g:h", "g:h"),
            ("g", "http://a/b/c/g"),
            ("./g", "http://a/b/c/g"),
            ("g/", "http://a/b/c/g/"),
            ("/g", "http://a/g"),
            ("//g", "http://g"),
            ("?y", "http://a/b/c/d;p?y"),
            ("g?y", "http://a/b/c/g?y"),
            ("#s", "http://a/b/c/d;p?q#s"),
            ("g#s", "http://a/b/c/g#s"),
            ("", "http://a/b/c/d;p?q"),
            (".", "http://a/b/c/"),
            ("..", "http://a/b/"),
            ("../g", "http://a/b/g"),
            ("../..", "http://a/"),
            ("../../../g", "http://a/g"),
            ("/./g", "http://a/g"),
            ("g/../h", "http://a/b/c/h"),
        ] {
            assert_eq!(resolve(base, r), expected, "{r}");
        }
    }

    #[test]
    fn resolves_against_empty_and_urn_bases() {
        assert_eq!(resolve("", "#/definitions/a"), "#/definitions/a");
        assert_eq!(resolve("", "folder/x.json"), "folder/x.json");
        assert_eq!(resolve("urn:uuid:1#x", "#/a"), "urn:uuid:1#/a");
        assert_eq!(resolve("http://h:1/tree", "node"), "http://h:1/node");
        assert_eq!(resolve("http://h", "x.json"), "http://h/x.json");
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(
            percent_decode("a%25b%22c%zz%4%C3%A9é"),
            "a%b\"c%zz%4%C3%A9é"
        );
    }

    #[test]
    fn checks_uri_syntax() {
        assert!(is_valid("http://u:p@[::1]:80/a/b?c=d#e", true));
        assert!(is_valid("urn:isbn:0451450523", true));
        assert!(is_valid("http://[v1.fe]/", true));
        assert!(!is_valid("/abc", true));
        assert!(is_valid("/abc", false));
        assert!(!is_valid("a:b c", true));
        assert!(!is_valid("http://a:8x/", true));
        assert!(!is_valid("http://[::1/", true));
        assert!(!is_valid("1:b", false));
    }
}
