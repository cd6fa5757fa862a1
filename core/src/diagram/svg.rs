//! A [`Layout`] as SVG: [`render`] writes a standalone picture (for `impsim render --svg` and the
//! playground's export); the piece writers let the playground draw the same elements in two
//! SVGs (a header that stays in view, and the rows) and redraw only the rows that changed.
//!
//! Every element carries its colours as presentation attributes (so the standalone file needs
//! no stylesheet) and a class (so the playground's stylesheet, which wins over presentation
//! attributes, recolours it for its light and dark themes).

use std::fmt::Write;

use super::layout::{Label, Layout, Line, Row};
use super::widths::{Font, FONT_SIZE};
use crate::model::TokenLevel;

/// The colours of a picture.
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
        ok: "#1f8a4c",
        fail: "#c62828",
        anon: "#c46a00",
        ret: "#7a8594",
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
        fail: "#ff6b6b",
        anon: "#ffa94d",
        ret: "#8b95a3",
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

/// The class of a token bar of `level`.
pub fn level_class(level: TokenLevel) -> &'static str {
    match level {
        TokenLevel::Anonymous => "lv-anonymous",
        TokenLevel::Identify => "lv-identify",
        TokenLevel::Impersonate => "lv-impersonate",
        TokenLevel::Delegate => "lv-delegate",
    }
}

/// The whole picture as a standalone SVG document, `title` as its accessible name.
pub fn render(layout: &Layout, theme: &Theme, title: &str) -> String {
    let (w, h) = (N(layout.width), N(layout.height));
    let mut out = String::with_capacity(512 + 600 * layout.rows.len());
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FONT_FAMILY}" font-size="{FONT_SIZE}" role="img"><title>"#
    );
    escape(&mut out, title);
    let _ = write!(
        out,
        r#"</title><rect width="{w}" height="{h}" fill="{}"/>"#,
        theme.background
    );
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

/// The machines' boxes, the full height of the picture.
pub fn machines(layout: &Layout, theme: &Theme, out: &mut String) {
    for m in &layout.machines {
        let r = m.rect;
        let _ = write!(
            out,
            r#"<rect class="machine-box" x="{}" y="{}" width="{}" height="{}" rx="8" fill="{}" stroke="{}"/>"#,
            N(r.x),
            N(r.y),
            N(r.w),
            N(r.h),
            theme.machine,
            theme.border
        );
    }
}

