//! One call end to end, without JavaScript: find the plan's rule, validate, apply the
//! policy, remember the outcome.

use crate::conventions::{self, identity};
use crate::history::History;
use crate::json::Value;
use crate::plan::{Plan, Rule, RuleKind};
use crate::policy::{Identify, OnViolation, Policy, UnplannedEvents, UnplannedProperties};
use crate::prelude::*;
use crate::regex::RegexEngine;
use crate::schema::Schema;
use crate::session::Session;
use crate::text::text;
use crate::violation::{kind, Violation};
use alloc::rc::Rc;

/// Whether this build gives developer advice on calls: convention hints (an email as
/// userId, the naming of an unplanned event let through) and the "did you mean `…`?"
/// suggestion for an unplanned event. Always natively and in the full build (feature
/// `full`), which the shim loads where people read advice (a plan given at run time, or
/// any environment but production); never in the default wasm, the production core,
/// where nobody reads it and its code is left out by the optimizer (4.7 KB gzip with the
/// conventions table it needs). What makes a call fail (a missing or empty userId, an
/// unplanned event) is found either way.
pub const ADVICE: bool = cfg!(any(not(target_arch = "wasm32"), feature = "full"));

/// The analytics.js method a call is made with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallKind {
    /// `track(event, properties)`.
    Track,
    /// `identify(userId, traits)`.
    Identify,
    /// `page(category, name, properties)`.
    Page,
    /// `group(groupId, traits)`.
    Group,
}

impl CallKind {
    /// The method's name.
    pub fn name(self) -> &'static str {
        match self {
            CallKind::Track => "track",
            CallKind::Identify => "identify",
            CallKind::Page => "page",
            CallKind::Group => "group",
        }
    }

    /// The method whose number across the wasm boundary is `code`: its place in
    /// [`crate::protocol::CALL_KINDS`].
    pub fn from_code(code: u32) -> Option<CallKind> {
        crate::protocol::CALL_KINDS.get(code as usize).copied()
    }

    fn rule_kind(self) -> RuleKind {
        match self {
            CallKind::Track => RuleKind::Track,
            CallKind::Identify => RuleKind::Identify,
            CallKind::Page => RuleKind::Page,
            CallKind::Group => RuleKind::Group,
        }
    }
}

/// A call as the shim hands it to the core (the bindings read it from the call's bytes).
#[derive(Debug)]
pub struct Request<'a> {
    /// The method.
    pub kind: CallKind,
    /// The call's name, when it has one as a string: the event name (track), page name
    /// (page), userId (identify) or groupId (group).
    pub name: Option<&'a str>,
    /// The rule version the call asks for (`context.protocols.event_version`).
    pub event_version: Option<u32>,
    /// The properties (track, page) or traits (identify, group), or why they cannot be
    /// checked.
    pub payload: Result<Value, Unusable>,
    /// An upper bound of the payload's JSON text, in bytes, when one is known (see
    /// [`crate::binary::json_bound`]); `None` has it measured.
    pub payload_bound: Option<usize>,
    /// The JSON bytes of what is sent beside the payload (the call's options and names),
    /// which Segment's size limit counts too.
    pub beside: usize,
    /// What the page's delivery does with the call if the policy lets it through.
    pub handover: Handover,
    /// A dry run: neither recorded nor counted.
    pub dry_run: bool,
}

/// A call as the core sees it: what method, which event, and its payload.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The method.
    pub kind: CallKind,
    /// Track: the event name. Page: the page name, if any.
    pub event: Option<String>,
    /// The properties (track, page) or traits (identify, group), an object.
    pub payload: Value,
    /// The rule version the call asks for (`context.protocols.event_version`).
    pub event_version: Option<u32>,
}

/// What the policy decided to do with a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Hand it to analytics.js (less any omitted properties).
    Send,
    /// Keep it from analytics.js.
    Block,
    /// Keep it from analytics.js as it says nothing new: an identify that repeats the
    /// session's userId and traits under the `identify: 'changed'` policy.
    Skip,
}

/// What the page's delivery did with a call the policy let through, as the shim tells
/// it with the call: analytics.js had it, will have it once loaded, or will never have
/// it (no write key for the environment, or analytics.js could not load).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Handover {
    /// Handed to analytics.js.
    #[default]
    Sent,
    /// Held until analytics.js has loaded.
    Queued,
    /// Not sent anywhere.
    Dropped,
}

/// The outcome of one call: whether it follows the plan, what is wrong, and what the
/// policy does about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// The call's method.
    pub kind: CallKind,
    /// The event name (track) or page name, when there is one.
    pub event: Option<String>,
    /// Send or block.
    pub decision: Decision,
    /// What became of a call sent (see [`Handover`]), as the shim said with the call; the
    /// history entry shares it, and reports the same.
    pub handover: Handover,
    /// Everything wrong with the call; empty when it follows the plan.
    pub violations: Vec<Violation>,
    /// Top-level properties (or traits) removed before sending, for their violations.
    pub omitted: Vec<String>,
    /// Traits left out of an identify as the session already sent them with the same
    /// value, under the `identify: 'changed'` policy (all of them for a skipped call).
    pub unchanged: Vec<String>,
    /// The plan version of the rule applied, if a rule applied.
    pub rule_version: Option<u32>,
    /// Where the call departs from the tracking guide without breaking the plan (an email
    /// as userId, the name of an unplanned event let through, identify not followed by a
    /// track): advice that does not make the call fail. Kinds are convention ids. Always
    /// empty where there is no [`ADVICE`] (the production core).
    pub hints: Vec<Violation>,
    /// Context properties (see [`Tracker::set_context`]) added to the payload, which the
    /// bindings add to what is sent: the context's values, shared, not copied.
    pub added: Vec<(String, Rc<Value>)>,
}

impl Verdict {
    /// Whether the call follows the plan exactly.
    pub fn ok(&self) -> bool {
        self.violations.is_empty()
    }
}

/// Largest payload, in bytes of JSON, that is sent: Segment's HTTP API refuses events
/// over 32 KB, and analytics.js adds its own context to what the page gives.
pub const MAX_PAYLOAD_BYTES: usize = 30 * 1024;

/// Largest context value (see [`Tracker::set_context`]), in bytes of JSON: what a payload
/// may hold, as every call that declares the property carries the value.
pub const MAX_CONTEXT_BYTES: usize = MAX_PAYLOAD_BYTES;

/// What the history's entries may hold together, in bytes as [`HistoryEntry::weight`]
/// estimates them (1 MiB): past it the oldest entries are forgotten, however few calls
/// the history keeps, and the newest is kept even if it alone weighs more. A call's
/// payload, in memory, weighs a few times its JSON text (a member takes some 60 bytes
/// beside its name and value), and its verdict what its messages hold: 200 calls of 1 KB
/// fit, some 30 calls of 3,000 unplanned properties each do not.
pub const HISTORY_BUDGET: usize = 1 << 20;

