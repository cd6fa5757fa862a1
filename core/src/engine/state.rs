//! The changing state of a simulation: logon sessions, tokens, threads with their call frames,
//! and the proxies and bindings that remember an identity (CL-2, RP-6).
//!
//! Sessions, tokens and threads live in [`Table`]s and are named by their IDs; a thread's token
//! is a [`TokenId`] or `None` (the process token).

use std::collections::HashMap;

use super::ids::{Id, MachineId, ProcId, Table};
pub use super::ids::{SessionId, ThreadId, TokenId};
use super::world::Principal;
use crate::explain::Setting;
use crate::model::{Api, Authn, AuthnLevel, Cloaking, ImpLevel, TokenLevel};

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
    /// The account whose key decrypted the ticket behind an HTTP logon: it makes the
    /// S4U2proxy requests for it (HT-5). `None`: the serving process's account.
    pub s4u_front: Option<super::ids::AccountId>,
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
    /// COM: while impersonating through CoImpersonateClient, the token the first
    /// ImpersonateClient saved (CO-4).
    pub com_saved: ComSaved,
    /// COM: the token CoImpersonateClient last put on the thread, to notice foreign changes (CO-5).
    pub com_set: Option<TokenId>,
    /// When impersonation is blocked: the setting that blocked it.
    pub blocked_by: Option<Setting>,
}

/// Whether a proxy or binding has fixed the identity it presents (static cloaking, CL-2, or
/// static tracking, RP-6).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Captured {
    /// Not yet: the next call presents the thread's identity (and fixes it, if static).
    #[default]
    Not,
    /// Fixed: this token (`None`: the process token).
    Fixed(Option<TokenId>),
}

/// What a served COM call's first CoImpersonateClient saved, for CoRevertToSelf (CO-4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComSaved {
    /// The call has not impersonated through COM (or has reverted since).
    Not,
    /// The thread's token before it (`None`: the process token).
    Saved(Option<TokenId>),
}

#[derive(Debug, Clone)]
pub struct Thread {
    pub process: ProcId,
    pub token: Option<TokenId>,
    /// A primary token other than the process's: the client's, for a request served in a
    /// process of the client's own logon (HT-7).
    pub primary: Option<TokenId>,
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
    /// The identity fixed by static cloaking or static tracking.
    pub captured: Captured,
    /// Whether the proxy has made a call.
    pub used: bool,
}

#[derive(Default)]
pub struct State {
    pub sessions: Table<SessionId, Session>,
    pub tokens: Table<TokenId, Token>,
    pub threads: Table<ThreadId, Thread>,
    /// Per process, its threads blocked in an outgoing COM call (innermost last): where an STA
    /// re-enters (CO-3).
    pub com_waiting: Table<ProcId, Vec<ThreadId>>,
    /// Per process, its named proxies and bindings (looked up by `&str`, without allocating).
    pub proxies: Table<ProcId, HashMap<String, Proxy>>,
    /// Per process, the token of its own logon session.
    pub process_sessions: Table<ProcId, SessionId>,
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
    pub fn insert(&mut self, id: impl Id, s: Setting) {
        let id = id.index();
        self.0.push((id, s));
    }

    pub fn get(&self, id: impl Id) -> Option<&Setting> {
        let id = id.index();
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
        self.sessions.push(s)
    }

    pub fn token(&mut self, t: Token) -> TokenId {
        self.tokens.push(t)
    }

    pub fn thread(&mut self, process: ProcId) -> ThreadId {
        self.threads.push(Thread {
            process,
            token: None,
            primary: None,
            frames: Vec::new(),
        })
    }
}
