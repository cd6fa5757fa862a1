//! A [`Layout`] as SVG: [`render`] writes a standalone picture (for `impsim render --svg` and the
//! playground's export); the piece writers let the playground draw the same elements in two
//! SVGs (a header that stays in view, and the rows) and redraw only the rows that changed.
//!
//! Every element carries its colours as presentation attributes (so the standalone file needs
//! no stylesheet) and a class (so the playground's stylesheet, which wins over presentation
//! attributes, recolours it for its light and dark themes).

use super::layout::{Label, Layout, Line, Rect, Row};
use super::widths::{Font, FONT_SIZE};
use crate::model::path::{escape_runs, push_decimal};
use crate::model::TokenLevel;

/// The colours of a picture: the playground's CSS variables (`web/style.css`), which the
/// playground's stylesheet applies over these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub background: &'static str,
    pub text: &'static str,
    pub muted: &'static str,
    pub border: &'static str,
    pub machine: &'static str,
    pub ok: &'static str,
    pub fail: &'static str,
    pub anon: &'static str,
    pub ret: &'static str,
    /// A failed step's pill.
    pub fail_fill: &'static str,
    /// Token bars: identify, impersonate, delegate, anonymous.
    pub levels: [&'static str; 4],
}

impl Theme {
    /// The playground's light theme (the default).
    pub const LIGHT: Theme = Theme {
        background: "#ffffff",
        text: "#1b1f24",
        muted: "#5b6470",
        border: "#d5dae1",
        machine: "#eef2f8",
        ok: "#187a42",
        fail: "#c62828",
        anon: "#9e5600",
        ret: "#5f6975",
        fail_fill: "#ffe1e1",
        levels: ["#e0a800", "#2f6fde", "#8e44ad", "#8a8f98"],
    };
    /// The playground's dark theme.
    pub const DARK: Theme = Theme {
        background: "#1a1e24",
        text: "#e6e9ee",
        muted: "#9aa4b1",
        border: "#343c47",
        machine: "#1f252e",
        ok: "#4cc38a",
        fail: "#ff7a7a",
        anon: "#ffa94d",
        ret: "#96a0ad",
        fail_fill: "#452526",
        levels: ["#e6b422", "#5b93ff", "#c084fc", "#9aa1ab"],
    };

    fn status(&self, class: &str) -> &'static str {
        match class {
            "fail" => self.fail,
            "anon" => self.anon,
            "ret" => self.ret,
            _ => self.ok,
        }
    }

    fn level(&self, level: TokenLevel) -> &'static str {
        self.levels[match level {
            TokenLevel::Identify => 0,
            TokenLevel::Impersonate => 1,
            TokenLevel::Delegate => 2,
            TokenLevel::Anonymous => 3,
        }]
    }
}

/// The fonts the standalone picture asks for: the one [`super::Builtin`] measures first.
pub const FONT_FAMILY: &str = "DejaVu Sans, Verdana, sans-serif";

/// The classes of a token bar of `level`.
pub fn bar_class(level: TokenLevel) -> &'static str {
    match level {
        TokenLevel::Anonymous => "bar lv-anonymous",
        TokenLevel::Identify => "bar lv-identify",
        TokenLevel::Impersonate => "bar lv-impersonate",
        TokenLevel::Delegate => "bar lv-delegate",
    }
}

/// The whole picture as a standalone SVG document, `title` as its accessible name.
pub fn render(layout: &Layout, theme: &Theme, title: &str) -> String {
    let (w, h) = (N(layout.width), N(layout.height));
    let mut out = String::with_capacity(512 + 600 * layout.rows.len());
    let mut viewbox = String::from("0 0 ");
    num(&mut viewbox, layout.width);
    viewbox.push(' ');
    num(&mut viewbox, layout.height);
    open(
        &mut out,
        "svg",
        &[
            ("xmlns", S("http://www.w3.org/2000/svg")),
            ("width", w),
            ("height", h),
            ("viewBox", S(&viewbox)),
            ("font-family", S(FONT_FAMILY)),
            ("font-size", N(FONT_SIZE)),
            ("role", S("img")),
        ],
    );
    out.push_str("><title>");
    escape(&mut out, title);
    out.push_str("</title>");
    let fill = S(theme.background);
    open(
        &mut out,
        "rect",
        &[("width", w), ("height", h), ("fill", fill)],
    );
    out.push_str("/>");
    machines(layout, theme, &mut out);
    names(layout, theme, &mut out);
    lifelines(layout, theme, &mut out);
    for i in 0..layout.rows.len() {
        row(layout, i, theme, None, &mut out);
    }
    bars(layout, theme, &mut out);
    out.push_str("</svg>\n");
    out
}

/// An attribute's value: text (written as it is: the caller escapes) or a coordinate.
#[derive(Clone, Copy)]
enum V<'a> {
    S(&'a str),
    N(f32),
}
use V::{N, S};

