//! How the engine explains itself: each decision adds the rule IDs that made it and, where the
//! decision matters to the reader, a plain sentence naming the setting that decided it.
//!
//! Sentences are short and concrete ("svcApp is not trusted for delegation, so ...") and end in
//! a full stop; [`Why::text`] joins them. The rule IDs index the catalogue in [`crate::rules`].

use crate::model::TokenLevel;
use crate::rules::RuleId;

/// The setting of the scenario that decides an event: what a person changes to change the
/// answer. Not part of the outcome format; the playground links to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    /// Its JSON path in the scenario, as problems spell paths: `accounts.svcApp.delegation`,
    /// `run.steps[0].imp_level`, `options.traditional_nesting`.
    pub path: String,
    /// What it is, in words: "Delegation of svcApp".
    pub label: String,
}

impl Setting {
    /// Where the editor shows it: "Cast › Accounts › svcApp", "Chain", "Options".
    pub fn place(&self) -> String {
        place(&self.path)
    }
}

/// Where the editor shows the field at a scenario path: "Cast › Accounts › svcApp", "Chain",
/// "Options".
pub fn place(p: &str) -> String {
    let section = [
        ("accounts", "Accounts"),
        ("processes", "Processes"),
        ("resources", "Resources"),
    ]
    .into_iter()
    .find_map(|(key, title)| Some((title, p.strip_prefix(key)?)));
    match section {
        Some((title, rest)) => format!("Cast › {title} › {}", entry_name(rest)),
        None if p.starts_with("options") => "Options".into(),
        None if p.starts_with("run") => "Chain".into(),
        None => "Cast".into(),
    }
}

/// The entry name at the start of `.name.field` or `["name"].field`.
fn entry_name(rest: &str) -> String {
    if let Some(quoted) = rest.strip_prefix("[\"") {
        // A JSON string: up to the first unescaped quote.
        let mut out = String::new();
        let mut chars = quoted.chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => break,
                '\\' => out.extend(chars.next()),
                c => out.push(c),
            }
        }
        return out;
    }
    let rest = rest.strip_prefix('.').unwrap_or(rest);
    rest.split(['.', '[']).next().unwrap_or(rest).to_string()
}

/// The rules and sentences behind one event.
#[derive(Debug, Default, Clone)]
pub struct Why {
    rules: Vec<RuleId>,
    text: String,
    setting: Option<Setting>,
    /// The setting was [`Why::settle`]d: later decisions do not replace it.
    settled: bool,
}

impl Why {
    pub fn new() -> Why {
        Why {
            rules: Vec::with_capacity(8),
            text: String::with_capacity(192),
            setting: None,
            settled: false,
        }
    }

    /// Cites rules (duplicates are dropped, order kept).
    pub fn rule(&mut self, ids: &[RuleId]) -> &mut Why {
        for id in ids {
            if !self.rules.contains(id) {
                self.rules.push(*id);
            }
        }
        self
    }

    /// Adds a sentence.
    pub fn say(&mut self, sentence: impl AsRef<str>) -> &mut Why {
        let s = sentence.as_ref();
        if !s.is_empty() {
            if !self.text.is_empty() {
                self.text.push(' ');
            }
            self.text.push_str(s);
        }
        self
    }

    /// Adds a formatted sentence, written straight into the text (`say(format!(..))` without
    /// the temporary String: the engine says something for every event).
    pub fn say_fmt(&mut self, sentence: std::fmt::Arguments) -> &mut Why {
        use std::fmt::Write;
        if let Some(s) = sentence.as_str() {
            return self.say(s);
        }
        let before = self.text.len();
        if before > 0 {
            self.text.push(' ');
        }
        let _ = self.text.write_fmt(sentence);
        if self.text.len() == before + usize::from(before > 0) {
            // An empty sentence adds nothing, as with `say`.
            self.text.truncate(before);
        }
        self
    }

