//! An outgoing call, decided in the order Windows decides it:
//!
//! 1. the blanket: call fields over the proxy's blanket over the process defaults (BL-2, LV-3);
//!    what CoSetProxyBlanket rejects (BL-3, AL-6);
//! 2. the package and the authentication level (PK-1, AL-1, AL-2, AL-4, AM-8);
//! 3. the identity presented: cloaking for COM (CL table, CL-1..CL-3), identity tracking for RPC
//!    and pipes (RP-6, AM-10); a token too weak to present (CL-4, TK-2);
//! 4. Kerberos needs the right principal name (PK table, BL-3);
//! 5. the identity the callee authenticates: local calls share the logon session; remote calls
//!    go through [`super::network`];
//! 6. the level of the callee's token (LV-2, AM-1, NP-3, LV-5, RP-7, RP-8, AM-11, TK-1, PR-2);
//! 7. where the call runs: a new thread, or nested on a waiting STA thread (CO-3).

use super::network::{NetPath, Remote};
use super::state::*;
use super::world::*;
use super::{At, Engine, Ident, Pending, Started, Target};
use crate::explain::{level_phrase, short, Setting, Why};
use crate::model::*;

/// A failed call: its status and why.
struct Failed {
    status: &'static str,
    kdc_status: Option<&'static str>,
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

/// What decided the level of the callee's token, kept cheap until a weak token needs it named.
#[derive(Clone, Copy)]
enum LevelFrom {
    /// A field of the call (or, when the call leaves it to the proxy, its `proxy`).
    Call(&'static str, &'static str),
    /// The caller's CoInitializeSecurity level.
    CallerDefault,
    /// The callee's kind (SeImpersonatePrivilege, PR-2).
    CalleeKind,
    /// The presented token's own weakness.
    Token(TokenId),
}

fn pick<T: Copy + PartialEq>(call: T, default: T, blanket: Option<T>) -> T {
    if call != default {
        call
    } else {
        blanket.unwrap_or(default)
    }
}

impl<'s, 'k> Engine<'s, 'k> {
    pub(super) fn call(
        &mut self,
        call: &Call,
        at: &At,
        caller_t: ThreadId,
        target: Target,
    ) -> Option<Started> {
        let caller = self.st.threads[caller_t].process;
        let callee = match target {
            Target::Process(p) => p,
            Target::Waiting { thread, .. } => self.st.threads[thread].process,
        };
        let w = self.w;
        let cp = &w.procs[caller];
        let sp = &w.procs[callee];
        let local = cp.machine == sp.machine;
        let mut why = Why::new();
        let api = call.api;
        // A field of this call, named for a person: "Impersonation level of the call web → db".
        let field = |name: &str, what: &str| call_field(&at.path, &cp.name, &sp.name, name, what);
        // A blanket value: the call's field when it sets one, else its proxy's (set by
        // CoSetProxyBlanket), else, for COM, the caller's CoInitializeSecurity.
        let blanket_field = |name: &str, what: &str, in_call: bool, in_proxy: bool| {
            if in_call {
                field(name, what)
            } else if in_proxy {
                field("proxy", "Proxy (its CoSetProxyBlanket)")
            } else if api == Api::Com && name != "authn" {
                w.process_setting(caller, &format!("com.{name}"), what)
            } else {
                field(name, what)
            }
        };

        // 1. The blanket.
        let proxy = call
            .proxy
            .as_deref()
            .and_then(|n| self.st.proxies[caller].get(n))
            .cloned()
            .unwrap_or_default();
        let transport = call.transport.unwrap_or(match (api, local) {
            (Api::Pipe, _) => Transport::NcacnNp,
            (_, true) => Transport::Ncalrpc,
            (_, false) => Transport::NcacnIpTcp,
        });
        let authn_req = pick(call.authn, Authn::Default, proxy.blanket.authn);
        let level_req = pick(
            call.authn_level,
            AuthnLevel::Default,
            proxy.blanket.authn_level,
        );
        let imp_req = pick(call.imp_level, ImpLevel::Default, proxy.blanket.imp_level);
        let cloaking = match api {
            Api::Com => call
                .cloaking
                .or(proxy.blanket.cloaking)
                .unwrap_or(cp.com.cloaking),
            _ => Cloaking::None,
        };
        let tracking = call.tracking.unwrap_or(Tracking::Static);

        // A failed call still says which package and level it was attempting.
        let fail = |this: &mut Self,
                    why: Why,
                    f: Failed,
                    attempt: (Authn, AuthnLevel)|
         -> Option<Started> {
            let e = this.emit(at, "call", caller_t, f.status, why);
            e.to = Some(sp.name.clone());
            e.authn = Some(attempt.0.as_str());
            e.authn_level = Some(attempt.1.as_str());
            e.seen_as = Some(None);
            e.seen_level = Some(None);
            e.delegation = Some("none");
            e.kdc_status = f.kdc_status;
            None
        };
        let failed = |status| Failed {
            status,
            kdc_status: None,
        };

        if api == Api::Com {
            if let Some(msg) = blanket_rejected(authn_req, level_req, cloaking) {
                let (in_call, in_proxy) = match msg.2 {
                    "cloaking" => (call.cloaking.is_some(), proxy.blanket.cloaking.is_some()),
                    _ => (
                        call.authn_level != AuthnLevel::Default,
                        proxy.blanket.authn_level.is_some(),
                    ),
                };
                why.rule(msg.0).say(msg.1).decide(blanket_field(
                    msg.2,
                    blanket_what(msg.2),
                    in_call,
                    in_proxy,
                ));
                return fail(self, why, failed("E_INVALIDARG"), (authn_req, level_req));
            }
        }

        // 2. Package and authentication level.
        let (spn, spn_owner): (Option<&str>, _) = match &call.spn {
            Some(s) if s.is_empty() => (None, None),
            Some(s) => (Some(s), w.spn_owner(s)),
            None => w.default_spn_and_owner(callee),
        };
        let negotiated = || {
            if !local && spn_owner.is_some() {
                Authn::Kerberos
            } else {
                Authn::Ntlm
            }
        };
        let mut package = match authn_req {
            Authn::Default if api == Api::Rpc => Authn::None,
            Authn::Default | Authn::Negotiate => {
                why.rule(&["PK-1"]);
                negotiated()
            }
            other => other,
        };
        if level_req == AuthnLevel::None {
            package = Authn::None;
        }
        if transport == Transport::Ncalrpc && matches!(package, Authn::Kerberos | Authn::Schannel) {
            why.rule(&["PK"]).say_fmt(format_args!(
                "ncalrpc supports only NTLM, so the {} request is served by NTLM.",
                package
            ));
            package = Authn::Ntlm;
        }
        let mut level = if package == Authn::None {
            AuthnLevel::None
        } else {
            match (api, level_req) {
                (Api::Com, AuthnLevel::Default) => {
                    why.rule(&["AL-2"]);
                    cp.com.authn_level.max(sp.com.authn_level)
                }
                (_, AuthnLevel::Default) => AuthnLevel::Connect,
                (_, l) => l,
            }
        };
        if level == AuthnLevel::None {
            // Negotiated down to NONE (AL-2): the call is unauthenticated whatever the service.
            package = Authn::None;
        } else {
            // AL-1's ncalrpc upgrade is RPC's; local COM reports the negotiated level (TC-01).
            if api == Api::Rpc && transport == Transport::Ncalrpc && level != AuthnLevel::PktPrivacy
            {
                why.rule(&["AL-1"]);
                level = AuthnLevel::PktPrivacy;
            } else if level == AuthnLevel::Call && transport != Transport::Ncalrpc {
                why.rule(&["AL-1"]);
                level = AuthnLevel::Pkt;
            }
        }
        if api == Api::Com && level < sp.com.authn_level {
            why.rule(&["AL-2", "AM-8"]).say_fmt(format_args!(
                "The call arrives at authentication level {} but {} requires at least {} (its CoInitializeSecurity level), so COM rejects it.",
                level, sp.name, sp.com.authn_level
            )).decide(w.process_setting(callee, "com.authn_level", "Authentication level"));
            return fail(self, why, failed("E_ACCESSDENIED"), (package, level));
        }

        // 3. The identity presented.
        let thread_token = self.st.threads[caller_t].token;
        let mut capture_now = None;
        let presented: Option<TokenId> = match api {
            Api::Com => match cloaking {
                Cloaking::None => {
                    why.rule(&["CL-1"]);
                    if thread_token.is_some() {
                        why.say_fmt(format_args!(
                            "Without cloaking, COM presents {}'s process token, not the thread's impersonation token.",
                            cp.name
                        ));
                    }
                    None
                }
                Cloaking::Dynamic => {
                    why.rule(&["CL-3", "CL"]);
                    if thread_token.is_some() {
                        why.say("Dynamic cloaking presents the thread's token.");
                    }
                    thread_token
                }
                Cloaking::Static => {
                    why.rule(&["CL-2", "CL"]);
                    match proxy.captured {
                        Some(c) if call.proxy.is_some() => {
                            let fixed = self.name_of(c, caller);
                            why.say_fmt(format_args!(
                                "Static cloaking: proxy {} keeps the identity fixed earlier ({fixed}), whatever the thread's token is now.",
                                call.proxy.as_deref().unwrap_or("")
                            ));
                            c
                        }
                        _ => {
                            capture_now = Some(thread_token);
                            if call.proxy.is_some() {
                                why.say_fmt(format_args!(
                                    "Static cloaking fixes the proxy's identity at its first call: {}.",
                                    self.name_of(thread_token, caller)
                                ));
                            }
                            thread_token
                        }
                    }
                }
            },
            Api::Rpc | Api::Pipe => match tracking {
                Tracking::Dynamic => {
                    why.rule(&["RP-6"]);
                    thread_token
                }
                Tracking::Static => {
                    why.rule(&["RP-6"]);
                    match proxy.captured {
                        Some(c) if call.proxy.is_some() => {
                            let fixed = self.name_of(c, caller);
                            why.rule(&["AM-10"]).say_fmt(format_args!(
                                "Static identity tracking: binding {} keeps the identity captured earlier ({fixed}).",
                                call.proxy.as_deref().unwrap_or("")
                            ));
                            c
                        }
                        _ => {
                            capture_now = Some(thread_token);
                            thread_token
                        }
                    }
                }
            },
        };
        if let Some(name) = call.proxy.as_deref() {
            let entry = self.st.proxy_mut(caller, name);
            if let (None, Some(c)) = (entry.captured, capture_now) {
                entry.captured = Some(c);
            }
            entry.used = true;
        }
        let ident = match presented {
            Some(t) => self.token_ident(t),
            None => self.process_ident(caller),
        };
        let transmits_identity = !(package == Authn::None && transport == Transport::NcacnIpTcp);
        if let (Some(lvl), true) = (ident.level, transmits_identity) {
            if lvl < TokenLevel::Impersonate {
                let who = self.w.display(ident.user).to_string();
                why.decide(self.weak_setting(ident.token).unwrap_or_else(|| {
                    field(
                        if api == Api::Com {
                            "cloaking"
                        } else {
                            "tracking"
                        },
                        "Identity presented",
                    )
                }));
                if api == Api::Com {
                    why.rule(&["CL-4", "LV-1"]).say_fmt(format_args!(
                        "The thread holds {who} only at {} level; a server cannot make cloaked calls with a token below Impersonation.",
                        lvl.windows_name()
                    ));
                    return fail(self, why, failed("E_ACCESSDENIED"), (package, level));
                }
                why.rule(&["TK-2", "LV-1"]).say_fmt(format_args!(
                    "The thread holds {who} only at {} level, which cannot be passed on to another server.",
                    lvl.windows_name()
                ));
                return fail(
                    self,
                    why,
                    failed("ERROR_BAD_IMPERSONATION_LEVEL"),
                    (package, level),
                );
            }
        }

        // 4. Kerberos needs the server's principal name, and it must be the server's.
        if package == Authn::Kerberos {
            let service = self.w.service_account(callee);
            let problem = match (spn, spn_owner) {
                (None, _) => Some(
                    "Kerberos needs the server's principal name and the call gives none, so the call fails.".to_string(),
                ),
                (Some(s), None) => Some(format!(
                    "No account holds the SPN {s}, so the KDC cannot issue a ticket and the Kerberos call fails."
                )),
                (Some(s), Some(owner)) if owner != service => Some(format!(
                    "The SPN {s} belongs to {}, but {} runs as {}: it cannot decrypt the ticket, so mutual authentication fails.",
                    self.w.accounts[owner].name, sp.name, self.w.accounts[service].name
                )),
                _ => None,
            };
            if let Some(p) = problem {
                let setting = match (&call.spn, spn_owner) {
                    (None, None) => {
                        w.account_setting(w.service_account(callee), "spns", "SPNs", callee)
                    }
                    _ => field("spn", "SPN"),
                };
                why.rule(&["PK", "BL-3", "RP-5"]).say(p).decide(setting);
                return fail(self, why, failed("RPC_S_SEC_PKG_ERROR"), (package, level));
            }
        }

        // 5. Whom the callee authenticates.
        let mut delegation = "none";
        let mut reported_package = package;
        let seen: Seen = if api == Api::Com && package == Authn::None {
            why.rule(&["AL-3", "BL-7"]).say_fmt(format_args!(
                "The call is unauthenticated (level NONE); {} accepts it, but cannot impersonate the caller.",
                sp.name
            ));
            why.decide(
                if level_req == AuthnLevel::None || authn_req != Authn::None {
                    blanket_field(
                        "authn_level",
                        "Authentication level",
                        call.authn_level != AuthnLevel::Default,
                        proxy.blanket.authn_level.is_some(),
                    )
                } else {
                    blanket_field(
                        "authn",
                        "Security package",
                        call.authn != Authn::Default,
                        proxy.blanket.authn.is_some(),
                    )
                },
            );
            Seen::anonymous_blocked(ImpersonationBlocked::Unauthenticated)
        } else if package == Authn::None && transport == Transport::NcacnIpTcp {
            why.rule(&["AL-4", "AL-5"])
                .say(
                    "The call is unauthenticated over TCP: the server learns nothing about the caller and cannot impersonate it.",
                )
                .decide(blanket_field(
                    "authn",
                    "Security package",
                    call.authn != Authn::Default,
                    proxy.blanket.authn.is_some(),
                ));
            Seen::anonymous_blocked(ImpersonationBlocked::NoTransportSecurity)
        } else if local {
            delegation = "local";
            if ident.token.is_some() {
                why.rule(&["LV-4"]);
            }
            Seen::local(ident)
        } else {
            let path = match (api, authn_req, package) {
                (Api::Com, _, _) => NetPath::ComCloaked,
                (Api::Rpc, Authn::Kerberos, _) => NetPath::KerberosOnly,
                _ => NetPath::NtlmCapable,
            };
            let null_session = api == Api::Pipe && call.authn == Authn::None;
            let net_package = if package == Authn::None {
                why.rule(&["AL-5", "RP-10"]);
                negotiated()
            } else {
                package
            };
            if null_session {
                why.rule(&["AL-5"])
                    .say("The pipe is opened over an SMB null session, so the server sees ANONYMOUS LOGON.")
                    .decide(field("authn", "Security package"));
                Seen::remote(Remote::anonymous(Authn::Ntlm))
            } else {
                let spn_setting = || match &call.spn {
                    None => w.account_setting(w.service_account(callee), "spns", "SPNs", callee),
                    Some(_) => field("spn", "SPN"),
                };
                match self.present_remote(
                    caller,
                    ident,
                    (net_package, spn, spn_owner, &spn_setting),
                    sp.machine,
                    path,
                    &mut why,
                ) {
                    Ok(r) => {
                        delegation = r.delegation;
                        if package != Authn::None {
                            reported_package = r.package;
                        }
                        Seen::remote(r)
                    }
                    Err((status, kdc_status)) => {
                        return fail(
                            self,
                            why,
                            Failed { status, kdc_status },
                            (net_package, level),
                        )
                    }
                }
            }
        };

        // 6. The level of the callee's token.
        let mut level_from = if call.imp_level != ImpLevel::Default {
            LevelFrom::Call("imp_level", "Impersonation level")
        } else if proxy.blanket.imp_level.is_some() {
            LevelFrom::Call("proxy", "Proxy (its CoSetProxyBlanket)")
        } else {
            LevelFrom::CallerDefault
        };
        let mut requested = match imp_req {
            ImpLevel::Default if api == Api::Com => {
                why.rule(&["LV-3"]);
                cp.com.imp_level
            }
            ImpLevel::Default => {
                why.rule(&["LV-8"]);
                ImpLevel::Impersonate
            }
            l => l,
        };
        if api == Api::Com && package == Authn::Schannel && requested != ImpLevel::Impersonate {
            why.rule(&["PK"])
                .say("Schannel supports only the Impersonate level, so COM uses it.");
            requested = ImpLevel::Impersonate;
        }
        let mut lvl = TokenLevel::from_requested(requested).unwrap_or(TokenLevel::Identify);
        if !local && lvl == TokenLevel::Anonymous {
            why.rule(&["LV-2", "AM-1"]).say(
                "Anonymous is honoured only over local IPC; off the machine it is silently promoted to Identify.",
            );
            lvl = TokenLevel::Identify;
        }
        if self.w.scenario.options.provider_bumps_to_impersonate
            && transport != Transport::Ncalrpc
            && package != Authn::None
            && lvl < TokenLevel::Impersonate
        {
            why.rule(&["LV-9", "AM-1"]).say_fmt(format_args!(
                "Option provider_bumps_to_impersonate: {} treats {} as Impersonate off ncalrpc.",
                reported_package, requested
            ));
            lvl = TokenLevel::Impersonate;
        }
        let remote_pipe = api == Api::Pipe && !local;
        if remote_pipe
            && self
                .w
                .scenario
                .options
                .remote_pipe_level_from_server_account
        {
            let trusted = matches!(
                self.w.accounts[self.w.service_account(callee)].delegation,
                Delegation::Unconstrained
            );
            why.rule(&["NP-3", "AM-3"]).say_fmt(format_args!(
                "Option remote_pipe_level_from_server_account: the client's flags are ignored and {}'s account sets the level.",
                sp.name
            ));
            lvl = if trusted {
                TokenLevel::Delegate
            } else {
                TokenLevel::Impersonate
            };
        }
        let mut forwarded = false;
        let mut not_forwarded: Option<Setting> = None;
        if lvl == TokenLevel::Delegate && !local {
            if let Seen::Remote { remote, .. } = &seen {
                match self.unconstrained(remote, reported_package, api, call, callee, &field) {
                    Ok(sentence) => {
                        why.rule(&["LV-5", "KD-1", "AM-12"]).say(sentence);
                        forwarded = true;
                        delegation = "unconstrained";
                    }
                    Err(reason) => {
                        not_forwarded = Some(reason.setting.clone());
                        why.say(reason.sentence).decide(reason.setting);
                        why.rule(reason.rules);
                        let is_rpc = api == Api::Rpc;
                        if is_rpc && !call.ignore_delegate_failure {
                            why.rule(&["RP-7", "RP-8"]).say(
                                "Raw RPC fails a call whose delegation cannot be established (set ignore_delegate_failure to go on without it).",
                            );
                            return fail(
                                self,
                                why,
                                failed("RPC_S_SEC_PKG_ERROR"),
                                (package, level),
                            );
                        }
                        if api == Api::Com && self.w.scenario.options.com_fails_on_delegate_failure
                        {
                            why.rule(&["AM-11"]).say(
                                "Option com_fails_on_delegate_failure: COM fails the call instead of going on at Impersonate.",
                            );
                            return fail(
                                self,
                                why,
                                failed("RPC_S_SEC_PKG_ERROR"),
                                (package, level),
                            );
                        }
                        why.rule(if is_rpc { &["RP-7"] } else { &["AM-11"] }).say_fmt(format_args!(
                            "The call goes on without delegation: {} gets an Impersonation-level token that cannot leave {}.",
                            sp.name,
                            self.w.machine_name(sp.machine)
                        ));
                        lvl = TokenLevel::Impersonate;
                    }
                }
            }
        }
        if local {
            if let (Some(have), Some(_)) = (ident.level, ident.token) {
                if lvl > have {
                    why.rule(&["TK-1"]).say_fmt(format_args!(
                        "The presented token is only {}, so the callee's copy cannot be higher.",
                        level_phrase(have)
                    ));
                    lvl = have;
                    if let Some(t) = ident.token {
                        level_from = LevelFrom::Token(t);
                    }
                }
            }
        }
        let seen_user = seen.user();
        let same_identity = seen_user == sp.principal;
        if !sp.has_se_impersonate() && lvl >= TokenLevel::Impersonate && !same_identity {
            why.rule(&["PR-2", "PR-1", "PR-3"]);
            if api == Api::Com {
                why.rule(&["AM-14"]);
            }
            why.say_fmt(format_args!(
                "{} runs as an ordinary user without SeImpersonatePrivilege, so impersonating {} yields only an Identification-level token.",
                sp.name,
                short(self.w.display(seen_user))
            ));
            lvl = TokenLevel::Identify;
            level_from = LevelFrom::CalleeKind;
        }

        // The callee's token.
        let blocked = seen.blocked();
        let session = match &seen {
            Seen::Local(i) => i.session,
            Seen::Remote { remote, .. } => self.st.session(Session {
                machine: sp.machine,
                creds: if forwarded {
                    Creds::ForwardedTgt
                } else {
                    Creds::None
                },
                origin: remote.origin,
                forwardable: remote.forwardable,
            }),
        };
        let token = self.st.token(Token {
            user: seen_user,
            session,
            level: lvl,
        });
        if seen_user == Principal::Anonymous {
            if let Some(s) = self.weak_setting(ident.token) {
                why.decide_else(|| s);
            }
        }
        let level_setting = |this: &Self| match level_from {
            LevelFrom::Call(name, what) => Some(field(name, what)),
            LevelFrom::CallerDefault if api == Api::Com => {
                Some(w.process_setting(caller, "com.imp_level", "Impersonation level"))
            }
            LevelFrom::CallerDefault => Some(field("imp_level", "Impersonation level")),
            LevelFrom::CalleeKind => Some(w.process_setting(callee, "kind", "Kind")),
            LevelFrom::Token(t) => this.weak_setting(Some(t)),
        };
        // A weak token: name what made it so, for this event and the ones that fail with it.
        if blocked.is_none() && lvl < TokenLevel::Impersonate {
            if let Some(s) = level_setting(self) {
                why.decide_else(|| s.clone());
                self.st.weak.insert(token, s);
            }
        } else if let (Principal::Anonymous, Some(s)) = (seen_user, why.setting()) {
            self.st.weak.insert(token, s.clone());
        }
        // A service trusted for delegation that got no TGT: what kept it from getting one
        // decides the double hop that follows.
        if let (Seen::Remote { .. }, Principal::Domain(_), false) = (&seen, seen_user, forwarded) {
            if matches!(
                w.accounts[w.service_account(callee)].delegation,
                Delegation::Unconstrained
            ) {
                if let Some(s) = not_forwarded.or_else(|| level_setting(self)) {
                    self.st.undelegated.insert(session, s);
                }
            }
        }
        let client = ClientCtx {
            token: match blocked {
                Some(b) => Err(b),
                None => Ok(token),
            },
            api,
        };

        // 7. Where the call is served.
        let (serve_t, nested) = match target {
            Target::Waiting {
                thread,
                enclosing_com,
            } if sp.threading == Threading::Sta && enclosing_com && api == Api::Com => {
                (thread, true)
            }
            Target::Process(p)
                if sp.threading == Threading::Sta
                    && api == Api::Com
                    && !self.st.com_waiting[p].is_empty() =>
            {
                (*self.st.com_waiting[p].last().unwrap_or(&0), true)
            }
            _ => (self.new_thread(callee), false),
        };
        if nested {
            why.rule(&["CO-3"]).say_fmt(format_args!(
                "{} is waiting in an outgoing COM call, so its single-threaded apartment runs this call nested on the waiting thread.",
                sp.name
            ));
            self.nested_served[serve_t] += 1;
        }
        let saved = self.st.threads[serve_t].token;
        let frames = &mut self.st.threads[serve_t].frames;
        // Most threads serve one call in their life: room for one frame, not Vec's first four.
        frames.reserve_exact(1);
        frames.push(Frame {
            client,
            saved,
            com_saved: None,
            com_set: None,
            blocked_by: blocked.and_then(|_| why.setting().cloned()),
        });

        let seen_display = self.w.display(seen_user).to_string();
        let seen_level = if blocked.is_some() { None } else { Some(lvl) };
        let summary = match seen_level {
            Some(l) => format!(
                "{} sees {} at {} level.",
                sp.name,
                seen_display,
                l.windows_name()
            ),
            None => format!("{} sees {} and cannot impersonate.", sp.name, seen_display),
        };
        why.lead(summary);
        let token_before = self.st.threads[caller_t].token;
        let nested_before = self.nested_served[caller_t];
        let e = self.emit(at, "call", caller_t, "ok", why);
        e.to = Some(sp.name.clone());
        e.authn = Some(reported_package.as_str());
        e.authn_level = Some(level.as_str());
        e.seen_as = Some(Some(seen_display));
        e.seen_level = Some(seen_level);
        e.delegation = Some(delegation);
        e.detail.callee_thread = Some(serve_t as u32);
        e.detail.nested = nested;
        let com_wait = api == Api::Com;
        if com_wait {
            self.st.com_waiting[caller].push(caller_t);
        }
        Some(Started {
            callee_thread: serve_t,
            pending: Pending {
                at: at.clone(),
                caller: caller_t,
                callee: serve_t,
                com_wait,
                token_before,
                nested_before,
            },
        })
    }

