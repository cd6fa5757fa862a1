//! The diagram's layout (issue #13): for every preset, every worked case and generated
//! scenarios, no text box (label, pill, lane or machine name) overlaps another text box, a token
//! bar or an arrow head; every text lies inside the canvas, every lane name and pill inside its
//! lane and every machine name inside its machine; every label is whole. And `impsim render
//! --svg` writes a well-formed SVG whose texts are the layout's.
#![cfg(not(target_arch = "wasm32"))]

use impersonation_core::diagram::{self, text, Builtin, Font, Layout, Line, Measure, Rect};
use impersonation_core::{presets, Checked};

mod common;
use common::generate::Gen;

/// Every problem of a layout, as sentences (empty when it is right).
fn problems(l: &Layout) -> Vec<String> {
    let mut out = Vec::new();
    let canvas = Rect {
        x: 0.0,
        y: 0.0,
        w: l.width,
        h: l.height,
    };
    // (box, what) of every text box.
    let mut texts: Vec<(Rect, String)> = Vec::new();
    for m in &l.machines {
        if !m.rect.contains(&m.label.bbox()) {
            out.push(format!("machine name {:?} outside its box", m.label.text));
        }
        texts.push((m.label.bbox(), format!("machine {:?}", m.label.text)));
    }
    for lane in &l.lanes {
        let b = lane.label.bbox();
        if b.x < lane.left || b.right() > lane.right {
            out.push(format!("lane name {:?} outside its lane", lane.label.text));
        }
        if b.bottom() > l.header {
            out.push(format!("lane name {:?} below the header", lane.label.text));
        }
        texts.push((b, format!("lane {:?}", lane.label.text)));
    }
    let mut obstacles: Vec<(Rect, String)> = Vec::new();
    for b in &l.bars {
        obstacles.push((b.rect, format!("bar at {:?}", b.rect)));
    }
    let mut bottom = l.header;
    for r in &l.rows {
        if r.top < bottom - 0.01 {
            out.push(format!("row {} overlaps the row above", r.event));
        }
        bottom = r.top + r.height;
        if let Some(label) = &r.label {
            texts.push((
                label.bbox(),
                format!("row {} label {:?}", r.event, label.text),
            ));
        }
        if let Some(p) = &r.pill {
            if !p.rect.contains(&p.label.bbox()) {
                out.push(format!(
                    "row {} pill text {:?} outside its pill",
                    r.event, p.label.text
                ));
            }
            let lane = &l.lanes[r.lane.expect("a pill is on a lane")];
            if p.rect.x < lane.left || p.rect.right() > lane.right {
                out.push(format!(
                    "row {} pill {:?} outside its lane",
                    r.event, p.label.text
                ));
            }
            texts.push((p.rect, format!("row {} pill {:?}", r.event, p.label.text)));
        }
        if let Some(h) = r.head {
            obstacles.push((h.bbox(), format!("row {} arrow head", r.event)));
        }
    }
    if bottom > l.height {
        out.push("the rows reach below the canvas".into());
    }
    for (b, what) in &texts {
        if !canvas.contains(b) {
            out.push(format!("{what} outside the canvas: {b:?}"));
        }
    }
    // Pairs, swept by top edge: only boxes whose vertical ranges meet are compared.
    let mut all: Vec<(Rect, &str, bool)> =
        texts.iter().map(|(b, w)| (*b, w.as_str(), true)).collect();
    all.extend(obstacles.iter().map(|(b, w)| (*b, w.as_str(), false)));
    all.sort_by(|a, b| a.0.y.total_cmp(&b.0.y));
    for i in 0..all.len() {
        for j in i + 1..all.len() {
            if all[j].0.y >= all[i].0.bottom() {
                break;
            }
            let (a, b) = (&all[i], &all[j]);
            if (a.2 || b.2) && a.0.overlaps(&b.0) {
                out.push(format!("{} overlaps {}", a.1, b.1));
            }
        }
    }
    out
}

