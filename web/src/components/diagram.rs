//! The sequence diagram: the core's layout (`impersonation_core::diagram`) drawn as SVG, with
//! its tools (zoom, fit to width, full screen, export as SVG or PNG).
//!
//! The core writes the elements; here they are put in two SVGs inside one scroll container: the
//! machine and lane names in a header that stays in view (`position: sticky`), and the rows,
//! each a separate piece of markup so that an edit or a selection redraws only the rows it
//! changed. Texts are measured with the core's table of DejaVu Sans (widened by 4 %), the
//! widest of the common interface fonts, so the picture on screen is the exported one and the
//! layout's promise (no text over another) holds for the page's font. A long outcome draws the
//! rows near the scroll area's view (`View::rows`).

use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use impersonation_core::diagram::svg::number;
use impersonation_core::diagram::{self, svg, Builtin, Layout};
use impersonation_core::Outcome;
use wasm_bindgen::JsCast;
use yew::prelude::*;

pub use impersonation_core::diagram::{Lane, Lanes};

use super::toolbar::{file_name, save_blob, save_url, text_blob};
use crate::state::ByPtr;

#[derive(Properties, PartialEq)]
pub struct DiagramProps {
    pub outcome: Rc<Outcome>,
    pub lanes: Rc<Lanes>,
    #[prop_or_default]
    pub selected: Option<usize>,
    /// Must be stable across renders (`use_callback`), or every row re-renders.
    pub on_select: Callback<usize>,
    #[prop_or_default]
    pub compact: bool,
    /// Rows to emphasise (the comparison's differences).
    #[prop_or_default]
    pub marked: Rc<Vec<bool>>,
    pub label: AttrValue,
}

/// The view's zoom and full-screen state. Until the person picks a zoom (`chosen`), the picture
/// fits its pane when it is wider than the pane, and shows at 100 % otherwise.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct View {
    /// The zoom the person chose (with `chosen`).
    pub zoom: f32,
    pub chosen: bool,
    pub full: bool,
    /// The width the picture has in its scroll area, in CSS pixels (0 until measured).
    pub pane: f32,
    /// The part of the scroll area's content in view, from its top, in steps of `SPAN` pixels:
    /// a long picture draws only the rows in and near it (`View::rows`).
    pub span: [u32; 2],
}

pub enum ViewAction {
    /// A zoom the person chose (buttons, keys, Ctrl+wheel): kept from then on.
    ZoomTo(f32),
    Full(bool),
    /// The scroll area's width and the span in view, measured (`measure`).
    Pane(f32, [u32; 2]),
}

impl Reducible for View {
    type Action = ViewAction;
    fn reduce(self: Rc<Self>, action: ViewAction) -> Rc<Self> {
        let mut v = *self;
        match action {
            ViewAction::ZoomTo(z) => {
                v.zoom = z.clamp(MIN_ZOOM, 4.0);
                v.chosen = true;
            }
            ViewAction::Full(full) => v.full = full,
            ViewAction::Pane(w, span) => (v.pane, v.span) = (w, span),
        }
        // Unchanged: no render (a resize that leaves the width as it was).
        if v == *self {
            self
        } else {
            Rc::new(v)
        }
    }
}

impl View {
    /// The zoom a picture `width` wide is drawn at: the chosen one, else fitted to the pane when
    /// wider than it, but not so small that its text cannot be read (then it scrolls sideways),
    /// else 100 %.
    pub fn zoom_for(&self, width: f32) -> f32 {
        if self.chosen {
            self.zoom
        } else if self.pane > 0.0 && width > self.pane {
            (self.pane / width).max(MIN_FIT)
        } else {
            1.0
        }
    }

