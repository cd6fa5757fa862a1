//! Expectations in the result (SPEC §8.1, issue #16 item 5): which event decides them, their
//! verdict lines, and the diagram's mark, which lies in the layout's left margin where no text,
//! box, bar or line of any preset's layout goes.

use impersonation_core::diagram::{layout, Builtin, Lanes, Line};
use impersonation_core::presets::PRESETS;
use impersonation_web::components::expect::{line, marks, summary, verdicts, MARK_W, MARK_X};

/// A preset's scenario (the playground's build fetches them, so they are read from disk).
fn preset(id: &str) -> impersonation_core::Checked {
    let file = format!("{}/../core/presets/{id}.json", env!("CARGO_MANIFEST_DIR"));
    let json = std::fs::read_to_string(file).expect("a preset file");
    impersonation_core::parse(&json).expect("valid")
}

fn outcome(id: &str) -> impersonation_core::Outcome {
    impersonation_core::simulate(&preset(id))
}

#[test]
fn the_first_event_of_a_label_decides_and_its_row_says_want_and_got() {
    let o = outcome("ntlm-double-hop");
    let share = o
        .events
        .iter()
        .position(|e| e.step == "run.steps[0].steps[2]")
        .expect("the share's access");
    let v = verdicts(&o, share);
    assert_eq!(v.len(), 2);
    assert_eq!(
        line(v[0]),
        format!("✗ status: want ok, got {}", o.events[share].status)
    );
    assert_eq!(
        line(v[1]),
        "✗ seen_as: want alice, got NT AUTHORITY\\ANONYMOUS LOGON"
    );
    let (met, text) = summary(&o, share).expect("a verdict");
    assert!(!met);
    assert!(text.contains("\n✗ seen_as"), "{text}");
    let local = share - 1;
    assert_eq!(o.events[local].step, "run.steps[0].steps[1]");
    assert_eq!(summary(&o, local).map(|s| s.0), Some(true));
    assert_eq!(line(verdicts(&o, local)[0]), "✓ status ok");
    // One mark per expected label, none elsewhere (the call's return carries no verdict).
    let m = marks(&o);
    let marked: Vec<usize> = (0..m.len()).filter(|&i| m[i].is_some()).collect();
    assert_eq!(marked, [local, share]);
}

#[test]
fn the_mark_stays_in_the_left_margin_of_every_preset() {
    let edge = MARK_X + MARK_W;
    for p in PRESETS {
        let s = preset(p.id);
        let o = impersonation_core::simulate(&s);
        let l = layout(&o.events, &Lanes::of(&s), &Builtin);
        let mut lefts: Vec<(f32, String)> = Vec::new();
        for m in &l.machines {
            lefts.push((m.rect.x, format!("machine {}", m.label.text)));
        }
        for b in &l.bars {
            lefts.push((b.rect.x, "bar".into()));
        }
        for r in &l.rows {
            let what = format!("row {}", r.event);
            if let Some(lb) = &r.label {
                lefts.push((lb.bbox().x, what.clone()));
            }
            if let Some(pill) = &r.pill {
                lefts.push((pill.rect.x, what.clone()));
            }
            if let Some(h) = &r.head {
                lefts.push((h.bbox().x, what.clone()));
            }
            match r.line {
                Some(Line::Arrow { x1, x2, .. }) => lefts.push((x1.min(x2), what)),
                Some(Line::Loop { x }) => lefts.push((x, what)),
                None => {}
            }
        }
        for (x, what) in lefts {
            assert!(x > edge, "{}: {what} starts at {x}, over the mark", p.id);
        }
    }
}
