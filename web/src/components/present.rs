//! How outcome values read on screen: short names, summaries, the colour class of an event.
//! Presentation only: what an event means was decided by the core.

use impersonation_core::Event;

/// The colour class of an event: `ok`, `fail` or `anon` (the callee or the remote object saw
/// ANONYMOUS LOGON).
pub fn status_class(e: &Event) -> &'static str {
    if e.status != "ok" {
        "fail"
    } else if seen_anonymous(e) {
        "anon"
    } else {
        "ok"
    }
}

pub fn seen_anonymous(e: &Event) -> bool {
    matches!(&e.seen_as, Some(Some(who)) if who.contains("ANONYMOUS"))
}

/// `CORP\alice` → `alice`; `NT AUTHORITY\ANONYMOUS LOGON` → `ANONYMOUS LOGON`.
pub fn short_name(display: &str) -> &str {
    display.rsplit('\\').next().unwrap_or(display)
}

/// `alice @ impersonate`, or `alice (own token)` for a thread on its process token.
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

/// One line summarising an event, for the editor's result chips and the event list.
pub fn summary(e: &Event) -> String {
    let status = if e.status == "ok" {
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

/// Cuts a text to `n` characters, with an ellipsis.
pub fn clip(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        text.to_string()
    } else {
        let mut out: String = text.chars().take(n.saturating_sub(1)).collect();
        out.push('…');
        out
    }
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

/// What a step does, in words, for the names of its row's buttons: `web calls db`,
/// `db opens files`.
pub fn step_phrase(process: &str, action: &impersonation_core::model::Action) -> String {
    use impersonation_core::model::Action as Do;
    let (verb, what) = match action {
        Do::Call(c) => ("calls", c.peer.as_str()),
        Do::Impersonate => ("impersonates its caller", ""),
        Do::Revert => ("reverts to itself", ""),
        Do::LogonUser { account } => ("logs on", account.as_str()),
        Do::SetBlanket(b) => ("sets the blanket of proxy", b.proxy.as_str()),
        Do::Access { resource } => ("opens", resource.as_str()),
        Do::AccessCheck { resource } => ("checks access to", resource.as_str()),
        Do::OpenThreadToken { .. } => ("opens its thread token", ""),
        Do::DuplicateToken { .. } => ("duplicates its token", ""),
        Do::Whoami => ("asks who it is", ""),
    };
    if what.is_empty() {
        format!("{process} {verb}")
    } else {
        format!("{process} {verb} {what}")
    }
}

/// A package as people write it: `Kerberos`, `NTLM`, `Negotiate`.
pub fn package_name(authn: &str) -> &str {
    match authn {
        "kerberos" => "Kerberos",
        "ntlm" => "NTLM",
        "negotiate" => "Negotiate",
        "schannel" => "Schannel",
        "none" => "no authentication",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use impersonation_core::model::{Action as Do, Call};

    #[test]
    fn steps_read_as_sentences() {
        let call = Do::Call(Box::new(Call::new("db")));
        assert_eq!(step_phrase("web", &call), "web calls db");
        let open = Do::Access {
            resource: "files".into(),
        };
        assert_eq!(step_phrase("db", &open), "db opens files");
        assert_eq!(step_phrase("A", &Do::Revert), "A reverts to itself");
    }

    #[test]
    fn call_rows_show_the_level_and_package_the_outcome_reports() {
        let s =
            impersonation_core::parse(include_str!("../../../core/presets/ntlm-double-hop.json"))
                .unwrap();
        let results = super::super::chain::step_results(&impersonation_core::simulate(&s));
        let level = |p: &str| results[p].level.as_deref().map(str::to_string);
        assert_eq!(
            level("run.steps[0]").as_deref(),
            Some("→ impersonate · NTLM")
        );
        // Negotiate was asked for; the core fell back to NTLM, and the row says so.
        assert_eq!(
            level("run.steps[0].steps[3]").as_deref(),
            Some("→ impersonate · NTLM")
        );
        // Refused: no level, the package alone.
        assert_eq!(level("run.steps[0].steps[4]").as_deref(), Some("→ NTLM"));
        assert_eq!(level("run.steps[0].steps[0]"), None, "not a call");
    }
}
