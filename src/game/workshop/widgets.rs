//! Projector-sized text and bars: every size is the solo size times the workshop's scale.

use bevy::prelude::*;

use super::projector::MustRead;
use crate::engine::Meters;
use crate::game::theme::Theme;
use crate::game::widgets::{bold_text, text};
use crate::game::wording::meter_value;
use crate::scenario::Meter;

/// Font sizes at scale 1.0 (the solo sizes); the workshop multiplies them (2.0 by default).
pub const BODY: f32 = 20.0;
pub const SMALL: f32 = 14.0;
pub const HEADING: f32 = 26.0;

/// Text for the room: marked [`MustRead`], so the screen shrinks until all of it fits.
pub fn big(content: impl Into<String>, base: f32, scale: f32, color: Color) -> impl Bundle {
    (text(content, base * scale, color), MustRead)
}

pub fn big_bold(content: impl Into<String>, base: f32, scale: f32, color: Color, theme: &Theme) -> impl Bundle {
    (bold_text(content, base * scale, color, theme), MustRead)
}

/// An option as the room reads it: its letter in a fixed-width column, then its text, so
/// wrapped lines line up with the text and not under the letter.
pub fn option_row(mark: String, content: String, base: f32, scale: f32, color: Color, theme: &Theme) -> impl Bundle {
    let palette = theme.palette;
    (
        Node { flex_direction: FlexDirection::Row, column_gap: px(10.0 * scale), width: percent(100), ..default() },
        children![
            (
                big_bold(mark, base, scale, palette.focus, theme),
                Node { width: px(base * scale * 1.1), flex_shrink: 0.0, ..default() }
            ),
            (
                big(content, base, scale, color),
                Node { flex_grow: 1.0, flex_shrink: 1.0, min_width: px(0), ..default() }
            ),
        ],
    )
}

/// One option on the vote screen: its full text, then a large bar with the count and share;
/// the leading option's bar is drawn in the focus colour, the others dimmer.
pub fn vote_row(tally: String, content: String, share: f32, leading: bool, scale: f32, theme: &Theme) -> impl Bundle {
    let palette = theme.palette;
    let bar = if leading { palette.focus } else { palette.dim };
    (
        Node { flex_direction: FlexDirection::Column, row_gap: px(3.0 * scale), width: percent(100), ..default() },
        children![
            big(content, BODY * 0.75, scale, palette.text),
            (
                Node {
                    flex_direction: FlexDirection::Row,
                    align_items: AlignItems::Center,
                    column_gap: px(10.0 * scale),
                    width: percent(100),
                    ..default()
                },
                children![
                    (
                        Node {
                            width: percent(55),
                            flex_shrink: 0.0,
                            height: px(16.0 * scale),
                            border_radius: BorderRadius::all(px(6.0 * scale)),
                            overflow: Overflow::clip(),
                            ..default()
                        },
                        BackgroundColor(palette.raised),
                        children![(
                            Node { width: percent(share.clamp(0.0, 1.0) * 100.0), height: percent(100), ..default() },
                            BackgroundColor(bar),
                        )],
                    ),
                    big_bold(tally, SMALL, scale, if leading { palette.focus } else { palette.text }, theme),
                ],
            ),
        ],
    )
}

/// A labelled horizontal bar: the label and number are always written out.
pub fn labelled_bar(label: String, fraction: f32, color: Color, scale: f32, theme: &Theme) -> impl Bundle {
    let palette = theme.palette;
    (
        Node { flex_direction: FlexDirection::Column, row_gap: px(4.0 * scale), width: percent(100), ..default() },
        children![
            (bold_text(label, SMALL * scale, palette.text, theme), MustRead),
            (
                Node {
                    width: percent(100),
                    height: px(10.0 * scale),
                    border_radius: BorderRadius::all(px(5.0 * scale)),
                    overflow: Overflow::clip(),
                    ..default()
                },
                BackgroundColor(palette.raised),
                children![(
                    Node { width: percent(fraction.clamp(0.0, 1.0) * 100.0), height: percent(100), ..default() },
                    BackgroundColor(color),
                )],
            ),
        ],
    )
}

/// The three meters as large labelled bars, with the change since `before` written out.
pub fn meter_bars(before: &Meters, now: &Meters, scale: f32, theme: &Theme) -> impl Bundle {
    let palette = theme.palette;
    let bars: Vec<(String, f32, Color)> = Meter::ALL
        .iter()
        .map(|&m| {
            let (value, delta) = (now.get(m), now.get(m) - before.get(m));
            let label = meter_value(m, value, delta);
            (label, value as f32 / 100.0, palette.meter(m))
        })
        .collect();
    let theme = theme.clone();
    (
        Node { flex_direction: FlexDirection::Row, column_gap: px(16.0 * scale), width: percent(100), ..default() },
        Children::spawn(SpawnWith(move |p: &mut ChildSpawner| {
            for (label, fraction, color) in bars {
                p.spawn(Node { flex_grow: 1.0, flex_basis: px(0), ..default() })
                    .with_children(|cell| {
                        cell.spawn(labelled_bar(label.clone(), fraction, color, scale, &theme));
                    })
                    .insert(AccessibleLabel::new(label));
            }
        })),
    )
}

pub fn letter(i: usize) -> char {
    (b'A' + i as u8) as char
}
