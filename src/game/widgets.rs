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

/// Where and when a beat happens, small and spaced above it: "TUESDAY, 18:40 · DANA'S OFFICE".
pub fn scene_header(scene: String, theme: &Theme) -> impl Bundle {
    text(scene.to_uppercase(), SMALL_SIZE - 2.0, theme.palette.dim)
}

/// "TÁ" for "Tomás Álvarez": the first letter of the first and the last word.
pub fn initials(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let first = words.first().and_then(|w| w.chars().next());
    let last = words.last().filter(|_| words.len() > 1).and_then(|w| w.chars().next());
    first.into_iter().chain(last).flat_map(char::to_uppercase).collect()
}

/// Who is speaking: their initials in a disc of their own colour, their name and role.
pub fn speaker_badge(name: String, role: String, colour: Color, size: f32, theme: &Theme) -> impl Bundle {
    let palette = theme.palette;
    let disc = size * 2.1;
    (
        Node {
            flex_direction: FlexDirection::Row,
            column_gap: px(size * 0.6),
            align_items: AlignItems::Center,
            ..default()
        },
        children![
            (
                Node {
                    width: px(disc),
                    height: px(disc),
                    flex_shrink: 0.0,
                    justify_content: JustifyContent::Center,
                    align_items: AlignItems::Center,
                    border_radius: BorderRadius::all(percent(50)),
                    ..default()
                },
                BackgroundColor(colour),
                children![bold_text(initials(&name), size * 0.85, palette.background, theme)],
            ),
            (
                Node { flex_direction: FlexDirection::Column, row_gap: px(2), ..default() },
                children![bold_text(name, size, colour, theme), text(role, size * 0.75, palette.dim)],
            ),
        ],
    )
}
