//! The simulation engine: runs a scenario's steps and records one event per step, plus one
//! `return` per completed call (SPEC §3, §6).
//!
//! Evaluation is iterative: an explicit stack of work items replaces recursion, so a chain
//! thousands of calls deep costs heap, not native stack, and time is linear in the steps.
//!
//! Where each rule family lives (grep a rule's variant, e.g. `RuleId::Rp9`, to find its
//! code; go-to-definition on it leads to its catalogue entry):
//! - [`call`]: an outgoing call: blanket and authentication (AL, PK, BL), the identity
//!   presented (CL cloaking, RP-6 tracking), the level the callee gets (LV, PR-2, TK-1),
//!   where the call is served (CO-3).
//! - [`network`]: presenting a token to another machine (LV-4, RP-9, AM-4, AC-6, KD-7) and
//!   Kerberos delegation (KD-1 to KD-6).
//! - [`server`]: what a server thread does: impersonate and revert (CO, RP-1/2, NP-1), token
//!   operations (TK, LV-1), access (AC), explicit logon (KD-9), proxy blankets (BL, CL-2).
//! - [`world`] and [`state`]: the facts and the changing state they work on.

mod call;
pub mod ids;
mod network;
mod server;
pub mod state;
pub mod world;

use crate::explain::Why;
use crate::model::*;
use crate::rules::RuleId;
use ids::{Id, Table};
use state::*;
use world::*;

/// Simulates a checked scenario (see [`crate::parse`] and [`Checked::new`] to get one).
pub fn simulate(s: &Checked) -> Outcome {
    let world = World::new(s);
    let mut engine = Engine::new(&world, Sink::Keep, 0);
    engine.run();
    Outcome {
        format: OUTCOME_FORMAT,
        expectations: crate::model::expect::Expectations::of(s, &engine.events),
        events: engine.events,
    }
}

/// Simulates a checked scenario, handing each event to `sink` in order as soon as it is final,
/// so that a large outcome is never held in memory at once (the CLI writes it as it goes).
pub fn simulate_streaming(s: &Checked, sink: &mut dyn FnMut(Event)) {
    let world = World::new(s);
    let mut engine = Engine::new(&world, Sink::Each(sink), STREAM_BATCH);
    engine.run();
    engine.flush();
}

/// Simulates a checked scenario, handing the events in order in batches of about `batch` final
/// events: `sink` takes them out of the Vec it is given (`std::mem::take` or a swap), without
/// moving them one by one; whatever it leaves there is dropped.
pub fn simulate_batches(s: &Checked, batch: usize, sink: &mut dyn FnMut(&mut Vec<Event>)) {
    let world = World::new(s);
    let mut engine = Engine::new(&world, Sink::Batches(sink), batch.max(1));
    engine.run();
    engine.flush();
}

/// Events kept back before they are handed to a streaming sink.
const STREAM_BATCH: usize = 256;

/// Where final events go.
enum Sink<'k> {
    /// Kept in `Engine::events` (the whole outcome).
    Keep,
    Each(&'k mut dyn FnMut(Event)),
    Batches(&'k mut dyn FnMut(&mut Vec<Event>)),
}

/// Where a step stands: its path, label and nesting.
#[derive(Debug, Clone)]
pub(crate) struct At {
    pub path: String,
    pub label: Option<String>,
    pub depth: u32,
}

/// The effective identity of a thread, or the identity a call presents.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ident {
    pub user: Principal,
    pub session: SessionId,
    /// `None`: a process (primary) token.
    pub level: Option<TokenLevel>,
    /// `None`: the process token.
    pub token: Option<TokenId>,
}

/// Where an incoming call is served.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Target {
    /// A `call` step: a new thread, or the process's waiting STA thread (CO-3).
    Process(ProcId),
    /// A `meanwhile` call: arrives at the thread waiting for the enclosing call.
    Waiting {
        thread: ThreadId,
        enclosing_com: bool,
    },
}

/// A call that went through: what runs next.
pub(crate) struct Started {
    pub callee_thread: ThreadId,
    pub pending: Pending,
}

