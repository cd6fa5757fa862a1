//! The changing state of a simulation: logon sessions, tokens, threads with their call frames,
//! and the proxies and bindings that remember an identity (CL-2, RP-6).
//!
//! Sessions and tokens live in arenas and are named by index; a thread's token is an index or
//! `None` (the process token).

use std::collections::HashMap;

use super::world::{MachineId, Principal, ProcId};
use crate::explain::Setting;
use crate::model::{Api, Authn, AuthnLevel, Cloaking, ImpLevel, TokenLevel};

pub type SessionId = usize;
pub type TokenId = usize;
pub type ThreadId = usize;

/// What a logon session can prove to another machine (SPEC §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Creds {
    /// Password or the user's own TGT: interactive, service and explicit logons.
    Full,
    /// A TGT forwarded by unconstrained delegation (KD-1).
    ForwardedTgt,
    /// A network logon: nothing that can leave this machine.
    None,
}

/// How the session came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The process's own logon (interactive user or service).
    Own,
    /// LogonUser with a password (KD-9).
    Explicit,
    /// Authenticated by a remote caller.
    Network,
    /// Issued through S4U2proxy (KD-4, KD-6).
    S4u,
    /// The anonymous logon.
    Anonymous,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub machine: MachineId,
    pub creds: Creds,
    pub origin: Origin,
    /// Whether the service ticket behind a network logon is forwardable, so that S4U2proxy can
    /// use it as evidence (KD-4): Kerberos, and the user may be delegated.
    pub forwardable: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub user: Principal,
    pub session: SessionId,
    pub level: TokenLevel,
}

/// What a served call lets the server impersonate.
#[derive(Debug, Clone, Copy)]
pub struct ClientCtx {
    /// The token impersonation yields, or why it fails.
    pub token: Result<TokenId, ImpersonationBlocked>,
    pub api: Api,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImpersonationBlocked {
    /// COM at authentication level NONE (AL-3).
    Unauthenticated,
    /// Unauthenticated RPC over TCP (AL-5, AM-9).
    NoTransportSecurity,
}

/// One call being served on a thread (CO-2, CO-4, CO-6).
#[derive(Debug, Clone)]
pub struct Frame {
    pub client: ClientCtx,
    /// The thread token when the call arrived; restored on return.
    pub saved: Option<TokenId>,
    /// COM: `Some(t)` while impersonating through CoImpersonateClient, with `t` the token the
    /// first ImpersonateClient saved (CO-4).
    pub com_saved: Option<Option<TokenId>>,
    /// COM: the token CoImpersonateClient last put on the thread, to notice foreign changes (CO-5).
    pub com_set: Option<TokenId>,
    /// When impersonation is blocked: the setting that blocked it.
    pub blocked_by: Option<Setting>,
}

#[derive(Debug, Clone)]
pub struct Thread {
    pub process: ProcId,
    pub token: Option<TokenId>,
    pub frames: Vec<Frame>,
}

/// A proxy's blanket as set by CoSetProxyBlanket (or a binding's by RpcBindingSetAuthInfoEx).
#[derive(Debug, Clone, Default)]
pub struct Blanket {
    pub authn: Option<Authn>,
    pub authn_level: Option<AuthnLevel>,
    pub imp_level: Option<ImpLevel>,
    pub cloaking: Option<Cloaking>,
}

/// A named proxy or binding of a process.
#[derive(Debug, Clone, Default)]
pub struct Proxy {
    pub blanket: Blanket,
    /// The identity fixed by static cloaking or static tracking: `Some(None)` is the process token.
    pub captured: Option<Option<TokenId>>,
    /// Whether the proxy has made a call.
    pub used: bool,
}

#[derive(Default)]
pub struct State {
    pub sessions: Vec<Session>,
    pub tokens: Vec<Token>,
    pub threads: Vec<Thread>,
    /// Per process, its threads blocked in an outgoing COM call (innermost last): where an STA
    /// re-enters (CO-3).
    pub com_waiting: Vec<Vec<ThreadId>>,
    /// Per process, its named proxies and bindings (looked up by `&str`, without allocating).
    pub proxies: Vec<HashMap<String, Proxy>>,
    /// Per process, the token of its own logon session.
    pub process_sessions: Vec<SessionId>,
    /// The setting that made a token weak (below Impersonation, or anonymous), for the events
    /// that later fail with it. Only weak tokens are here.
    pub weak: Settings,
    /// Network logon sessions at a service trusted for delegation that got no TGT, with the
    /// setting that kept it from being forwarded (for the next hop's double-hop failure).
    pub undelegated: Settings,
}

/// Settings by token or session: ids only grow, so pushing keeps the list sorted and a lookup
/// is a binary search (a Vec rather than a map: the playground's download is budgeted).
#[derive(Default)]
pub struct Settings(Vec<(usize, Setting)>);

impl Settings {
    /// Records the setting of `id`, newer than every id recorded before.
    pub fn insert(&mut self, id: usize, s: Setting) {
        self.0.push((id, s));
    }

    pub fn get(&self, id: usize) -> Option<&Setting> {
        let i = self.0.binary_search_by_key(&id, |(k, _)| *k).ok()?;
        Some(&self.0[i].1)
    }
}

impl State {
    /// The named proxy of a process, created on first use.
    pub fn proxy_mut(&mut self, process: ProcId, name: &str) -> &mut Proxy {
        let map = &mut self.proxies[process];
        if !map.contains_key(name) {
            map.insert(name.to_string(), Proxy::default());
        }
        map.get_mut(name).expect("inserted above")
    }

    pub fn session(&mut self, s: Session) -> SessionId {
        self.sessions.push(s);
        self.sessions.len() - 1
    }

    pub fn token(&mut self, t: Token) -> TokenId {
        self.tokens.push(t);
        self.tokens.len() - 1
    }

    pub fn thread(&mut self, process: ProcId) -> ThreadId {
        self.threads.push(Thread {
            process,
            token: None,
            frames: Vec::new(),
        });
        self.threads.len() - 1
    }
}