/// Calls the history keeps when the options do not say.
pub const DEFAULT_HISTORY_SIZE: usize = 200;

/// Most calls the history keeps, whatever the options ask for.
pub const MAX_HISTORY_SIZE: usize = 100_000;

/// Why [`Tracker::set_context`] refused a value. The shim tells the page what to do (set
/// an id or a short value); the core carries no message for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextError {
    /// Its JSON text is this many bytes, over [`MAX_CONTEXT_BYTES`].
    TooLarge(usize),
}

/// Why a call's payload is not checked against the plan: the call is blocked, as it could
/// not reach Segment intact.
#[derive(Debug, Clone, PartialEq)]
pub enum Unusable {
    /// It cannot be sent as given: an `invalid_input` violation with this message, the
    /// shim's (a cycle, a BigInt, a getter or `toJSON` that throws, an argument
    /// analytics.js would leave out, …), which says what to do.
    NotData(String),
    /// What it sends is this many bytes of JSON, over [`MAX_PAYLOAD_BYTES`]: a `size`
    /// violation.
    TooLarge(usize),
    /// Its JSON text cannot be read, for this reason: an `invalid_input` violation.
    /// Natively only, as [`payload_of_json`], which alone finds it.
    #[cfg(not(target_arch = "wasm32"))]
    NotJson(String),
}

impl Unusable {
    /// The violation it is: its kind and message.
    fn violation(&self) -> (&'static str, String) {
        match self {
            Unusable::NotData(reason) => (kind::INVALID_INPUT, reason.clone()),
            Unusable::TooLarge(bytes) => (
                kind::SIZE,
                text!(
                    "the call is ",
                    bytes / 1024,
                    " KB of JSON with its context and options; Segment drops events over 32 KB: send less"
                ),
            ),
            #[cfg(not(target_arch = "wasm32"))]
            Unusable::NotJson(why) => (
                kind::INVALID_INPUT,
                text!("the payload is not valid JSON: ", why),
            ),
        }
    }
}

/// A payload given as JSON text (or as why it could not be made), read: over
/// [`MAX_PAYLOAD_BYTES`] it is [`Unusable::TooLarge`] without being read.
///
/// Natively only (the tools, the tests and the fuzzer give payloads as JSON text), as
/// are [`Tracker::process_json`] and [`Tracker::process_identify_json`]: the wasm reads
/// calls in the binary form, and has no use for them.
#[cfg(not(target_arch = "wasm32"))]
pub fn payload_of_json(text: Result<&str, String>) -> Result<Value, Unusable> {
    match text {
        Err(reason) => Err(Unusable::NotData(reason)),
        Ok(text) if text.len() > MAX_PAYLOAD_BYTES => Err(Unusable::TooLarge(text.len())),
        Ok(text) => crate::json::parse(text).map_err(|e| Unusable::NotJson(e.to_string())),
    }
}

/// A call remembered in the history, with its verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    /// Sequence number of the call since the tracker started (from 1).
    pub seq: u64,
    /// The call's payload as given, with the context properties it gained.
    pub payload: Value,
    /// What happened to it: the very verdict the call returned, shared rather than
    /// copied (see [`Tracker::call`]).
    pub verdict: Rc<Verdict>,
}

impl HistoryEntry {
    /// An estimate of the bytes the entry holds, counted against [`HISTORY_BUDGET`]: its
    /// payload ([`crate::json::weight`]; context properties included, whose values the
    /// verdict shares with the context) and its verdict's violations (their paths and
    /// messages: the bulk of a verdict; its hints and omitted names are few and short).
    pub fn weight(&self) -> usize {
        let mut weight =
            size_of::<HistoryEntry>() + size_of::<Verdict>() + crate::json::weight(&self.payload);
        for v in &self.verdict.violations {
            weight += size_of::<Violation>() + v.path.len() + v.message.len();
        }
        weight
    }
}

/// Validates calls against a plan, applies a policy and keeps a bounded history.
pub struct Tracker {
    plan: Plan,
    policy: Policy,
    regex: Box<dyn RegexEngine>,
    history: History<HistoryEntry>,
    calls: u64,
    /// The context properties: name, value and the JSON bytes of the value.
    context: Vec<(String, Rc<Value>, usize)>,
    identify_awaiting_track: Option<u64>,
    session: Session,
}

impl Tracker {
    /// A tracker for `plan` (whose patterns were compiled with `regex`) under `policy`,
    /// remembering the last `history_size` calls (at most [`MAX_HISTORY_SIZE`]), as many
    /// as [`HISTORY_BUDGET`] holds.
    pub fn new(
        plan: Plan,
        regex: Box<dyn RegexEngine>,
        policy: Policy,
        history_size: usize,
    ) -> Tracker {
        Tracker {
            plan,
            policy,
            regex,
            history: History::new(history_size.min(MAX_HISTORY_SIZE), HISTORY_BUDGET),
            calls: 0,
            context: Vec::new(),
            identify_awaiting_track: None,
            session: Session::default(),
        }
    }

    /// The plan in use.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// The policy in use.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// What would happen to `call`, without recording it (a dry run).
    pub fn check(&self, call: &Call) -> Verdict {
        Verdict {
            event: call.event.clone(),
            ..self.judge(call)
        }
    }

