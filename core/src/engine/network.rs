//! Presenting a token to another machine, and Kerberos delegation.
//!
//! A token crosses a machine boundary only with credentials behind it (SPEC §6): the session's
//! own (an interactive, service or LogonUser logon: `Creds::Full`), a forwarded TGT (KD-1), or a
//! ticket the KDC issues on the user's behalf by S4U2proxy (KD-4 to KD-6). A token from a network
//! logon has none: that is the double hop (LV-4, KD-7), and AM-4 decides what the next server
//! sees. Built-in accounts appear as the computer account or as anonymous (AC-6).

use super::state::*;
use super::world::*;
use super::{Engine, Ident};
use crate::explain::{short, Setting, Why};
use crate::model::*;

/// How a path reacts to a token without credentials (AM-4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NetPath {
    /// A cloaked COM call: fails.
    ComCloaked,
    /// Raw RPC asking for Kerberos only: fails with RPC_S_SEC_PKG_ERROR.
    KerberosOnly,
    /// SMB, named pipes, negotiate RPC: fall back to a NULL session (ANONYMOUS LOGON).
    NtlmCapable,
}

/// Whom the remote side authenticated.
#[derive(Debug, Clone)]
pub(super) struct Remote {
    pub user: Principal,
    /// The package actually used.
    pub package: Authn,
    /// SPEC §3 `delegation`: how the callee came to see this identity.
    pub delegation: &'static str,
    pub origin: Origin,
    /// Whether the callee's service ticket is forwardable (evidence for S4U2proxy, KD-4).
    pub forwardable: bool,
    /// The credentials the presented session held.
    pub presented_creds: Creds,
}

impl Remote {
    pub fn anonymous(package: Authn) -> Remote {
        Remote {
            user: Principal::Anonymous,
            package,
            delegation: "none",
            origin: Origin::Anonymous,
            forwardable: false,
            presented_creds: Creds::None,
        }
    }
}

/// Why unconstrained delegation was not established.
pub(super) struct NoDelegation {
    pub rules: &'static [&'static str],
    pub sentence: String,
    pub setting: Setting,
}

/// The service a token is presented to: package, SPN, the SPN's owner, and the setting that
/// names the SPN (for a failure that comes from it).
pub(super) type Service<'a> = (
    Authn,
    Option<&'a str>,
    Option<AccountId>,
    &'a dyn Fn() -> Setting,
);

