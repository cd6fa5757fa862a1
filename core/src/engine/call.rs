//! An outgoing call, decided in the order Windows decides it: one function per phase, each
//! taking only what the phases before it established and returning what it establishes, or
//! the [`Failed`] call (the style of rustls's `Expect*` states):
//!
//! 1. [`Engine::blanket`]: call fields over the proxy's blanket over the process defaults
//!    (BL-2, LV-3); what CoSetProxyBlanket rejects (BL-3, AL-6). Gives [`Asked`].
//! 2. [`Engine::package`]: the package and the authentication level (PK-1, AL-1, AL-2, AL-4,
//!    AM-8). Gives [`Negotiated`].
//! 3. [`Engine::presented`]: the identity presented: cloaking for COM (CL table, CL-1..CL-3),
//!    identity tracking for RPC and pipes (RP-6, AM-10); a token too weak to present (CL-4,
//!    TK-2). Gives an [`Ident`].
//! 4. [`Engine::network`]: Kerberos needs the right principal name (PK table, BL-3); the
//!    identity the callee authenticates: local calls share the logon session, remote calls go
//!    through [`super::network`]. Gives [`Authenticated`].
//! 5. [`Engine::callee_level`]: the level of the callee's token (LV-2, AM-1, NP-3, LV-5, RP-7,
//!    RP-8, AM-11, TK-1, PR-2). Gives [`Granted`].
//! 6. [`Engine::placement`]: the callee's token, and where the call runs: a new thread, or
//!    nested on a waiting STA thread (CO-3). Gives [`Placed`].
//!
//! [`Engine::call`] runs the phases and builds the `call` event, in one place for a call that
//! went through and one that failed.

use super::defaults;
use super::ids::Id;
use super::network::{Hop, NetPath, Remote};
use super::spn::Owner;
use super::state::*;
use super::world::*;
use super::{At, Engine, Ident, Pending, Started, Target};
use crate::explain::{level_phrase, short, Setting, Why};
use crate::model::*;
use crate::rules::RuleId;

/// A failed call: its status, and the package and level it was attempting (a failed call
/// still says them).
struct Failed {
    status: Status,
    kdc_status: Option<KdcStatus>,
    authn: Authn,
    level: AuthnLevel,
}

impl Failed {
    fn new(status: Status, authn: Authn, level: AuthnLevel) -> Failed {
        Failed {
            status,
            kdc_status: None,
            authn,
            level,
        }
    }
}

/// Phase 1: what the caller asks for.
struct Asked<'a> {
    call: &'a Call,
    /// The call step's path (to name its fields as settings).
    path: &'a str,
    api: Api,
    caller_t: ThreadId,
    caller: ProcId,
    callee: ProcId,
    local: bool,
    transport: Transport,
    authn: Authn,
    level: AuthnLevel,
    imp: ImpLevel,
    cloaking: Cloaking,
    /// The named proxy's blanket (CoSetProxyBlanket), to tell whose value decided.
    blanket: Blanket,
    /// The identity the named proxy or binding fixed earlier, if any.
    captured: Captured,
}

/// Phase 2: the package and level agreed, and the principal name the call names.
struct Negotiated<'a> {
    package: Authn,
    level: AuthnLevel,
    spn: Option<&'a str>,
    spn_owner: Owner,
}

/// Phase 4: whom the callee authenticated, and how.
struct Authenticated {
    /// The identity the caller presented (phase 3).
    presented: Ident,
    seen: Seen,
    /// SPEC §3 `delegation` so far (phase 5 may make it `unconstrained`).
    delegation: DelegationKind,
    /// The package the event reports.
    reported: Authn,
}

/// Phase 5: the level of the callee's token.
struct Granted {
    level: TokenLevel,
    /// What decided the level.
    from: LevelFrom,
    /// Whether the client's TGT was forwarded (unconstrained delegation).
    forwarded: bool,
    /// A DELEGATE call whose TGT was not forwarded: the setting that kept it.
    not_forwarded: Option<Setting>,
}

/// What decided the level of the callee's token, kept cheap until a weak token needs it named.
#[derive(Clone, Copy)]
enum LevelFrom {
    /// A field of the call (or, when the call leaves it to the proxy, its `proxy`).
    Call(StepField),
    /// The caller's CoInitializeSecurity level.
    CallerDefault,
    /// The callee's kind (SeImpersonatePrivilege, PR-2).
    CalleeKind,
    /// The presented token's own weakness.
    Token(TokenId),
}

/// A field of the call at `path`, named for a person: "Impersonation level of the call web → db".
#[inline(never)]
fn call_field(path: &str, caller: &str, callee: &str, name: &str, what: &str) -> Setting {
    step_setting(
        path,
        name,
        format!("{what} of the call {caller} → {callee}"),
    )
}

/// Phase 6: the call as served.
struct Placed {
    serve_t: ThreadId,
    nested: bool,
    reported: Authn,
    level: AuthnLevel,
    delegation: DelegationKind,
    seen_display: String,
    /// `None`: the callee cannot impersonate.
    seen_level: Option<TokenLevel>,
    /// A refused S4U2proxy the call fell back from (SM-3).
    kdc_status: Option<KdcStatus>,
}

fn pick<T: Copy + PartialEq>(call: T, default: T, blanket: Option<T>) -> T {
    if call != default {
        call
    } else {
        blanket.unwrap_or(default)
    }
}

/// Negotiate's choice (PK-1): Kerberos off the machine when one account owns the SPN, else NTLM.
fn negotiated(local: bool, spn_owner: Owner) -> Authn {
    if !local && spn_owner.account().is_some() {
        Authn::Kerberos
    } else {
        Authn::Ntlm
    }
}