    /// Whether row `i` of `l`, drawn at `zoom`, is drawn: every row of a short picture, else
    /// those in or near the span in view.
    pub fn rows<'a>(&self, l: &'a Layout, zoom: f32) -> impl Fn(&usize) -> bool + 'a {
        let [a, b] = self.span;
        let lo = ((a * SPAN) as f32 - MARGIN) / zoom;
        let hi = ((b * SPAN) as f32 + MARGIN) / zoom;
        let all = l.rows.len() <= WINDOW_FROM;
        move |&i| {
            l.rows
                .get(i)
                .is_some_and(|r| all || r.top + r.height >= lo && r.top <= hi)
        }
    }
}

/// A picture of more rows than this draws only those near the view (its scroll area then scrolls
/// through rows of a few hundred elements instead of thousands, and an edit's frame paints
/// those): the examples' pictures are whole.
const WINDOW_FROM: usize = 100;
/// The step of the measured span, and the rows drawn beyond it (CSS pixels): scrolling draws
/// again once per `SPAN` pixels, and rows are ready `MARGIN` pixels before they come into view.
const SPAN: u32 = 256;
const MARGIN: f32 = 512.0;

/// The scroll area's width and the span of its content in view.
fn measure(el: &web_sys::Element) -> ViewAction {
    let top = el.scroll_top().max(0) as u32;
    let bottom = top + el.client_height().max(0) as u32;
    ViewAction::Pane(el.client_width() as f32, [top / SPAN, bottom / SPAN + 1])
}

/// The smallest zoom a person can pick.
const MIN_ZOOM: f32 = 0.25;
/// The smallest zoom the picture is fitted at on its own: its 11 px text drawn at 6.6 px, about
/// the least that can still be read on a screen. Fitting a 1,000 px picture into a 390 px pane
/// would draw it at 4 px.
pub const MIN_FIT: f32 = 0.6;

/// Zoom steps of the buttons and keys, and of one Ctrl+wheel notch.
const STEP: f32 = 1.25;
const WHEEL_STEP: f32 = 1.1;

/// The markup of a layout, made once per layout: the header, the background (machines and
/// lifelines), each row unselected, and the token bars.
struct Pieces {
    head: AttrValue,
    back: AttrValue,
    rows: Vec<AttrValue>,
    bars: AttrValue,
}

/// The pieces of `l`, reusing those of the previous layout that did not change: an edit
/// changes a few rows, and writing the others again (and the token bars of the whole picture)
/// would cost more than the rest of the diagram's work; their markup is also what Yew compares
/// them with, and equal markup leaves the page's elements as they are.
fn pieces(l: &Layout, prev: Option<(&Layout, &Pieces)>) -> Pieces {
    let theme = &svg::Theme::LIGHT;
    let piece = |f: &dyn Fn(&mut String)| {
        let mut s = String::new();
        f(&mut s);
        AttrValue::from(s)
    };
    let row = |i: usize| match prev {
        // A row's background spans the picture: the same row in a picture as wide.
        Some((p, old)) if p.width == l.width && p.rows.get(i) == Some(&l.rows[i]) => {
            old.rows[i].clone()
        }
        _ => piece(&|s| svg::row(l, i, theme, Some(""), s)),
    };
    // The header and the background draw the machines and the lanes (the background's
    // lifelines also span the height).
    let same_cast = prev.filter(|(p, _)| p.machines == l.machines && p.lanes == l.lanes);
    let same_back = same_cast.filter(|(p, _)| (p.header, p.height) == (l.header, l.height));
    Pieces {
        head: match same_cast {
            Some((_, old)) => old.head.clone(),
            None => piece(&|s| {
                svg::machines(l, theme, s);
                svg::names(l, theme, s);
            }),
        },
        back: match same_back {
            Some((_, old)) => old.back.clone(),
            None => piece(&|s| {
                svg::machines(l, theme, s);
                svg::lifelines(l, theme, s);
            }),
        },
        rows: (0..l.rows.len()).map(row).collect(),
        bars: match prev {
            Some((p, old)) if p.bars == l.bars => old.bars.clone(),
            _ => piece(&|s| svg::bars(l, theme, s)),
        },
    }
}

