//! Where everything goes: lanes sized by what they carry, one row per event, labels in a line of
//! their own above each row's arrow or pill, token bars cut around pills.
//!
//! The guarantee (checked by `core/tests/diagram.rs` and `e2e/diagram.test.mjs`): no text box
//! (label, pill, lane or machine name) overlaps another text box, a token bar or an arrow head,
//! and every one lies inside the canvas. It holds by construction:
//! - vertically, a row's label line lies above its arrow or pill, and rows do not overlap;
//! - horizontally, a row's label sits in the gap between two lanes (or beside a lane), clear of
//!   both lanes' bars, and the gap is widened to hold it; a pill on a lane is clear of the
//!   neighbouring lanes' bars and arrow heads, and its own lane's bar stops at its edges.

use super::text::{action_title, arrow_text, fell_back, short_name, status_class};
use super::widths::{Font, Measure, FONT_SIZE};
use crate::model::TokenLevel;
use crate::{Event, Scenario};

/// How far a text box reaches above its baseline and below it. Fonts differ (Segoe UI's line is
/// 1.33 em, DejaVu Sans's 1.16 em): room for the tallest.
pub const ASCENT: f32 = 1.08 * FONT_SIZE;
pub const DESCENT: f32 = 0.27 * FONT_SIZE;
const LINE: f32 = ASCENT + DESCENT;
/// Half a token bar's width.
const BAR: f32 = 4.0;
/// Room between a text and anything else beside it.
const PAD: f32 = 6.0;
/// The canvas's margin.
const MARGIN: f32 = 8.0;
/// An arrow head's length and half height.
const HEAD: f32 = 7.0;
const HEAD_HALF: f32 = 4.0;
/// Half a pill's height, and the room beside its text.
const PILL_HALF: f32 = 9.0;
const PILL_PAD: f32 = 7.0;
/// The smallest distance between two lifelines.
const MIN_GAP: f32 = 56.0;
/// How far a self-call's loop reaches right of its lifeline.
const LOOP: f32 = 24.0;

/// One lifeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    /// The process, or for a machine without processes, the machine (its files).
    pub name: String,
    pub machine: String,
    pub files: bool,
}

/// What the diagram takes from the scenario: the lifelines, grouped by machine in the
/// scenario's order, and the title (the picture's accessible name).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Lanes {
    pub lanes: Vec<Lane>,
    pub title: String,
}

impl Lanes {
    /// A lane per process, grouped by machine; a machine without processes gets one lane for
    /// its objects (remote accesses point there).
    pub fn of(s: &Scenario) -> Lanes {
        let mut lanes = Vec::new();
        for m in &s.machines {
            let before = lanes.len();
            for (name, p) in &s.processes {
                if &p.machine == m {
                    lanes.push(Lane {
                        name: name.clone(),
                        machine: m.clone(),
                        files: false,
                    });
                }
            }
            if lanes.len() == before {
                lanes.push(Lane {
                    name: m.clone(),
                    machine: m.clone(),
                    files: true,
                });
            }
        }
        Lanes {
            lanes,
            title: s.title.clone(),
        }
    }
}

/// A box in SVG user units (pixels at zoom 1), `y` downwards.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl Rect {
    pub fn right(&self) -> f32 {
        self.x + self.w
    }
    pub fn bottom(&self) -> f32 {
        self.y + self.h
    }
    /// Whether the two share some area (touching edges do not count).
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.right() && o.x < self.right() && self.y < o.bottom() && o.y < self.bottom()
    }
    /// Whether `o` lies inside this box (edges included).
    pub fn contains(&self, o: &Rect) -> bool {
        o.x >= self.x && o.right() <= self.right() && o.y >= self.y && o.bottom() <= self.bottom()
    }
}

/// A text, whole, written from `x` (its left end) on the baseline `y`.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub text: String,
    pub font: Font,
    pub x: f32,
    pub y: f32,
    /// The measured width.
    pub width: f32,
}