impl<'s, 'k> Engine<'s, 'k> {
    /// Runs a call's phases and records its `call` event; `None` when the call failed.
    pub(super) fn call(
        &mut self,
        call: &'s Call,
        at: &At,
        caller_t: ThreadId,
        target: Target,
    ) -> Option<Started> {
        let callee = match target {
            Target::Process(p) => p,
            Target::Waiting { thread, .. } => self.st.threads[thread].process,
        };
        let mut why = Why::new();
        let decided = self.decide(call, &at.path, caller_t, callee, target, &mut why);
        let caller = self.st.threads[caller_t].process;
        let token_before = self.st.threads[caller_t].token;
        let nested_before = self.nested_served[caller_t];
        let callee_name = self.w.procs[callee].name.clone();
        let status = match &decided {
            Ok(_) => Status::Ok,
            Err(f) => f.status,
        };
        let e = self.emit(at, "call", caller_t, status, why);
        e.to = Some(callee_name);
        e.detail.http = call.api == Api::Http;
        match decided {
            Err(f) => {
                e.authn = Some(f.authn);
                e.authn_level = Some(f.level);
                e.seen_as = Some(None);
                e.seen_level = Some(None);
                e.delegation = Some(DelegationKind::None);
                e.kdc_status = f.kdc_status;
                None
            }
            Ok(p) => {
                e.authn = Some(p.reported);
                e.authn_level = Some(p.level);
                e.seen_as = Some(Some(p.seen_display));
                e.seen_level = Some(p.seen_level);
                e.delegation = Some(p.delegation);
                e.kdc_status = p.kdc_status;
                e.detail.callee_thread = Some(p.serve_t.index() as u32);
                e.detail.nested = p.nested;
                let com_wait = call.api == Api::Com;
                if com_wait {
                    self.st.com_waiting[caller].push(caller_t);
                }
                Some(Started {
                    callee_thread: p.serve_t,
                    pending: Pending {
                        at: at.clone(),
                        caller: caller_t,
                        callee: p.serve_t,
                        com_wait,
                        token_before,
                        nested_before,
                    },
                })
            }
        }
    }

    /// The phases in Windows' order.
    fn decide(
        &mut self,
        call: &'s Call,
        path: &str,
        caller_t: ThreadId,
        callee: ProcId,
        target: Target,
        why: &mut Why,
    ) -> Result<Placed, Failed> {
        let asked = self.blanket(call, path, caller_t, callee, why)?;
        let agreed = self.package(&asked, why)?;
        let ident = self.presented(&asked, &agreed, why)?;
        let auth = self.network(&asked, &agreed, ident, why)?;
        let granted = self.callee_level(&asked, &agreed, &auth, why)?;
        Ok(self.placement(&asked, &agreed, auth, granted, target, why))
    }

