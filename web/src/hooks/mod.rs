//! Custom hooks: the playground's contact with the browser (storage, URL, keyboard, theme,
//! pane split, the embed's height).
//! Each one degrades quietly when the browser refuses (storage blocked in a third-party
//! iframe, no clipboard permission): the playground itself must keep working.

mod browser;
pub mod deflate;
mod use_fixes;
mod use_free_when_idle;
mod use_hash_link;
mod use_keyboard;
mod use_local_storage;
mod use_modal;
mod use_post_height;
mod use_split;
mod use_step_param;
mod use_theme;

pub use browser::{
    drop_when_idle, focus_in_page, focus_path, js_get, local_storage, on_resize, page_base,
    page_path, query_param, time_left, when_idle,
};
pub use use_fixes::{use_fixes, FixView};
pub use use_free_when_idle::use_free_when_idle;
pub use use_hash_link::{current_fragment, open_fragment, opened, use_hash_link, LinkOpen};
pub use use_keyboard::{shortcut, use_keyboard};
pub use use_local_storage::{initial_state, save_pending, use_local_storage};
pub use use_modal::{focus_id, focus_in_row, focus_open_row, use_modal};
pub use use_post_height::{use_post_height, HEIGHT_MESSAGE};
pub use use_split::{set_split, use_split, SPLIT_KEY, SPLIT_MAX, SPLIT_MIN};
pub use use_step_param::{event_of_label, reveal_detail, reveal_selected, use_step_param};
pub use use_theme::{use_theme, Theme};
