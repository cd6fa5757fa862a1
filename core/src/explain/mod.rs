//! How the engine explains itself: each decision adds the rule IDs that made it and, where the
//! decision matters to the reader, a plain sentence naming the setting that decided it.
//!
//! Sentences are short and concrete ("svcApp is not trusted for delegation, so ...") and end in
//! a full stop; [`Why::text`] joins them. The rule IDs index the catalogue in [`crate::rules`].

use crate::model::TokenLevel;

/// The rules and sentences behind one event.
#[derive(Debug, Default, Clone)]
pub struct Why {
    rules: Vec<&'static str>,
    text: String,
}

impl Why {
    pub fn new() -> Why {
        Why {
            rules: Vec::with_capacity(8),
            text: String::with_capacity(192),
        }
    }

    /// Cites rules (duplicates are dropped, order kept).
    pub fn rule(&mut self, ids: &[&'static str]) -> &mut Why {
        for id in ids {
            if !self.rules.contains(id) {
                self.rules.push(id);
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

    pub fn rules(&self) -> &[&'static str] {
        &self.rules
    }

    pub fn into_parts(self) -> (Vec<&'static str>, String) {
        (self.rules, self.text)
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
        w.rule(&["LV-4", "KD-7"]).rule(&["LV-4", "AM-4"]);
        w.say("One.").say("").say("Two.");
        w.say_fmt(format_args!("{}", ""))
            .say_fmt(format_args!("T{}.", 3));
        w.lead("Zero.");
        let (rules, text) = w.into_parts();
        assert_eq!(rules, vec!["LV-4", "KD-7", "AM-4"]);
        assert_eq!(text, "Zero. One. Two. T3.");
    }

    #[test]
    fn names_shorten() {
        assert_eq!(short("CORP\\alice"), "alice");
        assert_eq!(short("alice"), "alice");
        assert_eq!(level_phrase(TokenLevel::Identify), "Identification-level");
    }
}