/// A picture drawn: what it shows, its layout and its markup.
#[derive(Clone)]
struct Drawn {
    outcome: Rc<Outcome>,
    lanes: Rc<Lanes>,
    layout: Rc<Layout>,
    pieces: Rc<Pieces>,
}

/// The events of `outcome` over `lanes`, from the last picture where it can.
fn draw(outcome: &Rc<Outcome>, lanes: &Rc<Lanes>, last: Option<&Drawn>) -> Drawn {
    let events = &outcome.events;
    let (layout, pieces) = match last {
        Some(d) if d.lanes == *lanes && d.outcome.events == *events => {
            (d.layout.clone(), d.pieces.clone())
        }
        _ => {
            let l = diagram::layout(events, lanes, &Builtin);
            let p = pieces(&l, last.map(|d| (&*d.layout, &*d.pieces)));
            (Rc::new(l), Rc::new(p))
        }
    };
    Drawn {
        outcome: outcome.clone(),
        lanes: lanes.clone(),
        layout,
        pieces,
    }
}

fn raw(markup: &AttrValue) -> Html {
    Html::from_html_unchecked(markup.clone())
}

/// The standalone picture, measured with the core's table: what `impsim render --svg` writes.
fn standalone(outcome: &Outcome, lanes: &Lanes) -> (String, f32, f32) {
    let l = diagram::layout(&outcome.events, lanes, &Builtin);
    let text = svg::render(&l, &svg::Theme::LIGHT, &lanes.title);
    (text, l.width, l.height)
}

/// Draws the standalone picture on a canvas at twice its size and downloads it as a PNG.
async fn export_png(text: String, width: f32, height: f32, name: String) -> Option<()> {
    let image = web_sys::HtmlImageElement::new().ok()?;
    let url = String::from("data:image/svg+xml;charset=utf-8,")
        + &String::from(js_sys::encode_uri_component(&text));
    image.set_src(&url);
    wasm_bindgen_futures::JsFuture::from(image.decode())
        .await
        .ok()?;
    let canvas: web_sys::HtmlCanvasElement = gloo::utils::document()
        .create_element("canvas")
        .ok()?
        .dyn_into()
        .ok()?;
    let (w, h) = (2.0 * width.ceil() as f64, 2.0 * height.ceil() as f64);
    canvas.set_width(w as u32);
    canvas.set_height(h as u32);
    let ctx: web_sys::CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    ctx.draw_image_with_html_image_element_and_dw_and_dh(&image, 0.0, 0.0, w, h)
        .ok()?;
    save_url(&name, &canvas.to_data_url().ok()?).then_some(())
}

/// Scrolls the diagram so that `row` is in view below the sticky header (the page itself does
/// not move).
fn reveal(scroller: &web_sys::Element, l: &Layout, row: usize, zoom: f32) {
    let Some(r) = l.rows.get(row) else {
        return;
    };
    let (top, bottom) = (r.top * zoom, (r.top + r.height) * zoom);
    let view = scroller.scroll_top() as f32;
    let height = scroller.client_height() as f32;
    if top < view + l.header * zoom {
        scroller.set_scroll_top((top - l.header * zoom) as i32);
    } else if bottom > view + height {
        scroller.set_scroll_top((bottom - height) as i32);
    }
}

