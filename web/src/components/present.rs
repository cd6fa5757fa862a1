//! How outcome values read on screen: short names, summaries, the colour class of an event.
//! The core writes them (`impersonation_core::diagram::text`), so that the diagram, the CLI's
//! picture and the playground's lists say the same.

pub use impersonation_core::diagram::text::*;

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
        let results = super::super::step_result::step_results(&impersonation_core::simulate(&s));
        let level = |p: &str| {
            results[&crate::state::path::StepPath::parse(p).unwrap()]
                .level
                .as_deref()
                .map(str::to_string)
        };
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
