//! Step paths as the core spells them (`run.steps[0].meanwhile[1].steps[2]`), and the mapping
//! from a problem's JSON path to the editor control that shows it.

use impersonation_core::model::{Action, Call, Meanwhile, Scenario, Step};

/// `parent.key`, or `parent["key"]` for a key that is not a plain name: the spelling of the
/// core's problem paths (`processes.B.account`, `accounts["svc app"]`).
pub fn key(parent: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '-');
    if plain {
        if parent.is_empty() {
            key.to_string()
        } else {
            format!("{parent}.{key}")
        }
    } else {
        format!(
            "{parent}[{}]",
            serde_json::to_string(key).unwrap_or_default()
        )
    }
}

/// `parent[i]`.
pub fn index(parent: &str, i: usize) -> String {
    format!("{parent}[{i}]")
}

/// One level of a step path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Seg {
    /// `.steps[i]` (the first one is `run.steps[i]`).
    Step(usize),
    /// `.meanwhile[i]`.
    Meanwhile(usize),
}

/// A parsed step path: `run.steps[0].meanwhile[1].steps[2]` is
/// `[Step(0), Meanwhile(1), Step(2)]`. The empty path is the `run` itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct StepPath(pub Vec<Seg>);

impl StepPath {
    pub fn root() -> StepPath {
        StepPath(Vec::new())
    }

    /// Parses the longest step path at the start of `text`; returns it with the rest of the text
    /// (e.g. `.to` for `run.steps[0].to`). `None` when `text` does not start with `run.steps[`.
    pub fn parse_prefix(text: &str) -> Option<(StepPath, &str)> {
        let mut rest = text.strip_prefix("run")?;
        let mut segs = Vec::new();
        loop {
            let (kind, after): (fn(usize) -> Seg, &str) =
                if let Some(r) = rest.strip_prefix(".steps[") {
                    (Seg::Step, r)
                } else if let Some(r) = rest.strip_prefix(".meanwhile[") {
                    (Seg::Meanwhile, r)
                } else {
                    break;
                };
            let Some(close) = after.find(']') else { break };
            let Ok(i) = after[..close].parse::<usize>() else {
                break;
            };
            // `meanwhile` only follows a step, and the run's first level is `steps`.
            let seg = kind(i);
            if matches!(seg, Seg::Meanwhile(_)) && !matches!(segs.last(), Some(Seg::Step(_))) {
                break;
            }
            segs.push(seg);
            rest = &after[close + 1..];
        }
        if segs.is_empty() {
            return None;
        }
        Some((StepPath(segs), rest))
    }

    /// Parses a whole step path.
    pub fn parse(text: &str) -> Option<StepPath> {
        match Self::parse_prefix(text) {
            Some((p, "")) => Some(p),
            _ => None,
        }
    }

    pub fn is_meanwhile(&self) -> bool {
        matches!(self.0.last(), Some(Seg::Meanwhile(_)))
    }

    /// The path of the step or meanwhile that holds this one (`root` for `run.steps[i]`).
    pub fn parent(&self) -> StepPath {
        let mut v = self.0.clone();
        v.pop();
        StepPath(v)
    }

    pub fn last_index(&self) -> Option<usize> {
        match self.0.last()? {
            Seg::Step(i) | Seg::Meanwhile(i) => Some(*i),
        }
    }

    pub fn child_step(&self, i: usize) -> StepPath {
        let mut v = self.0.clone();
        v.push(Seg::Step(i));
        StepPath(v)
    }

    pub fn child_meanwhile(&self, i: usize) -> StepPath {
        let mut v = self.0.clone();
        v.push(Seg::Meanwhile(i));
        StepPath(v)
    }

    /// The same path with its last index replaced.
    pub fn with_last(&self, i: usize) -> StepPath {
        let mut v = self.0.clone();
        match v.last_mut() {
            Some(Seg::Step(x)) | Some(Seg::Meanwhile(x)) => *x = i,
            None => {}
        }
        StepPath(v)
    }

    /// True when `self` is `other` or lies inside it.
    pub fn starts_with(&self, other: &StepPath) -> bool {
        self.0.starts_with(&other.0)
    }
}

impl std::fmt::Display for StepPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("run")?;
        for seg in &self.0 {
            match seg {
                Seg::Step(i) => write!(f, ".steps[{i}]")?,
                Seg::Meanwhile(i) => write!(f, ".meanwhile[{i}]")?,
            }
        }
        Ok(())
    }
}

