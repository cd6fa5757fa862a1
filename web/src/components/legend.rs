//! What orients a newcomer: one sentence of what the playground is and how to read its
//! diagram, and the diagram's key, drawn with the same marks as the diagram (token bars in the
//! four level colours; arrows by what the callee saw; returns; nested and remote calls; steps).

use yew::prelude::*;

/// The first screen's sentence: what this is and how to read the diagram.
pub fn intro() -> Html {
    html! {
        <p class="intro">
            { "This playground simulates how Windows hands a caller's identity along a chain of calls: each column is a process, each arrow a call labelled with whom the callee sees and at which level, each bar on a lifeline the token its thread is using; select an event to read why." }
        </p>
    }
}

/// A key entry: a small drawing (`sample`, SVG markup) and what it means.
macro_rules! entry {
    ($sample:expr, $text:literal) => {
        concat!(
            r#"<li><svg class="key-sample" width="30" height="14" aria-hidden="true">"#,
            $sample,
            "</svg>",
            $text,
            "</li>"
        )
    };
}

/// A token bar in a level's colour.
macro_rules! bar {
    ($level:literal) => {
        concat!(
            r#"<rect class=""#,
            $level,
            r#"" x="11" y="0" width="8" height="14" rx="2"/>"#
        )
    };
}

/// An arrow in a class's colour and dash.
macro_rules! arrow {
    ($class:literal) => {
        concat!(
            r#"<g class=""#,
            $class,
            r#""><line x1="1" y1="7" x2="23" y2="7"/><path d="M22 3l7 4-7 4z"/></g>"#
        )
    };
}

/// The key's content: fixed markup, written once at compile time (a string costs the download
/// far less than the code that would build the same elements one by one).
const KEY: &str = concat!(
    r#"<summary><span class="key-title">Key</span><ul class="plain">"#,
    entry!(bar!("lv-identify"), "identify"),
    entry!(bar!("lv-impersonate"), "impersonate"),
    entry!(bar!("lv-delegate"), "delegate"),
    entry!(bar!("lv-anonymous"), "anonymous"),
    r#"<li class="key-note">the thread's token level; no bar: its process token</li>"#,
    "</ul></summary><ul class=\"plain\">",
    entry!(arrow!("ok"), "call: the callee sees the caller"),
    entry!(arrow!("anon"), "sees ANONYMOUS LOGON"),
    entry!(arrow!("fail"), "failed"),
    entry!(
        arrow!("anon fallback"),
        "Negotiate fell back to NTLM: the KDC knows no single owner of the SPN"
    ),
    entry!(arrow!("ret"), "return"),
    entry!(arrow!("nested"), "served nested on a waiting STA thread"),
    entry!(arrow!("remote"), "reaches an object on another machine"),
    entry!(
        r#"<rect class="ok" x="2" y="2" width="26" height="10" rx="5"/>"#,
        "a step on the thread itself"
    ),
    entry!(
        r#"<rect class="xmark met" x="2" y="1" width="5" height="12" rx="2"/><rect class="xmark unmet" x="11" y="1" width="5" height="12" rx="2"/>"#,
        "expectation met, unmet"
    ),
    "</ul>"
);

/// The diagram's key, as drawn samples: the token levels always in view on the summary line,
/// the arrows' meanings below it, open while no event is selected (the first screen) and a
/// click away afterwards, so that the diagram keeps its room.
pub fn key(open: bool) -> Html {
    html! {
        <details class="key" {open} aria-label="Key to the diagram">
            { Html::from_html_unchecked(AttrValue::Static(KEY)) }
        </details>
    }
}
