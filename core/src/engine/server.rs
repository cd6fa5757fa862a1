//! What a thread does besides calling out: impersonate and revert (CO-1..CO-6, RP-1, RP-2,
//! NP-1), explicit logon (KD-9, PR-1), proxy blankets (BL-3, CL-2, RP-6, AM-10), object access
//! (AC-1, AC-5, LV-1, AM-7), and token operations (TK-1, TK-3, AM-6).

use super::network::{Hop, NetPath};
use super::state::*;
use super::world::*;
use super::{At, Engine};
use crate::explain::{short, Setting, Why};
use crate::model::*;
use crate::rules::RuleId;

impl<'s, 'k> Engine<'s, 'k> {
    pub(super) fn server_step(&mut self, action: &Action, at: &mut At, t: ThreadId) {
        match action {
            Action::Call(_) => {}
            Action::Impersonate => self.impersonate(at, t),
            Action::Revert => self.revert(at, t),
            Action::LogonUser { account } => self.logon_user(at, t, account),
            Action::SetBlanket(b) => self.set_blanket(at, t, b),
            Action::Access { resource } => self.access(at, t, resource),
            Action::AccessCheck { resource } => self.access_check(at, t, resource),
            Action::OpenThreadToken { as_self } => self.open_thread_token(at, t, *as_self),
            Action::DuplicateToken { level } => self.duplicate_token(at, t, *level),
            Action::Whoami => self.whoami(at, t),
        }
    }

    /// A field of the step at `at` run by `t`: "web's impersonate step".
    fn step_of(&self, at: &At, t: ThreadId, field: &str, what: &str) -> Setting {
        let p = &self.w.procs[self.st.threads[t].process].name;
        step_setting(&at.path, field, format!("{p}'s {what}"))
    }

    /// The ACL of a resource.
    fn acl_setting(&self, resource: &str) -> Setting {
        Setting {
            path: format!("{}.allow", crate::model::path::key("resources", resource)),
            label: format!("ACL of {resource}"),
        }
    }

    fn process_name(&self, t: ThreadId) -> String {
        let p = self.st.threads[t].process;
        self.w.display(self.w.procs[p].principal).to_string()
    }

