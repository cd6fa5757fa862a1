//! The mapping from a problem's JSON path to the editor control that shows it. Step paths
//! themselves, and JSON path spelling (`key`, `index`), are the core's
//! (`impersonation_core::model::path`), re-exported here.

pub use impersonation_core::model::path::{
    call_at, call_at_mut, index, key, meanwhile_at_mut, step_at, step_at_mut, steps_and_process,
    steps_of, steps_of_mut, Seg, StepPath,
};

/// Which part of the editor shows a given JSON path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Chain,
    Cast,
    Options,
}

/// Where a problem's JSON path points in the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub tab: Tab,
    /// The step (or meanwhile entry) the problem concerns, if any.
    pub step: Option<StepPath>,
    /// The control's path (the problem's path without list indexes of a list field), e.g.
    /// `processes.B.account`, `run.steps[0].to`, `accounts.svc.spns`.
    pub control: String,
}

/// The editor control showing a problem at `path`.
pub fn target(path: &str) -> Target {
    if let Some((step, rest)) = StepPath::parse_prefix(path) {
        let control = format!("{step}{rest}");
        return Target {
            tab: Tab::Chain,
            step: Some(step),
            control,
        };
    }
    let tab = if path.starts_with("options") {
        Tab::Options
    } else if path.starts_with("run") {
        Tab::Chain
    } else {
        Tab::Cast
    };
    // A list item (`accounts.svc.spns[1]`) is shown by the list's control.
    let control = match path.rfind('[') {
        Some(i) if path.ends_with(']') && path[i + 1..path.len() - 1].parse::<usize>().is_ok() => {
            path[..i].to_string()
        }
        _ => path.to_string(),
    };
    Target {
        tab,
        step: None,
        control,
    }
}

/// Whether a problem at `problem_path` belongs next to the control at `control`: the same path,
/// or an item of the list the control edits (`accounts.svc.spns[1]` for `accounts.svc.spns`).
pub fn belongs_to(problem_path: &str, control: &str) -> bool {
    match problem_path.strip_prefix(control) {
        Some("") => true,
        Some(rest) => {
            rest.starts_with('[')
                && rest.ends_with(']')
                && rest[1..rest.len() - 1].parse::<usize>().is_ok()
        }
        None => false,
    }
}

/// Whether a problem at `problem_path` concerns the step at `step` itself (one of its own
/// fields, not a nested step's).
pub fn concerns_step(problem_path: &str, step: &str) -> bool {
    match problem_path.strip_prefix(step) {
        Some("") => true,
        Some(rest) => {
            rest.starts_with('.')
                && !rest.starts_with(".steps[")
                && !rest.starts_with(".meanwhile[")
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_map_to_controls() {
        let t = target("run.steps[0].steps[2].to");
        assert_eq!(t.tab, Tab::Chain);
        assert_eq!(t.step.unwrap().to_string(), "run.steps[0].steps[2]");
        assert_eq!(t.control, "run.steps[0].steps[2].to");
        let t = target("processes.B.account");
        assert_eq!(
            (t.tab, t.control.as_str()),
            (Tab::Cast, "processes.B.account")
        );
        assert_eq!(target("accounts.svc.spns[1]").control, "accounts.svc.spns");
        assert_eq!(target("run.process").tab, Tab::Chain);
        assert!(belongs_to("accounts.svc.spns[1]", "accounts.svc.spns"));
        assert!(!belongs_to("accounts.svc.spns2", "accounts.svc.spns"));
        assert!(concerns_step("run.steps[0].to", "run.steps[0]"));
        assert!(!concerns_step("run.steps[0].steps[1].to", "run.steps[0]"));
        assert!(!concerns_step("run.steps[10].to", "run.steps[1]"));
    }
}
