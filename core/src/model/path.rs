//! JSON paths as the error messages and the outcome spell them: `run.steps[0].steps[2]`,
//! `processes.B.com.cloaking`, `accounts["svc app"]` for a key that is not a plain name; and the
//! typed step path ([`StepPath`]) with the steps, calls and meanwhile entries it leads to.

use super::scenario::{Action, Call, Meanwhile, Scenario, Step};

/// `parent.key` (or `key` at the root).
pub fn key(parent: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '-');
    let mut out = String::with_capacity(parent.len() + key.len() + 4);
    out.push_str(parent);
    if plain {
        if !parent.is_empty() {
            out.push('.');
        }
        out.push_str(key);
    } else {
        out.push('[');
        super::json::write_string(&mut out, key);
        out.push(']');
    }
    out
}

/// `parent[i]`.
pub fn index(parent: &str, i: usize) -> String {
    // Without format!: the engine spells a path for every step.
    let mut out = String::with_capacity(parent.len() + 8);
    out.push_str(parent);
    out.push('[');
    push_decimal(&mut out, i);
    out.push(']');
    out
}

/// Appends `n` in decimal, without the formatting machinery (also the diagram's SVG writer's).
pub fn push_decimal(out: &mut String, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&digits[start..]).unwrap_or("0"));
}

/// Writes `s` to `out` with each byte that `escape` has a replacement for replaced, and the
/// runs between them copied whole: the JSON writer's and the SVG writer's escaping. Only ASCII
/// bytes may be replaced (so every cut is at a character boundary).
pub fn escape_runs(out: &mut String, s: &str, escape: impl Fn(u8) -> Option<&'static str>) {
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        if let Some(with) = escape(b) {
            out.push_str(&s[start..i]);
            out.push_str(with);
            start = i + 1;
        }
    }
    out.push_str(&s[start..]);
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

/// The call at `path`, read-only ([`call_at_mut`]).
pub fn call_at<'a>(s: &'a Scenario, path: &StepPath) -> Option<&'a Call> {
    match path.0.last()? {
        Seg::Step(_) => match &step_at(s, path)?.action {
            Action::Call(call) => Some(call),
            _ => None,
        },
        Seg::Meanwhile(j) => match &step_at(s, &path.parent())?.action {
            Action::Call(call) => Some(&call.meanwhile.get(*j)?.call),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_read_like_javascript() {
        assert_eq!(super::key("", "run"), "run");
        assert_eq!(super::key("run", "steps"), "run.steps");
        assert_eq!(super::index("run.steps", 3), "run.steps[3]");
        assert_eq!(super::index("", 0), "[0]");
        assert_eq!(super::index("a", 1_234_567_890), "a[1234567890]");
        assert_eq!(super::key("accounts", "APP1$"), "accounts.APP1$");
        assert_eq!(super::key("accounts", "svc app"), "accounts[\"svc app\"]");
        assert_eq!(super::key("x", "a\"b"), "x[\"a\\\"b\"]");
    }

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
}