    fn impersonate(&mut self, at: &mut At, t: ThreadId) {
        let mut why = Why::new();
        let Some(frame) = self.st.threads[t].frames.last() else {
            why.rule(&[RuleId::Rp1])
                .say(
                    "No call is being served on this thread, so there is no client to impersonate.",
                )
                .decide(self.step_of(at, t, "do", "impersonate step"));
            self.emit_final(at, "impersonate", t, Status::RpcSNoCallActive, why);
            return;
        };
        let client = frame.client;
        if let Some(s) = &frame.blocked_by {
            why.decide(s.clone());
        }
        let api = client.api;
        let tok = match client.token {
            Err(ImpersonationBlocked::Unauthenticated) => {
                why.rule(&[RuleId::Al3, RuleId::Co9, RuleId::Rp4]).say_fmt(format_args!(
                    "CoImpersonateClient fails: the call arrived at authentication level NONE. The thread keeps running as {}.",
                    self.w.display(self.effective(t).user)
                ));
                self.emit_final(at, "impersonate", t, Status::EFail, why);
                return;
            }
            Err(ImpersonationBlocked::NoTransportSecurity) => {
                why.rule(&[RuleId::Al5, RuleId::Am9, RuleId::Rp4]).say_fmt(format_args!(
                    "RpcImpersonateClient fails: an unauthenticated TCP call carries no security context. The thread keeps running as {}.",
                    self.w.display(self.effective(t).user)
                ));
                self.emit_final(at, "impersonate", t, Status::RpcSNoContextAvailable, why);
                return;
            }
            Ok(tok) => tok,
        };
        let thread = &mut self.st.threads[t];
        let api_fn = match api {
            Api::Com => {
                let frame = thread.frames.last_mut().expect("frame exists");
                if frame.com_saved == ComSaved::Not {
                    why.rule(&[RuleId::Co4]);
                    frame.com_saved = ComSaved::Saved(thread.token);
                }
                frame.com_set = Some(tok);
                why.rule(&[RuleId::Co1]);
                "CoImpersonateClient"
            }
            Api::Rpc => {
                why.rule(&[RuleId::Rp1, RuleId::Rp2]);
                "RpcImpersonateClient"
            }
            Api::Pipe => {
                why.rule(&[RuleId::Np1, RuleId::Np2]);
                "ImpersonateNamedPipeClient"
            }
            Api::Http => {
                why.rule(&[RuleId::Ht1]);
                "ASP.NET impersonation"
            }
        };
        thread.token = Some(tok);
        if let Some(s) = self.weak_setting(Some(tok)) {
            why.decide(s);
        }
        let token = self.st.tokens[tok];
        let session = &self.st.sessions[token.session];
        let here = self.w.procs[self.st.threads[t].process].machine;
        let w = self.w;
        let here_name = w.machine_name(here);
        let who = w.display(token.user);
        let u = short(who);
        why.rule(&[RuleId::Lv1]);
        let what = match token.level {
            TokenLevel::Anonymous => {
                why.rule(&[RuleId::Am2]);
                "the token carries no identity and cannot be used".to_string()
            }
            TokenLevel::Identify => {
                format!("the server can check access with it but cannot open objects as {u}")
            }
            TokenLevel::Impersonate => {
                if session.machine == here && matches!(session.creds, Creds::Full) {
                    why.rule(&[RuleId::Lv4]);
                    format!("it opens objects on {here_name} as {u} and, since it refers to {u}'s own logon session, can reach one more machine")
                } else {
                    why.rule(&[RuleId::Lv4]);
                    format!("it opens objects on {here_name} as {u} but cannot leave {here_name}")
                }
            }
            TokenLevel::Delegate => {
                why.rule(&[RuleId::Lv5]);
                format!("it acts as {u} here and on other machines")
            }
        };
        why.say_fmt(format_args!(
            "{api_fn} puts {who}'s token on the thread at {} level: {what}.",
            token.level.windows_name()
        ));
        self.emit_final(at, "impersonate", t, Status::Ok, why);
    }

    fn revert(&mut self, at: &mut At, t: ThreadId) {
        let traditional = self.w.scenario.options.traditional_nesting;
        let mut why = Why::new();
        let thread = &mut self.st.threads[t];
        let Some(frame) = thread.frames.last_mut() else {
            thread.token = None;
            why.rule(&[RuleId::Rp2, RuleId::Co3]).say_fmt(format_args!(
                "RevertToSelf drops the thread token: Win32 impersonation does not nest, so the thread runs as {} again.",
                self.process_name(t)
            ));
            self.emit_final(at, "revert", t, Status::Ok, why);
            return;
        };
        match frame.client.api {
            Api::Com if traditional => {
                thread.token = None;
                frame.com_saved = ComSaved::Not;
                frame.com_set = None;
                why.rule(&[RuleId::Co3]).say_fmt(format_args!(
                    "Traditional nesting: CoRevertToSelf drops the thread token and restores nothing, so the thread runs as {}.",
                    self.process_name(t)
                ));
            }
            Api::Com => {
                let (restore, foreign) = match frame.com_saved {
                    ComSaved::Saved(saved) => (saved, thread.token != frame.com_set),
                    ComSaved::Not => (frame.saved, thread.token != frame.saved),
                };
                let was_impersonating = frame.com_saved != ComSaved::Not;
                frame.com_saved = ComSaved::Not;
                frame.com_set = None;
                thread.token = restore;
                let now = self.identity_text(t);
                if foreign {
                    why.rule(&[RuleId::Co5]).say_fmt(format_args!(
                        "Undefined: the thread token was changed by another mechanism (LogonUser, SetThreadToken or RpcImpersonateClient) during this call, so the result of RevertToSelf is undefined. The simulator restores the token saved when the call arrived or at the first CoImpersonateClient: {now}."
                    ));
                } else if was_impersonating {
                    why.rule(&[RuleId::Co4]).say_fmt(format_args!(
                        "CoRevertToSelf restores the token the thread had at this call's first CoImpersonateClient: {now}. One revert undoes any number of ImpersonateClient calls."
                    ));
                } else {
                    why.rule(&[RuleId::Co4]).say_fmt(format_args!(
                        "The thread is not impersonating through COM, so CoRevertToSelf changes nothing: {now}."
                    ));
                }
            }
            api => {
                thread.token = None;
                let (f, rule) = match api {
                    Api::Rpc => ("RpcRevertToSelf", RuleId::Rp2),
                    Api::Http => ("RevertToSelf", RuleId::Ht1),
                    _ => ("RevertToSelf", RuleId::Np1),
                };
                why.rule(&[rule, RuleId::Rp2]).say_fmt(format_args!(
                    "{f} returns the thread to the process token ({}), whatever was impersonated before: this impersonation does not nest.",
                    self.process_name(t)
                ));
            }
        }
        self.emit_final(at, "revert", t, Status::Ok, why);
    }

