//! The options panel: the switches of SPEC §2.6, and a second option set to compare with.

use impersonation_core::model::Options;
use yew::prelude::*;

use super::field::SelectField;
use super::Act;
use crate::state::{Action, Edit};

/// What each switch does, in a line.
pub fn describe(name: &str) -> &'static str {
    match name {
        "provider_bumps_to_impersonate" => "Some security providers raise Anonymous and Identify to Impersonate off ncalrpc.",
        "remote_pipe_level_from_server_account" => "A remote named pipe's level follows the SMB server's computer account.",
        "com_fails_on_delegate_failure" => "A COM call whose Delegate level cannot be honoured fails with RPC_S_SEC_PKG_ERROR.",
        "static_tracking_at_first_call" => "Static identity tracking captures the identity at the first call, not when the binding is set.",
        "everyone_includes_anonymous" => "The anonymous token counts as Everyone in access checks.",
        "s4u_without_rbcd_bit" => "S4U2proxy as a front end before Server 2012 asks for it (older KDC statuses).",
        "traditional_nesting" => "Turn off the apartment model's save and restore (CO-3, CO-6): the last impersonation wins, and a return restores nothing.",
        _ => "",
    }
}

/// The switches' short names, for captions.
pub fn short(name: &str) -> &'static str {
    match name {
        "provider_bumps_to_impersonate" => "provider bumps",
        "remote_pipe_level_from_server_account" => "pipe level from account",
        "com_fails_on_delegate_failure" => "COM fails on delegate failure",
        "static_tracking_at_first_call" => "static tracking at first call",
        "everyone_includes_anonymous" => "Everyone ⊇ anonymous",
        "s4u_without_rbcd_bit" => "S4U without RBCD bit",
        "traditional_nesting" => "traditional nesting",
        _ => "",
    }
}

/// `traditional nesting, Everyone ⊇ anonymous` or `defaults`.
pub fn caption(o: &Options) -> String {
    let d = Options::default();
    let on: Vec<String> = Options::FIELDS
        .iter()
        .filter(|(n, _)| o.get(n) != d.get(n))
        .map(|(n, _)| match o.get(n) {
            Some(false) => format!("not {}", short(n)),
            _ => short(n).to_string(),
        })
        .collect();
    if on.is_empty() {
        "all defaults".to_string()
    } else {
        on.join(", ")
    }
}

pub struct OptionsProps {
    pub options: Options,
    pub compare: Option<Options>,
    pub act: Act,
}

/// What turning the switch `name` on or off sends: an edit of the scenario's own options (A,
/// `b` is `None`), or the comparison's new option set (B).
fn switch(b: Option<Options>, name: &'static str, on: bool) -> Action {
    match b {
        None => Action::Edit(Edit::SetOption { name, on }),
        Some(mut b) => {
            b.set(name, on);
            Action::SetCompare(Some(b))
        }
    }
}

/// The option switches (rules.md §13), and the second option set to compare with.
pub fn options_panel(props: &OptionsProps) -> Html {
    let act = &props.act;
    // The switches of A (`b` is `None`) or of B.
    let switches = |set: Options, b: Option<Options>| {
        html! {
            <div class="switches">
                { for Options::FIELDS.iter().map(|(name, rule)| {
                    let name: &'static str = name;
                    let cb = act.reform(move |on| switch(b, name, on));
                    let title = rule.rule().title;
                    let path = if b.is_none() { format!("options.{name}") } else { String::new() };
                    // Which switches are on by default, and by what rule, is the core's to say.
                    let default = Options::on_by_default(name).map(|r| [" On by default since ", r.as_str(), "."].concat()).unwrap_or_default();
                    html! {
                        <SelectField label={format!("{name} ({rule})")}
                            path={path} check={Some((set.get(name).unwrap_or(false), cb))}
                            hint={Some(AttrValue::from(format!("{}{default}{}", describe(name), if title.is_empty() { String::new() } else { format!(" — {rule}: {title}") })))} />
                    }
                }) }
            </div>
        }
    };
    // B = A with traditional nesting flipped (apartment vs traditional).
    let flipped = {
        let mut b = props.options;
        b.traditional_nesting = !b.traditional_nesting;
        b
    };
    let toggle_compare = act.reform(move |on: bool| Action::SetCompare(on.then_some(flipped)));
    let nesting = super::send(act, Action::SetCompare(Some(flipped)));
    html! {
        <div class="options">
            <section class="card" aria-labelledby="h-options">
                <h3 id="h-options">{ "Options (A: the scenario's own)" }</h3>
                <p class="hint">{ "Where the documentation is silent or contradicts itself (rules.md §13), these switches choose the reading." }</p>
                { switches(props.options, None) }
            </section>
            <section class="card" aria-labelledby="h-compare">
                <h3 id="h-compare">{ "Compare side by side" }</h3>
                <SelectField label="Compare with a second option set (B)" check={Some((props.compare.is_some(), toggle_compare))} />
                <button type="button" class="btn small" onclick={nesting}>{ "B = A with traditional nesting flipped (apartment vs traditional)" }</button>
                if let Some(b) = props.compare {
                    { switches(b, Some(b)) }
                }
            </section>
        </div>
    }
}
