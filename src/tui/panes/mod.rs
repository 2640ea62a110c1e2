//! One module per pane. Each renders from state only.

pub mod arrival;
pub mod assumptions;
pub mod bleeding;
pub mod breaks;
pub mod care;
pub mod debrief;
pub mod document;
pub mod header;
pub mod help;
pub mod hints;
pub mod input;
pub mod links;
pub mod log;
pub mod mitigations;
pub mod picker;
pub mod prompt;
pub mod requests;
pub mod responders;
pub mod roles;
pub mod welcome;

/// Which pane has the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Input,
    Log,
    Roles,
    Bleeding,
    Mitigations,
}

/// What a pane made of a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Not the pane's key.
    Ignored,
    /// The pane took it.
    Taken,
    /// Put this command in the input bar for the person to finish.
    Prefill(String),
}

/// A `w` by `h` box in the middle of `area` (no bigger than it).
pub fn centered(area: ratatui::layout::Rect, w: u16, h: u16) -> ratatui::layout::Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    ratatui::layout::Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}