/// Lays out a scenario with `measure` and checks it, and that every label is whole.
fn check(s: &Checked, measure: &dyn Measure) -> Result<Layout, String> {
    let outcome = impersonation_core::simulate(s);
    let l = diagram::layout(&outcome.events, &diagram::Lanes::of(s), measure);
    let mut p = problems(&l);
    for r in &l.rows {
        let e = &outcome.events[r.event];
        let whole = match (&r.label, &r.line) {
            (Some(label), Some(Line::Arrow { style, .. })) if *style != "ret" => {
                label.text == text::arrow_text(e)
            }
            _ => true,
        };
        if !whole {
            p.push(format!(
                "row {}: label is not the whole arrow text",
                r.event
            ));
        }
        if let Some(pill) = &r.pill {
            if !pill.label.text.starts_with(text::action_title(e.action)) {
                p.push(format!("row {}: pill {:?} cut", r.event, pill.label.text));
            }
        }
    }
    if l.rows.len() != outcome.events.len() {
        p.push("not every event has a row".into());
    }
    if p.is_empty() {
        Ok(l)
    } else {
        Err(format!("{}: {}", s.title, p.join("\n  ")))
    }
}

/// Another font: every character as wide as an `m` of a wide monospace font.
fn wide(text: &str, font: Font) -> f32 {
    text.chars().count() as f32 * if font == Font::Bold { 9.5 } else { 8.5 }
}

fn scenarios() -> Vec<Checked> {
    let mut out: Vec<Checked> = presets::PRESETS
        .iter()
        .map(|p| impersonation_core::parse(p.json).unwrap())
        .collect();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|f| f.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 30, "the worked cases: {}", files.len());
    for f in files {
        let case: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let text = case["scenario"].to_string();
        match impersonation_core::parse(&text) {
            Ok(s) => out.push(s),
            Err(e) => panic!("{}: {e}", f.display()),
        }
    }
    out.push(Checked::new(impersonation_core::synthetic::wide(600)).unwrap());
    out.push(Checked::new(impersonation_core::synthetic::deep(40)).unwrap());
    out
}