    fn identity_text(&self, t: ThreadId) -> String {
        let id = self.effective(t);
        match id.level {
            Some(l) => format!("{} ({})", self.w.display(id.user), l.windows_name()),
            None => format!("{} (the process token)", self.w.display(id.user)),
        }
    }

    fn logon_user(&mut self, at: &mut At, t: ThreadId, account: &str) {
        let mut why = Why::new();
        let here = self.w.procs[self.st.threads[t].process].machine;
        let id = self.w.account_id(account);
        let session = self.st.session(Session {
            machine: here,
            creds: Creds::Full,
            origin: Origin::Explicit,
            forwardable: false,
            s4u_front: None,
        });
        let tok = self.st.token(Token {
            user: Principal::Domain(id),
            session,
            level: TokenLevel::Impersonate,
        });
        self.st.threads[t].token = Some(tok);
        why.rule(&[RuleId::Kd9, RuleId::Pr1]).say_fmt(format_args!(
            "LogonUser with {account}'s password creates a logon session holding {account}'s credentials; ImpersonateLoggedOnUser puts it on the thread (no SeImpersonatePrivilege needed)."
        ));
        self.emit_final(at, "logon_user", t, Status::Ok, why);
    }

    fn set_blanket(&mut self, at: &mut At, t: ThreadId, b: &SetBlanket) {
        let mut why = Why::new();
        let process = self.st.threads[t].process;
        let api = self.w.proxy_api(process, &b.proxy);
        let default_cloaking = self.w.procs[process].com.cloaking;
        let thread_token = self.st.threads[t].token;
        let first_call = self.w.scenario.options.static_tracking_at_first_call;
        let fixed_name = self.name_of(thread_token, process);
        let proxy = self.st.proxy_mut(process, &b.proxy);
        let authn = b.authn.or(proxy.blanket.authn).unwrap_or(Authn::Default);
        let level = b
            .authn_level
            .or(proxy.blanket.authn_level)
            .unwrap_or(AuthnLevel::Default);
        let mut status = Status::Ok;
        if api == Api::Com {
            let cloaking = b
                .cloaking
                .or(proxy.blanket.cloaking)
                .unwrap_or(default_cloaking);
            if let Some((rules, sentence, field)) =
                super::call::blanket_rejected(authn, level, cloaking)
            {
                let in_step = match field {
                    StepField::Cloaking => b.cloaking.is_some() || proxy.blanket.cloaking.is_some(),
                    _ => true,
                };
                let what = field.title();
                why.rule(rules).say(sentence).decide(if in_step {
                    step_setting(
                        &at.path,
                        field.as_str(),
                        format!("{what} of this CoSetProxyBlanket"),
                    )
                } else {
                    self.w.process_setting(process, "com.cloaking", what)
                });
                status = Status::EInvalidArg;
            } else {
                merge(&mut proxy.blanket, b);
                if cloaking == Cloaking::Static {
                    proxy.captured = Captured::Fixed(thread_token);
                    why.rule(&[RuleId::Cl2]).say_fmt(format_args!(
                        "CoSetProxyBlanket with static cloaking fixes proxy {}'s identity now: {fixed_name}.",
                        b.proxy
                    ));
                } else {
                    proxy.captured = Captured::Not;
                    why.rule(&[RuleId::Bl2]).say_fmt(format_args!(
                        "CoSetProxyBlanket sets proxy {}'s blanket; later calls on it use these values.",
                        b.proxy
                    ));
                }
            }
        } else {
            merge(&mut proxy.blanket, b);
            if first_call {
                proxy.captured = Captured::Not;
                why.rule(&[RuleId::Rp6, RuleId::Am10]).say_fmt(format_args!(
                    "RpcBindingSetAuthInfoEx on binding {}. Option static_tracking_at_first_call: static tracking captures the identity at the next call.",
                    b.proxy
                ));
            } else {
                proxy.captured = Captured::Fixed(thread_token);
                why.rule(&[RuleId::Rp6, RuleId::Am10]).say_fmt(format_args!(
                    "RpcBindingSetAuthInfoEx on binding {}: static identity tracking captures the caller's identity now ({fixed_name}).",
                    b.proxy
                ));
            }
        }
        self.emit_final(at, "set_blanket", t, status, why);
    }