/// `<tag name="value" ...` (the caller closes the tag).
fn open(out: &mut String, tag: &str, list: &[(&str, V)]) {
    out.push('<');
    out.push_str(tag);
    attrs(out, list);
}

/// ` name="value" ...`.
fn attrs(out: &mut String, list: &[(&str, V)]) {
    for (name, value) in list {
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        match value {
            S(s) => out.push_str(s),
            N(v) => num(out, *v),
        }
        out.push('"');
    }
}

/// `<rect ... class="…" x y width height .../>`: the rectangles of the picture.
fn rect(out: &mut String, class: &str, r: Rect, more: &[(&str, V)]) {
    let list = [
        ("class", S(class)),
        ("x", N(r.x)),
        ("y", N(r.y)),
        ("width", N(r.w)),
        ("height", N(r.h)),
    ];
    open(out, "rect", &list);
    attrs(out, more);
}

/// The machines' boxes, the full height of the picture.
pub fn machines(layout: &Layout, theme: &Theme, out: &mut String) {
    for m in &layout.machines {
        let more = [
            ("rx", S("8")),
            ("fill", S(theme.machine)),
            ("stroke", S(theme.border)),
        ];
        rect(out, "machine-box", m.rect, &more);
        out.push_str("/>");
    }
}

/// The machines' and the lanes' names (the header).
pub fn names(layout: &Layout, theme: &Theme, out: &mut String) {
    for m in &layout.machines {
        text(out, "machine-label", theme.muted, &m.label, &[]);
    }
    for l in &layout.lanes {
        if l.files {
            let italic = [("font-style", S("italic"))];
            text(out, "lane-label files", theme.muted, &l.label, &italic);
        } else {
            text(out, "lane-label", theme.text, &l.label, &[]);
        }
    }
}

/// The lifelines, from the header down.
pub fn lifelines(layout: &Layout, theme: &Theme, out: &mut String) {
    for l in &layout.lanes {
        let list = [
            ("class", S("lifeline")),
            ("x1", N(l.x)),
            ("y1", N(layout.header)),
            ("x2", N(l.x)),
            ("y2", N(layout.height - 4.0)),
            ("stroke", S(theme.border)),
            ("stroke-width", S("1.5")),
            ("stroke-dasharray", S("4 3")),
        ];
        open(out, "line", &list);
        out.push_str("/>");
    }
}

/// The token bars, each with its identity as a tooltip.
pub fn bars(layout: &Layout, theme: &Theme, out: &mut String) {
    for b in &layout.bars {
        let more = [
            ("rx", S("2")),
            ("fill", S(theme.level(b.level))),
            // `fill-opacity`, not `opacity`: the same look for a shape without a stroke, and
            // no paint effect of its own (the playground's 200-step bench has 86 bars, and
            // each `opacity` cost every frame's paint and layerizing; docs/performance.md).
            ("fill-opacity", S("0.85")),
        ];
        rect(out, bar_class(b.level), b.rect, &more);
        out.push_str("><title>thread token: ");
        escape(out, &b.identity);
        out.push_str(" @ ");
        out.push_str(b.level.as_str());
        out.push_str("</title></rect>");
    }
}

/// Row `i`: its arrow or pill and its label, as a group with the event's index in
/// `data-index`. For the playground, `interactive` adds classes to the group and a background
/// the width of the picture (`rect.hit`, for hovering, selection and marks).
pub fn row(layout: &Layout, i: usize, theme: &Theme, interactive: Option<&str>, out: &mut String) {
    let Some(r) = layout.rows.get(i) else {
        return;
    };
    out.push_str("<g class=\"row ");
    out.push_str(r.status);
    out.push_str(interactive.unwrap_or(""));
    out.push_str("\" data-index=\"");
    push_decimal(out, r.event);
    out.push_str("\">");
    if interactive.is_some() {
        let hit = Rect {
            x: 0.0,
            y: r.top,
            w: layout.width,
            h: r.height,
        };
        rect(out, "hit", hit, &[("fill", S("none"))]);
        out.push_str("/>");
    }
    line(r, theme, out);
    if let Some(p) = &r.pill {
        let fill = if r.status == "fail" {
            theme.fail_fill
        } else {
            theme.background
        };
        let class = if r.status == "fail" {
            "box fail"
        } else if r.status == "anon" {
            "box anon"
        } else {
            "box ok"
        };
        out.push_str("<g class=\"pill\">");
        let more = [
            ("rx", S("9")),
            ("fill", S(fill)),
            ("stroke", S(theme.status(r.status))),
            ("stroke-width", S("1.3")),
        ];
        rect(out, class, p.rect, &more);
        out.push_str("/>");
        text(out, "box-label", theme.text, &p.label, &[]);
        out.push_str("</g>");
    }
    if let Some(l) = &r.label {
        // A fallback to NTLM's label is bold (its font) and classed for the stylesheet; it
        // went through, so its status is ok or anon.
        let fallback = l.font == Font::Bold;
        let (class, fill) = match r.label_class() {
            "ret" => ("msg-label ret", theme.ret),
            "fail" => ("msg-label fail", theme.fail),
            "anon" if fallback => ("msg-label anon fallback", theme.anon),
            "anon" => ("msg-label anon", theme.anon),
            _ if fallback => ("msg-label ok fallback", theme.text),
            _ => ("msg-label ok", theme.text),
        };
        let halo = [
            ("stroke", S(theme.background)),
            ("stroke-width", S("3")),
            ("paint-order", S("stroke")),
        ];
        text(out, class, fill, l, &halo);
    }
    out.push_str("<title>");
    escape(out, &r.title);
    out.push_str("</title></g>");
}