/// What to do when a call's steps (and meanwhile calls) are done.
pub(crate) struct Pending {
    pub at: At,
    pub caller: ThreadId,
    pub callee: ThreadId,
    pub com_wait: bool,
    pub token_before: Option<TokenId>,
    pub nested_before: u32,
}

enum Work<'s> {
    Steps {
        steps: &'s [Step],
        next: usize,
        base: String,
        thread: ThreadId,
        depth: u32,
    },
    Meanwhile {
        list: &'s [Meanwhile],
        next: usize,
        base: String,
        waiting: ThreadId,
        enclosing_com: bool,
        depth: u32,
    },
    Return(Box<Pending>),
}

pub(crate) struct Engine<'s, 'k> {
    /// The static facts: a shared reference, so that code can hold parts of it while changing
    /// the state.
    pub w: &'s World<'s>,
    pub st: State,
    /// Events not yet handed to the sink (all of them without one). Only the last may still be
    /// completed by its step; earlier ones are final.
    pub events: Vec<Event>,
    sink: Sink<'k>,
    /// How many events to keep back before handing them to the sink.
    batch: usize,
    /// Per thread, how many calls have been served nested on it (to explain CO-3 restores).
    pub nested_served: Table<ThreadId, u32>,
}

impl<'s, 'k> Engine<'s, 'k> {
    fn new(w: &'s World<'s>, sink: Sink<'k>, batch: usize) -> Engine<'s, 'k> {
        let mut st = State::default();
        // Each call makes at most a token, a logon session and a serving thread (a meanwhile
        // call also a calling thread): room for them at once, not by doubling, which copies
        // and touches fresh memory each time.
        st.tokens.reserve(w.calls);
        st.sessions.reserve(w.procs.len() + w.calls);
        st.threads.reserve(1 + w.calls);
        for p in w.procs.iter() {
            let session = st.session(Session {
                machine: p.machine,
                creds: Creds::Full,
                origin: Origin::Own,
                forwardable: false,
            });
            st.process_sessions.push(session);
        }
        st.com_waiting = w.procs.iter().map(|_| Vec::new()).collect();
        st.proxies = w.procs.iter().map(|_| Default::default()).collect();
        Engine {
            w,
            st,
            events: Vec::new(),
            sink,
            batch,
            nested_served: {
                let mut nested = Table::default();
                nested.reserve(1 + w.calls);
                nested
            },
        }
    }

    /// Hands the events to the sink (called when they are all final).
    fn flush(&mut self) {
        match &mut self.sink {
            Sink::Keep => {}
            Sink::Each(sink) => {
                for e in self.events.drain(..) {
                    sink(e);
                }
            }
            Sink::Batches(sink) => {
                sink(&mut self.events);
                self.events.clear();
            }
        }
    }

    pub fn new_thread(&mut self, process: ProcId) -> ThreadId {
        let t = self.st.thread(process);
        self.nested_served.push(0);
        t
    }