    fn access(&mut self, at: &mut At, t: ThreadId, resource: &str) {
        let mut why = Why::new();
        let w = self.w;
        let (res_index, res) = w.resource(resource);
        let id = self.effective(t);
        let process = self.st.threads[t].process;
        let here = self.w.procs[process].machine;
        let there = self.w.machine_id(&res.machine);
        let who = self.w.display(id.user);
        if let Some(level) = id.level {
            if level < TokenLevel::Impersonate {
                why.rule(&[RuleId::Lv1, RuleId::Am7]);
                if level == TokenLevel::Anonymous {
                    why.rule(&[RuleId::Am2]);
                }
                why.say_fmt(format_args!(
                    "The thread holds {who} only at {} level, which {} open objects as the client.",
                    level.windows_name(),
                    if level == TokenLevel::Anonymous {
                        "carries no identity and cannot"
                    } else {
                        "can check access but cannot"
                    }
                ));
                if let Some(s) = self.weak_setting(id.token) {
                    why.decide(s);
                }
                let e = self.emit_final(at, "access", t, Status::ErrorBadImpersonationLevel, why);
                if there != here {
                    e.seen_as = Some(None);
                }
                return;
            }
        }
        if there == here {
            let ok = self.w.acl_allows(&res.allow, id.user);
            why.rule(&[RuleId::Ac1]);
            if id.user == Principal::Anonymous {
                why.rule(&[RuleId::Ac5]);
                if let Some(s) = self.weak_setting(id.token) {
                    why.decide(s);
                }
            }
            why.say_fmt(format_args!(
                "Opening {resource} on {} as {who}: {}",
                res.machine,
                acl_verdict(self.w, &res.allow, who, ok)
            ));
            if !ok {
                why.decide_else(|| self.acl_setting(resource));
            }
            self.emit(at, "access", t, access_status(ok), why);
            return;
        }
        let (spn, owner) = w.resource_spn(res_index);
        // SM-1, silently: the sentence names the SPN SMB authenticates to, cifs/<MACHINE>.
        why.rule(&[RuleId::Ac1, RuleId::Pk1]);
        let package = match self.unowned(spn, owner) {
            None => Authn::Kerberos,
            Some((rule, sentence)) => {
                why.rule(&[rule])
                    .say_fmt(format_args!("{sentence}, and SMB fell back to NTLM."));
                Authn::Ntlm
            }
        };
        let spn_setting = || Setting {
            path: format!("{}.spn", crate::model::path::key("resources", resource)),
            label: format!("SPN of {resource}"),
        };
        let hop = Hop {
            package,
            spn: Some(spn),
            spn_owner: owner.account(),
            spn_setting: &spn_setting,
            to: there,
            path: NetPath::NtlmCapable,
        };
        match self.present_remote(process, id, hop, &mut why) {
            Err((status, kdc)) => {
                let e = self.emit_final(at, "access", t, status, why);
                e.seen_as = Some(None);
                e.kdc_status = kdc;
                e.detail.remote_machine = Some(res.machine.clone());
            }
            Ok(remote) => {
                let ok = self.w.acl_allows(&res.allow, remote.user);
                let seen = self.w.display(remote.user).to_string();
                if remote.user == Principal::Anonymous {
                    why.rule(&[RuleId::Ac5])
                        .decide_else(|| self.acl_setting(resource));
                } else if !ok {
                    why.decide(self.acl_setting(resource));
                }
                why.lead(format!(
                    "Opening {resource} on {} over SMB ({spn}): {} authenticates {seen}; {}",
                    res.machine,
                    res.machine,
                    acl_verdict(self.w, &res.allow, &seen, ok)
                ));
                let e = self.emit(at, "access", t, access_status(ok), why);
                e.seen_as = Some(Some(seen));
                e.kdc_status = remote.kdc_status;
                e.detail.remote_machine = Some(res.machine.clone());
            }
        }
    }