/// A row's line and arrow head.
fn line(r: &Row, theme: &Theme, out: &mut String) {
    let status = r.status;
    let mut head_class = status;
    match r.line {
        Some(Line::Arrow { x1, x2, style }) => {
            let (base, fallback) = match style {
                "fallback" => ("", true),
                "nested fallback" => ("nested", true),
                other => (other, false),
            };
            let (color, dash, mut width) = match base {
                "ret" => (theme.ret, "5 3", "1.2"),
                "nested" => (theme.status(status), "2 2", "1.6"),
                "remote" => (theme.status(status), "1 3", "1.6"),
                _ => (theme.status(status), "", "1.6"),
            };
            if fallback {
                width = "2.8";
            }
            if style == "ret" {
                head_class = "ret";
            }
            out.push_str("<line class=\"msg ");
            out.push_str(status);
            if !style.is_empty() {
                out.push(' ');
                out.push_str(style);
            }
            out.push('"');
            let list = [
                ("x1", N(x1)),
                ("y1", N(r.y)),
                ("x2", N(x2)),
                ("y2", N(r.y)),
                ("stroke", S(color)),
                ("stroke-width", S(width)),
            ];
            attrs(out, &list);
            if !dash.is_empty() {
                attrs(out, &[("stroke-dasharray", S(dash))]);
            }
            out.push_str("/>");
        }
        Some(Line::Loop { x }) => {
            out.push_str("<path class=\"msg ");
            out.push_str(status);
            out.push_str("\" d=\"M");
            num(out, x);
            out.push(',');
            num(out, r.y - 6.0);
            out.push_str(" h24 v12 h-19\"");
            let list = [
                ("fill", S("none")),
                ("stroke", S(theme.status(status))),
                ("stroke-width", S("1.6")),
            ];
            attrs(out, &list);
            out.push_str("/>");
        }
        None => {}
    }
    if let Some(h) = r.head {
        out.push_str("<polygon class=\"head ");
        out.push_str(head_class);
        out.push_str("\" points=\"");
        for (k, (x, y)) in h.points().into_iter().enumerate() {
            if k > 0 {
                out.push(' ');
            }
            num(out, x);
            out.push(',');
            num(out, y);
        }
        out.push('"');
        attrs(out, &[("fill", S(theme.status(head_class)))]);
        out.push_str("/>");
    }
}

fn text(out: &mut String, class: &str, fill: &str, l: &Label, more: &[(&str, V)]) {
    let list = [
        ("class", S(class)),
        ("x", N(l.x)),
        ("y", N(l.y)),
        ("fill", S(fill)),
    ];
    open(out, "text", &list);
    if l.font == Font::Bold {
        out.push_str(" font-weight=\"bold\"");
    }
    attrs(out, more);
    out.push('>');
    escape(out, &l.text);
    out.push_str("</text>");
}

/// Writes a coordinate to a tenth of a pixel, with integer arithmetic only (the float formatting
/// machinery would cost the playground's download several kilobytes).
pub fn num(out: &mut String, v: f32) {
    let tenths = (v * 10.0).round() as i32;
    if tenths < 0 {
        out.push('-');
    }
    let t = tenths.unsigned_abs();
    push_decimal(out, (t / 10) as usize);
    if t % 10 != 0 {
        out.push('.');
        out.push(char::from(b'0' + (t % 10) as u8));
    }
}

/// A coordinate as text (see [`num`]).
pub fn number(v: f32) -> String {
    let mut s = String::new();
    num(&mut s, v);
    s
}

/// XML text and attribute escapes (a control character other than a line break or a tab
/// becomes a space). Runs of plain text are copied whole: a row's title is most of its markup,
/// and every edit writes the rows it changed.
pub fn escape(out: &mut String, s: &str) {
    escape_runs(out, s, |b| match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\n' | b'\t' => None,
        0..=0x1f => Some(" "),
        _ => None,
    });
}
