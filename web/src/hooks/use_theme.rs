//! Light and dark themes: the system's choice by default (`prefers-color-scheme`, in CSS), a
//! person's choice kept in localStorage, or `?theme=light|dark` in the URL (for embeds).

use yew::prelude::*;

use super::browser::{local_storage, query_param};
use crate::state::storage::THEME_KEY;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    System,
    Light,
    Dark,
}

impl Theme {
    pub fn parse(s: &str) -> Option<Theme> {
        match s {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            "system" => Some(Theme::System),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
    /// The next choice of the theme button.
    pub fn next(self) -> Theme {
        match self {
            Theme::System => Theme::Light,
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::System,
        }
    }
}

fn apply(theme: Theme) {
    let Some(root) = gloo::utils::document().document_element() else {
        return;
    };
    let _ = match theme {
        Theme::System => root.remove_attribute("data-theme"),
        t => root.set_attribute("data-theme", t.as_str()),
    };
}

/// The theme, and a callback to choose another (kept unless the URL forces one).
#[hook]
pub fn use_theme() -> (Theme, Callback<Theme>) {
    let forced = use_memo((), |_| query_param("theme").and_then(|t| Theme::parse(&t)));
    let theme = use_state(|| {
        (*forced).unwrap_or_else(|| {
            local_storage()
                .and_then(|s| s.get_item(THEME_KEY).ok().flatten())
                .and_then(|t| Theme::parse(&t))
                .unwrap_or(Theme::System)
        })
    });
    use_effect_with(*theme, |t| apply(*t));
    let set = {
        let theme = theme.clone();
        let forced = forced.is_some();
        Callback::from(move |t: Theme| {
            if !forced {
                if let Some(s) = local_storage() {
                    let _ = s.set_item(THEME_KEY, t.as_str());
                }
            }
            theme.set(t);
        })
    };
    (*theme, set)
}