/// The machines' and the lanes' names (the header).
pub fn names(layout: &Layout, theme: &Theme, out: &mut String) {
    for m in &layout.machines {
        text(out, "machine-label", theme.muted, &m.label, "");
    }
    for l in &layout.lanes {
        let (class, fill, extra) = if l.lane.files {
            ("lane-label files", theme.muted, r#" font-style="italic""#)
        } else {
            ("lane-label", theme.text, "")
        };
        text(out, class, fill, &l.label, extra);
    }
}

/// The lifelines, from the header down.
pub fn lifelines(layout: &Layout, theme: &Theme, out: &mut String) {
    for l in &layout.lanes {
        let x = N(l.x);
        let _ = write!(
            out,
            r#"<line class="lifeline" x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="{}" stroke-width="1.5" stroke-dasharray="4 3"/>"#,
            N(layout.header),
            N(layout.height - 4.0),
            theme.border
        );
    }
}

/// The token bars, each with its identity as a tooltip.
pub fn bars(layout: &Layout, theme: &Theme, out: &mut String) {
    for b in &layout.bars {
        let r = b.rect;
        let _ = write!(
            out,
            r#"<rect class="bar {}" x="{}" y="{}" width="{}" height="{}" rx="2" fill="{}" opacity="0.85"><title>thread token: "#,
            level_class(b.level),
            N(r.x),
            N(r.y),
            N(r.w),
            N(r.h),
            theme.level(b.level)
        );
        escape(out, &b.identity);
        let _ = write!(out, " @ {}</title></rect>", b.level);
    }
}

/// Row `i`: its arrow or pill and its label, as a group with the event's index in
/// `data-index`. For the playground, `interactive` adds classes to the group and a background
/// the width of the picture (`rect.hit`, for hovering, selection and marks).
pub fn row(layout: &Layout, i: usize, theme: &Theme, interactive: Option<&str>, out: &mut String) {
    let Some(r) = layout.rows.get(i) else {
        return;
    };
    let _ = write!(
        out,
        r#"<g class="row {}{}" data-index="{}">"#,
        r.status,
        interactive.unwrap_or(""),
        r.event
    );
    if interactive.is_some() {
        let _ = write!(
            out,
            r#"<rect class="hit" x="0" y="{}" width="{}" height="{}" fill="none"/>"#,
            N(r.top),
            N(layout.width),
            N(r.height)
        );
    }
    line(r, theme, out);
    if let Some(p) = &r.pill {
        let q = p.rect;
        let fill = if r.status == "fail" {
            theme.fail_fill
        } else {
            theme.background
        };
        let _ = write!(
            out,
            r#"<g class="pill"><rect class="box {}" x="{}" y="{}" width="{}" height="{}" rx="9" fill="{fill}" stroke="{}" stroke-width="1.3"/>"#,
            r.status,
            N(q.x),
            N(q.y),
            N(q.w),
            N(q.h),
            theme.status(r.status)
        );
        text(out, "box-label", theme.text, &p.label, "");
        out.push_str("</g>");
    }
    if let Some(l) = &r.label {
        let class = r.label_class();
        let halo = format!(
            r#" stroke="{}" stroke-width="3" paint-order="stroke""#,
            theme.background
        );
        let classes = format!("msg-label {class}");
        let fill = if class == "ok" {
            theme.text
        } else {
            theme.status(class)
        };
        text(out, &classes, fill, l, &halo);
    }
    out.push_str("<title>");
    escape(out, &r.title);
    out.push_str("</title></g>");
}

/// A row's line and arrow head.
fn line(r: &Row, theme: &Theme, out: &mut String) {
    let y = N(r.y);
    let status = r.status;
    let mut head_class = status;
    match r.line {
        Some(Line::Arrow { x1, x2, style }) => {
            let (color, dash, width) = match style {
                "ret" => (theme.ret, "5 3", "1.2"),
                "nested" => (theme.status(status), "2 2", "1.6"),
                "remote" => (theme.status(status), "1 3", "1.6"),
                _ => (theme.status(status), "", "1.6"),
            };
            if style == "ret" {
                head_class = "ret";
            }
            let _ = write!(
                out,
                r#"<line class="msg {status}{}{style}" x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{color}" stroke-width="{width}""#,
                if style.is_empty() { "" } else { " " },
                N(x1),
                N(x2)
            );
            if !dash.is_empty() {
                let _ = write!(out, r#" stroke-dasharray="{dash}""#);
            }
            out.push_str("/>");
        }
        Some(Line::Loop { x }) => {
            let _ = write!(
                out,
                r#"<path class="msg {status}" d="M{},{} h24 v12 h-19" fill="none" stroke="{}" stroke-width="1.6"/>"#,
                N(x),
                N(r.y - 6.0),
                theme.status(status)
            );
        }
        None => {}
    }
    if let Some(h) = r.head {
        out.push_str(r#"<polygon class="head "#);
        out.push_str(head_class);
        out.push_str(r#"" points=""#);
        for (k, (x, y)) in h.points().into_iter().enumerate() {
            let _ = write!(out, "{}{},{}", if k > 0 { " " } else { "" }, N(x), N(y));
        }
        let _ = write!(out, r#"" fill="{}"/>"#, theme.status(head_class));
    }
}

fn text(out: &mut String, class: &str, fill: &str, l: &Label, extra: &str) {
    let bold = if l.font == Font::Bold {
        r#" font-weight="bold""#
    } else {
        ""
    };
    let _ = write!(
        out,
        r#"<text class="{class}" x="{}" y="{}" fill="{fill}"{bold}{extra}>"#,
        N(l.x),
        N(l.y)
    );
    escape(out, &l.text);
    out.push_str("</text>");
}

/// A coordinate, written to a tenth of a pixel.
struct N(f32);

impl std::fmt::Display for N {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let r = (self.0 * 10.0).round() / 10.0;
        if r.fract() == 0.0 {
            write!(f, "{}", r as i64)
        } else {
            write!(f, "{r:.1}")
        }
    }
}

/// XML text and attribute escapes.
fn escape(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
}