    fn access_check(&mut self, at: &mut At, t: ThreadId, resource: &str) {
        let mut why = Why::new();
        let (_, res) = self.w.resource(resource);
        let id = self.effective(t);
        let who = self.w.display(id.user);
        if let Some(s) = self.weak_setting(id.token) {
            why.decide(s);
        }
        if id.level == Some(TokenLevel::Anonymous) {
            why.rule(&[RuleId::Lv1, RuleId::Tk3, RuleId::Am2]).say(
                "An Anonymous-level token cannot be opened, so it cannot be handed to AccessCheck.",
            );
            self.emit_final(at, "access_check", t, Status::ErrorCantOpenAnonymous, why);
            return;
        }
        let ok = self.w.acl_allows(&res.allow, id.user);
        why.rule(&[RuleId::Ac4, RuleId::Lv1]).say_fmt(format_args!(
            "AccessCheck opens nothing, so it works even at Identification level. Checking {who} against {resource}: {}",
            acl_verdict(self.w, &res.allow, who, ok).replace("access is", "access would be")
        ));
        if !ok && id.user != Principal::Anonymous {
            why.decide(self.acl_setting(resource));
        } else if !ok {
            why.decide_else(|| self.acl_setting(resource));
        }
        self.emit(at, "access_check", t, access_status(ok), why);
    }

    fn open_thread_token(&mut self, at: &mut At, t: ThreadId, as_self: bool) {
        let mut why = Why::new();
        why.rule(&[RuleId::Tk3]);
        let id = self.effective(t);
        if let Some(s) = self.weak_setting(id.token) {
            why.decide(s);
        }
        let status = match id.level {
            None => {
                why.say("The thread is not impersonating, so it has no thread token to open.")
                    .decide(self.step_of(
                        at,
                        t,
                        "do",
                        "open_thread_token step (no impersonate before it)",
                    ));
                Status::ErrorNoToken
            }
            Some(TokenLevel::Anonymous) => {
                why.rule(&[RuleId::Lv1])
                    .say("An Anonymous-level token can never be opened.");
                Status::ErrorCantOpenAnonymous
            }
            Some(TokenLevel::Identify) if !as_self => {
                why.rule(&[RuleId::Lv1, RuleId::Am7]).say(
                    "With OpenAsSelf FALSE the access check runs as the Identification-level token itself, which cannot open executive objects; pass OpenAsSelf TRUE.",
                );
                Status::ErrorBadImpersonationLevel
            }
            Some(l) => {
                why.say(if as_self {
                    format!("OpenAsSelf TRUE checks access as the process, so the {}-level token opens.", l.windows_name())
                } else {
                    format!("The {}-level token opens.", l.windows_name())
                });
                Status::Ok
            }
        };
        self.emit_final(at, "open_thread_token", t, status, why);
    }