    /// Phase 1, the blanket: call fields over the proxy's blanket over the process defaults
    /// (BL-2, LV-3), and what CoSetProxyBlanket rejects (BL-3, AL-6).
    fn blanket<'a>(
        &self,
        call: &'a Call,
        path: &'a str,
        caller_t: ThreadId,
        callee: ProcId,
        why: &mut Why,
    ) -> Result<Asked<'a>, Failed> {
        let caller = self.st.threads[caller_t].process;
        let cp = &self.w.procs[caller];
        let local = cp.machine == self.w.procs[callee].machine;
        let api = call.api;
        let proxy = call
            .proxy
            .as_deref()
            .and_then(|n| self.st.proxies[caller].get(n));
        let blanket = proxy.map(|p| p.blanket.clone()).unwrap_or_default();
        let transport = call
            .transport
            .unwrap_or_else(|| defaults::transport(api, local));
        let authn = pick(call.authn, Authn::Default, blanket.authn);
        let level = pick(call.authn_level, AuthnLevel::Default, blanket.authn_level);
        let cloaking = match api {
            // CL-8, silently: cloaking set for the whole process (CoInitializeSecurity) applies
            // to every call whose proxy and fields do not set their own.
            Api::Com => call
                .cloaking
                .or(blanket.cloaking)
                .unwrap_or(defaults::cloaking(cp.com.cloaking).0),
            // CL-9, silently: RPC and pipes have no cloaking, identity tracking instead (RP-6).
            _ => Cloaking::None,
        };
        let asked = Asked {
            call,
            path,
            api,
            caller_t,
            caller,
            callee,
            local,
            transport,
            authn,
            level,
            imp: pick(call.imp_level, ImpLevel::Default, blanket.imp_level),
            cloaking,
            blanket,
            captured: proxy.map(|p| p.captured).unwrap_or_default(),
        };
        let a = &asked;
        if api == Api::Com {
            if let Some((rules, sentence, name)) = blanket_rejected(authn, level, cloaking) {
                let (in_call, in_proxy) = match name {
                    StepField::Cloaking => (call.cloaking.is_some(), a.blanket.cloaking.is_some()),
                    _ => (
                        call.authn_level != AuthnLevel::Default,
                        a.blanket.authn_level.is_some(),
                    ),
                };
                why.rule(rules)
                    .say(sentence)
                    .decide(self.blanket_field(a, name, in_call, in_proxy));
                return Err(Failed::new(Status::EInvalidArg, authn, level));
            }
        }
        Ok(asked)
    }

    /// A field of the call, named for a person: "Impersonation level of the call web → db".
    fn field(&self, a: &Asked, f: StepField) -> Setting {
        self.field_as(a, f, f.title())
    }

    /// A field of the call, named `what` for a person.
    fn field_as(&self, a: &Asked, f: StepField, what: &str) -> Setting {
        let w = self.w;
        call_field(
            a.path,
            &w.procs[a.caller].name,
            &w.procs[a.callee].name,
            f.as_str(),
            what,
        )
    }

    /// A blanket value: the call's field when it sets one, else its proxy's (set by
    /// CoSetProxyBlanket), else, for COM, the caller's CoInitializeSecurity.
    fn blanket_field(&self, a: &Asked, f: StepField, in_call: bool, in_proxy: bool) -> Setting {
        if in_call {
            self.field(a, f)
        } else if in_proxy {
            self.field(a, StepField::Proxy)
        } else if a.api == Api::Com && f != StepField::Authn {
            let name = f.as_str();
            self.w
                .process_setting(a.caller, &format!("com.{name}"), f.title())
        } else {
            self.field(a, f)
        }
    }

    /// Phase 2, the package and the authentication level (PK-1, AL-1, AL-2, AL-4, AM-8).
    fn package<'a>(&self, a: &Asked<'a>, why: &mut Why) -> Result<Negotiated<'a>, Failed>
    where
        's: 'a,
    {
        let w = self.w;
        let (cp, sp) = (&w.procs[a.caller], &w.procs[a.callee]);
        let (spn, spn_owner): (Option<&str>, _) = match &a.call.spn {
            Some(s) if s.is_empty() => (None, Owner::Nobody),
            Some(s) => (Some(s), w.spn_owner(s)),
            // SM-1: SMB authenticates to cifs/<MACHINE>, whoever serves the pipe.
            None if a.api == Api::Pipe => {
                why.rule(&[RuleId::Sm1]);
                let (s, o) = w.host_spn(sp.machine, false);
                (Some(s), o)
            }
            None if a.api == Api::Http => {
                let (s, o) = w.host_spn(sp.machine, true);
                (Some(s), o)
            }
            None => w.default_spn_and_owner(a.callee),
        };
        let asked = match a.authn {
            Authn::Default => defaults::authn(a.api),
            other => other,
        };
        let mut package = match asked {
            Authn::Negotiate => {
                why.rule(&[RuleId::Pk1]);
                if !a.local {
                    if let Some(s) = spn {
                        self.spn_fallback(a, s, spn_owner, why);
                    }
                }
                negotiated(a.local, spn_owner)
            }
            other => other,
        };
        if a.api == Api::Http {
            // SPEC §7.3: TLS is not modelled; an HTTP request reports level connect.
            return Ok(Negotiated {
                package,
                level: AuthnLevel::Connect,
                spn,
                spn_owner,
            });
        }
        if a.level == AuthnLevel::None {
            package = Authn::None;
        }
        if a.transport == Transport::Ncalrpc && matches!(package, Authn::Kerberos | Authn::Schannel)
        {
            why.rule(&[RuleId::Pk]).say_fmt(format_args!(
                "ncalrpc supports only NTLM, so the {} request is served by NTLM.",
                package
            ));
            package = Authn::Ntlm;
        }
        let mut level = if package == Authn::None {
            AuthnLevel::None
        } else {
            match a.level {
                AuthnLevel::Default => {
                    let (level, rule) =
                        defaults::authn_level(a.api, cp.com.authn_level, sp.com.authn_level);
                    if let Some(rule) = rule {
                        why.rule(&[rule]);
                    }
                    level
                }
                l => l,
            }
        };
        if level == AuthnLevel::None {
            // Negotiated down to NONE (AL-2): the call is unauthenticated whatever the service.
            package = Authn::None;
        } else {
            // AL-1's ncalrpc upgrade is RPC's; local COM reports the negotiated level (TC-01).
            if a.api == Api::Rpc
                && a.transport == Transport::Ncalrpc
                && level != AuthnLevel::PktPrivacy
            {
                why.rule(&[RuleId::Al1]);
                level = AuthnLevel::PktPrivacy;
            } else if level == AuthnLevel::Call && a.transport != Transport::Ncalrpc {
                why.rule(&[RuleId::Al1]);
                level = AuthnLevel::Pkt;
            }
        }
        if a.api == Api::Com && level < sp.com.authn_level {
            why.rule(&[RuleId::Al2, RuleId::Am8]).say_fmt(format_args!(
                "The call arrives at authentication level {} but {} requires at least {} (its CoInitializeSecurity level), so COM rejects it.",
                level, sp.name, sp.com.authn_level
            )).decide(w.process_setting(a.callee, "com.authn_level", StepField::AuthnLevel.title()));
            return Err(Failed::new(Status::EAccessDenied, package, level));
        }
        Ok(Negotiated {
            package,
            level,
            spn,
            spn_owner,
        })
    }

    /// Phase 3, the identity presented: cloaking for COM (CL table, CL-1..CL-3), identity
    /// tracking for RPC and pipes (RP-6, AM-10); a token too weak to present (CL-4, TK-2).
    fn presented(
        &mut self,
        a: &Asked<'_>,
        n: &Negotiated<'_>,
        why: &mut Why,
    ) -> Result<Ident, Failed> {
        let thread_token = self.st.threads[a.caller_t].token;
        let (presented, capture_now) = match a.api {
            Api::Com => self.cloaked(a, thread_token, why),
            Api::Rpc | Api::Pipe => self.tracked(a, thread_token, why),
            // HT-1, silently: an HTTP client sends the identity its thread runs as.
            Api::Http => (thread_token, None),
        };
        if let Some(name) = a.call.proxy.as_deref() {
            let entry = self.st.proxy_mut(a.caller, name);
            if let (Captured::Not, Some(c)) = (entry.captured, capture_now) {
                entry.captured = Captured::Fixed(c);
            }
            entry.used = true;
        }
        let ident = match presented {
            Some(t) => self.token_ident(t),
            None => self.base_ident(a.caller_t),
        };
        let transmits_identity =
            !(n.package == Authn::None && a.transport == Transport::NcacnIpTcp);
        if let (Some(lvl), true) = (ident.level, transmits_identity) {
            if lvl < TokenLevel::Impersonate {
                let who = self.w.display(ident.user);
                why.decide(self.weak_setting(ident.token).unwrap_or_else(|| {
                    let f = match a.api {
                        Api::Com => StepField::Cloaking,
                        Api::Http => StepField::ImpLevel,
                        _ => StepField::Tracking,
                    };
                    self.field_as(a, f, "Identity presented")
                }));
                if a.api == Api::Com {
                    why.rule(&[RuleId::Cl4, RuleId::Lv1]).say_fmt(format_args!(
                        "The thread holds {who} only at {} level; a server cannot make cloaked calls with a token below Impersonation.",
                        lvl.windows_name()
                    ));
                    return Err(Failed::new(Status::EAccessDenied, n.package, n.level));
                }
                why.rule(&[RuleId::Tk2, RuleId::Lv1]).say_fmt(format_args!(
                    "The thread holds {who} only at {} level, which cannot be passed on to another server.",
                    lvl.windows_name()
                ));
                return Err(Failed::new(
                    Status::ErrorBadImpersonationLevel,
                    n.package,
                    n.level,
                ));
            }
        }
        Ok(ident)
    }

    /// COM cloaking (CL table): the token presented (`None`: the process token) and, for a
    /// proxy's first statically cloaked call, the identity it fixes.
    // CL-6, silently: an identity crosses several machines only with cloaking (the thread's
    // token is presented) and Delegate (LV-5); without cloaking each hop presents its process.
    // CL-7, silently: S27's worked chains (A→B→C→D) follow from that; tests/cases replay them.
    fn cloaked(
        &self,
        a: &Asked<'_>,
        thread_token: Option<TokenId>,
        why: &mut Why,
    ) -> (Option<TokenId>, Option<Option<TokenId>>) {
        match a.cloaking {
            Cloaking::None => {
                why.rule(&[RuleId::Cl1]);
                if thread_token.is_some() {
                    why.say_fmt(format_args!(
                        "Without cloaking, COM presents {}'s process token, not the thread's impersonation token.",
                        self.w.procs[a.caller].name
                    ));
                }
                (None, None)
            }
            Cloaking::Dynamic => {
                why.rule(&[RuleId::Cl3, RuleId::Cl]);
                if thread_token.is_some() {
                    why.say("Dynamic cloaking presents the thread's token.");
                }
                (thread_token, None)
            }
            Cloaking::Static => {
                why.rule(&[RuleId::Cl2, RuleId::Cl]);
                match (a.captured, a.call.proxy.as_deref()) {
                    (Captured::Fixed(c), Some(proxy)) => {
                        why.say_fmt(format_args!(
                            "Static cloaking: proxy {proxy} keeps the identity fixed earlier ({}), whatever the thread's token is now.",
                            self.name_of(c, a.caller)
                        ));
                        (c, None)
                    }
                    (_, proxy) => {
                        if proxy.is_some() {
                            why.say_fmt(format_args!(
                                "Static cloaking fixes the proxy's identity at its first call: {}.",
                                self.name_of(thread_token, a.caller)
                            ));
                        }
                        (thread_token, Some(thread_token))
                    }
                }
            }
        }
    }

    /// RPC and pipe identity tracking (RP-6, AM-10), as [`Engine::cloaked`] for COM.
    fn tracked(
        &self,
        a: &Asked<'_>,
        thread_token: Option<TokenId>,
        why: &mut Why,
    ) -> (Option<TokenId>, Option<Option<TokenId>>) {
        why.rule(&[RuleId::Rp6]);
        match (
            a.call.tracking.unwrap_or(defaults::tracking().0),
            a.captured,
        ) {
            (Tracking::Dynamic, _) => (thread_token, None),
            (Tracking::Static, Captured::Fixed(c)) if a.call.proxy.is_some() => {
                why.rule(&[RuleId::Am10]).say_fmt(format_args!(
                    "Static identity tracking: binding {} keeps the identity captured earlier ({}).",
                    a.call.proxy.as_deref().unwrap_or(""),
                    self.name_of(c, a.caller)
                ));
                (c, None)
            }
            (Tracking::Static, _) => (thread_token, Some(thread_token)),
        }
    }

    /// Phase 4, whom the callee authenticates: Kerberos needs the server's principal name (PK
    /// table, BL-3, RP-5); unauthenticated calls (AL-3, AL-4, AL-5); a local call shares the
    /// caller's logon session; a remote one goes through [`super::network`].
    fn network(
        &mut self,
        a: &Asked<'_>,
        n: &Negotiated<'_>,
        ident: Ident,
        why: &mut Why,
    ) -> Result<Authenticated, Failed> {
        let w = self.w;
        let sp = &w.procs[a.callee];
        if n.package == Authn::Kerberos {
            if let Some((status, setting)) = self.kerberos_name_problem(a, n, why) {
                why.decide(setting);
                return Err(Failed::new(status, n.package, n.level));
            }
        }
        if a.api == Api::Http {
            if let Some(auth) = self.http_auth(a, n, ident, why)? {
                return Ok(auth);
            }
        }
        let (package, api) = (n.package, a.api);
        let mut auth = Authenticated {
            presented: ident,
            seen: Seen::Local(ident),
            delegation: DelegationKind::None,
            reported: package,
        };
        if api == Api::Com && package == Authn::None {
            why.rule(&[RuleId::Al3, RuleId::Bl7]).say_fmt(format_args!(
                "The call is unauthenticated (level NONE); {} accepts it, but cannot impersonate the caller.",
                sp.name
            ));
            let call = a.call;
            why.decide(if a.level == AuthnLevel::None || a.authn != Authn::None {
                self.blanket_field(
                    a,
                    StepField::AuthnLevel,
                    call.authn_level != AuthnLevel::Default,
                    a.blanket.authn_level.is_some(),
                )
            } else {
                self.blanket_field(
                    a,
                    StepField::Authn,
                    call.authn != Authn::Default,
                    a.blanket.authn.is_some(),
                )
            });
            auth.seen = Seen::anonymous_blocked(ImpersonationBlocked::Unauthenticated);
        } else if package == Authn::None && a.transport == Transport::NcacnIpTcp {
            why.rule(&[RuleId::Al4, RuleId::Al5])
                .say(
                    "The call is unauthenticated over TCP: the server learns nothing about the caller and cannot impersonate it.",
                )
                .decide(self.blanket_field(
                    a,
                    StepField::Authn,
                    a.call.authn != Authn::Default,
                    a.blanket.authn.is_some(),
                ));
            auth.seen = Seen::anonymous_blocked(ImpersonationBlocked::NoTransportSecurity);
        } else if a.local {
            auth.delegation = DelegationKind::Local;
            if ident.token.is_some() {
                why.rule(&[RuleId::Lv4]);
            }
        } else {
            let path = match (api, a.authn) {
                (Api::Com, _) => NetPath::ComCloaked,
                (Api::Rpc | Api::Http, Authn::Kerberos) => NetPath::KerberosOnly,
                _ => NetPath::NtlmCapable,
            };
            let net_package = if package == Authn::None {
                why.rule(&[RuleId::Al5, RuleId::Rp10]);
                negotiated(a.local, n.spn_owner)
            } else {
                package
            };
            if api == Api::Pipe && a.call.authn == Authn::None {
                why.rule(&[RuleId::Al5])
                    .say("The pipe is opened over an SMB null session, so the server sees ANONYMOUS LOGON.")
                    .decide(self.field(a, StepField::Authn));
                auth.seen = Seen::remote(Remote::anonymous(Authn::Ntlm));
            } else {
                let spn_setting = || self.spn_field(a);
                let hop = Hop {
                    package: net_package,
                    spn: n.spn,
                    spn_owner: n.spn_owner.account(),
                    spn_setting: &spn_setting,
                    to: sp.machine,
                    path,
                };
                let r = self.present_remote(a.caller, ident, hop, why).map_err(
                    |(status, kdc_status)| Failed {
                        kdc_status,
                        ..Failed::new(status, net_package, n.level)
                    },
                )?;
                auth.delegation = r.delegation;
                if package != Authn::None {
                    auth.reported = r.package;
                }
                auth.seen = Seen::remote(r);
            }
        }
        Ok(auth)
    }

    /// Why Kerberos cannot authenticate to `callee` with the call's principal name, if it
    /// cannot: no name, nobody's name, or another account's.
    /// The SPNs of the account a call to `a.callee` names by default.
    fn spn_setting(&self, a: &Asked) -> Setting {
        let w = self.w;
        w.account_setting(w.service_account(a.callee), "spns", "SPNs", a.callee)
    }

    /// What made a token weak, if it is (see [`State::weak`]).
    pub(super) fn weak_setting(&self, token: Option<TokenId>) -> Option<Setting> {
        self.st.weak.get(token?).cloned()
    }

    /// The account whose key the callee decrypts tickets with (SP-5): the computer account
    /// for SMB (SM-1), else the process's account.
    fn key_account(&self, a: &Asked<'_>) -> AccountId {
        let w = self.w;
        let p = &w.procs[a.callee];
        if a.api == Api::Pipe || self.kernel_mode(a) {
            w.computer_account(p.machine)
        } else {
            w.service_account(a.callee)
        }
    }

    /// HT-2: an http call whose tickets HTTP.sys decrypts with the computer account's key.
    fn kernel_mode(&self, a: &Asked<'_>) -> bool {
        let h = self.w.procs[a.callee].http;
        a.api == Api::Http && h.kernel_mode && !h.use_app_pool_credentials
    }

    /// Why the KDC has no ticket for an SPN (SP-3, SP-4): "registered on no account" or "on
    /// both A and B"; `None` when one account owns it.
    pub(super) fn unowned(&self, spn: &str, owner: Owner) -> Option<(RuleId, String)> {
        let names = |x: AccountId| &self.w.accounts[x].name;
        match owner {
            Owner::Account(_) => None,
            Owner::Nobody => Some((
                RuleId::Sp3,
                format!("{spn} is registered on no account, so the KDC has no key for it (KDC_ERR_S_PRINCIPAL_UNKNOWN)"),
            )),
            Owner::Duplicate(x, y) => Some((
                RuleId::Sp4,
                format!(
                    "{spn} is registered on both {} and {}, so the KDC refuses it as a duplicate (KDC_ERR_S_PRINCIPAL_UNKNOWN, event 11)",
                    names(x),
                    names(y)
                ),
            )),
        }
    }

    /// Negotiate off the machine to an SPN without a single owner: NTLM instead (SP-3, SP-4).
    fn spn_fallback(&self, a: &Asked<'_>, spn: &str, owner: Owner, why: &mut Why) {
        if let Some((rule, sentence)) = self.unowned(spn, owner) {
            why.rule(&[rule])
                .say_fmt(format_args!("{sentence}, and Negotiate fell back to NTLM."))
                .settle(self.spn_field(a));
        }
    }

    /// The setting that names a call's SPN: its `spn` field, or the account SPNs it defaults to.
    fn spn_field(&self, a: &Asked<'_>) -> Setting {
        match (&a.call.spn, a.api) {
            (None, Api::Com | Api::Rpc) => self.spn_setting(a),
            _ => self.field(a, StepField::Spn),
        }
    }

    /// Why Kerberos cannot authenticate to the callee with the call's principal name, if it
    /// cannot: no name, nobody's name (SP-3, SP-4), or another account's (SP-5).
    fn kerberos_name_problem(
        &self,
        a: &Asked<'_>,
        n: &Negotiated<'_>,
        why: &mut Why,
    ) -> Option<(Status, Setting)> {
        let key = self.key_account(a);
        let Some(s) = n.spn else {
            why.rule(&[RuleId::Pk, RuleId::Bl3, RuleId::Rp5]).say(
                "Kerberos needs the server's principal name and the call gives none, so the call fails.",
            );
            return Some((Status::RpcSSecPkgError, self.spn_field(a)));
        };
        if let Some((rule, sentence)) = self.unowned(s, n.spn_owner) {
            why.rule(&[rule, RuleId::Pk]).say_fmt(format_args!(
                "{sentence}; the call asked for Kerberos only, so it fails."
            ));
            let status = match a.api {
                Api::Http => Status::SecETargetUnknown,
                _ => Status::RpcSSecPkgError,
            };
            return Some((status, self.spn_field(a)));
        }
        let owner = n.spn_owner.account()?;
        if owner == key {
            return None;
        }
        let w = self.w;
        let mut setting = self.spn_field(a);
        if self.kernel_mode(a) {
            why.rule(&[RuleId::Ht2]).say_fmt(format_args!(
                "Kernel-mode authentication uses {}'s key unless http.use_app_pool_credentials is set.",
                w.accounts[key].name
            ));
            setting = w.process_setting(
                a.callee,
                "http.use_app_pool_credentials",
                "App pool credentials",
            );
        }
        why.rule(&[RuleId::Sp5]).say_fmt(format_args!(
            "{s} belongs to {}, but {} decrypts with {}'s key: KRB_AP_ERR_MODIFIED (\"The target principal name is incorrect\"), and Negotiate does not fall back.",
            w.accounts[owner].name, w.procs[a.callee].name, w.accounts[key].name
        ));
        Some((Status::KrbApErrModified, setting))
    }

    /// An http call that is not Negotiate, Kerberos or NTLM: anonymous (HT-8), or a password
    /// the server logs on with (HT-6, CR-1, CR-2). `None` for the others.
    fn http_auth(
        &self,
        a: &Asked<'_>,
        n: &Negotiated<'_>,
        ident: Ident,
        why: &mut Why,
    ) -> Result<Option<Authenticated>, Failed> {
        let w = self.w;
        let remote = match n.package {
            Authn::None => {
                why.rule(&[RuleId::Ht8])
                    .say_fmt(format_args!(
                        "The request is anonymous: {} runs it as itself.",
                        w.procs[a.callee].name
                    ))
                    .decide(self.field(a, StepField::Authn));
                Remote::anonymous(Authn::None)
            }
            Authn::Basic | Authn::Credssp => self.password_hop(a, n, ident, why)?,
            _ => return Ok(None),
        };
        Ok(Some(Authenticated {
            presented: ident,
            delegation: remote.delegation,
            reported: n.package,
            seen: Seen::remote(remote),
        }))
    }

    /// Basic (HT-6) and CredSSP (CR-1): the client sends its user's password and the server
    /// logs on with it (CR-3), except that CredSSP delegates nothing for Protected Users (CR-2).
    fn password_hop(
        &self,
        a: &Asked<'_>,
        n: &Negotiated<'_>,
        ident: Ident,
        why: &mut Why,
    ) -> Result<Remote, Failed> {
        let w = self.w;
        let session = &self.st.sessions[ident.session];
        let (Principal::Domain(user), Creds::Full) = (ident.user, session.creds) else {
            why.rule(&[RuleId::Ht6, RuleId::Cr1, RuleId::Kd7])
                .say_fmt(format_args!(
                    "{} has no password here to send with {}.",
                    short(w.display(ident.user)),
                    n.package
                ));
            why.decide(
                self.weak_setting(ident.token)
                    .unwrap_or_else(|| self.field(a, StepField::Authn)),
            );
            return Err(Failed::new(Status::SecENoCredentials, n.package, n.level));
        };
        let u = &w.accounts[user];
        let mut r = Remote {
            user: ident.user,
            package: n.package,
            delegation: DelegationKind::Credentials,
            origin: Origin::Explicit,
            forwardable: !u.not_delegable(),
            presented_creds: Creds::Full,
            kdc_status: None,
        };
        if n.package == Authn::Credssp && u.protected_users {
            why.rule(&[RuleId::Cr2, RuleId::Kd3]).say_fmt(format_args!(
                "{} is in Protected Users: CredSSP delegates no credentials, so the server gets a network logon.",
                u.name
            ));
            why.decide(w.account_setting(user, "protected_users", "Protected Users", a.caller));
            r.delegation = DelegationKind::None;
            r.origin = Origin::Network;
            r.presented_creds = Creds::None;
            return Ok(r);
        }
        let (rule, how) = match n.package {
            Authn::Basic => (
                RuleId::Ht6,
                "Basic authentication sends the password and the server logs on with it",
            ),
            _ => (
                RuleId::Cr1,
                "CredSSP delegates the user's credentials to the server",
            ),
        };
        why.rule(&[rule, RuleId::Cr3, RuleId::Kd9])
            .say_fmt(format_args!(
                "{how}: {}'s token has full credentials, whatever the delegation settings.",
                u.name
            ));
        Ok(r)
    }

    /// Phase 5, the level of the callee's token: the request and its defaults (LV-3, LV-8),
    /// Schannel (PK), off-machine Anonymous (LV-2, AM-1), the options (AM-1, NP-3),
    /// delegation (LV-5, [`Engine::delegate`]), the presented token's own level (TK-1) and the
    /// callee's privilege (PR-2).
    fn callee_level(
        &self,
        a: &Asked<'_>,
        n: &Negotiated<'_>,
        auth: &Authenticated,
        why: &mut Why,
    ) -> Result<Granted, Failed> {
        let w = self.w;
        let ident = auth.presented;
        let mut from = if a.call.imp_level != ImpLevel::Default {
            LevelFrom::Call(StepField::ImpLevel)
        } else if a.blanket.imp_level.is_some() {
            LevelFrom::Call(StepField::Proxy)
        } else {
            LevelFrom::CallerDefault
        };
        let (cp, sp) = (&w.procs[a.caller], &w.procs[a.callee]);
        let options = &w.scenario.options;
        let mut requested = match a.imp {
            ImpLevel::Default => {
                let (level, rule) = defaults::imp_level(a.api, cp.com.imp_level);
                why.rule(&[rule]);
                level
            }
            // LV-6, silently: the client's level is used as it asks; nothing negotiates it.
            l => l,
        };
        if a.api == Api::Com && n.package == Authn::Schannel && requested != ImpLevel::Impersonate {
            why.rule(&[RuleId::Pk])
                .say("Schannel supports only the Impersonate level, so COM uses it.");
            requested = ImpLevel::Impersonate;
        }
        let mut lvl = TokenLevel::from_requested(requested).unwrap_or(TokenLevel::Identify);
        if !a.local && lvl == TokenLevel::Anonymous {
            why.rule(&[RuleId::Lv2, RuleId::Am1]).say(
                "Anonymous is honoured only over local IPC; off the machine it is silently promoted to Identify.",
            );
            lvl = TokenLevel::Identify;
        }
        if options.provider_bumps_to_impersonate
            && a.transport != Transport::Ncalrpc
            && n.package != Authn::None
            && lvl < TokenLevel::Impersonate
        {
            why.rule(&[RuleId::Lv9, RuleId::Am1]).say_fmt(format_args!(
                "Option provider_bumps_to_impersonate: {} treats {} as Impersonate off ncalrpc.",
                auth.reported, requested
            ));
            lvl = TokenLevel::Impersonate;
        }
        lvl = self.transport_level(a, n, lvl, why);
        if a.api == Api::Http && n.package == Authn::None {
            from = LevelFrom::Call(StepField::Authn);
        }
        let (mut forwarded, mut not_forwarded) = (false, None);
        if lvl == TokenLevel::Delegate && !a.local {
            if let Seen::Remote { remote, .. } = &auth.seen {
                match self.delegate(a, n, remote, auth.reported, why)? {
                    Ok(()) => forwarded = true,
                    Err(setting) => {
                        not_forwarded = Some(setting);
                        lvl = TokenLevel::Impersonate;
                    }
                }
            }
        }
        if a.local {
            if let (Some(have), Some(_)) = (ident.level, ident.token) {
                if lvl > have {
                    why.rule(&[RuleId::Tk1]).say_fmt(format_args!(
                        "The presented token is only {}, so the callee's copy cannot be higher.",
                        level_phrase(have)
                    ));
                    lvl = have;
                    if let Some(t) = ident.token {
                        from = LevelFrom::Token(t);
                    }
                }
            }
        }
        let seen_user = auth.seen.user();
        if !sp.has_se_impersonate() && lvl >= TokenLevel::Impersonate && seen_user != sp.principal {
            why.rule(&[RuleId::Pr2, RuleId::Pr1, RuleId::Pr3]);
            if a.api == Api::Com {
                why.rule(&[RuleId::Am14]);
            }
            why.say_fmt(format_args!(
                "{} runs as an ordinary user without SeImpersonatePrivilege, so impersonating {} yields only an Identification-level token.",
                sp.name,
                short(w.display(seen_user))
            ));
            lvl = TokenLevel::Identify;
            from = LevelFrom::CalleeKind;
        }
        Ok(Granted {
            level: lvl,
            from,
            forwarded,
            not_forwarded,
        })
    }

    /// What the transport does to the level: SMB reads it from the server's computer account
    /// (NP-3, AM-3, SM-2), HTTP from the authentication used (HT-1, HT-4, HT-6, HT-8, CR-1).
    fn transport_level(
        &self,
        a: &Asked<'_>,
        n: &Negotiated<'_>,
        mut lvl: TokenLevel,
        why: &mut Why,
    ) -> TokenLevel {
        let w = self.w;
        if a.api == Api::Pipe
            && !a.local
            && w.scenario.options.remote_pipe_level_from_server_account
        {
            let key = &w.accounts[self.key_account(a)];
            let trusted = matches!(key.delegation, Delegation::Unconstrained);
            why.rule(&[RuleId::Np3, RuleId::Am3, RuleId::Sm2]);
            let new = if trusted {
                TokenLevel::Delegate
            } else {
                TokenLevel::Impersonate
            };
            if new != lvl {
                why.say_fmt(format_args!(
                    "SMB ignores the pipe's level: {} is {}trusted for unconstrained delegation, so the server gets {}.",
                    key.name,
                    if trusted { "" } else { "not " },
                    new.windows_name()
                ));
            }
            lvl = new;
        }
        if a.api == Api::Http {
            why.rule(&[RuleId::Ht1]);
            match n.package {
                // HT-8: nobody to impersonate.
                Authn::None => lvl = TokenLevel::Anonymous,
                // HT-6, CR-1: a password logon; Delegate adds nothing to it.
                Authn::Basic | Authn::Credssp => lvl = lvl.min(TokenLevel::Impersonate),
                _ if lvl == TokenLevel::Delegate => {
                    why.rule(&[RuleId::Ht4]);
                }
                _ => {}
            }
        }
        lvl
    }

    /// A DELEGATE call off the machine (LV-5, KD-1, AM-12): `Ok(Ok(()))` when the client's
    /// TGT is forwarded, `Ok(Err(setting))` when the call goes on at Impersonate without it
    /// (RP-7, AM-11; `setting` kept it), `Err` when the call fails for it (RP-7, RP-8, AM-11).
    fn delegate(
        &self,
        a: &Asked<'_>,
        n: &Negotiated<'_>,
        remote: &Remote,
        reported: Authn,
        why: &mut Why,
    ) -> Result<Result<(), Setting>, Failed> {
        let field = |f: StepField| self.field(a, f);
        let owner = self.key_account(a);
        let reason = match self.unconstrained(
            remote,
            reported,
            (a.api, a.call),
            (a.callee, owner),
            &field,
        ) {
            Ok(sentence) => {
                why.rule(&[RuleId::Lv5, RuleId::Kd1, RuleId::Am12])
                    .say(sentence);
                return Ok(Ok(()));
            }
            Err(reason) => reason,
        };
        let not_forwarded = reason.setting.clone();
        why.say(reason.sentence).decide(reason.setting);
        why.rule(reason.rules);
        let is_rpc = a.api == Api::Rpc;
        if is_rpc && !a.call.ignore_delegate_failure {
            why.rule(&[RuleId::Rp7, RuleId::Rp8]).say(
                "Raw RPC fails a call whose delegation cannot be established (set ignore_delegate_failure to go on without it).",
            );
            return Err(Failed::new(Status::RpcSSecPkgError, n.package, n.level));
        }
        if a.api == Api::Com && self.w.scenario.options.com_fails_on_delegate_failure {
            why.rule(&[RuleId::Am11]).say(
                "Option com_fails_on_delegate_failure: COM fails the call instead of going on at Impersonate.",
            );
            return Err(Failed::new(Status::RpcSSecPkgError, n.package, n.level));
        }
        let sp = &self.w.procs[a.callee];
        why.rule(if is_rpc { &[RuleId::Rp7] } else { &[RuleId::Am11] })
            .say_fmt(format_args!(
                "The call goes on without delegation: {} gets an Impersonation-level token that cannot leave {}.",
                sp.name,
                self.w.machine_name(sp.machine)
            ));
        Ok(Err(not_forwarded))
    }

    /// The settings later events need: what made the callee's token weak (for the events that
    /// fail with it), and, at a service trusted for delegation that got no TGT, what kept it
    /// (for the double hop that follows); and the one that decides this event, if it is weak.
    fn remember_settings(
        &mut self,
        a: &Asked<'_>,
        auth: &Authenticated,
        granted: &Granted,
        (token, session): (TokenId, SessionId),
        why: &mut Why,
    ) {
        let w = self.w;
        let seen_user = auth.seen.user();
        if seen_user == Principal::Anonymous {
            if let Some(s) = self.weak_setting(auth.presented.token) {
                why.decide_else(|| s);
            }
        }
        if auth.seen.blocked().is_none() && granted.level < TokenLevel::Impersonate {
            if let Some(s) = self.level_setting(a, granted.from) {
                why.decide_else(|| s.clone());
                self.st.weak.insert(token, s);
            }
        } else if let (Principal::Anonymous, Some(s)) = (seen_user, why.setting()) {
            self.st.weak.insert(token, s.clone());
        }
        let remote_user = matches!(
            (&auth.seen, seen_user),
            (Seen::Remote { .. }, Principal::Domain(_))
        );
        if remote_user
            && !granted.forwarded
            && matches!(
                w.accounts[self.key_account(a)].delegation,
                Delegation::Unconstrained
            )
        {
            let kept = granted.not_forwarded.clone();
            if let Some(s) = kept.or_else(|| self.level_setting(a, granted.from)) {
                self.st.undelegated.insert(session, s);
            }
        }
    }

    /// The setting that decided the callee's level.
    fn level_setting(&self, a: &Asked<'_>, from: LevelFrom) -> Option<Setting> {
        let w = self.w;
        match from {
            LevelFrom::Call(f) => Some(self.field(a, f)),
            LevelFrom::CallerDefault if a.api == Api::Com => {
                Some(w.process_setting(a.caller, "com.imp_level", StepField::ImpLevel.title()))
            }
            LevelFrom::CallerDefault => Some(self.field(a, StepField::ImpLevel)),
            LevelFrom::CalleeKind => Some(w.process_setting(a.callee, "kind", "Kind")),
            LevelFrom::Token(t) => self.weak_setting(Some(t)),
        }
    }

    /// The callee's logon session: the caller's own for a local call, else a new one on the
    /// callee's machine with what the hop gave it (a forwarded TGT, a password, or nothing),
    /// and the KDC's refusal the hop fell back from (SM-3).
    fn callee_session(
        &mut self,
        a: &Asked<'_>,
        auth: &Authenticated,
        granted: &Granted,
    ) -> (SessionId, Option<KdcStatus>) {
        let remote = match &auth.seen {
            Seen::Local(i) => return (i.session, None),
            Seen::Remote { remote, .. } => remote,
        };
        let creds = match (granted.forwarded, remote.origin) {
            (true, _) => Creds::ForwardedTgt,
            (_, Origin::Explicit) => Creds::Full,
            _ => Creds::None,
        };
        let http = a.api == Api::Http;
        let session = self.st.session(Session {
            machine: self.w.procs[a.callee].machine,
            creds,
            origin: remote.origin,
            forwardable: remote.forwardable,
            s4u_front: http.then(|| self.key_account(a)),
        });
        (session, remote.kdc_status)
    }

    /// Phase 6, placement: the callee's logon session and token, and the thread that serves
    /// the call: a new one, or the process's thread waiting in an outgoing COM call, where its
    /// single-threaded apartment runs the call nested (CO-3).
    fn placement(
        &mut self,
        a: &Asked<'_>,
        n: &Negotiated<'_>,
        auth: Authenticated,
        granted: Granted,
        target: Target,
        why: &mut Why,
    ) -> Placed {
        let w = self.w;
        let sp = &w.procs[a.callee];
        let seen_user = auth.seen.user();
        let blocked = auth.seen.blocked();
        let (session, kdc_status) = self.callee_session(a, &auth, &granted);
        let token = self.st.token(Token {
            user: seen_user,
            session,
            level: granted.level,
        });
        self.remember_settings(a, &auth, &granted, (token, session), why);
        let client = ClientCtx {
            token: match blocked {
                Some(b) => Err(b),
                None => Ok(token),
            },
            api: a.api,
        };
        let sta_com = sp.threading == Threading::Sta && a.api == Api::Com;
        // HT-7; an anonymous request runs as the server process (HT-8).
        let as_client = a.api == Api::Http
            && sp.http.runs_as_client
            && blocked.is_none()
            && seen_user != Principal::Anonymous;
        let (serve_t, nested) = match target {
            Target::Waiting {
                thread,
                enclosing_com,
            } if sta_com && enclosing_com => (thread, true),
            Target::Process(p) if sta_com => match self.st.com_waiting[p].last() {
                Some(&waiting) => (waiting, true),
                None => (self.new_thread(a.callee), false),
            },
            _ => (self.new_thread(a.callee), false),
        };
        if nested {
            why.rule(&[RuleId::Co3]).say_fmt(format_args!(
                "{} is waiting in an outgoing COM call, so its single-threaded apartment runs this call nested on the waiting thread.",
                sp.name
            ));
            self.nested_served[serve_t] += 1;
        }
        if as_client {
            why.rule(&[RuleId::Ht7]).say_fmt(format_args!(
                "{} runs the request as {} (http.runs_as_client).",
                sp.name,
                short(w.display(seen_user))
            ));
            self.st.threads[serve_t].primary = Some(token);
        }
        let saved = self.st.threads[serve_t].token;
        let frames = &mut self.st.threads[serve_t].frames;
        // Most threads serve one call in their life: room for one frame, not Vec's first four.
        frames.reserve_exact(1);
        frames.push(Frame {
            client,
            saved,
            com_saved: ComSaved::Not,
            com_set: None,
            blocked_by: blocked.and_then(|_| why.setting().cloned()),
        });
        // PK-2, silently: with NTLM and Kerberos the server sees the client's own name (the
        // event's seen_as) and impersonating gives the client's token.
        let seen_display = w.display(seen_user).to_string();
        let seen_level = blocked.is_none().then_some(granted.level);
        match seen_level {
            Some(l) => why.lead(format!(
                "{} sees {} at {} level.",
                sp.name,
                seen_display,
                l.windows_name()
            )),
            None => why.lead(format!(
                "{} sees {} and cannot impersonate.",
                sp.name, seen_display
            )),
        };
        Placed {
            serve_t,
            nested,
            reported: auth.reported,
            level: n.level,
            delegation: if granted.forwarded {
                DelegationKind::Unconstrained
            } else {
                auth.delegation
            },
            seen_display,
            seen_level,
            kdc_status,
        }
    }
}