    /// [`Tracker::check`]'s verdict without the event name (`None`), which a caller that
    /// owns the call moves in rather than copies.
    fn judge(&self, call: &Call) -> Verdict {
        let mut violations = Vec::new();
        let rule_kind = call.kind.rule_kind();
        let rule = match call.kind {
            CallKind::Track => call
                .event
                .as_deref()
                .and_then(|e| self.plan.event(e, call.event_version)),
            _ => self.plan.rule(rule_kind),
        };
        let common = self.plan.rule(RuleKind::Common);
        let planned = rule.is_some() || call.kind != CallKind::Track;
        if !planned {
            violations.push(self.unplanned_event(call));
        }
        let payload_checked = [rule, common];
        for r in payload_checked.into_iter().flatten() {
            if !r.is_readable() {
                violations.push(unreadable_rule(r));
            } else if let Some(schema) = r.payload() {
                schema.validate_into(&call.payload, self.regex.as_ref(), "", &mut violations);
            }
        }
        let schema_failed = violations.iter().any(|v| v.kind != kind::UNPLANNED_EVENT);
        let mut omitted = Vec::new();
        if schema_failed && self.policy.violations == OnViolation::OmitProperties {
            for v in &violations {
                if let Some(name) = top_level_name(&v.path) {
                    #[allow(
                        clippy::manual_contains,
                        reason = "`contains` on Strings is a generic search of its own in wasm"
                    )]
                    if !omitted.iter().any(|o| *o == name) {
                        omitted.push(name);
                    }
                }
            }
        }
        if rule.is_some() {
            self.unplanned_properties(call, payload_checked, &mut violations, &mut omitted);
        }
        let decision = if !planned && self.policy.unplanned_events == UnplannedEvents::Block
            || schema_failed && self.policy.violations == OnViolation::Block
        {
            Decision::Block
        } else {
            Decision::Send
        };
        let hints = match (&call.event, planned, decision) {
            (Some(name), false, Decision::Send) if ADVICE => conventions::check_event_name(name)
                .into_iter()
                .map(conventions::Finding::into_violation)
                .collect(),
            _ => Vec::new(),
        };
        Verdict {
            kind: call.kind,
            event: None,
            decision,
            handover: Handover::Sent,
            violations,
            omitted,
            unchanged: Vec::new(),
            rule_version: rule.map(|r| r.version),
            hints,
            added: Vec::new(),
        }
    }

    /// Sets (or, with `None`, removes) a context property: added to every later call
    /// whose plan rule declares it and that does not set it itself. A value whose JSON
    /// text is over [`MAX_CONTEXT_BYTES`] is refused, and the property left as it was.
    pub fn set_context(&mut self, name: &str, value: Option<Value>) -> Result<(), ContextError> {
        // Measured as written, by the writer the production core has anyway (a walk that
        // counted the bytes instead would cost it 0.2 KB gzip): a value over the limit
        // costs memory for its text once, and is refused.
        let size = value.as_ref().map(|value| {
            let mut text = String::new();
            crate::report::write_value(&mut text, value);
            text.len()
        });
        if let Some(bytes) = size.filter(|bytes| *bytes > MAX_CONTEXT_BYTES) {
            return Err(ContextError::TooLarge(bytes));
        }
        self.context.retain(|(n, ..)| n != name);
        if let (Some(value), Some(size)) = (value, size) {
            self.context.push((name.to_string(), Rc::new(value), size));
        }
        Ok(())
    }

    /// Adds the context properties that `call`'s rules (its own and the common rule)
    /// declare and that the call does not set; returns what was added. The payload gets
    /// copies, to be validated and recorded; the verdict shares the context's values.
    fn add_context(&self, call: &mut Call) -> Vec<(String, Rc<Value>)> {
        let Value::Object(payload) = &mut call.payload else {
            return Vec::new();
        };
        if self.context.is_empty() {
            return Vec::new();
        }
        let own = match call.kind {
            CallKind::Track => call
                .event
                .as_deref()
                .and_then(|e| self.plan.event(e, call.event_version)),
            kind => self.plan.rule(kind.rule_kind()),
        };
        let rules = [own, self.plan.rule(RuleKind::Common)];
        let mut added = Vec::new();
        for (name, value, _) in &self.context {
            let declared = rules.iter().any(|r| r.is_some_and(|r| r.declares(name)));
            if declared && payload.get(name).is_none() {
                payload.insert(name.to_string(), Value::clone(value));
                added.push((name.to_string(), Rc::clone(value)));
            }
        }
        added
    }

    /// Checks and records (unless a dry run) one call as the shim hands it over: its
    /// payload against the plan's rules, its name as its method asks (an identify needs
    /// a userId, a group its groupId: a missing one is a violation, blocking under the
    /// `block` policy; an email address as userId is a hint where there is [`ADVICE`]),
    /// and what is sent against Segment's size limit (see [`MAX_PAYLOAD_BYTES`]). An
    /// unreadable or oversized call is blocked with an `invalid_input` or `size`
    /// violation, as it could not reach Segment intact. The verdict's `action` is then
    /// what delivery does with a call the policy lets through ([`Request::handover`]).
    ///
    /// The verdict is shared with the call's history entry, not copied: the code that
    /// copies a verdict costs the production core more than the count the sharing keeps.
    pub fn call(&mut self, request: Request) -> Rc<Verdict> {
        let kind = request.kind;
        let name = request.name;
        let event = name
            .filter(|_| matches!(kind, CallKind::Track | CallKind::Page))
            .map(str::to_string);
        let (payload, mut verdict) = self.evaluate(kind, event, &request);
        let error = match kind {
            CallKind::Identify => identity::missing_user_id(name),
            CallKind::Group if name.is_none() => Some(missing_group_id()),
            _ => None,
        };
        if ADVICE && kind == CallKind::Identify && error.is_none() {
            let hint = identity::email_as_user_id(name);
            verdict
                .hints
                .extend(hint.map(conventions::Finding::into_violation));
        }
        if let Some(error) = error {
            verdict.violations.push(error);
            if self.policy.violations == OnViolation::Block {
                verdict.decision = Decision::Block;
            }
        }
        if let (CallKind::Identify, Some(user_id), Decision::Send) = (kind, name, verdict.decision)
        {
            self.identify_again(user_id, &payload, &mut verdict, request.dry_run);
        }
        let verdict = Rc::new(verdict);
        if !request.dry_run {
            self.record(payload, Rc::clone(&verdict));
        }
        verdict
    }

    /// Applies the implementation guide's identify rules (see [`crate::session`]) to an
    /// identify of `user_id` that the policy lets through, and remembers it (unless a dry
    /// run). Under the `identify: 'changed'` policy, traits the session already sent with
    /// the same value are left out, and a call that says nothing new is skipped; else,
    /// where there is [`ADVICE`], a repeat gets a hint.
    fn identify_again(
        &mut self,
        user_id: &str,
        traits: &Value,
        verdict: &mut Verdict,
        dry_run: bool,
    ) {
        if let Some(repeat) = self.session.repeat(user_id, traits) {
            if self.policy.identify == Identify::Changed {
                if repeat.nothing_new {
                    verdict.decision = Decision::Skip;
                }
                verdict
                    .added
                    .retain(|(name, _)| !repeat.unchanged.contains(name));
                verdict.unchanged = repeat.unchanged;
            } else if ADVICE {
                let hint = identity::identify_again(user_id, &repeat);
                verdict
                    .hints
                    .extend(hint.map(conventions::Finding::into_violation));
            }
        }
        if !dry_run {
            self.session.remember(user_id, traits, &verdict.omitted);
        }
    }

    /// Ends the session (see [`crate::session`]): the next identify is a first one, and
    /// an identify awaiting its track no longer does. The page's `reset()`, as
    /// analytics.js's forgets the user.
    pub fn reset(&mut self) {
        self.session.reset();
        self.identify_awaiting_track = None;
    }

    /// Ends the page's current task: if an identify was not followed by a track, its
    /// history entry gets an `identify-without-track` hint, which is returned. Never where
    /// there is no [`ADVICE`] (it would cost the production core 0.3 KB gzip).
    pub fn end_task(&mut self) -> Option<Violation> {
        if !ADVICE {
            return None;
        }
        let seq = self.identify_awaiting_track.take()?;
        let hint = identity::identify_without_track().into_violation();
        if let Some(entry) = self.history.iter_mut().find(|e| e.seq == seq) {
            Rc::make_mut(&mut entry.verdict).hints.push(hint.clone());
        }
        Some(hint)
    }

    /// [`Tracker::process_json`] of an identify call whose userId is `user_id`.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn process_identify_json(
        &mut self,
        user_id: Option<&str>,
        event_version: Option<u32>,
        traits: Result<&str, String>,
        dry_run: bool,
    ) -> Rc<Verdict> {
        self.process_json(CallKind::Identify, user_id, event_version, traits, dry_run)
    }

    /// [`Tracker::call`] of a call given natively: its payload as JSON text (or why it
    /// could not be made, see [`payload_of_json`]), sent as it is.
    ///
    /// Natively only (the tools, the tests and the fuzzer), as is [`payload_of_json`]: the
    /// wasm reads calls in the binary form, and has no use for it.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn process_json(
        &mut self,
        kind: CallKind,
        name: Option<&str>,
        event_version: Option<u32>,
        payload: Result<&str, String>,
        dry_run: bool,
    ) -> Rc<Verdict> {
        self.call(Request {
            kind,
            name,
            event_version,
            payload: payload_of_json(payload),
            payload_bound: None,
            beside: 0,
            handover: Handover::Sent,
            dry_run,
        })
    }

    /// The payload (with its context properties added) and verdict of a call, without
    /// recording it.
    fn evaluate(
        &self,
        kind: CallKind,
        event: Option<String>,
        request: &Request,
    ) -> (Value, Verdict) {
        let blocked = |event: Option<String>, violation: (&'static str, String)| Verdict {
            kind,
            event,
            decision: Decision::Block,
            handover: request.handover,
            violations: vec![Violation {
                kind: violation.0,
                path: String::new(),
                schema_path: String::new(),
                message: violation.1,
            }],
            omitted: Vec::new(),
            unchanged: Vec::new(),
            rule_version: None,
            hints: Vec::new(),
            added: Vec::new(),
        };
        let payload = match &request.payload {
            Ok(payload) => payload.clone(),
            Err(unusable) => return (Value::Null, blocked(event, unusable.violation())),
        };
        let mut call = Call {
            kind,
            event,
            payload,
            event_version: request.event_version,
        };
        let added = self.add_context(&mut call);
        if let Some(bytes) = self.oversized(&call.payload, &added, request) {
            let verdict = blocked(call.event, Unusable::TooLarge(bytes).violation());
            return (call.payload, verdict);
        }
        let verdict = self.judge(&call);
        let verdict = Verdict {
            event: call.event,
            handover: request.handover,
            added,
            ..verdict
        };
        (call.payload, verdict)
    }

    /// The JSON bytes of what a call sends, when over [`MAX_PAYLOAD_BYTES`]: its payload
    /// with the context properties `added`, and what is sent beside it. Measured only
    /// when the cheap bound (the payload's bound, the context values' sizes, what is
    /// beside) could be over the limit.
    fn oversized(
        &self,
        payload: &Value,
        added: &[(String, Rc<Value>)],
        request: &Request,
    ) -> Option<usize> {
        let context: usize = added
            .iter()
            .map(|(name, _)| {
                let size = self
                    .context
                    .iter()
                    .find(|(n, ..)| n == name)
                    .map_or(0, |c| c.2);
                name.len() + size + 4
            })
            .sum();
        let bound = request.payload_bound.map(|payload| {
            payload
                .saturating_add(context)
                .saturating_add(request.beside)
        });
        if bound.is_some_and(|bound| bound <= MAX_PAYLOAD_BYTES) {
            return None;
        }
        let mut text = String::new();
        crate::report::write_value(&mut text, payload);
        let bytes = text.len() + request.beside;
        (bytes > MAX_PAYLOAD_BYTES).then_some(bytes)
    }

    fn record(&mut self, payload: Value, verdict: Rc<Verdict>) {
        self.calls += 1;
        match verdict.kind {
            CallKind::Identify => self.identify_awaiting_track = Some(self.calls),
            CallKind::Track => self.identify_awaiting_track = None,
            CallKind::Page | CallKind::Group => {}
        }
        let entry = HistoryEntry {
            seq: self.calls,
            payload,
            verdict,
        };
        let weight = entry.weight();
        self.history.push(entry, weight);
    }

    /// Recent calls, oldest first.
    pub fn history(&self) -> impl Iterator<Item = &HistoryEntry> {
        self.history.iter()
    }

    fn unplanned_event(&self, call: &Call) -> Violation {
        let message = match call.event.as_deref() {
            None => {
                "a track call needs its event name as a string: pass the planned name".to_string()
            }
            Some(name) => {
                let mut message = text!("`", name, "` is not in the tracking plan");
                match self.closest_event(name) {
                    Some(close) => {
                        message.push_str(": did you mean `");
                        message.push_str(close);
                        message.push_str("`?");
                    }
                    None => message.push_str(": add it to the plan, or check the name"),
                }
                message
            }
        };
        Violation {
            kind: kind::UNPLANNED_EVENT,
            path: String::new(),
            schema_path: String::new(),
            message,
        }
    }

    /// The planned event name nearest to `name` (case and separators ignored, then a
    /// small edit distance), to suggest a fix for a typo; never where there is no
    /// [`ADVICE`].
    fn closest_event(&self, name: &str) -> Option<&str> {
        if !ADVICE {
            return None;
        }
        let wanted = normalize_name(name);
        let limit = 2.max(wanted.len() / 4);
        self.plan
            .event_names()
            // The distance is at least the difference in length: in a large plan most
            // names are ruled out here, without being compared (an unplanned event in a
            // 500-event plan took 3.5 ms in the browser comparing every name).
            .filter(|name| normalized_len(name).abs_diff(wanted.len()) <= limit)
            .map(|name| {
                (
                    edit_distance(wanted.as_bytes(), normalize_name(name).as_bytes()),
                    name,
                )
            })
            .filter(|(d, _)| *d <= limit)
            .min_by_key(|(d, _)| *d)
            .map(|(_, n)| n)
    }

    fn unplanned_properties(
        &self,
        call: &Call,
        rules: [Option<&Rule>; 2],
        violations: &mut Vec<Violation>,
        omitted: &mut Vec<String>,
    ) {
        let Value::Object(payload) = &call.payload else {
            return;
        };
        let what = match call.kind {
            CallKind::Identify | CallKind::Group => "trait",
            _ => "property",
        };
        let omit = self.policy.unplanned_properties == UnplannedProperties::Omit;
        let advice = if omit {
            ": it was removed; add it to the plan to keep it"
        } else {
            ": add it to the plan"
        };
        // Looked up once, not once per member.
        let declared = rules.map(|r| {
            r.and_then(Rule::payload)
                .map_or(&[][..], Schema::declared_properties)
        });
        for (name, _) in payload.iter() {
            if declared
                .iter()
                .any(|props| props.iter().any(|(n, _)| n == name))
            {
                continue;
            }
            let mut path = String::new();
            crate::json::push_pointer(&mut path, name);
            let mut message = text!("`", name, "` is not a planned ", what, " of ");
            match call.event.as_deref() {
                Some(event) => {
                    message.push('`');
                    message.push_str(event);
                    message.push('`');
                }
                None => message.push_str(call.kind.name()),
            }
            message.push_str(advice);
            violations.push(Violation {
                kind: kind::UNPLANNED_PROPERTY,
                path,
                schema_path: String::new(),
                message,
            });
            if omit && !omitted.iter().any(|o| o == name) {
                omitted.push(name.to_string());
            }
        }
    }
}