enum S4u {
    NotAttempted,
    Granted(&'static str),
    Refused(&'static str),
}

impl<'s, 'k> Engine<'s, 'k> {
    /// Authenticates `ident` (held by process `front`) to machine `to` with `package`.
    /// `Err` carries the failed status and, for KDC refusals, the KDC's NTSTATUS.
    pub(super) fn present_remote(
        &mut self,
        front: ProcId,
        ident: Ident,
        (package, spn, spn_owner, spn_setting): Service,
        to: MachineId,
        path: NetPath,
        why: &mut Why,
    ) -> Result<Remote, (&'static str, Option<&'static str>)> {
        let session = self.st.sessions[ident.session].clone();
        let home = session.machine;
        let w = self.w;
        let home_name = w.machine_name(home);
        let to_name = w.machine_name(to);
        let user = match ident.user {
            Principal::System | Principal::NetworkService => {
                let computer = self.w.computer_account(home);
                why.rule(&["AC-6"]).say_fmt(format_args!(
                    "{} presents the computer's credentials on the network, so {to_name} sees {}.",
                    short(self.w.display(ident.user)),
                    self.w.display(Principal::Domain(computer))
                ));
                Principal::Domain(computer)
            }
            Principal::LocalService => {
                why.rule(&["AC-6"]).say_fmt(format_args!(
                    "LocalService presents anonymous credentials on the network, so {to_name} sees ANONYMOUS LOGON."
                ));
                why.decide(w.process_setting(front, "account", "Account"));
                return Ok(Remote::anonymous(Authn::Ntlm));
            }
            Principal::Anonymous => {
                if let Some(s) = self.weak_setting(ident.token) {
                    why.decide(s);
                }
                return Ok(Remote::anonymous(Authn::Ntlm));
            }
            d => d,
        };
        let Principal::Domain(account) = user else {
            return Ok(Remote::anonymous(Authn::Ntlm));
        };
        let info = &w.accounts[account];
        let who = w.display(user);
        let usable = match session.creds {
            Creds::Full => true,
            Creds::ForwardedTgt => package == Authn::Kerberos,
            Creds::None => false,
        };
        if usable {
            if package == Authn::Ntlm && info.protected_users {
                why.rule(&["KD-3"]).say_fmt(format_args!(
                    "{who} is in Protected Users and cannot authenticate with NTLM, so the logon to {to_name} is denied."
                ));
                why.decide(w.account_setting(account, "protected_users", "Protected Users", front));
                return Err(("SEC_E_LOGON_DENIED", None));
            }
            let delegation = match (session.creds, session.origin, ident.token) {
                (Creds::ForwardedTgt, _, _) => {
                    why.rule(&["KD-1"]).say_fmt(format_args!(
                        "{home_name} holds {}'s forwarded TGT, so it gets a ticket to {to_name} as {}.",
                        short(who),
                        short(who)
                    ));
                    "unconstrained"
                }
                (_, Origin::Explicit, _) => {
                    why.rule(&["KD-9"]).say_fmt(format_args!(
                        "The token comes from LogonUser with {}'s password, so it authenticates to {to_name} as {} with no hop limit.",
                        short(who),
                        short(who)
                    ));
                    "credentials"
                }
                (_, _, Some(_)) => {
                    why.rule(&["LV-4", "RP-9"]).say_fmt(format_args!(
                        "The token refers to {}'s own logon session on {home_name}, which holds credentials, so it can cross one machine boundary to {to_name}.",
                        short(who)
                    ));
                    "local"
                }
                _ => "none",
            };
            return Ok(Remote {
                user,
                package,
                delegation,
                origin: Origin::Network,
                forwardable: package == Authn::Kerberos && !info.not_delegable(),
                presented_creds: session.creds,
            });
        }

        // No credentials that can leave `home` with this package.
        let front_account = {
            let p = &self.w.procs[front];
            self.w.network_account(p.principal, p.machine)
        };
        if session.creds == Creds::ForwardedTgt {
            why.decide(spn_setting());
            why.rule(&["KD-1", "PK-1", "KD-7"]).say_fmt(format_args!(
                "{home_name} holds {}'s forwarded TGT, but this hop uses {package}{}: a TGT authenticates only with Kerberos.",
                short(who),
                if spn_owner.is_none() {
                    " because no account holds the target's SPN"
                } else {
                    ""
                }
            ));
        } else {
            why.rule(&["LV-4", "KD-7"]).say_fmt(format_args!(
                "{}'s token on {home_name} comes from a network logon and holds no credentials that can leave {home_name}.",
                short(who)
            ));
            if let Some(s) = self.st.undelegated.get(ident.session) {
                if let Some(a) = front_account {
                    why.say_fmt(format_args!(
                        "{} is trusted for delegation, but no TGT of {} was forwarded to it ({}).",
                        w.accounts[a].name,
                        short(who),
                        s.label
                    ));
                }
                why.decide(s.clone());
            } else if let Some(a) = front_account {
                let f = &w.accounts[a];
                let rbcd = spn_owner.is_some_and(|t| w.accounts[t].allowed_to_act.contains(&a));
                if f.delegation == Delegation::None && !rbcd {
                    why.say_fmt(format_args!(
                        "{} is not trusted for delegation, so it cannot pass {} on.",
                        f.name,
                        short(who)
                    ));
                }
                why.decide(w.account_setting(a, "delegation", "Delegation", front));
            } else {
                // LocalService: no account of its own on the network, so nothing to delegate.
                why.decide(w.process_setting(front, "account", "Account"));
            }
        }
        if package == Authn::Kerberos {
            match self.s4u(
                (front, front_account),
                account,
                &session,
                spn,
                spn_owner,
                to_name,
                why,
            ) {
                S4u::Granted(kind) => {
                    return Ok(Remote {
                        user,
                        package: Authn::Kerberos,
                        delegation: kind,
                        origin: Origin::S4u,
                        forwardable: true,
                        presented_creds: Creds::None,
                    })
                }
                S4u::Refused(status) => return Err(("KDC_ERR_BADOPTION", Some(status))),
                S4u::NotAttempted => {}
            }
        }
        match path {
            NetPath::ComCloaked => {
                why.rule(&["AM-4", "CL-5"]).say_fmt(format_args!(
                    "A cloaked COM call cannot present it to {to_name}, so the call fails."
                ));
                Err(("E_ACCESSDENIED", None))
            }
            NetPath::KerberosOnly => {
                why.rule(&["AM-4", "PK"]).say(
                    "Kerberos has no ticket to offer for it and the call allows no other package, so it fails.",
                );
                Err(("RPC_S_SEC_PKG_ERROR", None))
            }
            NetPath::NtlmCapable => {
                why.rule(&["AM-4", "KD-7", "AL-5"]).say_fmt(format_args!(
                    "Windows falls back to a NULL session: {to_name} sees NT AUTHORITY\\ANONYMOUS LOGON (the double hop)."
                ));
                Ok(Remote::anonymous(Authn::Ntlm))
            }
        }
    }

    /// Constrained delegation (KD-4, KD-5) and resource-based constrained delegation (KD-6):
    /// whether the KDC issues `front` a ticket to `spn` as `user`.
    #[allow(clippy::too_many_arguments)]
    fn s4u(
        &self,
        (via, front): (ProcId, Option<AccountId>),
        user: AccountId,
        session: &Session,
        spn: Option<&str>,
        spn_owner: Option<AccountId>,
        to_name: &str,
        why: &mut Why,
    ) -> S4u {
        let (Some(front), Some(spn), Some(target)) = (front, spn, spn_owner) else {
            return S4u::NotAttempted;
        };
        let f = &self.w.accounts[front];
        let u = &self.w.accounts[user];
        let t = &self.w.accounts[target];
        let rbcd_configured = !t.allowed_to_act.is_empty();
        let kcd = match &f.delegation {
            Delegation::Constrained {
                services,
                any_protocol,
            } => Some((services, *any_protocol)),
            _ => None,
        };
        if kcd.is_none() && !rbcd_configured {
            return S4u::NotAttempted;
        }
        let blocked = u.not_delegable();
        let blocked_why = if u.protected_users {
            (
                &["KD-3"][..],
                format!(
                    "{} is in Protected Users, so no ticket of theirs is forwardable",
                    u.name
                ),
                "protected_users",
                "Protected Users",
            )
        } else {
            (
                &["KD-2"][..],
                format!(
                    "{} is marked sensitive and cannot be delegated, so no ticket of theirs is forwardable",
                    u.name
                ),
                "sensitive",
                "Sensitive flag",
            )
        };
        let w = self.w;
        let user_flag = || w.account_setting(user, blocked_why.2, blocked_why.3, via);
        let front_delegation = || w.account_setting(front, "delegation", "Delegation", via);
        let mut refusal: Option<(&'static str, &'static [&'static str], String, Setting)> = None;
        if let Some((services, any_protocol)) = kcd {
            if services.iter().any(|s| s.eq_ignore_ascii_case(spn)) {
                let kerberos_evidence = session.forwardable;
                let transition = !kerberos_evidence && any_protocol && !blocked;
                if kerberos_evidence || transition {
                    why.rule(&["KD-4"]);
                    let mut s = format!(
                        "{} may delegate to {spn} (msDS-AllowedToDelegateTo), so S4U2proxy gets a ticket as {}: {to_name} sees {}.",
                        f.name, u.name, u.name
                    );
                    if transition {
                        why.rule(&["KD-5"]);
                        s.push_str(" \"Use any authentication protocol\" made the S4U2self evidence forwardable; the token carries SERVICE_ASSERTED_IDENTITY (S-1-18-2).");
                    }
                    why.say(s);
                    return S4u::Granted("constrained");
                }
                refusal = Some(if blocked {
                    (
                        "STATUS_NO_MATCH",
                        blocked_why.0,
                        format!("{}, so S4U2proxy is refused", blocked_why.1),
                        user_flag(),
                    )
                } else {
                    (
                        "STATUS_NO_MATCH",
                        &["KD-5"][..],
                        format!(
                            "{} may delegate to {spn} with \"Kerberos only\", but {} did not authenticate to it with Kerberos, so there is no forwardable evidence ticket and S4U2proxy is refused",
                            f.name, u.name
                        ),
                        front_delegation(),
                    )
                });
            } else if services.is_empty() {
                refusal = Some((
                    "STATUS_NOT_SUPPORTED",
                    &["KD-4"][..],
                    format!(
                        "{}'s list of services it may delegate to is empty, so the KDC refuses S4U2proxy",
                        f.name
                    ),
                    front_delegation(),
                ));
            } else {
                refusal = Some((
                    "STATUS_NO_MATCH",
                    &["KD-4"][..],
                    format!(
                        "{spn} is not in {}'s msDS-AllowedToDelegateTo, so the KDC refuses S4U2proxy",
                        f.name
                    ),
                    front_delegation(),
                ));
            }
        }
        if rbcd_configured && t.allowed_to_act.contains(&front) {
            if blocked {
                why.rule(&["KD-6", "AM-13"]).rule(blocked_why.0).say_fmt(format_args!(
                    "{} lets {} act on behalf of others (RBCD), but {}: KDC_ERR_BADOPTION (STATUS_ACCOUNT_RESTRICTION).",
                    t.name, f.name, blocked_why.1
                ));
                why.decide(user_flag());
                return S4u::Refused("STATUS_ACCOUNT_RESTRICTION");
            }
            why.rule(&["KD-6", "AM-13"]).say_fmt(format_args!(
                "{} lists {} in msDS-AllowedToActOnBehalfOfOtherIdentity (resource-based constrained delegation), so the KDC issues a ticket as {}: {to_name} sees {}.",
                t.name, f.name, u.name, u.name
            ));
            return S4u::Granted("rbcd");
        }
        if let Some((status, rules, sentence, setting)) = refusal {
            why.rule(rules)
                .say_fmt(format_args!("{sentence}: KDC_ERR_BADOPTION ({status})."))
                .decide(setting);
            return S4u::Refused(status);
        }
        why.rule(&["KD-6"]).say_fmt(format_args!(
            "{}'s msDS-AllowedToActOnBehalfOfOtherIdentity does not list {}, so the KDC refuses S4U2proxy: KDC_ERR_BADOPTION (STATUS_NOT_FOUND).",
            t.name, f.name
        ));
        why.decide(w.account_setting(
            target,
            "allowed_to_act",
            "Allowed to act on behalf (RBCD)",
            via,
        ));
        S4u::Refused("STATUS_NOT_FOUND")
    }

    /// Unconstrained delegation on a DELEGATE call (LV-5, KD-1, RP-8, AM-12): whether the
    /// client's TGT is forwarded to `callee`.
    pub(super) fn unconstrained(
        &self,
        remote: &Remote,
        package: Authn,
        api: Api,
        call: &Call,
        callee: ProcId,
        field: &dyn Fn(&str, &str) -> Setting,
    ) -> Result<String, NoDelegation> {
        let owner = self.w.service_account(callee);
        let owner_name = self.w.accounts[owner].name.clone();
        let callee_name = &self.w.procs[callee].name;
        if package != Authn::Kerberos {
            return Err(NoDelegation {
                rules: &["RP-8", "PK", "LV-5"],
                sentence: format!(
                    "The client asked for Delegate, but {package} cannot delegate: only Kerberos can (NTLM never sends the password)."
                ),
                setting: field("authn", "Security package"),
            });
        }
        if api == Api::Rpc && !call.mutual_auth {
            return Err(NoDelegation {
                rules: &["RP-8", "RP-5"],
                sentence: "The client asked for Delegate without mutual authentication; Kerberos delegates only when mutual authentication is requested.".into(),
                setting: field("mutual_auth", "Mutual authentication"),
            });
        }
        let Principal::Domain(user) = remote.user else {
            return Err(NoDelegation {
                rules: &["LV-5"],
                sentence: "An anonymous caller has nothing to delegate.".into(),
                setting: field("imp_level", "Impersonation level"),
            });
        };
        let u = &self.w.accounts[user];
        if u.protected_users {
            return Err(NoDelegation {
                rules: &["KD-3", "LV-5"],
                sentence: format!(
                    "The client asked for Delegate, but {} is in Protected Users, whose tickets are never forwardable.",
                    u.name
                ),
                setting: self.w.account_setting(user, "protected_users", "Protected Users", callee),
            });
        }
        if u.sensitive {
            return Err(NoDelegation {
                rules: &["KD-2", "LV-5"],
                sentence: format!(
                    "The client asked for Delegate, but {} is marked \"Account is sensitive and cannot be delegated\".",
                    u.name
                ),
                setting: self.w.account_setting(user, "sensitive", "Sensitive flag", callee),
            });
        }
        if !matches!(remote.presented_creds, Creds::Full | Creds::ForwardedTgt) {
            return Err(NoDelegation {
                rules: &["KD-4", "LV-5"],
                sentence: "The client asked for Delegate, but the presented identity has no TGT to forward (its ticket came from S4U2proxy).".into(),
                setting: field("imp_level", "Impersonation level"),
            });
        }
        if !matches!(self.w.accounts[owner].delegation, Delegation::Unconstrained) {
            return Err(NoDelegation {
                rules: &["LV-5", "KD-1", "AM-12"],
                sentence: format!(
                    "The client asked for Delegate, but {owner_name} is not trusted for delegation, so the client's ticket was not forwarded."
                ),
                setting: self.w.account_setting(owner, "delegation", "Delegation", callee),
            });
        }
        Ok(format!(
            "{owner_name} is trusted for delegation and the client asked for Delegate, so {}'s TGT is forwarded: {callee_name} holds a Delegation-level token that can reach further machines.",
            u.name
        ))
    }
}