/// Whom the callee authenticated.
enum Seen {
    Local(Ident),
    Remote {
        remote: Remote,
        blocked: Option<ImpersonationBlocked>,
    },
}

impl Seen {
    fn remote(r: Remote) -> Seen {
        Seen::Remote {
            remote: r,
            blocked: None,
        }
    }
    fn anonymous_blocked(b: ImpersonationBlocked) -> Seen {
        Seen::Remote {
            remote: Remote::anonymous(Authn::None),
            blocked: Some(b),
        }
    }
    fn user(&self) -> Principal {
        match self {
            Seen::Local(i) => i.user,
            Seen::Remote { remote, .. } => remote.user,
        }
    }
    fn blocked(&self) -> Option<ImpersonationBlocked> {
        match self {
            Seen::Local(_) => None,
            Seen::Remote { blocked, .. } => *blocked,
        }
    }
}

/// What CoSetProxyBlanket rejects: rules, sentence, and the blanket field to change.
pub(super) type Rejected = (&'static [RuleId], &'static str, StepField);

/// BL-3 and AL-6: blankets CoSetProxyBlanket rejects with E_INVALIDARG.
pub(super) fn blanket_rejected(
    authn: Authn,
    level: AuthnLevel,
    cloaking: Cloaking,
) -> Option<Rejected> {
    if level == AuthnLevel::None && !matches!(authn, Authn::None | Authn::Default) {
        return Some((
            &[RuleId::Bl3, RuleId::Al3],
            "A blanket at authentication level NONE must use authentication service NONE, so CoSetProxyBlanket rejects it.",
            StepField::AuthnLevel,
        ));
    }
    if authn == Authn::Schannel && cloaking != Cloaking::None {
        return Some((
            &[RuleId::Bl3, RuleId::Pk],
            "Schannel does not support cloaking, so a cloaking flag with Schannel is rejected.",
            StepField::Cloaking,
        ));
    }
    if authn == Authn::Schannel && level == AuthnLevel::None {
        return Some((
            &[RuleId::Al6],
            "Schannel does not work at authentication level NONE.",
            StepField::AuthnLevel,
        ));
    }
    None
}
