//! Presenting a token to another machine, and Kerberos delegation.
//!
//! A token crosses a machine boundary only with credentials behind it (SPEC §6): the session's
//! own (an interactive, service or LogonUser logon: `Creds::Full`), a forwarded TGT (KD-1), or a
//! ticket the KDC issues on the user's behalf by S4U2proxy (KD-4 to KD-6). A token from a network
//! logon has none: that is the double hop (LV-4, KD-7), and AM-4 decides what the next server
//! sees. Built-in accounts appear as the computer account or as anonymous (AC-6).

use super::spn;
use super::state::*;
use super::world::*;
use super::{Engine, Ident};
use crate::explain::{short, Setting, Why};
use crate::model::*;
use crate::rules::RuleId;

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
    pub delegation: DelegationKind,
    pub origin: Origin,
    /// Whether the callee's service ticket is forwardable (evidence for S4U2proxy, KD-4).
    pub forwardable: bool,
    /// The credentials the presented session held.
    pub presented_creds: Creds,
    /// The KDC's refusal of an S4U2proxy this hop fell back from (SM-3).
    pub kdc_status: Option<KdcStatus>,
}

impl Remote {
    pub fn anonymous(package: Authn) -> Remote {
        Remote {
            user: Principal::Anonymous,
            package,
            delegation: DelegationKind::None,
            origin: Origin::Anonymous,
            forwardable: false,
            presented_creds: Creds::None,
            kdc_status: None,
        }
    }
}

/// Why unconstrained delegation was not established.
pub(super) struct NoDelegation {
    pub rules: &'static [RuleId],
    pub sentence: String,
    pub setting: Setting,
}

enum S4u {
    NotAttempted,
    Granted(DelegationKind),
    Refused(KdcStatus),
}

/// Where a token is presented: the package, the principal name, its owner and the setting that
/// names it (for a failure that comes from it), the machine, and how the path reacts to a token
/// without credentials.
#[derive(Clone, Copy)]
pub(super) struct Hop<'a> {
    pub package: Authn,
    pub spn: Option<&'a str>,
    pub spn_owner: Option<AccountId>,
    pub spn_setting: &'a dyn Fn() -> Setting,
    pub to: MachineId,
    pub path: NetPath,
}

/// Who presents a token: the process in front, the identity it holds, the domain account that
/// identity is on the network, and its logon session.
#[derive(Clone, Copy)]
struct Presenting<'a> {
    front: ProcId,
    ident: Ident,
    account: AccountId,
    session: &'a Session,
}

/// A failed presentation: the status, and for KDC refusals the KDC's NTSTATUS.
pub(super) type NetError = (Status, Option<KdcStatus>);