    /// Adds a sentence in front of the others.
    pub fn lead(&mut self, sentence: impl AsRef<str>) -> &mut Why {
        let s = sentence.as_ref();
        if self.text.is_empty() {
            self.text.push_str(s);
        } else {
            self.text.insert(0, ' ');
            self.text.insert_str(0, s);
        }
        self
    }

    /// Names the setting that decides the event (a later decision replaces an earlier one:
    /// the engine decides in order, and the last word is the one that settled it).
    pub fn decide(&mut self, setting: Setting) -> &mut Why {
        if !self.settled {
            self.setting = Some(setting);
        }
        self
    }

    /// Names the deciding setting for good: a setting no later phase can make up for (an SPN
    /// the KDC has no key for, SP-3, SP-4: no delegation setting reaches it).
    pub fn settle(&mut self, setting: Setting) -> &mut Why {
        self.decide(setting);
        self.settled = true;
        self
    }

    /// Names the deciding setting unless one is named already.
    pub fn decide_else(&mut self, setting: impl FnOnce() -> Setting) -> &mut Why {
        if self.setting.is_none() {
            self.setting = Some(setting());
        }
        self
    }

    pub fn setting(&self) -> Option<&Setting> {
        self.setting.as_ref()
    }

    pub fn rules(&self) -> &[RuleId] {
        &self.rules
    }

    pub fn into_parts(self) -> (Vec<RuleId>, String) {
        (self.rules, self.text)
    }

    /// The rules, the text and the deciding setting.
    pub fn into_all(self) -> (Vec<RuleId>, String, Option<Setting>) {
        (self.rules, self.text, self.setting)
    }
}

/// "Identification-level", for sentences.
pub fn level_phrase(level: TokenLevel) -> String {
    format!("{}-level", level.windows_name())
}

/// The short name of a display name: `CORP\alice` → `alice`.
pub fn short(display: &str) -> &str {
    display.rsplit('\\').next().unwrap_or(display)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_kept_once_in_order() {
        let mut w = Why::new();
        w.rule(&[RuleId::Lv4, RuleId::Kd7])
            .rule(&[RuleId::Lv4, RuleId::Am4]);
        w.say("One.").say("").say("Two.");
        w.say_fmt(format_args!("{}", ""))
            .say_fmt(format_args!("T{}.", 3));
        w.lead("Zero.");
        let (rules, text) = w.into_parts();
        assert_eq!(rules, vec![RuleId::Lv4, RuleId::Kd7, RuleId::Am4]);
        assert_eq!(text, "Zero. One. Two. T3.");
    }

    #[test]
    fn settings_say_where_they_are() {
        let place = |p: &str| {
            Setting {
                path: p.into(),
                label: String::new(),
            }
            .place()
        };
        assert_eq!(
            place("accounts.svcApp.delegation"),
            "Cast › Accounts › svcApp"
        );
        assert_eq!(
            place("accounts[\"svc app\"].spns"),
            "Cast › Accounts › svc app"
        );
        assert_eq!(
            place("processes.web.com.imp_level"),
            "Cast › Processes › web"
        );
        assert_eq!(
            place("resources.F_alice.allow"),
            "Cast › Resources › F_alice"
        );
        assert_eq!(place("run.steps[0].meanwhile[0].imp_level"), "Chain");
        assert_eq!(place("options.traditional_nesting"), "Options");
        let mut w = Why::new();
        w.decide_else(|| Setting {
            path: "a".into(),
            label: "A".into(),
        });
        w.decide_else(|| Setting {
            path: "b".into(),
            label: "B".into(),
        });
        assert_eq!(w.setting().map(|s| s.path.as_str()), Some("a"));
    }

    #[test]
    fn names_shorten() {
        assert_eq!(short("CORP\\alice"), "alice");
        assert_eq!(short("alice"), "alice");
        assert_eq!(level_phrase(TokenLevel::Identify), "Identification-level");
    }
}
