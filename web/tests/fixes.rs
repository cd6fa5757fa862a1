//! "Make it work" in the playground's state (`state::fixes`), natively and in the browser: a
//! proposal's scenario is put in place as one undo step (the share then sees alice, and Undo
//! restores the double hop), one that cannot be read says why, and the panel's markup escapes
//! the finder's explanation and lists the selected proposal as the worker wrote it selected
//! (the worker's own markup is tested in e2e/fix.test.mjs).

use std::rc::Rc;

use impersonation_core::Scenario;
use impersonation_web::state::fixes::{markup, Fixes, Proposal};
use impersonation_web::state::{Action, AppState};
use yew::Reducible;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test;

fn double_hop() -> Scenario {
    impersonation_core::parse(include_str!("../../core/presets/ntlm-double-hop.json"))
        .expect("the preset is valid")
        .into_inner()
}

/// The double hop with resource-based delegation on the file server's account: what the
/// worker returns for the fix finder's first proposal (SPEC §8.2).
fn rbcd() -> Proposal {
    let mut s = double_hop();
    s.accounts
        .entry("FS1$".into())
        .or_default()
        .allowed_to_act
        .push("svcApp".into());
    Proposal {
        applied: "Applied proposal 1: FS1$ lets svcApp act on behalf of its users \
                  (resource-based constrained delegation). One Undo (Ctrl+Z) restores the scenario before it."
            .into(),
        item: "<li class=\"proposal\" data-i=\"0\">RBCD</li>".into(),
        chosen: "<li class=\"proposal chosen\" data-i=\"0\">RBCD</li>".into(),
        preview: "<span data-i=\"0\">Apply</span>".into(),
        script: "Set-ADComputer -Identity 'FS1$' -PrincipalsAllowedToDelegateToAccount 'svcApp'"
            .into(),
        scenario: s.to_json_string().into(),
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn applying_a_proposal_is_one_undo_step_after_which_the_share_sees_alice() {
    let s = Rc::new(AppState::new(double_hop(), false));
    let before = s.derived.outcome.clone().expect("valid");
    assert_eq!(before.expectations.iter().filter(|x| !x.met).count(), 2);
    let s = s.reduce(Action::Edit(rbcd().edit().expect("readable")));
    assert_eq!(s.undo.len(), 1);
    assert!(s.dirty);
    let after = s.derived.outcome.clone().expect("valid");
    assert!(
        after.expectations.iter().all(|x| x.met),
        "{:?}",
        after.expectations
    );
    let share = after
        .by_label("web-opens-share-on-fs1")
        .expect("the share's event");
    assert_eq!(
        share.seen_as.clone().flatten().as_deref(),
        Some("CORP\\alice")
    );
    let back = s.reduce(Action::Undo);
    assert_eq!(*back.scenario, double_hop());
    assert!(back.derived.outcome.clone().expect("valid").unmet());
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn a_proposal_whose_scenario_cannot_be_read_says_why() {
    let p = Proposal {
        scenario: "{\"format\": \"impersonation-scenario/1\"}".into(),
        ..rbcd()
    };
    let e = p.edit().expect_err("not a whole scenario");
    assert_eq!(e.problems()[0].to_string(), "title: missing required field");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
fn the_panel_markup_escapes_its_explanation_and_lists_the_proposal_selected_as_such() {
    let second = Proposal {
        item: "<li data-i=\"1\">second</li>".into(),
        chosen: "<li data-i=\"1\" class=\"chosen\">second</li>".into(),
        ..rbcd()
    };
    let f = Rc::new(Fixes {
        proposals: vec![rbcd(), second],
        explain: "2 of 2 <minimal> sets".into(),
    });
    assert_eq!(
        markup(&Ok(f.clone()), Some(1)),
        "<p>2 of 2 &lt;minimal&gt; sets</p><ol class=\"plain\"><li class=\"proposal\" data-i=\"0\">RBCD</li>\
         <li data-i=\"1\" class=\"chosen\">second</li></ol>"
    );
    assert_eq!(
        markup(&Ok(f), None),
        "<p>2 of 2 &lt;minimal&gt; sets</p><ol class=\"plain\"><li class=\"proposal\" data-i=\"0\">RBCD</li>\
         <li data-i=\"1\">second</li></ol>"
    );
    assert_eq!(
        markup(&Err("cannot <start>".into()), None),
        "<p class=\"problems\" role=\"alert\">cannot &lt;start&gt;</p>"
    );
}

/// The proposal above is the core's first for the double hop (natively: the fix finder is not
/// part of the playground's wasm, nor of its wasm tests).
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn the_proposal_above_is_the_fix_finders_first() {
    let text = include_str!("../../core/presets/ntlm-double-hop.json");
    let found = impersonation_core::fix::find(
        &impersonation_core::parse(text).expect("valid"),
        Default::default(),
    );
    let c = &found.proposals[0].changes;
    assert_eq!(c.len(), 1);
    assert_eq!(
        (c[0].tier, c[0].path.as_str(), c[0].after.to_string()),
        (
            1,
            "accounts.FS1$.allowed_to_act",
            "[\"svcApp\"]".to_string()
        )
    );
    assert_eq!(
        rbcd().applied,
        format!(
            "Applied proposal 1: {} One Undo (Ctrl+Z) restores the scenario before it.",
            c[0].sentence
        )
    );
    assert_eq!(c[0].commands[0].text, rbcd().script);
}