#[function_component(Diagram)]
pub fn diagram(props: &DiagramProps) -> Html {
    let view = use_reducer(|| View {
        zoom: 1.0,
        chosen: false,
        full: false,
        pane: 0.0,
        span: [0, 3],
    });
    let frame = use_node_ref();
    let scroller = use_node_ref();
    let rows = props.outcome.events.len();
    // What was drawn last: an edit lays out again only when the events drawn or the lanes
    // differ (a new outcome equal to the last one keeps its picture), and writes again only
    // the rows that changed.
    let last = use_mut_ref(|| None::<Drawn>);
    let drawn = {
        let key = (ByPtr(props.outcome.clone()), ByPtr(props.lanes.clone()));
        let last = last.clone();
        use_memo(key, move |(o, lanes)| {
            let mut last = last.borrow_mut();
            let drawn = draw(&o.0, &lanes.0, last.as_ref());
            // The old picture's layout and markup are freed after the frame.
            crate::hooks::drop_when_idle(last.replace(drawn.clone()));
            drawn
        })
    };
    let (layout, pieces) = (drawn.layout.clone(), drawn.pieces.clone());
    let zoom = view.zoom_for(layout.width);
    // The zoom drawn, for the wheel's listener (set up once) to zoom from.
    let drawn_zoom = use_mut_ref(|| zoom);
    drawn_zoom.replace(zoom);

    // Ctrl+wheel zooms (a listener that may prevent the page's own zoom). And the scroll area's
    // width, measured when laid out and whenever it changes (the window, the splitter, full
    // screen): the picture fits it until the person picks a zoom.
    {
        let (scroller, view, drawn_zoom) =
            (scroller.clone(), view.dispatcher(), drawn_zoom.clone());
        use_effect_with((), move |_| {
            let el = scroller.cast::<web_sys::Element>();
            let options = EventListenerOptions::enable_prevent_default();
            let wheel = el.as_ref().map(|el| {
                let view = view.clone();
                EventListener::new_with_options(el, "wheel", options, move |e| {
                    let Some(e) = e.dyn_ref::<web_sys::WheelEvent>() else {
                        return;
                    };
                    if e.ctrl_key() {
                        e.prevent_default();
                        let f = if e.delta_y() < 0.0 {
                            WHEEL_STEP
                        } else {
                            1.0 / WHEEL_STEP
                        };
                        view.dispatch(ViewAction::ZoomTo(*drawn_zoom.borrow() * f));
                    }
                })
            });
            // Scrolling moves the span in view (a passive listener).
            let scroll = el.as_ref().map(|e| {
                let (view, el) = (view.clone(), e.clone());
                EventListener::new(e, "scroll", move |_| view.dispatch(measure(&el)))
            });
            let pane = el.clone();
            let stop = crate::hooks::on_resize(el, move || {
                if let Some(el) = &pane {
                    view.dispatch(measure(el));
                }
            });
            move || {
                stop();
                drop((wheel, scroll));
            }
        });
    }
    // The selected row stays in view.
    {
        let (scroller, layout) = (scroller.clone(), layout.clone());
        use_effect_with((props.selected, zoom), move |(selected, zoom)| {
            if let (Some(i), Some(el)) = (selected, scroller.cast::<web_sys::Element>()) {
                reveal(&el, &layout, *i, *zoom);
            }
        });
    }

    let zoom_by = |f: f32| {
        let view = view.dispatcher();
        Callback::from(move |_: MouseEvent| view.dispatch(ViewAction::ZoomTo(zoom * f)))
    };
    let reset = {
        let view = view.dispatcher();
        Callback::from(move |_: MouseEvent| view.dispatch(ViewAction::ZoomTo(1.0)))
    };
    let fit = {
        let (view, scroller, width) = (view.dispatcher(), scroller.clone(), layout.width);
        Callback::from(move |_: MouseEvent| {
            if let Some(el) = scroller.cast::<web_sys::Element>() {
                view.dispatch(ViewAction::ZoomTo(el.client_width() as f32 / width));
            }
        })
    };
    let full = {
        let (view, frame, on) = (view.dispatcher(), frame.clone(), view.full);
        Callback::from(move |_: MouseEvent| {
            let document = gloo::utils::document();
            if document.fullscreen_element().is_some() {
                document.exit_fullscreen();
            } else if on {
                view.dispatch(ViewAction::Full(false));
            } else if frame
                .cast::<web_sys::Element>()
                .is_none_or(|el| el.request_fullscreen().is_err())
            {
                // Without the Fullscreen API (iPhone), the frame covers the window instead.
                view.dispatch(ViewAction::Full(true));
            }
        })
    };
    let export_svg = {
        let (outcome, lanes) = (props.outcome.clone(), props.lanes.clone());
        Callback::from(move |_: MouseEvent| {
            let (text, _, _) = standalone(&outcome, &lanes);
            if let Some(b) = text_blob(&text, "image/svg+xml") {
                save_blob(&file_name(&lanes.title, "svg"), &b);
            }
        })
    };
    let export_png = {
        let (outcome, lanes) = (props.outcome.clone(), props.lanes.clone());
        Callback::from(move |_: MouseEvent| {
            let (text, w, h) = standalone(&outcome, &lanes);
            let name = file_name(&lanes.title, "png");
            wasm_bindgen_futures::spawn_local(async move {
                export_png(text, w, h, name).await;
            });
        })
    };
    let onclick = {
        let on_select = props.on_select.clone();
        Callback::from(move |e: MouseEvent| {
            let row = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|t| t.closest("[data-index]").ok().flatten())
                .and_then(|g| g.get_attribute("data-index"))
                .and_then(|i| i.parse().ok());
            if let Some(i) = row {
                on_select.emit(i);
            }
        })
    };
    let onkeydown = {
        let (view, on_select, full) = (view.dispatcher(), props.on_select.clone(), view.full);
        let selected = props.selected;
        Callback::from(move |e: KeyboardEvent| {
            let action = match e.key().as_str() {
                "+" | "=" => Some(ViewAction::ZoomTo(zoom * STEP)),
                "-" => Some(ViewAction::ZoomTo(zoom / STEP)),
                "0" => Some(ViewAction::ZoomTo(1.0)),
                "Escape" if full => Some(ViewAction::Full(false)),
                "ArrowDown" | "ArrowUp" if rows > 0 => {
                    let next = match (selected, e.key().as_str()) {
                        (None, _) => 0,
                        (Some(i), "ArrowDown") => (i + 1).min(rows - 1),
                        (Some(i), _) => i.saturating_sub(1),
                    };
                    on_select.emit(next);
                    None
                }
                _ => return,
            };
            e.prevent_default();
            if let Some(a) = action {
                view.dispatch(a);
            }
        })
    };

    let l = &*layout;
    let (w, head_h, body_h) = (l.width, l.header, l.height - l.header);
    let px = |v: f32| number((v * zoom).round());
    let font_size = number(diagram::FONT_SIZE);
    let selected = props.selected;
    let in_view = view.rows(l, zoom);
    let marked = &props.marked;
    let expected = use_memo(ByPtr(props.outcome.clone()), |o| super::expect::marks(&o.0));
    let row = |i: usize| {
        let is_selected = selected == Some(i);
        let is_marked = marked.get(i).copied().unwrap_or(false);
        let verdict = expected.get(i).copied().flatten();
        if !is_selected && !is_marked && verdict.is_none() {
            return raw(&pieces.rows[i]);
        }
        let class = match (is_selected, is_marked, verdict) {
            (true, true, _) => " selected marked",
            (true, false, _) => " selected",
            (false, true, _) => " marked",
            (_, _, Some(true)) => " xmet",
            _ => " xunmet",
        };
        let mut s = String::new();
        svg::row(l, i, &svg::Theme::LIGHT, Some(class), &mut s);
        if let (Some(met), Some(r)) = (verdict, l.rows.get(i)) {
            super::expect::mark(&mut s, r.event, r.top, r.height, met);
        }
        Html::from_html_unchecked(s.into())
    };
    // Each name holds the button's visible text (axe: label-content-name-mismatch).
    let tool = |label: AttrValue, text: String, onclick: Callback<MouseEvent>| {
        html! {
            <button type="button" class="icon" aria-label={label.clone()} title={label} {onclick}>{ text }</button>
        }
    };
    html! {
        <>
        <div ref={frame.clone()} class={classes!("diagram", props.compact.then_some("compact"), view.full.then_some("full"))}
            data-width={number(w)} data-height={number(l.height)}>
            <div class="diagram-tools" role="toolbar" aria-label="Diagram tools">
                { tool("Zoom out".into(), "−".into(), zoom_by(1.0 / STEP)) }
                { {
                    let percent = number((zoom * 100.0).round()) + "%";
                    tool(format!("{percent}: reset zoom").into(), percent, reset)
                } }
                { tool("Zoom in".into(), "+".into(), zoom_by(STEP)) }
                { tool("Fit to width".into(), "Fit".into(), fit) }
                { tool("Full screen".into(), "Full".into(), full) }
                { tool("Export as SVG".into(), "SVG".into(), export_svg) }
                { tool("Export as PNG".into(), "PNG".into(), export_png) }
            </div>
            // Focusable, so that a keyboard can scroll it (axe: scrollable-region-focusable) and
            // use the keys above.
            <div ref={scroller} class="diagram-scroll" tabindex="0" role="group" aria-label={props.label.clone()}
                aria-keyshortcuts="+ - 0 ArrowUp ArrowDown" {onkeydown}>
                <svg class="diagram-head" xmlns="http://www.w3.org/2000/svg" width={px(w)} height={px(head_h)}
                    viewBox={format!("0 0 {} {}", number(w), number(head_h))} font-size={font_size.clone()} aria-hidden="true">
                    { raw(&pieces.head) }
                </svg>
                <svg class="diagram-body" xmlns="http://www.w3.org/2000/svg" width={px(w)} height={px(body_h)}
                    viewBox={format!("0 {} {} {}", number(head_h), number(w), number(body_h))} font-size={font_size}
                    role="img" aria-label={props.label.clone()} {onclick}>
                    { raw(&pieces.back) }
                    // Every row has its place, empty when it is not drawn: when scrolling moves
                    // the span, Yew (which compares children by position) writes only the rows
                    // that came into it and empties those that left.
                    { for (0..l.rows.len()).map(|i| if in_view(&i) || selected == Some(i) { row(i) } else { Html::default() }) }
                    { raw(&pieces.bars) }
                </svg>
            </div>
        </div>
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view() -> Rc<View> {
        Rc::new(View {
            zoom: 1.0,
            chosen: false,
            full: false,
            pane: 0.0,
            span: [0, 3],
        })
    }

    #[test]
    fn a_wider_picture_fits_its_pane_until_a_zoom_is_chosen() {
        let v = view();
        assert_eq!(v.zoom_for(900.0), 1.0, "not measured yet");
        let v = v.reduce(ViewAction::Pane(450.0, [0, 1]));
        assert_eq!(v.zoom_for(300.0), 1.0, "narrower: 100 %");
        assert_eq!(v.zoom_for(600.0), 0.75, "wider: fitted");
        assert_eq!(v.zoom_for(1500.0), MIN_FIT, "never below the readable zoom");
        // The pane widens: it fits again; the same width again changes nothing.
        let v = v.reduce(ViewAction::Pane(540.0, [0, 1]));
        assert_eq!(v.zoom_for(600.0), 0.9);
        let same = v.clone().reduce(ViewAction::Pane(540.0, [0, 1]));
        assert!(Rc::ptr_eq(&v, &same));
        // A chosen zoom is kept, whatever the pane and the picture.
        let v = v.reduce(ViewAction::ZoomTo(1.25));
        let v = v.reduce(ViewAction::Pane(300.0, [0, 1]));
        assert_eq!((v.zoom_for(600.0), v.zoom_for(200.0)), (1.25, 1.25));
        let v = v.reduce(ViewAction::ZoomTo(0.1));
        assert_eq!(v.zoom_for(600.0), MIN_ZOOM);
    }

    /// A short picture is drawn whole; a long one only near the span in view, at the zoom drawn.
    #[test]
    fn a_long_picture_draws_the_rows_near_the_span_in_view() {
        use impersonation_core::model::{Action, Step};
        let ntlm = include_str!("../../../core/presets/ntlm-double-hop.json");
        let drawn = |l: &Layout, span: [u32; 2], zoom: f32| -> Vec<usize> {
            let v = view().reduce(ViewAction::Pane(400.0, span));
            let in_view = v.rows(l, zoom);
            (0..l.rows.len() + 1).filter(|i| in_view(i)).collect()
        };
        let short = drawing(ntlm, |_| {});
        let all: Vec<usize> = (0..short.rows.len()).collect();
        assert_eq!(
            drawn(&short, [40, 41], 1.0),
            all,
            "whole, wherever the view"
        );
        let long = drawing(ntlm, |s| {
            s.expect.clear();
            s.run.steps = (0..300)
                .map(|_| Step {
                    label: None,
                    action: Action::Whoami,
                })
                .collect();
        });
        assert!(long.rows.len() > WINDOW_FROM);
        // Every row within MARGIN of the span [768, 1280) px, and no other.
        let near = |lo: f32, hi: f32| -> Vec<usize> {
            (0..long.rows.len())
                .filter(|&i| {
                    let r = &long.rows[i];
                    r.top + r.height >= lo && r.top <= hi
                })
                .collect()
        };
        let at_1 = drawn(&long, [3, 5], 1.0);
        assert_eq!(at_1, near(256.0, 1792.0));
        assert!(at_1[0] > 0 && at_1.len() < 100, "{at_1:?}");
        // At half size the same pixels hold twice the picture.
        assert_eq!(drawn(&long, [3, 5], 0.5), near(512.0, 3584.0));
    }

    fn drawing(json: &str, edit: impl FnOnce(&mut impersonation_core::Scenario)) -> Layout {
        let mut s = impersonation_core::parse(json).unwrap().into_inner();
        edit(&mut s);
        let s = impersonation_core::Checked::new(s).unwrap();
        let o = impersonation_core::simulate(&s);
        diagram::layout(&o.events, &Lanes::of(&s), &Builtin)
    }

    fn markup(p: &Pieces) -> Vec<String> {
        let mut all = vec![p.head.to_string(), p.back.to_string(), p.bars.to_string()];
        all.extend(p.rows.iter().map(|r| r.to_string()));
        all
    }

    /// Reusing the last picture's pieces never changes the markup: after an edit that changes
    /// one step, after one that changes the token bars, and from one example to another.
    #[test]
    fn pieces_reused_from_the_last_picture_are_what_writing_them_gives() {
        use impersonation_core::model::Action;
        let ntlm = include_str!("../../../core/presets/ntlm-double-hop.json");
        let rbcd = include_str!("../../../core/presets/rbcd.json");
        let base = drawing(ntlm, |_| {});
        let old = pieces(&base, None);
        let step = |s: &mut impersonation_core::Scenario| {
            let Action::Call(c) = &mut s.run.steps[0].action else {
                panic!("a call")
            };
            c.steps.remove(0)
        };
        for next in [
            drawing(ntlm, |_| {}),
            drawing(ntlm, |s| s.title.push('!')),
            drawing(ntlm, |s| drop(step(s))),
            drawing(rbcd, |_| {}),
        ] {
            let reused = pieces(&next, Some((&base, &old)));
            assert_eq!(markup(&reused), markup(&pieces(&next, None)));
        }
        // The same picture again: every piece is the old one, not written again.
        let same = pieces(&base, Some((&base, &old)));
        assert!(same.bars.as_ptr() == old.bars.as_ptr() && same.head.as_ptr() == old.head.as_ptr());
    }
}