/// The violation of a group call without its groupId.
fn missing_group_id() -> Violation {
    Violation {
        kind: kind::INVALID_INPUT,
        path: String::new(),
        schema_path: String::new(),
        message: "a group call needs its groupId: pass it first, group(groupId, traits)"
            .to_string(),
    }
}

/// The violation of a call whose rule cannot be read (see [`Rule::is_readable`]): the
/// call fails rather than pass unchecked.
fn unreadable_rule(rule: &Rule) -> Violation {
    Violation {
        kind: kind::INVALID_PLAN,
        path: String::new(),
        schema_path: String::new(),
        message: text!(
            "the plan's rule for `",
            rule.name.as_str(),
            "` cannot be read: run `npx trackplan build` again"
        ),
    }
}

/// The first segment of a JSON pointer, unescaped: the top-level property it is under.
fn top_level_name(pointer: &str) -> Option<String> {
    let first = crate::text::pieces(pointer.strip_prefix('/')?, b'/').next()?;
    Some(crate::json::unescape_pointer_segment(first))
}

/// The ASCII letters and digits of an event name, lower-cased: `Call-Started` and
/// `call started` compare equal.
fn normalize_name(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The length of `normalize_name(name)`, without building it.
fn normalized_len(name: &str) -> usize {
    name.bytes().filter(u8::is_ascii_alphanumeric).count()
}

/// Levenshtein distance over bytes (normalized names are ASCII: one byte a character).
fn edit_distance(a: &[u8], b: &[u8]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = i;
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

// Natively only: the browser's engine is exercised by the binding tests.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::json::parse;
    use crate::policy::Environment;
    use crate::regex::NativeRegex;

    const PLAN: &str = r#"{"id":"tp_demo","name":"Demo","rules":[
        {"key":"call started","type":"TRACK","version":1,"jsonSchema":{"type":"object",
          "properties":{"call_id":{"type":"string"},"episode_id":{"type":"string"},
                        "call_type":{"enum":["video","audio"]},
                        "quality":{"type":"object","properties":{"rating":{"type":"integer","maximum":5}}}},
          "required":["call_id","episode_id"]}},
        {"type":"IDENTIFY","version":1,"jsonSchema":{"type":"object",
          "properties":{"user_type":{"enum":["patient","practitioner"]},"email":{"type":"string"}},
          "required":["user_type"]}}]}"#;

    fn tracker(env: Environment) -> Tracker {
        tracker_with(Policy::default_for(env))
    }

    fn tracker_with(policy: Policy) -> Tracker {
        let mut regex = NativeRegex::default();
        let plan = Plan::from_json(PLAN, &mut regex).unwrap();
        Tracker::new(plan, Box::new(regex), policy, 3)
    }

    /// Records a `call started` track call of `payload`, JSON text.
    fn call_started(t: &mut Tracker, payload: &str) -> Rc<Verdict> {
        let event = Some("call started".to_string());
        t.process_json(CallKind::Track, event.as_deref(), None, Ok(payload), false)
    }

    fn track(event: &str, props: &str) -> Call {
        Call {
            kind: CallKind::Track,
            event: Some(event.to_string()),
            payload: parse(props).unwrap(),
            event_version: None,
        }
    }

    #[test]
    fn a_planned_valid_event_is_sent() {
        let v = tracker(Environment::Production).check(&track(
            "call started",
            r#"{"call_id":"c1","episode_id":"e1"}"#,
        ));
        assert!(v.ok());
        assert_eq!(v.decision, Decision::Send);
        assert_eq!(v.rule_version, Some(1));
    }

    #[test]
    fn violations_are_data_with_pointer_and_message() {
        let v = tracker(Environment::Development).check(&track(
            "call started",
            r#"{"call_id":7,"call_type":"Video","quality":{"rating":6}}"#,
        ));
        assert_eq!(v.decision, Decision::Block);
        let kinds: Vec<_> = v
            .violations
            .iter()
            .map(|v| (v.kind, v.path.as_str()))
            .collect();
        assert!(kinds.contains(&("type", "/call_id")), "{kinds:?}");
        assert!(kinds.contains(&("enum", "/call_type")), "{kinds:?}");
        assert!(kinds.contains(&("required", "")), "{kinds:?}");
        let enum_message = &v
            .violations
            .iter()
            .find(|v| v.kind == "enum")
            .unwrap()
            .message;
        assert!(
            enum_message.contains("values are lower case"),
            "{enum_message}"
        );
    }

    #[test]
    fn unplanned_events_suggest_the_closest_name() {
        let v = tracker(Environment::Production).check(&track("Call Started", "{}"));
        assert_eq!(v.decision, Decision::Block);
        assert_eq!(v.violations[0].kind, kind::UNPLANNED_EVENT);
        assert!(v.violations[0]
            .message
            .contains("did you mean `call started`"));

        let mut allow = Policy::default_for(Environment::Production);
        allow.unplanned_events = UnplannedEvents::Allow;
        let nameless = Call {
            event: None,
            ..track("", "{}")
        };
        let v = tracker(Environment::Production).check(&nameless);
        assert!(v.violations[0].message.contains("event name as a string"));

        let v = tracker_with(allow).check(&track("something else entirely", "{}"));
        assert_eq!(v.decision, Decision::Send);
        assert!(v.violations[0].message.contains("add it to the plan"));
    }

    #[test]
    fn unplanned_properties_are_omitted_or_allowed_by_policy() {
        let call = track(
            "call started",
            r#"{"call_id":"c","episode_id":"e","channel_id":"x"}"#,
        );
        let v = tracker(Environment::Production).check(&call);
        assert_eq!(v.decision, Decision::Send);
        assert_eq!(v.omitted, ["channel_id"]);
        assert_eq!(v.violations[0].kind, kind::UNPLANNED_PROPERTY);
        assert_eq!(v.violations[0].path, "/channel_id");

        let mut allow = Policy::default_for(Environment::Production);
        allow.unplanned_properties = UnplannedProperties::Allow;
        let v = tracker_with(allow).check(&call);
        assert!(v.omitted.is_empty());
        assert_eq!(v.violations.len(), 1);
    }

    #[test]
    fn omit_properties_removes_only_the_failing_ones() {
        let mut policy = Policy::default_for(Environment::Production);
        policy.violations = OnViolation::OmitProperties;
        let v = tracker_with(policy).check(&track(
            "call started",
            r#"{"call_id":"c","episode_id":"e","call_type":"fax"}"#,
        ));
        assert_eq!(v.decision, Decision::Send);
        assert_eq!(v.omitted, ["call_type"]);
    }

    #[test]
    fn identify_traits_are_checked_against_the_identify_rule() {
        let t = tracker(Environment::Production);
        let ok = Call {
            kind: CallKind::Identify,
            event: None,
            payload: parse(r#"{"user_type":"patient"}"#).unwrap(),
            event_version: None,
        };
        assert!(t.check(&ok).ok());
        let bad = Call {
            payload: parse(r#"{"user_type":"doctor"}"#).unwrap(),
            ..ok
        };
        let v = t.check(&bad);
        assert_eq!(v.decision, Decision::Block);
        assert_eq!(v.violations[0].path, "/user_type");
    }

    #[test]
    fn history_is_bounded_and_dry_runs_are_not_recorded() {
        let mut t = tracker(Environment::Production);
        t.check(&track("call started", "{}"));
        assert_eq!(t.history().count(), 0);
        for i in 0..5 {
            let text = format!(r#"{{"call_id":"c{i}","episode_id":"e"}}"#);
            let event = Some("call started".to_string());
            t.process_json(CallKind::Track, event.as_deref(), None, Ok(&text), false);
        }
        let seqs: Vec<_> = t.history().map(|e| e.seq).collect();
        assert_eq!(seqs, [3, 4, 5]);
    }

    #[test]
    fn history_is_bounded_in_bytes_too() {
        let mut regex = NativeRegex::default();
        let plan = Plan::from_json(PLAN, &mut regex).unwrap();
        let policy = Policy::default_for(Environment::Development);
        let mut t = Tracker::new(plan, Box::new(regex), policy, 200);
        // 200 calls of 25 KB each (5 MB), one unplanned property each.
        for i in 0..200 {
            let text = format!(
                r#"{{"call_id":"c{i}","episode_id":"{}","note":"n"}}"#,
                "e".repeat(25 * 1024)
            );
            call_started(&mut t, &text);
            let weight: usize = t.history().map(HistoryEntry::weight).sum();
            assert!(weight <= HISTORY_BUDGET, "{weight} B after call {i}");
        }
        let seqs: Vec<_> = t.history().map(|e| e.seq).collect();
        assert!((30..=45).contains(&seqs.len()), "{} kept", seqs.len());
        assert_eq!(seqs, (201 - seqs.len() as u64..=200).collect::<Vec<_>>());
        // A payload over the whole budget (given as a value with no bound, sent in a dry
        // run of the size check: blocked, and recorded) is kept alone, until the next call.
        let huge = Value::String("c".repeat(2 << 20));
        t.call(Request {
            kind: CallKind::Track,
            name: None,
            event_version: None,
            payload: Ok(huge),
            payload_bound: None,
            beside: 0,
            handover: Handover::Sent,
            dry_run: false,
        });
        assert_eq!(t.history().map(|e| e.seq).collect::<Vec<_>>(), [201]);
        t.process_json(CallKind::Track, None, None, Ok("{}"), false);
        assert_eq!(t.history().map(|e| e.seq).collect::<Vec<_>>(), [202]);
    }

    /// A call of `call started` with `payload`, sending `beside` bytes of
    /// JSON beside it, as the bindings hand it over.
    fn sized_call(t: &mut Tracker, payload: Value, beside: usize) -> Rc<Verdict> {
        t.call(Request {
            kind: CallKind::Track,
            name: Some("call started"),
            event_version: None,
            payload: Ok(payload),
            payload_bound: Some(crate::binary::json_bound(40)),
            beside,
            handover: Handover::Sent,
            dry_run: true,
        })
    }

    #[test]
    fn what_is_sent_beside_the_payload_and_the_context_added_count_toward_the_limit() {
        let mut t = tracker(Environment::Development);
        let payload = || parse(r#"{"episode_id":"e","call_id":"c"}"#).unwrap();
        assert!(sized_call(&mut t, payload(), 100).ok());
        // Options or names of 31 KB: over, whatever the payload's size.
        let v = sized_call(&mut t, payload(), 31 * 1024);
        assert_eq!(
            (v.decision, v.violations[0].kind),
            (Decision::Block, kind::SIZE)
        );
        assert!(v.violations[0]
            .message
            .contains("the call is 31 KB of JSON"));
        // Two context values of 16 KB each, within the context limit one by one.
        let mut t = tracker(Environment::Development);
        let half = || Value::String("x".repeat(16 * 1024));
        assert_eq!(t.set_context("episode_id", Some(half())), Ok(()));
        assert_eq!(t.set_context("call_id", Some(half())), Ok(()));
        let v = sized_call(&mut t, Value::Object(crate::json::Map::new()), 0);
        assert_eq!(
            v.violations.iter().map(|v| v.kind).collect::<Vec<_>>(),
            [kind::SIZE]
        );
    }

    #[test]
    fn a_group_call_needs_its_group_id() {
        let mut t = tracker(Environment::Development);
        let group = |t: &mut Tracker, id| t.process_json(CallKind::Group, id, None, Ok("{}"), true);
        assert!(group(&mut t, Some("g_1")).ok());
        let v = group(&mut t, None);
        assert_eq!(
            (v.decision, v.violations[0].kind),
            (Decision::Block, kind::INVALID_INPUT)
        );
        assert!(v.violations[0].message.contains("needs its groupId"));
    }

    #[test]
    fn a_context_value_over_the_payload_limit_is_refused_and_one_is_shared_not_copied() {
        let mut t = tracker(Environment::Development);
        let big = Value::String("c".repeat(16 << 20));
        assert_eq!(
            t.set_context("episode_id", Some(big)),
            Err(ContextError::TooLarge((16 << 20) + 2))
        );
        let limit = Value::String("c".repeat(MAX_CONTEXT_BYTES - 2));
        assert_eq!(t.set_context("episode_id", Some(limit)), Ok(()));
        let over = Value::String("c".repeat(MAX_CONTEXT_BYTES - 1));
        assert!(t.set_context("episode_id", Some(over)).is_err());
        assert_eq!(
            t.context[0].1.as_str().map(str::len),
            Some(MAX_CONTEXT_BYTES - 2),
            "the value within the limit is kept"
        );
        // A call that gains it is over Segment's limit with it: blocked, a `size` violation.
        let v = call_started(&mut t, r#"{"call_id":"c"}"#);
        assert_eq!(
            (v.decision, v.violations[0].kind),
            (Decision::Block, kind::SIZE)
        );
        // A smaller value is shared by every call that gains it, not copied.
        let id = Value::String("ep_1".into());
        assert_eq!(t.set_context("episode_id", Some(id)), Ok(()));
        for _ in 0..3 {
            let v = call_started(&mut t, r#"{"call_id":"c"}"#);
            assert!(v.ok(), "{:?}", v.violations);
            assert!(Rc::ptr_eq(&v.added[0].1, &t.context[0].1));
        }
    }

    #[test]
    fn a_recorded_call_shares_its_verdict_with_its_history_entry() {
        let mut t = tracker(Environment::Production);
        let v = t.process_json(CallKind::Track, Some("e"), None, Ok("{}"), false);
        assert!(Rc::ptr_eq(&v, &t.history().last().unwrap().verdict));
        let mut regex = NativeRegex::default();
        let plan = Plan::from_json(PLAN, &mut regex).unwrap();
        let policy = Policy::default_for(Environment::Production);
        let mut none_kept = Tracker::new(plan, Box::new(regex), policy, 0);
        let event = Some("call started".to_string());
        let v = none_kept.process_json(CallKind::Track, event.as_deref(), None, Ok("{}"), false);
        assert_eq!(none_kept.history().count(), 0);
        assert_eq!(
            v.violations[0].kind, "required",
            "the verdict is still returned"
        );
    }

    #[test]
    fn unreadable_oversized_and_malformed_payloads_are_blocked() {
        let mut t = tracker(Environment::Production);
        let event = Some("call started".to_string());
        let v = t.process_json(
            CallKind::Track,
            event.as_deref(),
            None,
            Err("cyclic object".into()),
            false,
        );
        assert_eq!(
            (v.decision, v.violations[0].kind),
            (Decision::Block, kind::INVALID_INPUT)
        );
        assert!(v.violations[0].message.contains("cyclic object"));
        let big = format!(r#"{{"call_id":"{}","episode_id":"e"}}"#, "x".repeat(40_000));
        let v = t.process_json(CallKind::Track, event.as_deref(), None, Ok(&big), false);
        assert_eq!(
            (v.decision, v.violations[0].kind),
            (Decision::Block, kind::SIZE)
        );
        let v = t.process_json(CallKind::Track, event.as_deref(), None, Ok("{"), true);
        assert_eq!(v.violations[0].kind, kind::INVALID_INPUT);
        let v = t.process_json(
            CallKind::Track,
            event.as_deref(),
            None,
            Ok(r#"{"call_id":"c","episode_id":"e"}"#),
            false,
        );
        assert!(v.ok());
        assert_eq!(t.history().count(), 3, "dry runs are not recorded");
    }

    #[test]
    fn context_goes_only_where_the_plan_declares_it_and_explicit_properties_win() {
        let mut t = tracker(Environment::Production);
        t.set_context("episode_id", Some(Value::String("ep_1".into())))
            .unwrap();
        t.set_context("user_type", Some(Value::String("patient".into())))
            .unwrap();
        let v = call_started(&mut t, r#"{"call_id":"c"}"#);
        assert!(v.ok(), "{:?}", v.violations);
        assert_eq!(
            v.added,
            [(
                "episode_id".to_string(),
                Rc::new(Value::String("ep_1".into()))
            )]
        );
        let recorded = t.history().last().unwrap();
        assert_eq!(
            recorded.payload,
            crate::json::parse(r#"{"call_id":"c","episode_id":"ep_1"}"#).unwrap(),
            "recorded as sent"
        );
        assert!(Rc::ptr_eq(&recorded.verdict.added[0].1, &t.context[0].1));

        let v = call_started(&mut t, r#"{"call_id":"c","episode_id":"ep_2"}"#);
        assert!(v.added.is_empty(), "explicit properties win");
        let identify = t.process_identify_json(Some("user_1"), None, Ok("{}"), false);
        assert!(identify.ok(), "{:?}", identify.violations);
        assert_eq!(
            identify.added,
            [(
                "user_type".to_string(),
                Rc::new(Value::String("patient".into()))
            )]
        );

        t.set_context("episode_id", None).unwrap();
        let v = call_started(&mut t, r#"{"call_id":"c"}"#);
        assert!(v.added.is_empty());
        assert_eq!(
            v.violations[0].kind, "required",
            "episode_id is no longer added"
        );
    }

    #[test]
    fn identify_needs_a_user_id_and_an_email_is_a_hint() {
        let mut t = tracker(Environment::Development);
        let traits = Ok(r#"{"user_type":"patient"}"#);
        for missing in [None, Some(""), Some("  ")] {
            let v = t.process_identify_json(missing, None, traits.clone(), true);
            assert_eq!(v.violations[0].kind, "user-id-missing");
            assert_eq!(v.decision, Decision::Block, "development blocks violations");
        }
        let v = t.process_identify_json(Some("ada@example.com"), None, traits.clone(), true);
        assert!(v.ok(), "an email is a hint, not a violation");
        assert_eq!(v.decision, Decision::Send);
        assert_eq!(v.hints[0].kind, "user-id-email");
        assert!(
            v.hints[0].message.contains("`email` trait"),
            "{}",
            v.hints[0].message
        );
        let v = t.process_identify_json(Some("user_8f3a"), None, traits, true);
        assert!(v.ok() && v.hints.is_empty());
    }

    #[test]
    fn an_identify_not_followed_by_a_track_gets_a_hint_when_the_task_ends() {
        let mut t = tracker(Environment::Production);
        let call = r#"{"call_id":"c","episode_id":"e"}"#;
        t.process_identify_json(Some("u"), None, Ok(r#"{"user_type":"patient"}"#), false);
        t.process_json(CallKind::Track, Some("call started"), None, Ok(call), false);
        assert_eq!(t.end_task(), None, "followed by a track");
        let returned =
            t.process_identify_json(Some("v"), None, Ok(r#"{"user_type":"patient"}"#), false);
        let hint = t.end_task().expect("a hint");
        assert_eq!(hint.kind, "identify-without-track");
        assert_eq!(t.history().last().unwrap().verdict.hints, [hint]);
        assert!(
            returned.hints.is_empty(),
            "the verdict the call returned stays as it was"
        );
        assert_eq!(t.end_task(), None, "reported once");
    }

    /// Records an identify of `user_id` with `traits`, JSON text.
    fn identify(t: &mut Tracker, user_id: &str, traits: &str) -> Rc<Verdict> {
        t.process_identify_json(Some(user_id), None, Ok(traits), false)
    }

    fn hint_kinds(v: &Verdict) -> Vec<&str> {
        v.hints.iter().map(|h| h.kind).collect()
    }

    #[test]
    fn a_repeated_identify_gets_a_hint_and_is_sent_by_default() {
        let mut t = tracker(Environment::Development);
        let first = identify(&mut t, "u1", r#"{"user_type":"patient","email":"a@b.c"}"#);
        assert!(first.ok() && first.hints.is_empty());
        let again = identify(&mut t, "u1", r#"{"email":"a@b.c","user_type":"patient"}"#);
        assert_eq!(hint_kinds(&again), ["identify-repeated"]);
        assert!(
            again.hints[0].message.contains("`u1`"),
            "{}",
            again.hints[0].message
        );
        assert_eq!((again.decision, again.ok()), (Decision::Send, true));
        assert!(
            again.unchanged.is_empty(),
            "the default policy leaves nothing out"
        );

        let update = identify(&mut t, "u1", r#"{"user_type":"patient","email":"new@b.c"}"#);
        assert_eq!(hint_kinds(&update), ["identify-unchanged-traits"]);
        let message = &update.hints[0].message;
        assert!(
            message.contains("`user_type`") && !message.contains("email"),
            "{message}"
        );
        let changed_only = identify(&mut t, "u1", r#"{"email":"newer@b.c"}"#);
        assert!(changed_only.hints.is_empty(), "{:?}", changed_only.hints);
    }

    #[test]
    fn a_new_user_id_or_a_reset_starts_a_new_session() {
        let mut t = tracker(Environment::Development);
        identify(&mut t, "u1", r#"{"user_type":"patient"}"#);
        let other = identify(&mut t, "u2", r#"{"user_type":"patient"}"#);
        assert!(other.hints.is_empty(), "another user");
        let back = identify(&mut t, "u1", r#"{"user_type":"patient"}"#);
        assert!(back.hints.is_empty(), "u2 ended u1's session");
        t.reset();
        let after_reset = identify(&mut t, "u1", r#"{"user_type":"patient"}"#);
        assert!(after_reset.hints.is_empty(), "{:?}", after_reset.hints);
    }

    #[test]
    fn dry_runs_and_blocked_identify_calls_are_not_remembered() {
        let mut t = tracker(Environment::Development);
        let traits = Ok(r#"{"user_type":"patient"}"#);
        t.process_identify_json(Some("u1"), None, traits.clone(), true);
        identify(&mut t, "u1", r#"{"user_type":"nurse"}"#);
        let first = identify(&mut t, "u1", r#"{"user_type":"patient"}"#);
        assert!(first.hints.is_empty(), "{:?}", first.hints);
        let dry = t.process_identify_json(Some("u1"), None, traits, true);
        assert_eq!(
            hint_kinds(&dry),
            ["identify-repeated"],
            "a dry run says what would happen"
        );
    }

    #[test]
    fn the_changed_policy_sends_only_what_changed_in_every_environment() {
        for env in [Environment::Production, Environment::Test] {
            let mut policy = Policy::default_for(env);
            policy.identify = Identify::Changed;
            let mut t = tracker_with(policy);
            let first = identify(&mut t, "u1", r#"{"user_type":"patient","email":"a@b.c"}"#);
            assert_eq!(first.decision, Decision::Send);
            assert!(first.unchanged.is_empty());

            let update = identify(&mut t, "u1", r#"{"user_type":"patient","email":"new@b.c"}"#);
            assert_eq!(update.decision, Decision::Send);
            assert_eq!(update.unchanged, ["user_type"]);
            assert!(
                update.hints.is_empty(),
                "the record says it: {:?}",
                update.hints
            );

            let repeat = identify(&mut t, "u1", r#"{"email":"new@b.c","user_type":"patient"}"#);
            assert_eq!((repeat.decision, repeat.ok()), (Decision::Skip, true));
            assert_eq!(repeat.unchanged, ["email", "user_type"]);
            let entry = t.history().last().unwrap();
            assert_eq!(
                entry.verdict.decision,
                Decision::Skip,
                "recorded as skipped"
            );

            let other = identify(&mut t, "u2", r#"{"user_type":"patient","email":"new@b.c"}"#);
            assert!((other.decision, other.unchanged.len()) == (Decision::Send, 0));
        }
    }

    #[test]
    fn the_changed_policy_leaves_out_unchanged_context_and_keeps_violations() {
        let mut policy = Policy::default_for(Environment::Production);
        policy.identify = Identify::Changed;
        policy.violations = OnViolation::OmitProperties;
        let mut t = tracker_with(policy);
        t.set_context("user_type", Some(Value::String("patient".into())))
            .unwrap();
        let first = identify(&mut t, "u1", r#"{"email":"a@b.c"}"#);
        assert_eq!(first.added.len(), 1);
        let update = identify(&mut t, "u1", r#"{"email":"new@b.c"}"#);
        assert_eq!(update.unchanged, ["user_type"]);
        assert!(
            update.added.is_empty(),
            "the unchanged context is not added either"
        );

        let invalid = identify(&mut t, "u1", r#"{"email":5}"#);
        assert_eq!(invalid.omitted, ["email"], "omitted for its violation");
        assert_eq!(invalid.decision, Decision::Send);
        let resent = identify(&mut t, "u1", r#"{"email":"new@b.c"}"#);
        assert_eq!(
            resent.decision,
            Decision::Skip,
            "an omitted value was never sent: new@b.c still stands"
        );
    }

    #[test]
    fn unplanned_events_let_through_are_checked_for_naming() {
        let mut allow = Policy::default_for(Environment::Production);
        allow.unplanned_events = UnplannedEvents::Allow;
        let v = tracker_with(allow).check(&track("Started Call", "{}"));
        assert_eq!(v.decision, Decision::Send);
        let kinds: Vec<_> = v.hints.iter().map(|h| h.kind).collect();
        assert_eq!(kinds, ["event-name-lower-case", "event-name-object-action"]);
        assert!(
            v.hints[0].message.contains("`call started`"),
            "{}",
            v.hints[0].message
        );
        let blocked = tracker(Environment::Production).check(&track("Started Call", "{}"));
        assert!(
            blocked.hints.is_empty(),
            "blocked: the unplanned_event violation says it"
        );
    }

    #[test]
    fn suggestions_are_those_of_comparing_every_name() {
        let names: Vec<String> = (0..300)
            .map(|i| format!("object{} action{}ed", i % 37, i % 7))
            .chain(["call started", "call ended", "a b"].map(String::from))
            .collect();
        let rules: Vec<String> = names
            .iter()
            .map(|n| format!(r#"{{"key":"{n}","type":"TRACK","jsonSchema":{{}}}}"#))
            .collect();
        let mut regex = NativeRegex::default();
        let plan = Plan::from_json(&format!(r#"{{"rules":[{}]}}"#, rules.join(",")), &mut regex);
        let policy = Policy::default_for(Environment::Production);
        let t = Tracker::new(plan.unwrap(), Box::new(regex), policy, 3);
        for name in [
            "Call Started",
            "call_startd",
            "object3 action3ed",
            "object3 acton3ed",
            "object36 action1ed",
            "objekt12 actoin5ed",
            "ab",
            "b",
            "",
            "zzzz",
        ] {
            let wanted = normalize_name(name);
            let every = names
                .iter()
                .map(|n| {
                    (
                        edit_distance(wanted.as_bytes(), normalize_name(n).as_bytes()),
                        n.as_str(),
                    )
                })
                .filter(|(d, _)| *d <= 2.max(wanted.len() / 4))
                .min_by_key(|(d, _)| *d)
                .map(|(_, n)| n);
            assert_eq!(t.closest_event(name), every, "{name}");
        }
        assert_eq!(
            t.closest_event("object3 acton3ed"),
            Some("object3 action3ed")
        );
    }

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance(b"kitten", b"sitting"), 3);
        assert_eq!(edit_distance(b"", b"abc"), 3);
        assert_eq!(edit_distance(b"same", b"same"), 0);
    }
}