    fn run(&mut self) {
        let s = self.w.scenario;
        let root = self.w.proc_id(&s.run.process);
        let thread = self.new_thread(root);
        let mut stack: Vec<Work<'s>> = vec![Work::Steps {
            steps: &s.run.steps,
            next: 0,
            base: "run.steps".into(),
            thread,
            depth: 0,
        }];
        while let Some(top) = stack.last_mut() {
            match top {
                Work::Steps {
                    steps,
                    next,
                    base,
                    thread,
                    depth,
                } => {
                    let steps: &'s [Step] = steps;
                    if *next >= steps.len() {
                        stack.pop();
                        continue;
                    }
                    let step = &steps[*next];
                    let at = At {
                        path: crate::model::path::index(base, *next),
                        label: step.label.clone(),
                        depth: *depth,
                    };
                    *next += 1;
                    let (thread, depth) = (*thread, *depth);
                    if let Action::Call(call) = &step.action {
                        let target = Target::Process(self.w.proc_id(&call.peer));
                        if let Some(started) = self.call(call, &at, thread, target) {
                            self.push_call(&mut stack, call, started, at, depth);
                        }
                    } else {
                        let mut at = at;
                        self.server_step(&step.action, &mut at, thread);
                    }
                }
                Work::Meanwhile {
                    list,
                    next,
                    base,
                    waiting,
                    enclosing_com,
                    depth,
                } => {
                    let list: &'s [Meanwhile] = list;
                    if *next >= list.len() {
                        stack.pop();
                        continue;
                    }
                    let mw = &list[*next];
                    let at = At {
                        path: crate::model::path::index(base, *next),
                        label: mw.label.clone(),
                        depth: *depth,
                    };
                    *next += 1;
                    let target = Target::Waiting {
                        thread: *waiting,
                        enclosing_com: *enclosing_com,
                    };
                    let depth = *depth;
                    // The meanwhile caller is a thread of its own process, on its process token.
                    let from = self.w.proc_id(&mw.call.peer);
                    let caller = self.new_thread(from);
                    if let Some(started) = self.call(&mw.call, &at, caller, target) {
                        self.push_call(&mut stack, &mw.call, started, at, depth);
                    }
                }
                Work::Return(_) => {
                    if let Some(Work::Return(p)) = stack.pop() {
                        self.finish_call(*p);
                    }
                }
            }
        }
    }

    fn push_call(
        &mut self,
        stack: &mut Vec<Work<'s>>,
        call: &'s Call,
        started: Started,
        at: At,
        depth: u32,
    ) {
        let callee_thread = started.callee_thread;
        let caller = started.pending.caller;
        let base_steps = crate::model::path::key(&at.path, "steps");
        let base_meanwhile = crate::model::path::key(&at.path, "meanwhile");
        stack.push(Work::Return(Box::new(started.pending)));
        if !call.meanwhile.is_empty() {
            stack.push(Work::Meanwhile {
                list: &call.meanwhile,
                next: 0,
                base: base_meanwhile,
                waiting: caller,
                enclosing_com: call.api == Api::Com,
                depth: depth + 1,
            });
        }
        stack.push(Work::Steps {
            steps: &call.steps,
            next: 0,
            base: base_steps,
            thread: callee_thread,
            depth: depth + 1,
        });
    }

    /// The identity a thread acts as: its thread token, else its process token.
    pub fn effective(&self, thread: ThreadId) -> Ident {
        let t = &self.st.threads[thread];
        match t.token {
            Some(tok) => self.token_ident(tok),
            None => self.process_ident(t.process),
        }
    }

    pub fn token_ident(&self, tok: TokenId) -> Ident {
        let t = self.st.tokens[tok];
        Ident {
            user: t.user,
            session: t.session,
            level: Some(t.level),
            token: Some(tok),
        }
    }

    pub fn process_ident(&self, process: ProcId) -> Ident {
        Ident {
            user: self.w.procs[process].principal,
            session: self.st.process_sessions[process],
            level: None,
            token: None,
        }
    }

    /// The display name of an identity a thread may hold (`None`: the process token).
    pub fn name_of(&self, token: Option<TokenId>, process: ProcId) -> String {
        let user = match token {
            Some(t) => self.st.tokens[t].user,
            None => self.w.procs[process].principal,
        };
        self.w.display(user).to_string()
    }

    /// `identity` and `level` of an event on `thread`.
    fn identity_of(&self, thread: ThreadId) -> (String, Option<TokenLevel>) {
        let id = self.effective(thread);
        (self.w.display(id.user).to_string(), id.level)
    }

    /// Records an event for a step on `thread`, with the thread's identity after the step.
    pub fn emit(
        &mut self,
        at: &At,
        action: &'static str,
        thread: ThreadId,
        status: Status,
        why: Why,
    ) -> &mut Event {
        let (path, label) = (at.path.clone(), at.label.clone());
        self.record(path, label, at.depth, action, thread, status, why)
    }

    /// [`Engine::emit`] for a step's last event: its path and label move into the event
    /// (leaving `at` without them) instead of being copied.
    pub fn emit_final(
        &mut self,
        at: &mut At,
        action: &'static str,
        thread: ThreadId,
        status: Status,
        why: Why,
    ) -> &mut Event {
        let (path, label) = (std::mem::take(&mut at.path), at.label.take());
        self.record(path, label, at.depth, action, thread, status, why)
    }

    #[allow(clippy::too_many_arguments)]
    fn record(
        &mut self,
        path: String,
        label: Option<String>,
        depth: u32,
        action: &'static str,
        thread: ThreadId,
        status: Status,
        why: Why,
    ) -> &mut Event {
        if !matches!(self.sink, Sink::Keep) && self.events.len() >= self.batch {
            self.flush();
        }
        let (identity, level) = self.identity_of(thread);
        let process = self.st.threads[thread].process;
        let (rules, explain, setting) = why.into_all();
        let p = &self.w.procs[process];
        self.events.push(Event {
            step: path,
            label,
            action,
            process: p.name.clone(),
            status,
            identity,
            level,
            rules,
            explain,
            to: None,
            authn: None,
            authn_level: None,
            seen_as: None,
            seen_level: None,
            delegation: None,
            kdc_status: None,
            setting,
            detail: EventDetail {
                depth,
                thread: thread.index() as u32,
                ..EventDetail::default()
            },
        });
        let last = self.events.len() - 1;
        &mut self.events[last]
    }

    /// Ends a call: restores the serving thread (CO-2, CO-6, or traditional nesting) and
    /// records the `return` on the caller's thread.
    fn finish_call(&mut self, p: Pending) {
        let traditional = self.w.scenario.options.traditional_nesting;
        let callee_proc = self.st.threads[p.callee].process;
        let callee_name = self.w.procs[callee_proc].name.clone();
        let thread = &mut self.st.threads[p.callee];
        let frame = thread.frames.pop();
        if thread.frames.is_empty() {
            // The thread's call is over: give its frame's memory back for the next ones.
            thread.frames = Vec::new();
        }
        if let Some(frame) = frame {
            if traditional {
                // Nothing is restored; COM's automatic revert (CO-2) drops to the process token.
                if thread.token != frame.saved {
                    thread.token = None;
                }
            } else {
                thread.token = frame.saved;
            }
        }
        let caller_proc = self.st.threads[p.caller].process;
        if p.com_wait {
            self.st.com_waiting[caller_proc].pop();
        }
        let mut why = Why::new();
        let now = self.st.threads[p.caller].token;
        let (identity, _) = self.identity_of(p.caller);
        let nested = self.nested_served[p.caller] > p.nested_before;
        if now != p.token_before {
            why.rule(&[RuleId::Co3]).say_fmt(format_args!(
                "{callee_name} replies. Traditional nesting: a call nested on this thread changed its token and nothing restored it, so the thread now runs as {identity}."
            ));
        } else if nested && !traditional {
            why.rule(&[RuleId::Co3, RuleId::Co6]).say_fmt(format_args!(
                "{callee_name} replies. A call served nested on this thread changed its token meanwhile; COM restored it on that call's return, so the thread is back to {identity}."
            ));
        } else {
            why.rule(&[RuleId::Co2]).say_fmt(format_args!(
                "{callee_name} replies; this thread's token is unchanged ({identity})."
            ));
        }
        let mut at = p.at;
        self.emit_final(&mut at, "return", p.caller, Status::Ok, why);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn batches_and_single_events_are_the_whole_outcome_in_order() {
        let s = crate::Checked::new(crate::synthetic::wide(3_000)).unwrap();
        let whole = super::simulate(&s).events;
        for batch in [1, 7, 1024, 100_000] {
            let mut got = Vec::new();
            let mut sizes = Vec::new();
            super::simulate_batches(&s, batch, &mut |events| {
                sizes.push(events.len());
                got.append(events);
            });
            assert_eq!(got, whole, "batch {batch}");
            assert!(sizes.iter().all(|&n| n >= 1), "{sizes:?}");
        }
        let mut each = Vec::new();
        super::simulate_streaming(&s, &mut |e| each.push(e));
        assert_eq!(each, whole);
    }
}