/// The steps list that `parent` holds: the run's, a call's or a meanwhile call's.
pub fn steps_of<'a>(s: &'a Scenario, parent: &StepPath) -> Option<&'a Vec<Step>> {
    steps_and_process(s, parent).map(|(steps, _)| steps)
}

/// The steps list that `parent` holds, and the process whose thread runs them: the run's root
/// process, a call's callee, or, for a meanwhile call, the process waiting for the enclosing
/// call (the meanwhile call is served by the caller of the enclosing call).
pub fn steps_and_process<'a>(
    s: &'a Scenario,
    parent: &StepPath,
) -> Option<(&'a Vec<Step>, &'a str)> {
    let mut steps = &s.run.steps;
    let mut process = s.run.process.as_str();
    let mut it = parent.0.iter().peekable();
    while let Some(seg) = it.next() {
        let Seg::Step(i) = *seg else { return None };
        let Action::Call(call) = &steps.get(i)?.action else {
            return None;
        };
        match it.peek() {
            Some(Seg::Meanwhile(j)) => {
                let j = *j;
                it.next();
                steps = &call.meanwhile.get(j)?.call.steps;
            }
            _ => {
                process = call.peer.as_str();
                steps = &call.steps;
            }
        }
    }
    Some((steps, process))
}

/// Mutable [`steps_of`].
pub fn steps_of_mut<'a>(s: &'a mut Scenario, parent: &StepPath) -> Option<&'a mut Vec<Step>> {
    let mut steps = &mut s.run.steps;
    let mut it = parent.0.iter().peekable();
    while let Some(seg) = it.next() {
        let Seg::Step(i) = *seg else { return None };
        let Action::Call(call) = &mut steps.get_mut(i)?.action else {
            return None;
        };
        match it.peek() {
            Some(Seg::Meanwhile(j)) => {
                let j = *j;
                it.next();
                steps = &mut call.meanwhile.get_mut(j)?.call.steps;
            }
            _ => steps = &mut call.steps,
        }
    }
    Some(steps)
}

/// The step at `path` (which must end in a step index).
pub fn step_at<'a>(s: &'a Scenario, path: &StepPath) -> Option<&'a Step> {
    let Some(Seg::Step(i)) = path.0.last() else {
        return None;
    };
    steps_of(s, &path.parent())?.get(*i)
}

/// Mutable [`step_at`].
pub fn step_at_mut<'a>(s: &'a mut Scenario, path: &StepPath) -> Option<&'a mut Step> {
    let Some(Seg::Step(i)) = path.0.last() else {
        return None;
    };
    steps_of_mut(s, &path.parent())?.get_mut(*i)
}

/// The meanwhile entry at `path` (which must end in a meanwhile index).
pub fn meanwhile_at_mut<'a>(s: &'a mut Scenario, path: &StepPath) -> Option<&'a mut Meanwhile> {
    let Some(Seg::Meanwhile(j)) = path.0.last() else {
        return None;
    };
    match &mut step_at_mut(s, &path.parent())?.action {
        Action::Call(call) => call.meanwhile.get_mut(*j),
        _ => None,
    }
}

/// The call at `path`: a call step's, or a meanwhile entry's.
pub fn call_at_mut<'a>(s: &'a mut Scenario, path: &StepPath) -> Option<&'a mut Call> {
    if path.is_meanwhile() {
        return meanwhile_at_mut(s, path).map(|m| &mut m.call);
    }
    match &mut step_at_mut(s, path)?.action {
        Action::Call(call) => Some(call),
        _ => None,
    }
}

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
    fn paths_parse_and_print() {
        for text in [
            "run.steps[0]",
            "run.steps[0].steps[2]",
            "run.steps[0].meanwhile[0].steps[1]",
            "run.steps[12].meanwhile[3]",
        ] {
            assert_eq!(StepPath::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(StepPath::parse("run.process"), None);
        assert_eq!(StepPath::parse("run.meanwhile[0]"), None);
        let (p, rest) = StepPath::parse_prefix("run.steps[1].steps[0].to").unwrap();
        assert_eq!(p.0, vec![Seg::Step(1), Seg::Step(0)]);
        assert_eq!(rest, ".to");
    }

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