    fn duplicate_token(&mut self, at: &mut At, t: ThreadId, level: DupLevel) {
        let mut why = Why::new();
        why.rule(&[RuleId::Tk1]);
        let id = self.effective(t);
        let status = match id.level {
            None => {
                why.say(
                    "The thread is not impersonating, so there is no thread token to duplicate.",
                )
                .decide(self.step_of(
                    at,
                    t,
                    "do",
                    "duplicate_token step (no impersonate before it)",
                ));
                Status::ErrorNoToken
            }
            Some(have) => {
                let (wanted, name) = match level {
                    DupLevel::Identify => (TokenLevel::Identify, "an Identification-level token"),
                    DupLevel::Impersonate => {
                        (TokenLevel::Impersonate, "an Impersonation-level token")
                    }
                    DupLevel::Delegate => (TokenLevel::Delegate, "a Delegation-level token"),
                    DupLevel::Primary => (TokenLevel::Impersonate, "a primary token"),
                };
                if wanted > have {
                    why.rule(&[RuleId::Am6]).say_fmt(format_args!(
                        "DuplicateTokenEx cannot make {name} from a {}-level token: duplication never raises the level.",
                        have.windows_name()
                    ));
                    let weak = self.weak_setting(id.token);
                    why.decide(
                        weak.unwrap_or_else(|| {
                            self.step_of(at, t, "level", "duplicate_token level")
                        }),
                    );
                    Status::ErrorBadImpersonationLevel
                } else {
                    why.say_fmt(format_args!(
                        "DuplicateTokenEx makes {name} from the {}-level thread token.",
                        have.windows_name()
                    ));
                    Status::Ok
                }
            }
        };
        self.emit_final(at, "duplicate_token", t, status, why);
    }

    fn whoami(&mut self, at: &mut At, t: ThreadId) {
        let mut why = Why::new();
        let id = self.effective(t);
        let who = self.w.display(id.user);
        let status = match id.level {
            Some(l) if l < TokenLevel::Impersonate => {
                why.rule(&[RuleId::Lv1, RuleId::Am7]).say_fmt(format_args!(
                    "The thread impersonates {who} at {} level: the identity is known to access checks, but GetUserName cannot open the token and fails.",
                    l.windows_name()
                ));
                if let Some(s) = self.weak_setting(id.token) {
                    why.decide(s);
                }
                Status::ErrorBadImpersonationLevel
            }
            Some(l) => {
                why.rule(&[RuleId::Ac1]).say_fmt(format_args!(
                    "The thread impersonates {who} at {} level; access checks use this token.",
                    l.windows_name()
                ));
                Status::Ok
            }
            None => {
                why.rule(&[RuleId::Ac1]).say_fmt(format_args!(
                    "The thread has no impersonation token: it acts as its process, {who}."
                ));
                Status::Ok
            }
        };
        self.emit_final(at, "whoami", t, status, why);
    }
}

fn merge(blanket: &mut Blanket, b: &SetBlanket) {
    if b.authn.is_some() {
        blanket.authn = b.authn;
    }
    if b.authn_level.is_some() {
        blanket.authn_level = b.authn_level;
    }
    if b.imp_level.is_some() {
        blanket.imp_level = b.imp_level;
    }
    if b.cloaking.is_some() {
        blanket.cloaking = b.cloaking;
    }
}

/// Whether an ACL admits `who`, in a sentence that names both: "its ACL allows CORP\\alice but
/// not NT AUTHORITY\\ANONYMOUS LOGON, so access is denied."
fn acl_verdict(w: &World, allow: &[String], who: &str, ok: bool) -> String {
    let allow: Vec<&str> = allow
        .iter()
        .map(|a| match w.find_account(a) {
            Some(id) => w.display(Principal::Domain(id)),
            None => a.as_str(),
        })
        .collect();
    match (allow.is_empty(), ok) {
        (true, _) => "its ACL allows nobody, so access is denied.".to_string(),
        (false, true) if allow.contains(&who) => {
            format!("its ACL allows {}, so access is granted.", allow.join(", "))
        }
        (false, true) => format!(
            "its ACL allows {}, which admits {who}, so access is granted.",
            allow.join(", ")
        ),
        (false, false) => format!(
            "its ACL allows {} but not {who}, so access is denied.",
            allow.join(", ")
        ),
    }
}

/// An access's status: `ok`, or `ERROR_ACCESS_DENIED` when the ACL refuses.
fn access_status(ok: bool) -> Status {
    if ok {
        Status::Ok
    } else {
        Status::ErrorAccessDenied
    }
}