impl Label {
    fn new(text: String, font: Font, measure: &dyn Measure) -> Label {
        let width = measure.width(&text, font);
        Label {
            text,
            font,
            x: 0.0,
            y: 0.0,
            width,
        }
    }
    /// The box the text may fill, whatever the font's ascent and descent.
    pub fn bbox(&self) -> Rect {
        Rect {
            x: self.x,
            y: self.y - ASCENT,
            w: self.width,
            h: LINE,
        }
    }
    fn place(&mut self, x: f32, top: f32) {
        self.x = x;
        self.y = top + ASCENT;
    }
}

/// A lifeline: its centre `x`, its share of the width (`left`..`right`) and its name (a
/// machine's objects are `(objects)`).
#[derive(Debug, Clone, PartialEq)]
pub struct LaneBox {
    pub files: bool,
    pub x: f32,
    pub left: f32,
    pub right: f32,
    pub label: Label,
}

/// A machine's group of lanes.
#[derive(Debug, Clone, PartialEq)]
pub struct MachineBox {
    pub rect: Rect,
    pub label: Label,
}

/// A thread's token over a stretch of its lifeline (none while it runs on its process token).
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub rect: Rect,
    pub level: TokenLevel,
    /// The token's identity, for a tooltip.
    pub identity: String,
}

/// An arrow's or a self-call's line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Line {
    /// From `x1` to `x2` on the row's middle line; `style` is `""`, `nested` (served nested
    /// on an STA thread), `ret` (a return) or `remote` (a remote object's access), the first
    /// two optionally followed by `fallback` (Negotiate fell back to NTLM, SP-3, SP-4).
    Arrow {
        x1: f32,
        x2: f32,
        style: &'static str,
    },
    /// A call to the same process: a loop right of the lifeline at `x`.
    Loop { x: f32 },
}

/// An arrow head: a triangle whose tip is at (`tip`, `y`), pointing right (`dir` 1) or left.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Head {
    pub tip: f32,
    pub y: f32,
    pub dir: f32,
}

impl Head {
    /// The triangle's corners.
    pub fn points(&self) -> [(f32, f32); 3] {
        let base = self.tip - HEAD * self.dir;
        [
            (self.tip, self.y),
            (base, self.y - HEAD_HALF),
            (base, self.y + HEAD_HALF),
        ]
    }
    pub fn bbox(&self) -> Rect {
        Rect {
            x: self.tip.min(self.tip - HEAD * self.dir),
            y: self.y - HEAD_HALF,
            w: HEAD,
            h: 2.0 * HEAD_HALF,
        }
    }
}

/// A rounded box on a lifeline with its text: a step that is not a call.
#[derive(Debug, Clone, PartialEq)]
pub struct Pill {
    pub rect: Rect,
    pub label: Label,
}

/// One event's row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The event's index in the outcome.
    pub event: usize,
    /// The lane of the event's process.
    pub lane: Option<usize>,
    pub top: f32,
    pub height: f32,
    /// The middle line of the row's arrow or pill.
    pub y: f32,
    /// `ok`, `anon` or `fail`.
    pub status: &'static str,
    pub line: Option<Line>,
    pub head: Option<Head>,
    pub pill: Option<Pill>,
    /// The arrow's label, in a line of its own above the arrow.
    pub label: Option<Label>,
    /// `#3 web · impersonate: <explanation>`, for a tooltip.
    pub title: String,
}

impl Row {
    /// The class of the row's label: a return's is greyed (`ret`), others take the status.
    pub fn label_class(&self) -> &'static str {
        match self.line {
            Some(Line::Arrow { style: "ret", .. }) => "ret",
            _ => self.status,
        }
    }
}

