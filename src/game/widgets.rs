//! The widget functions every screen builds from: screen roots, text, panels, rows, buttons.

use bevy::prelude::*;
use bevy_input_focus::tab_navigation::{TabGroup, TabIndex};

use super::intent::Intent;
use super::navigation::{Activate, ScrollRoot};
use super::theme::{BODY_SIZE, HEADING_SIZE, SMALL_SIZE, Theme};

/// Marks the root of the screen on show; rebuilding a screen replaces it (see `rebuild`).
#[derive(Component, Debug, Clone, Copy)]
pub struct ScreenRoot;

/// The root node of a screen: fills the window and is removed when the screen is left. Its
/// background is the window's clear colour (see `paint_window_background`).
pub fn screen_root<S: States>(screen: S) -> impl Bundle {
    (
        DespawnOnExit(screen),
        Node {
            width: percent(100),
            height: percent(100),
            flex_direction: FlexDirection::Column,
            padding: UiRect::axes(px(48), px(28)),
            row_gap: px(14),
            overflow: Overflow::scroll_y(),
            ..default()
        },
        ScrollPosition::default(),
        ScrollRoot,
        ScreenRoot,
        // One tab group per screen: Tab and the arrow keys walk its buttons in layout order.
        TabGroup::new(0),
    )
}

pub fn text(content: impl Into<String>, size: f32, color: Color) -> impl Bundle {
    (Text::new(content), TextFont { font_size: FontSize::Px(size), ..default() }, TextColor(color))
}

pub fn bold_text(content: impl Into<String>, size: f32, color: Color, theme: &Theme) -> impl Bundle {
    (
        Text::new(content),
        TextFont { font: theme.bold.clone().into(), font_size: FontSize::Px(size), ..default() },
        TextColor(color),
    )
}

pub fn heading(content: impl Into<String>, theme: &Theme) -> impl Bundle {
    bold_text(content, HEADING_SIZE, theme.palette.text, theme)
}

pub fn small(content: impl Into<String>, theme: &Theme) -> impl Bundle {
    text(content, SMALL_SIZE, theme.palette.dim)
}

/// A padded panel for grouping content.
pub fn panel(theme: &Theme) -> impl Bundle {
    (
        Node {
            flex_direction: FlexDirection::Column,
            padding: UiRect::all(px(18)),
            row_gap: px(8),
            border_radius: BorderRadius::all(px(10)),
            ..default()
        },
        BackgroundColor(theme.palette.panel),
    )
}

/// A row of children laid out left to right.
pub fn row(gap: f32) -> impl Bundle {
    Node { flex_direction: FlexDirection::Row, column_gap: px(gap), align_items: AlignItems::Center, ..default() }
}

/// A button that sends `intent` when clicked or activated from the keyboard.
pub fn button(label: impl Into<String>, intent: Intent, theme: &Theme) -> impl Bundle {
    let label = label.into();
    (
        button_frame(intent, label.clone(), theme),
        button_node(),
        // A button's label stays on one line ("Play again (new seed)", never split).
        children![(bold_text(label, BODY_SIZE, theme.palette.text, theme), TextLayout::no_wrap())],
    )
}

/// The layout of a button; change fields with `Node { width: .., ..button_node() }`.
pub fn button_node() -> Node {
    Node {
        padding: UiRect::axes(px(20), px(12)),
        border: UiRect::all(px(3)),
        border_radius: BorderRadius::all(px(8)),
        flex_direction: FlexDirection::Column,
        row_gap: px(4),
        ..default()
    }
}

/// The shared part of every button but its layout (see [`button_node`]): what it does, its
/// accessible label, and the colours that show focus.
pub fn button_frame(intent: Intent, accessible: impl Into<String>, theme: &Theme) -> impl Bundle {
    (
        Button,
        Activate(intent),
        TabIndex(0),
        AccessibleLabel::new(accessible.into()),
        BackgroundColor(theme.palette.raised),
        BorderColor::all(Color::NONE),
    )
}