    /// What made a token weak, if it is (see [`State::weak`]).
    pub(super) fn weak_setting(&self, token: Option<TokenId>) -> Option<Setting> {
        self.st.weak.get(token?).cloned()
    }

    /// The display name of a proxy's fixed identity (`None`: the process token).
    fn name_of(&self, token: Option<TokenId>, process: ProcId) -> String {
        let user = match token {
            Some(t) => self.st.tokens[t].user,
            None => self.w.procs[process].principal,
        };
        self.w.display(user).to_string()
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
    fn local(i: Ident) -> Seen {
        Seen::Local(i)
    }
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
pub(super) type Rejected = (&'static [&'static str], &'static str, &'static str);

/// BL-3 and AL-6: blankets CoSetProxyBlanket rejects with E_INVALIDARG.
pub(super) fn blanket_rejected(
    authn: Authn,
    level: AuthnLevel,
    cloaking: Cloaking,
) -> Option<Rejected> {
    if level == AuthnLevel::None && !matches!(authn, Authn::None | Authn::Default) {
        return Some((
            &["BL-3", "AL-3"],
            "A blanket at authentication level NONE must use authentication service NONE, so CoSetProxyBlanket rejects it.",
            "authn_level",
        ));
    }
    if authn == Authn::Schannel && cloaking != Cloaking::None {
        return Some((
            &["BL-3", "PK"],
            "Schannel does not support cloaking, so a cloaking flag with Schannel is rejected.",
            "cloaking",
        ));
    }
    if authn == Authn::Schannel && level == AuthnLevel::None {
        return Some((
            &["AL-6"],
            "Schannel does not work at authentication level NONE.",
            "authn_level",
        ));
    }
    None
}

/// The label of a blanket field.
pub(super) fn blanket_what(name: &str) -> &'static str {
    match name {
        "authn" => "Security package",
        "authn_level" => "Authentication level",
        "imp_level" => "Impersonation level",
        _ => "Cloaking",
    }
}