/// The whole diagram: a `width` × `height` canvas whose top `header` pixels hold the machine
/// and lane names (the playground keeps them in view while the rows scroll).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layout {
    pub width: f32,
    pub height: f32,
    pub header: f32,
    pub lanes: Vec<LaneBox>,
    pub machines: Vec<MachineBox>,
    pub bars: Vec<Bar>,
    pub rows: Vec<Row>,
}

/// What a row draws, before the lanes have their places.
enum Shape {
    None,
    Arrow(usize, usize, &'static str),
    Loop(usize),
    /// A label beside a lane (a return to the same process).
    Beside(usize),
    /// A pill on a lane, with a remote access's arrow to another lane.
    Pill(usize, Option<usize>),
}

struct Draft {
    lane: Option<usize>,
    shape: Shape,
    status: &'static str,
    label: Option<Label>,
    pill: Option<Label>,
    /// The gap the label goes in (see `Gaps`).
    gap: usize,
}

/// The horizontal distances: `g[0]` from the canvas's left edge to the first lifeline, `g[k]`
/// from lifeline `k - 1` to `k`, `g[n]` from the last lifeline to the right edge.
struct Gaps {
    g: Vec<f32>,
}

impl Gaps {
    fn n(&self) -> usize {
        self.g.len() - 1
    }
    fn inner(&self, k: usize) -> bool {
        k > 0 && k < self.n()
    }
    /// What a text keeps from gap `k`'s end: a bar and some room, or the canvas margin.
    fn clear(&self, k: usize) -> f32 {
        if self.inner(k) {
            BAR + PAD
        } else {
            MARGIN
        }
    }
    fn need(&mut self, k: usize, at_least: f32) {
        if let Some(g) = self.g.get_mut(k) {
            *g = g.max(at_least);
        }
    }
}

/// Lays out `events` (an outcome's, or its first rows) over `lanes`, measuring texts with
/// `measure`.
pub fn layout(events: &[Event], lanes: &Lanes, measure: &dyn Measure) -> Layout {
    let lanes = &lanes.lanes;
    let n = lanes.len();
    let mut gaps = Gaps {
        g: vec![MARGIN; n + 1],
    };
    for k in 1..n {
        gaps.g[k] = MIN_GAP;
    }

    // Lane names: each within its own half of the gaps beside it.
    let mut lane_labels: Vec<Label> = Vec::with_capacity(n);
    for (k, l) in lanes.iter().enumerate() {
        let label = if l.files {
            Label::new("(objects)".into(), Font::Regular, measure)
        } else {
            Label::new(l.name.clone(), Font::Bold, measure)
        };
        for side in [k, k + 1] {
            let need = if gaps.inner(side) {
                label.width + 2.0 * PAD
            } else {
                label.width / 2.0 + MARGIN
            };
            gaps.need(side, need);
        }
        lane_labels.push(label);
    }

    let mut drafts = drafts(events, lanes, measure);

    // What pills and labels beside a lane need.
    for d in &drafts {
        match (&d.shape, &d.pill, &d.label) {
            // A pill stays in its lane (within half of the gaps beside it).
            (Shape::Pill(a, _), Some(p), _) => {
                let half = p.width / 2.0 + PILL_PAD + PAD;
                for side in [*a, *a + 1] {
                    let twice = if gaps.inner(side) { 2.0 } else { 1.0 };
                    gaps.need(side, twice * half);
                }
            }
            (Shape::Loop(a) | Shape::Beside(a), _, Some(l)) => {
                let need = BAR + PAD + l.width.max(LOOP + HEAD) + gaps.clear(a + 1);
                gaps.need(a + 1, need);
            }
            _ => {}
        }
    }
    // Labels between lanes, each in the gap of its span that is already widest (ties: nearest
    // the arrow's source).
    for d in &mut drafts {
        let (a, b) = match d.shape {
            Shape::Arrow(a, b, _) | Shape::Pill(a, Some(b)) => (a, b),
            _ => continue,
        };
        let Some(l) = &d.label else {
            continue;
        };
        let mut best = if a < b { a + 1 } else { a };
        for k in a.min(b) + 1..=a.max(b) {
            let nearer = if a < b { k < best } else { k > best };
            if gaps.g[k] > gaps.g[best] || (gaps.g[k] == gaps.g[best] && nearer) {
                best = k;
            }
        }
        gaps.need(best, l.width + 2.0 * (BAR + PAD));
        d.gap = best;
    }

    // Machine groups: wide enough for their names.
    let mut groups: Vec<(usize, usize, Label)> = Vec::new();
    for (k, l) in lanes.iter().enumerate() {
        match groups.last_mut() {
            Some((_, last, _)) if lanes[*last].machine == l.machine => *last = k,
            _ => groups.push((k, k, Label::new(l.machine.clone(), Font::Bold, measure))),
        }
    }
    for (first, last, label) in &groups {
        let need = label.width + 2.0 * PAD + 4.0;
        let have = machine_span(&gaps, *first, *last).1;
        if have < need {
            let k = last + 1;
            let grow = if gaps.inner(k) { 2.0 } else { 1.0 } * (need - have);
            gaps.g[k] += grow;
        }
    }
    for g in &mut gaps.g {
        *g = g.ceil();
    }

    // Lifelines.
    let mut xs = Vec::with_capacity(n);
    let mut x = 0.0;
    for k in 0..n {
        x += gaps.g[k];
        xs.push(x);
    }
    let width = if n == 0 { 2.0 * MARGIN } else { x + gaps.g[n] };

    // The header: machine names, then lane names.
    let machine_top = 4.0;
    let lane_top = machine_top + LINE + 2.0;
    let header = (lane_top + LINE + 5.0).ceil();

    // Rows.
    let mut rows = Vec::with_capacity(drafts.len());
    let mut top = header;
    for (i, d) in drafts.into_iter().enumerate() {
        let row = place_row(i, d, &events[i], &xs, &gaps, top);
        top = row.top + row.height;
        rows.push(row);
    }
    let height = (top + 8.0).ceil();

    let lane_boxes = lanes
        .iter()
        .zip(lane_labels)
        .enumerate()
        .map(|(k, (lane, mut label))| {
            label.place(xs[k] - label.width / 2.0, lane_top);
            let left = if k == 0 { 0.0 } else { xs[k] - gaps.g[k] / 2.0 };
            let right = if k + 1 == n {
                width
            } else {
                xs[k] + gaps.g[k + 1] / 2.0
            };
            LaneBox {
                files: lane.files,
                x: xs[k],
                left,
                right,
                label,
            }
        })
        .collect();
    let machines = groups
        .into_iter()
        .map(|(first, last, mut label)| {
            let (left, w) = machine_span(&gaps, first, last);
            let left = left + xs[first];
            label.place(left + PAD + 2.0, machine_top);
            MachineBox {
                rect: Rect {
                    x: left,
                    y: 2.0,
                    w,
                    h: height - 4.0,
                },
                label,
            }
        })
        .collect();
    let bars = bars(events, &rows, &xs, n, height);
    Layout {
        width,
        height,
        header,
        lanes: lane_boxes,
        machines,
        bars,
        rows,
    }
}

/// A machine group's left edge relative to its first lifeline, and its width.
fn machine_span(gaps: &Gaps, first: usize, last: usize) -> (f32, f32) {
    let n = gaps.n();
    let left = if first == 0 {
        gaps.g[0] - 4.0
    } else {
        gaps.g[first] / 2.0 - 2.0
    };
    let right = if last + 1 == n {
        gaps.g[n] - 4.0
    } else {
        gaps.g[last + 1] / 2.0 - 2.0
    };
    let inner: f32 = gaps.g[first + 1..=last].iter().sum();
    (-left, left + inner + right)
}

/// The lane of a process.
fn lane_of(lanes: &[Lane], process: &str) -> Option<usize> {
    lanes.iter().position(|l| !l.files && l.name == process)
}

/// What each event draws and says.
fn drafts(events: &[Event], lanes: &[Lane], measure: &dyn Measure) -> Vec<Draft> {
    let lane_of = |p: &str| lane_of(lanes, p);
    let machine_of = |m: &str| lanes.iter().position(|l| l.machine == m);
    // The calls made so far (step, caller, callee), for their returns; each lane's identity.
    let mut calls: Vec<(&str, usize, usize)> = Vec::new();
    let mut identity: Vec<Option<&str>> = vec![None; lanes.len()];
    let label = |text: String| Some(Label::new(text, Font::Regular, measure));
    events
        .iter()
        .map(|e| {
            let from = lane_of(&e.process);
            let mut d = Draft {
                lane: from,
                shape: Shape::None,
                status: status_class(e),
                label: None,
                pill: None,
                gap: 0,
            };
            let Some(a) = from else {
                return d;
            };
            match e.action {
                "call" => {
                    if let Some(b) = e.to.as_deref().and_then(lane_of) {
                        calls.push((e.step.as_str(), a, b));
                        // A fallback to NTLM is drawn bold and thick (`fallback`).
                        let style = match (e.detail.nested, fell_back(e)) {
                            (true, true) => "nested fallback",
                            (false, true) => "fallback",
                            (true, false) => "nested",
                            _ => "",
                        };
                        d.shape = if a == b {
                            Shape::Loop(a)
                        } else {
                            Shape::Arrow(a, b, style)
                        };
                        let font = if fell_back(e) {
                            Font::Bold
                        } else {
                            Font::Regular
                        };
                        d.label = Some(Label::new(arrow_text(e), font, measure));
                    }
                }
                // A return goes back from the callee to the caller (the event's process).
                "return" => {
                    let callee = calls.iter().rev().find(|c| c.0 == e.step).map(|c| c.2);
                    match callee {
                        Some(b) if b != a => {
                            d.shape = Shape::Arrow(b, a, "ret");
                            d.label = label(format!(
                                "return · {} {}",
                                short_name(&e.identity),
                                e.level.map(|l| l.as_str()).unwrap_or("(self)")
                            ));
                        }
                        _ => {
                            d.shape = Shape::Beside(a);
                            d.label = label("↩ return".into());
                        }
                    }
                }
                action => {
                    let remote = e.detail.remote_machine.as_deref().and_then(machine_of);
                    let remote = remote.filter(|b| *b != a);
                    d.shape = Shape::Pill(a, remote);
                    let mut text = action_title(action).to_string();
                    if e.status != crate::model::Status::Ok {
                        text.push_str(" ✗ ");
                        text.push_str(crate::model::Vocabulary::as_str(e.status));
                    } else if e.level.is_some() && identity[a] != Some(e.identity.as_str()) {
                        text.push_str(" → ");
                        text.push_str(short_name(&e.identity));
                    }
                    d.pill = Some(Label::new(text, Font::Regular, measure));
                    if remote.is_some() {
                        d.label = label(arrow_text(e));
                    }
                }
            }
            identity[a] = Some(e.identity.as_str());
            d
        })
        .collect()
}

/// A row's coordinates, from its top.
fn place_row(i: usize, d: Draft, e: &Event, xs: &[f32], gaps: &Gaps, top: f32) -> Row {
    let label_top = top + 3.0;
    let mut y = if d.label.is_some() {
        label_top + LINE
    } else {
        top
    };
    let below = match d.shape {
        Shape::Pill(..) => PILL_HALF,
        Shape::Loop(_) => 6.0 + HEAD_HALF,
        _ => HEAD_HALF,
    };
    y = (y + 3.0 + below).ceil();
    let mut row = Row {
        event: i,
        lane: d.lane,
        top,
        height: (y + below + 4.0 - top).ceil(),
        y,
        status: d.status,
        line: None,
        head: None,
        pill: None,
        label: None,
        title: format!("#{} {} · {}: {}", i + 1, e.process, e.action, e.explain),
    };
    let mut label = d.label;
    let in_gap = |label: &mut Label, k: usize| {
        let left = xs.get(k.wrapping_sub(1)).copied().unwrap_or(0.0);
        label.place(left + (gaps.g[k] - label.width) / 2.0, label_top);
    };
    match d.shape {
        Shape::None => {}
        Shape::Arrow(a, b, style) => {
            let dir = if b > a { 1.0 } else { -1.0 };
            row.line = Some(Line::Arrow {
                x1: xs[a],
                x2: xs[b] - dir * (BAR + 2.0),
                style,
            });
            row.head = Some(Head {
                tip: xs[b] - dir * (BAR + 1.0),
                y,
                dir,
            });
            if let Some(l) = &mut label {
                in_gap(l, d.gap);
            }
        }
        Shape::Loop(a) | Shape::Beside(a) => {
            if matches!(d.shape, Shape::Loop(_)) {
                row.line = Some(Line::Loop { x: xs[a] });
                row.head = Some(Head {
                    tip: xs[a] + BAR + 1.0,
                    y: y + 6.0,
                    dir: -1.0,
                });
            }
            if let Some(l) = &mut label {
                l.place(xs[a] + BAR + PAD, label_top);
            }
        }
        Shape::Pill(a, remote) => {
            if let Some(mut text) = d.pill {
                let w = text.width + 2.0 * PILL_PAD;
                let rect = Rect {
                    x: xs[a] - w / 2.0,
                    y: y - PILL_HALF,
                    w,
                    h: 2.0 * PILL_HALF,
                };
                text.place(rect.x + PILL_PAD, y - LINE / 2.0);
                if let Some(b) = remote {
                    let dir = if b > a { 1.0 } else { -1.0 };
                    let x1 = if b > a { rect.right() } else { rect.x };
                    row.line = Some(Line::Arrow {
                        x1,
                        x2: xs[b] - dir * (BAR + 2.0),
                        style: "remote",
                    });
                    row.head = Some(Head {
                        tip: xs[b] - dir * (BAR + 1.0),
                        y,
                        dir,
                    });
                    if let Some(l) = &mut label {
                        in_gap(l, d.gap);
                    }
                }
                row.pill = Some(Pill { rect, label: text });
            }
        }
    }
    row.label = label;
    row
}

/// The token bars: per lane, the token after each event on it until the next event on it,
/// stopping short of the pills at either end.
fn bars(events: &[Event], rows: &[Row], xs: &[f32], lanes: usize, height: f32) -> Vec<Bar> {
    let mut out = Vec::new();
    // Each lane's bar under way: where it started and the event whose token it shows.
    let mut open: Vec<Option<(f32, usize)>> = vec![None; lanes];
    let mut close = |lane: usize, from: Option<(f32, usize)>, bottom: f32| {
        let Some((top, i)) = from else {
            return;
        };
        let e = &events[i];
        if let (Some(level), true) = (e.level, bottom > top) {
            out.push(Bar {
                rect: Rect {
                    x: xs[lane] - BAR,
                    y: top,
                    w: 2.0 * BAR,
                    h: bottom - top,
                },
                level,
                identity: e.identity.clone(),
            });
        }
    };
    for (i, r) in rows.iter().enumerate() {
        let Some(lane) = r.lane else {
            continue;
        };
        let e = &events[i];
        let same = open[lane].is_some_and(|(_, j)| {
            let o = &events[j];
            o.level == e.level && o.identity == e.identity
        });
        if r.pill.is_some() || !same {
            let cut = if r.pill.is_some() { PILL_HALF } else { 0.0 };
            close(lane, open[lane], r.y - cut);
            open[lane] = Some((r.y + cut, i));
        }
    }
    for (lane, from) in open.into_iter().enumerate() {
        close(lane, from, height - 6.0);
    }
    out
}