/// A refused S4U2proxy: the NTSTATUS, the rules, the sentence and the deciding setting.
type Refusal = (KdcStatus, &'static [RuleId], String, Setting);

/// Constrained delegation's refusal: the NTSTATUS, the rules, the sentence, and whether the
/// user's own flag (sensitive, Protected Users) refused it rather than the front's delegation.
type KcdRefusal = (KdcStatus, &'static [RuleId], String, bool);

impl<'s, 'k> Engine<'s, 'k> {
    /// Authenticates `ident` (held by process `front`) over `hop`.
    pub(super) fn present_remote(
        &self,
        front: ProcId,
        ident: Ident,
        hop: Hop,
        why: &mut Why,
    ) -> Result<Remote, NetError> {
        let session = self.st.sessions[ident.session].clone();
        let to_name = self.w.machine_name(hop.to);
        let account = match self.network_account_of(front, ident, session.machine, to_name, why) {
            Ok(account) => account,
            Err(anonymous) => return Ok(anonymous),
        };
        let usable = match session.creds {
            Creds::Full => true,
            Creds::ForwardedTgt => hop.package == Authn::Kerberos,
            Creds::None => false,
        };
        let p = Presenting {
            front,
            ident,
            account,
            session: &session,
        };
        if usable {
            self.with_credentials(p, hop, why)
        } else {
            self.without_credentials(p, hop, why)
        }
    }

    /// The domain account a principal authenticates as on the network (AC-6): its own, or
    /// the computer account of `home` for LocalSystem and NetworkService; `Err` with the
    /// anonymous logon for LocalService and ANONYMOUS LOGON.
    fn network_account_of(
        &self,
        front: ProcId,
        ident: Ident,
        home: MachineId,
        to_name: &str,
        why: &mut Why,
    ) -> Result<AccountId, Remote> {
        let user = ident.user;
        match user {
            Principal::System | Principal::NetworkService | Principal::AppPool => {
                let computer = self.w.computer_account(home);
                if user == Principal::AppPool {
                    why.rule(&[RuleId::Ht3]);
                }
                why.rule(&[RuleId::Ac6]).say_fmt(format_args!(
                    "{} presents the computer's credentials on the network, so {to_name} sees {}.",
                    short(self.w.display(user)),
                    self.w.display(Principal::Domain(computer))
                ));
                Ok(computer)
            }
            Principal::LocalService => {
                why.rule(&[RuleId::Ac6]).say_fmt(format_args!(
                    "LocalService presents anonymous credentials on the network, so {to_name} sees ANONYMOUS LOGON."
                ));
                why.decide(self.w.process_setting(front, "account", "Account"));
                Err(Remote::anonymous(Authn::Ntlm))
            }
            Principal::Anonymous => {
                if let Some(s) = self.weak_setting(ident.token) {
                    why.decide(s);
                }
                Err(Remote::anonymous(Authn::Ntlm))
            }
            Principal::Domain(id) => Ok(id),
        }
    }

    /// Who crosses and where, for the sentences: the user, its display name, the machine it
    /// leaves and the one it reaches.
    fn crossing(
        &self,
        account: AccountId,
        session: &Session,
        hop: Hop,
    ) -> (Principal, &'s str, &'s str, &'s str) {
        let w = self.w;
        let user = Principal::Domain(account);
        let names = (w.machine_name(session.machine), w.machine_name(hop.to));
        (user, w.display(user), names.0, names.1)
    }

    /// A session whose credentials can leave its machine with `hop.package`: a forwarded TGT
    /// (KD-1), an explicit logon (KD-9), or the user's own session, one hop away (LV-4, RP-9);
    /// Protected Users never use NTLM (KD-3).
    fn with_credentials(&self, p: Presenting, hop: Hop, why: &mut Why) -> Result<Remote, NetError> {
        let Presenting {
            front,
            ident,
            account,
            session,
        } = p;
        let w = self.w;
        let (user, who, home_name, to_name) = self.crossing(account, session, hop);
        let info = &w.accounts[account];
        let package = hop.package;
        if package == Authn::Ntlm && info.protected_users {
            why.rule(&[RuleId::Kd3]).say_fmt(format_args!(
                "{who} is in Protected Users and cannot authenticate with NTLM, so the logon to {to_name} is denied."
            ));
            why.decide(w.account_setting(account, "protected_users", "Protected Users", front));
            return Err((Status::SecELogonDenied, None));
        }
        let delegation = match (session.creds, session.origin, ident.token) {
            (Creds::ForwardedTgt, _, _) => {
                why.rule(&[RuleId::Kd1]).say_fmt(format_args!(
                    "{home_name} holds {}'s forwarded TGT, so it gets a ticket to {to_name} as {}.",
                    short(who),
                    short(who)
                ));
                DelegationKind::Unconstrained
            }
            (_, Origin::Explicit, _) => {
                why.rule(&[RuleId::Kd9]).say_fmt(format_args!(
                    "The token comes from LogonUser with {}'s password, so it authenticates to {to_name} as {} with no hop limit.",
                    short(who),
                    short(who)
                ));
                DelegationKind::Credentials
            }
            (_, _, Some(_)) => {
                why.rule(&[RuleId::Lv4, RuleId::Rp9]).say_fmt(format_args!(
                    "The token refers to {}'s own logon session on {home_name}, which holds credentials, so it can cross one machine boundary to {to_name}.",
                    short(who)
                ));
                DelegationKind::Local
            }
            _ => DelegationKind::None,
        };
        Ok(Remote {
            user,
            package,
            delegation,
            origin: Origin::Network,
            forwardable: package == Authn::Kerberos && !info.not_delegable(),
            presented_creds: session.creds,
            kdc_status: None,
        })
    }

    /// A session with no credentials that can leave its machine with `hop.package` (the
    /// double hop, LV-4, KD-7): S4U2proxy when `front` may use it (KD-4 to KD-6), else what
    /// the path does without credentials (AM-4).
    fn without_credentials(
        &self,
        p: Presenting,
        hop: Hop,
        why: &mut Why,
    ) -> Result<Remote, NetError> {
        let Presenting {
            front,
            ident,
            account,
            session,
        } = p;
        let w = self.w;
        let (user, who, home_name, to_name) = self.crossing(account, session, hop);
        // HT-5: an HTTP logon's S4U2proxy is asked for by the account whose key decrypted it.
        let front_account = session.s4u_front.or_else(|| {
            let p = &w.procs[front];
            w.network_account(p.principal, p.machine)
        });
        if session.creds == Creds::ForwardedTgt {
            why.decide((hop.spn_setting)());
            why.rule(&[RuleId::Kd1, RuleId::Pk1, RuleId::Kd7]).say_fmt(format_args!(
                "{home_name} holds {}'s forwarded TGT, but this hop uses {}{}: a TGT authenticates only with Kerberos.",
                short(who),
                hop.package,
                if hop.spn_owner.is_none() {
                    " because no account holds the target's SPN"
                } else {
                    ""
                }
            ));
        } else {
            why.rule(&[RuleId::Lv4, RuleId::Kd7]).say_fmt(format_args!(
                "{}'s token on {home_name} comes from a network logon and holds no credentials that can leave {home_name}.",
                short(who)
            ));
            self.why_not_delegated(front, front_account, ident.session, who, hop, why);
        }
        let mut kdc = None;
        if hop.package == Authn::Kerberos {
            if session.s4u_front.is_some() {
                why.rule(&[RuleId::Ht5]);
            }
            match self.s4u((front, front_account), account, session, hop, why) {
                S4u::Granted(kind) => {
                    return Ok(Remote {
                        user,
                        package: Authn::Kerberos,
                        delegation: kind,
                        origin: Origin::S4u,
                        forwardable: true,
                        presented_creds: Creds::None,
                        kdc_status: None,
                    })
                }
                S4u::Refused(status) if hop.path == NetPath::KerberosOnly => {
                    return Err((Status::KdcErrBadOption, Some(status)))
                }
                S4u::Refused(status) => {
                    // SM-3: the refusal leaves the path as if no delegation were configured.
                    why.rule(&[RuleId::Sm3]);
                    kdc = Some(status);
                }
                S4u::NotAttempted => {}
            }
        }
        match hop.path {
            NetPath::ComCloaked => {
                why.rule(&[RuleId::Am4, RuleId::Cl5]).say_fmt(format_args!(
                    "A cloaked COM call cannot present it to {to_name}, so the call fails."
                ));
                Err((Status::EAccessDenied, kdc))
            }
            NetPath::KerberosOnly => {
                why.rule(&[RuleId::Am4, RuleId::Pk]).say(
                    "Kerberos has no ticket to offer for it and the call allows no other package, so it fails.",
                );
                Err((Status::RpcSSecPkgError, None))
            }
            NetPath::NtlmCapable => {
                why.rule(&[RuleId::Am4, RuleId::Kd7, RuleId::Al5]).say_fmt(format_args!(
                    "Windows falls back to a NULL session: {to_name} sees NT AUTHORITY\\ANONYMOUS LOGON (the double hop)."
                ));
                Ok(Remote {
                    kdc_status: kdc,
                    ..Remote::anonymous(Authn::Ntlm)
                })
            }
        }
    }

    /// Why the front end passes nobody on (the double hop): the setting that kept a TGT from it
    /// (a service trusted for delegation), else its account's delegation.
    fn why_not_delegated(
        &self,
        front: ProcId,
        front_account: Option<AccountId>,
        session: SessionId,
        who: &str,
        hop: Hop,
        why: &mut Why,
    ) {
        let w = self.w;
        if let Some(s) = self.st.undelegated.get(session) {
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
            let rbcd = hop
                .spn_owner
                .is_some_and(|t| w.accounts[t].allowed_to_act.contains(&a));
            if f.delegation == Delegation::None && !rbcd {
                if hop.package == Authn::Kerberos && hop.spn.is_some() && hop.spn_owner.is_some() {
                    // AM-15: asked for anyway, and refused (the status comes with `s4u`).
                    why.say_fmt(format_args!(
                        "{} is not trusted for delegation: the KDC refuses its S4U2proxy.",
                        f.name
                    ));
                } else {
                    why.say_fmt(format_args!(
                        "{} is not trusted for delegation, so it cannot pass {} on.",
                        f.name,
                        short(who)
                    ));
                }
            }
            why.decide(w.account_setting(a, "delegation", "Delegation", front));
        } else {
            // LocalService: no account of its own on the network, so nothing to delegate.
            why.decide(w.process_setting(front, "account", "Account"));
        }
    }

    /// Constrained delegation (KD-4, KD-5) and resource-based constrained delegation (KD-6):
    /// whether the KDC issues `front` a ticket to `hop.spn` as `user`.
    fn s4u(
        &self,
        (via, front): (ProcId, Option<AccountId>),
        user: AccountId,
        session: &Session,
        hop: Hop,
        why: &mut Why,
    ) -> S4u {
        let (Some(front), Some(spn), Some(target)) = (front, hop.spn, hop.spn_owner) else {
            return S4u::NotAttempted;
        };
        let w = self.w;
        let (f, u, t) = (&w.accounts[front], &w.accounts[user], &w.accounts[target]);
        let to_name = w.machine_name(hop.to);
        let rbcd_configured = !t.allowed_to_act.is_empty();
        let kcd = match &f.delegation {
            Delegation::Constrained {
                services,
                any_protocol,
            } => Some((services, *any_protocol)),
            _ => None,
        };
        // AM-15: the front asks whatever is configured; without the resource-based delegation
        // bit (the option) the KDC answers from the front's list alone.
        let rbcd_bit = !w.scenario.options.s4u_without_rbcd_bit;
        let blocked = u.not_delegable();
        let blocked_why = blocked_why(u);
        let user_flag = || w.account_setting(user, blocked_why.2, blocked_why.3, via);
        let front_delegation = || w.account_setting(front, "delegation", "Delegation", via);
        let mut refusal: Option<Refusal> = None;
        if let Some((services, any_protocol)) = kcd {
            let evidence = session.forwardable;
            let reason = (blocked_why.0, blocked_why.1.as_str());
            match constrained(f, u, spn, services, any_protocol, evidence, reason) {
                Ok(transition) => {
                    why.rule(&[RuleId::Kd4]);
                    let mut s = format!(
                        "{} may delegate to {spn} (msDS-AllowedToDelegateTo), so S4U2proxy gets a ticket as {}: {to_name} sees {}.",
                        f.name, u.name, u.name
                    );
                    if transition {
                        why.rule(&[RuleId::Kd5]);
                        s.push_str(" \"Use any authentication protocol\" made the S4U2self evidence forwardable; the token carries SERVICE_ASSERTED_IDENTITY (S-1-18-2).");
                    }
                    why.say(s);
                    return S4u::Granted(DelegationKind::Constrained);
                }
                Err((mut status, rules, sentence, by_user_flag)) => {
                    let setting = if by_user_flag {
                        user_flag()
                    } else {
                        front_delegation()
                    };
                    if rbcd_bit {
                        why.rule(&[RuleId::Am15]);
                        status = if spn::listed(services, spn) {
                            KdcStatus::AccountRestriction
                        } else {
                            KdcStatus::NotFound
                        };
                    }
                    refusal = Some((status, rules, sentence, setting));
                }
            }
        }
        if rbcd_bit && t.allowed_to_act.contains(&front) {
            if blocked {
                why.rule(&[RuleId::Kd6, RuleId::Am13]).rule(blocked_why.0).say_fmt(format_args!(
                    "{} lets {} act on behalf of others (RBCD), but {}: KDC_ERR_BADOPTION (STATUS_ACCOUNT_RESTRICTION).",
                    t.name, f.name, blocked_why.1
                ));
                why.decide(user_flag());
                return S4u::Refused(KdcStatus::AccountRestriction);
            }
            why.rule(&[RuleId::Kd6, RuleId::Am13]).say_fmt(format_args!(
                "{} lists {} in msDS-AllowedToActOnBehalfOfOtherIdentity (resource-based constrained delegation), so the KDC issues a ticket as {}: {to_name} sees {}.",
                t.name, f.name, u.name, u.name
            ));
            return S4u::Granted(DelegationKind::Rbcd);
        }
        if let Some((status, rules, sentence, setting)) = refusal {
            why.rule(rules)
                .say_fmt(format_args!("{sentence}: KDC_ERR_BADOPTION ({status})."))
                .decide(setting);
            return S4u::Refused(status);
        }
        if !rbcd_configured || !rbcd_bit {
            let status = if rbcd_bit {
                KdcStatus::NotFound
            } else {
                KdcStatus::NotSupported
            };
            why.rule(&[RuleId::Am15]);
            if t.allowed_to_act.contains(&front) {
                why.say_fmt(format_args!(
                    "Without the resource-based delegation bit the KDC does not read {}'s RBCD list: KDC_ERR_BADOPTION ({status}).",
                    t.name
                ));
            }
            why.decide(front_delegation());
            return S4u::Refused(status);
        }
        why.rule(&[RuleId::Kd6]).say_fmt(format_args!(
            "{}'s msDS-AllowedToActOnBehalfOfOtherIdentity does not list {}, so the KDC refuses S4U2proxy: KDC_ERR_BADOPTION (STATUS_NOT_FOUND).",
            t.name, f.name
        ));
        why.decide(w.account_setting(
            target,
            "allowed_to_act",
            "Allowed to act on behalf (RBCD)",
            via,
        ));
        S4u::Refused(KdcStatus::NotFound)
    }

    /// Unconstrained delegation on a DELEGATE call (LV-5, KD-1, RP-8, AM-12): whether the
    /// client's TGT is forwarded to `callee`.
    pub(super) fn unconstrained(
        &self,
        remote: &Remote,
        package: Authn,
        (api, call): (Api, &Call),
        (callee, owner): (ProcId, AccountId),
        field: &dyn Fn(StepField) -> Setting,
    ) -> Result<String, NoDelegation> {
        let owner_name = self.w.accounts[owner].name.clone();
        let callee_name = &self.w.procs[callee].name;
        if package != Authn::Kerberos {
            return Err(NoDelegation {
                rules: &[RuleId::Rp8, RuleId::Pk, RuleId::Lv5],
                sentence: format!(
                    "The client asked for Delegate, but {package} cannot delegate: only Kerberos can (NTLM never sends the password)."
                ),
                setting: field(StepField::Authn),
            });
        }
        // BL-4, silently: COM ignores EOAC_MUTUAL_AUTH, so only raw RPC's flag is looked at.
        if api == Api::Rpc && !call.mutual_auth {
            return Err(NoDelegation {
                rules: &[RuleId::Rp8, RuleId::Rp5],
                sentence: "The client asked for Delegate without mutual authentication; Kerberos delegates only when mutual authentication is requested.".into(),
                setting: field(StepField::MutualAuth),
            });
        }
        let Principal::Domain(user) = remote.user else {
            return Err(NoDelegation {
                rules: &[RuleId::Lv5],
                sentence: "An anonymous caller has nothing to delegate.".into(),
                setting: field(StepField::ImpLevel),
            });
        };
        let u = &self.w.accounts[user];
        if u.protected_users {
            return Err(NoDelegation {
                rules: &[RuleId::Kd3, RuleId::Lv5],
                sentence: format!(
                    "The client asked for Delegate, but {} is in Protected Users, whose tickets are never forwardable.",
                    u.name
                ),
                setting: self.w.account_setting(user, "protected_users", "Protected Users", callee),
            });
        }
        if u.sensitive {
            return Err(NoDelegation {
                rules: &[RuleId::Kd2, RuleId::Lv5],
                sentence: format!(
                    "The client asked for Delegate, but {} is marked \"Account is sensitive and cannot be delegated\".",
                    u.name
                ),
                setting: self.w.account_setting(user, "sensitive", "Sensitive flag", callee),
            });
        }
        // AM-5, silently: a token backed by the client's own logon session (a local
        // impersonation token, Creds::Full) may ask for Delegate on its next hop (S14).
        if !matches!(remote.presented_creds, Creds::Full | Creds::ForwardedTgt) {
            return Err(NoDelegation {
                rules: &[RuleId::Kd4, RuleId::Lv5],
                sentence: "The client asked for Delegate, but the presented identity has no TGT to forward (its ticket came from S4U2proxy).".into(),
                setting: field(StepField::ImpLevel),
            });
        }
        if !matches!(self.w.accounts[owner].delegation, Delegation::Unconstrained) {
            return Err(NoDelegation {
                rules: &[RuleId::Lv5, RuleId::Kd1, RuleId::Am12],
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

/// Why a user's tickets are not forwardable (KD-2, KD-3): rules, sentence, field and label.
fn blocked_why(u: &AccountInfo) -> (&'static [RuleId], String, &'static str, &'static str) {
    if u.protected_users {
        (
            &[RuleId::Kd3],
            format!(
                "{} is in Protected Users, so no ticket of theirs is forwardable",
                u.name
            ),
            "protected_users",
            "Protected Users",
        )
    } else {
        (
            &[RuleId::Kd2],
            format!(
                "{} is marked sensitive and cannot be delegated, so no ticket of theirs is forwardable",
                u.name
            ),
            "sensitive",
            "Sensitive flag",
        )
    }
}

/// Constrained delegation's decision (KD-4, KD-5) for front account `f` and user `u`:
/// `Ok(transition)` when S4U2proxy to `spn` is granted (`transition`: through "use any
/// authentication protocol", without Kerberos evidence), else the KDC's refusal.
fn constrained(
    f: &AccountInfo,
    u: &AccountInfo,
    spn: &str,
    services: &[String],
    any_protocol: bool,
    kerberos_evidence: bool,
    blocked_why: (&'static [RuleId], &str),
) -> Result<bool, KcdRefusal> {
    let blocked = u.not_delegable();
    // SP-6: the list names SPNs exactly.
    if spn::listed(services, spn) {
        let transition = !kerberos_evidence && any_protocol && !blocked;
        if kerberos_evidence || transition {
            return Ok(transition);
        }
        return Err(if blocked {
            (
                KdcStatus::NoMatch,
                blocked_why.0,
                format!("{}, so S4U2proxy is refused", blocked_why.1),
                true,
            )
        } else {
            (
                KdcStatus::NoMatch,
                &[RuleId::Kd5][..],
                format!(
                    "{} may delegate to {spn} with \"Kerberos only\", but {} did not authenticate to it with Kerberos, so there is no forwardable evidence ticket and S4U2proxy is refused",
                    f.name, u.name
                ),
                false,
            )
        });
    }
    Err(if services.is_empty() {
        (
            KdcStatus::NotSupported,
            &[RuleId::Kd4][..],
            format!(
                "{}'s list of services it may delegate to is empty, so the KDC refuses S4U2proxy",
                f.name
            ),
            false,
        )
    } else {
        (
            KdcStatus::NoMatch,
            &[RuleId::Kd4][..],
            format!(
                "{spn} is not in {}'s msDS-AllowedToDelegateTo, so the KDC refuses S4U2proxy",
                f.name
            ),
            false,
        )
    })
}