#[test]
fn no_text_box_overlaps_in_presets_cases_and_synthetic_scenarios() {
    let mut failures = Vec::new();
    for s in scenarios() {
        for measure in [&Builtin as &dyn Measure, &wide] {
            if let Err(e) = check(&s, measure) {
                failures.push(e);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn no_text_box_overlaps_in_generated_scenarios() {
    let mut failures = Vec::new();
    for seed in 0..400u64 {
        let (json, _) = Gen::scenario(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let s = impersonation_core::parse(&json.to_string()).unwrap();
        if let Err(e) = check(&s, &Builtin) {
            failures.push(format!("seed {seed}: {e}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The NTLM double hop's long label (cut to "db sees ANONYMOUS LOGON @ imperso…" in 150 px
/// lanes before issue #13) is whole, and its lanes are as far apart as it needs.
#[test]
fn lanes_widen_for_the_labels_they_carry() {
    let s = impersonation_core::parse(presets::get("ntlm-double-hop").unwrap().json).unwrap();
    let l = check(&s, &Builtin).unwrap();
    let row = l
        .rows
        .iter()
        .find(|r| {
            r.label
                .as_ref()
                .is_some_and(|t| t.text == "db sees ANONYMOUS LOGON @ impersonate")
        })
        .expect("the double hop's label, whole");
    let label = row.label.as_ref().unwrap();
    assert!(
        label.width > 150.0,
        "wider than a fixed lane: {}",
        label.width
    );
    let Some(Line::Arrow { x1, x2, .. }) = row.line else {
        panic!("an arrow");
    };
    assert!((x2 - x1).abs() > label.width, "the arrow spans its label");
    // The failed access's pill holds its whole status, clear of the arrow label above it.
    let pill = l
        .rows
        .iter()
        .filter_map(|r| r.pill.as_ref())
        .find(|p| p.label.text.contains("ERROR_ACCESS_DENIED"))
        .expect("the failed access");
    assert_eq!(pill.label.text, "open object ✗ ERROR_ACCESS_DENIED");
    // Lanes are not wider than they need: the client's lane fits its name and its labels.
    assert!(l.width < 1200.0, "{}", l.width);
}

#[test]
fn the_builtin_table_measures_dejavu_sans() {
    // DejaVu Sans at 11 px: "web" is w 105, e 79 and b 82 of 128 units an em, rounded up,
    // widened by 4 % for substitutes.
    let w = Builtin.width("web", Font::Regular);
    assert!(
        (w - 11.0 * (105.0 + 79.0 + 82.0) / 128.0 * 1.04).abs() < 0.01,
        "{w}"
    );
    assert!(Builtin.width("web", Font::Bold) > w);
    // Anything outside Latin-1 counts one em.
    assert!((Builtin.width("✗", Font::Regular) - 11.0 * 1.04).abs() < 0.01);
}

/// The text elements of an SVG document, read by an XML parser (which refuses a document that is
/// not well-formed): (class, x, y, text). Checks the root is an `svg` in the SVG namespace.
fn svg_texts(svg: &str) -> Vec<(String, f32, f32, String)> {
    use quick_xml::events::Event as X;
    let mut reader = quick_xml::Reader::from_str(svg);
    let mut texts = Vec::new();
    let mut open: Option<(String, f32, f32, String)> = None;
    let mut depth = 0usize;
    let mut roots = 0;
    loop {
        match reader
            .read_event()
            .unwrap_or_else(|e| panic!("not well-formed: {e}"))
        {
            X::Start(e) | X::Empty(e) if depth == 0 => {
                roots += 1;
                assert_eq!(e.name().as_ref(), b"svg");
                let ns = e.try_get_attribute("xmlns").unwrap().expect("xmlns");
                assert_eq!(
                    &*ns.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .unwrap(),
                    "http://www.w3.org/2000/svg"
                );
                depth += 1;
            }
            X::Start(e) => {
                depth += 1;
                if e.name().as_ref() == b"text" {
                    let get = |k: &str| {
                        let a = e.try_get_attribute(k).unwrap();
                        a.map(|a| {
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .unwrap()
                                .into_owned()
                        })
                        .unwrap_or_default()
                    };
                    let (x, y) = (get("x").parse().unwrap(), get("y").parse().unwrap());
                    open = Some((get("class"), x, y, String::new()));
                }
            }
            X::Text(t) => {
                if let Some(o) = &mut open {
                    o.3.push_str(&t.decode().unwrap());
                }
            }
            X::GeneralRef(r) => {
                if let Some(o) = &mut open {
                    let name = r.decode().unwrap();
                    let c = quick_xml::escape::resolve_predefined_entity(&name)
                        .unwrap_or_else(|| panic!("unknown entity {name}"));
                    o.3.push_str(c);
                }
            }
            X::End(e) => {
                depth -= 1;
                if e.name().as_ref() == b"text" {
                    texts.extend(open.take());
                }
            }
            X::Eof => break,
            _ => {}
        }
    }
    assert_eq!((roots, depth), (1, 0), "one root element, closed");
    texts
}

#[test]
fn impsim_render_writes_the_layout_as_a_standalone_svg() {
    for p in presets::PRESETS {
        let (code, svg, err) = common::impsim(&["render", "-", "--svg"], p.json.as_bytes());
        assert_eq!(code, 0, "{}: {err}", p.id);
        let s = impersonation_core::parse(p.json).unwrap();
        let outcome = impersonation_core::simulate(&s);
        let l = diagram::layout(&outcome.events, &diagram::Lanes::of(&s), &Builtin);
        assert_eq!(
            svg,
            diagram::svg::render(&l, &diagram::svg::Theme::LIGHT, &s.title),
            "{}",
            p.id
        );
        // No `opacity` on an element: in the playground each is a paint effect of its own,
        // which every frame of an edit layerizes (the token bars use `fill-opacity`).
        assert!(
            !svg.contains(" opacity="),
            "{}: an element with opacity",
            p.id
        );
        let texts = svg_texts(&svg);
        // The layout's texts, in the order the SVG writes them.
        let mut expected: Vec<(&str, f32, f32)> = Vec::new();
        for m in &l.machines {
            expected.push((&m.label.text, m.label.x, m.label.y));
        }
        for lane in &l.lanes {
            expected.push((&lane.label.text, lane.label.x, lane.label.y));
        }
        for r in &l.rows {
            for t in r
                .pill
                .as_ref()
                .map(|p| &p.label)
                .into_iter()
                .chain(&r.label)
            {
                expected.push((&t.text, t.x, t.y));
            }
        }
        assert_eq!(texts.len(), expected.len(), "{}", p.id);
        for ((_, x, y, text), (etext, ex, ey)) in texts.iter().zip(&expected) {
            assert_eq!(text, etext, "{}", p.id);
            assert!(
                (x - ex).abs() <= 0.05 && (y - ey).abs() <= 0.05,
                "{}: {text} at {x},{y}, laid out at {ex},{ey}",
                p.id
            );
        }
    }
    // Into a file with -o, in the dark theme.
    let out = std::env::temp_dir().join(format!("impsim-render-{}.svg", std::process::id()));
    let path = out.to_str().unwrap();
    let (code, stdout, err) = common::impsim(
        &["render", "--svg", "--dark", "-", "-o", path],
        presets::PRESETS[0].json.as_bytes(),
    );
    assert_eq!((code, stdout.as_str()), (0, ""), "{err}");
    let svg = std::fs::read_to_string(&out).unwrap();
    std::fs::remove_file(&out).unwrap();
    assert!(svg.contains(r##"fill="#1a1e24""##), "the dark background");
    assert!(!svg_texts(&svg).is_empty());
}

#[test]
fn impsim_render_refuses_bad_usage_and_reports_invalid_scenarios() {
    let (code, _, err) = common::impsim(&["render", "-"], b"{}");
    assert_eq!(code, 1);
    assert!(
        err.starts_with("error: render needs an output format: --svg\nusage: impsim"),
        "{err}"
    );
    let (code, _, err) = common::impsim(&["render", "--svg", "-", "--png"], b"{}");
    assert_eq!(code, 1);
    assert!(
        err.starts_with("error: render: unknown argument \"--png\"\n"),
        "{err}"
    );
    let (code, _, err) = common::impsim(&["render", "--svg"], b"");
    assert_eq!(code, 1);
    assert!(
        err.starts_with("error: render needs a scenario FILE\n"),
        "{err}"
    );
    let (code, out, err) = common::impsim(&["render", "-", "--svg"], b"{\"format\": 1}");
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("error: format: expected \"impersonation-scenario/1\""),
        "{err}"
    );
}

#[test]
fn texts_that_need_escaping_are_escaped() {
    let text = r#"{"format":"impersonation-scenario/1","title":"a <b> & \"c\"\u0007d","machines":["W&1"],
        "accounts":{"a<b":{}},"processes":{"p<x>":{"machine":"W&1","account":"a<b","kind":"user"}},
        "run":{"process":"p<x>","steps":[{"do":"whoami"}]}}"#;
    let (code, svg, err) = common::impsim(&["render", "-", "--svg"], text.as_bytes());
    assert_eq!(code, 0, "{err}");
    let texts = svg_texts(&svg);
    assert!(texts.iter().any(|t| t.3 == "p<x>"), "{texts:?}");
    assert!(texts.iter().any(|t| t.3 == "W&1"), "{texts:?}");
    // A control character (other than a line break or tab) becomes a space.
    assert!(svg.contains("<title>a &lt;b&gt; &amp; &quot;c&quot; d</title>"));
}

/// Issue #15 item 8: an http arrow names the authentication it used, and a call Negotiate
/// moved to NTLM because nobody registered its SPN says so on its arrow, bold and thick.
#[test]
fn http_arrows_name_their_package_and_a_fallback_to_ntlm_shows() {
    let s = impersonation_core::parse(presets::get("iis-sql-missing-spn").unwrap().json).unwrap();
    let l = check(&s, &Builtin).unwrap();
    // Events: 0 the browser's call, 1 impersonate, 2 and 4 the two queries.
    let texts: Vec<&str> = l
        .rows
        .iter()
        .map(|r| r.label.as_ref().map_or("", |x| x.text.as_str()))
        .collect();
    assert_eq!(texts[0], "Kerberos · iis sees alice @ impersonate");
    assert_eq!(
        texts[2],
        "Negotiate → NTLM · sql sees ANONYMOUS LOGON @ impersonate"
    );
    // The second query's SPN is registered: no fallback named, even though it ends in NTLM.
    assert_eq!(texts[4], "sql2 sees ANONYMOUS LOGON @ impersonate");
    let fallback = &l.rows[2];
    assert_eq!(fallback.label.as_ref().unwrap().font, Font::Bold);
    assert!(matches!(
        fallback.line,
        Some(Line::Arrow {
            style: "fallback",
            ..
        })
    ));
    let svg = diagram::svg::render(&l, &diagram::svg::Theme::LIGHT, "t");
    assert!(svg.contains("class=\"msg anon fallback\""), "{svg}");
    assert!(svg.contains("class=\"msg-label anon fallback\""));
    assert!(svg.contains("stroke-width=\"2.8\""));
}
