//! How outcome values read in the diagram and the playground's event list: short names,
//! summaries, the colour class of an event. Presentation only: what an event means was decided
//! by the engine.

use crate::model::{Authn, Status};
use crate::rules::RuleId;
use crate::Event;

/// The colour class of an event: `ok`, `fail` or `anon` (the callee or the remote object saw
/// ANONYMOUS LOGON).
pub fn status_class(e: &Event) -> &'static str {
    if e.status != crate::model::Status::Ok {
        "fail"
    } else if seen_anonymous(e) {
        "anon"
    } else {
        "ok"
    }
}

/// Whether the callee (or the remote object) saw ANONYMOUS LOGON.
pub fn seen_anonymous(e: &Event) -> bool {
    matches!(&e.seen_as, Some(Some(who)) if who.contains("ANONYMOUS"))
}

/// `CORP\alice` → `alice`; `NT AUTHORITY\ANONYMOUS LOGON` → `ANONYMOUS LOGON`.
pub fn short_name(display: &str) -> &str {
    display.rsplit('\\').next().unwrap_or(display)
}

/// `alice @ impersonate`, or `alice (process token)` for a thread on its process token.
pub fn identity_text(e: &Event) -> String {
    match e.level {
        Some(level) => format!("{} @ {}", e.identity, level),
        None => format!("{} (process token)", e.identity),
    }
}

/// What the callee (or the remote object) saw, for a call or a remote access.
pub fn seen_text(e: &Event) -> Option<String> {
    let seen = e.seen_as.as_ref()?;
    Some(match seen {
        None => "nobody (failed first)".to_string(),
        Some(who) => match e.seen_level {
            Some(Some(level)) => format!("{who} @ {level}"),
            _ => who.clone(),
        },
    })
}

/// One line summarising an event: an arrow's label, the editor's result chips, the event list.
pub fn summary(e: &Event) -> String {
    let status = if e.status == crate::model::Status::Ok {
        String::new()
    } else {
        format!("{} · ", e.status)
    };
    match (e.action, e.to.as_deref()) {
        ("call", Some(to)) => match &e.seen_as {
            Some(Some(who)) => {
                let level = match e.seen_level {
                    Some(Some(l)) => format!(" @ {l}"),
                    _ => String::new(),
                };
                format!("{status}{to} sees {}{level}", short_name(who))
            }
            _ => format!("{status}{to} sees nobody"),
        },
        ("access", _) if e.seen_as.is_some() => match seen_text(e) {
            Some(seen) => format!("{status}remote sees {seen}"),
            None => status,
        },
        _ => {
            let id = match e.level {
                Some(l) => format!("{} @ {l}", short_name(&e.identity)),
                None => format!("{} (self)", short_name(&e.identity)),
            };
            format!("{status}{id}")
        }
    }
}

/// A package as people write it: `Kerberos`, `NTLM`, `Negotiate`.
pub fn package_name(authn: Authn) -> &'static str {
    match authn {
        Authn::Kerberos => "Kerberos",
        Authn::Ntlm => "NTLM",
        Authn::Negotiate => "Negotiate",
        Authn::Schannel => "Schannel",
        Authn::Basic => "Basic",
        Authn::Credssp => "CredSSP",
        Authn::None => "no authentication",
        Authn::Default => "default",
    }
}

/// Whether the step went through after Negotiate (or SMB) fell back to NTLM because its SPN has
/// no single owner (SP-3, SP-4).
pub fn fell_back(e: &Event) -> bool {
    e.status == Status::Ok
        && e.rules
            .iter()
            .any(|r| matches!(r, RuleId::Sp3 | RuleId::Sp4))
}

/// The package a call used as a person reads it: `Kerberos`, or `Negotiate → NTLM` after a
/// fallback.
pub fn package_text(e: &Event) -> Option<&'static str> {
    if fell_back(e) {
        return Some("Negotiate → NTLM");
    }
    e.authn.map(package_name)
}

/// An arrow's label: the [`summary`], led by the package for an http call and after a fallback
/// to NTLM (`Negotiate → NTLM · sql sees ANONYMOUS LOGON @ impersonate`).
pub fn arrow_text(e: &Event) -> String {
    let mut text = String::new();
    if let Some(p) = package_text(e).filter(|_| e.detail.http || fell_back(e)) {
        text.push_str(p);
        text.push_str(" · ");
    }
    text.push_str(&summary(e));
    text
}

/// What a `do` reads as for a person (the Windows function it stands for).
pub fn action_title(name: &str) -> &'static str {
    match name {
        "call" => "call",
        "impersonate" => "impersonate client",
        "revert" => "revert to self",
        "logon_user" => "LogonUser + impersonate",
        "set_blanket" => "CoSetProxyBlanket",
        "access" => "open object",
        "access_check" => "AccessCheck",
        "open_thread_token" => "OpenThreadToken",
        "duplicate_token" => "DuplicateTokenEx",
        "whoami" => "whoami",
        "return" => "return",
        _ => "step",
    }
}
