//! Keyboard and mouse navigation shared by every screen, on Bevy's `bevy_input_focus`: the
//! focused button is `InputFocus`, buttons carry a `TabIndex` inside their screen's
//! `TabGroup`, `AutoFocus` picks the first one a screen focuses, and `InteractionDisabled`
//! marks a button that can be focused (so its text is read) but not activated. Focus moves
//! with the arrow keys or Tab, Enter or Space activates, the mouse hovers and clicks.
//! Activating a button sends its intent; nothing here knows what the intent means.

use bevy::input::keyboard::KeyCode;
use bevy::prelude::*;
use bevy::window::RequestRedraw;
use bevy_input_focus::tab_navigation::{NavAction, TabIndex, TabNavigation, TabNavigationError};
use bevy_input_focus::{FocusCause, InputFocus, InputFocusPlugin};

use super::intent::Intent;
use super::schedule::GameSystems;
use super::screen::Screen;
use super::theme::Theme;
use bevy::ui::InteractionDisabled;

/// A button that changes a value: Left and Right send these intents while it has focus,
/// instead of moving the focus (Up, Down and Tab still move it).
#[derive(Component, Debug, Clone, PartialEq)]
pub struct Adjust {
    pub less: Intent,
    pub more: Intent,
}

/// Present while the keyboard types into a text field: the navigation keys (arrows, Tab,
/// Enter, Space, Escape) and one-letter shortcuts are left to that field.
#[derive(Resource, Debug, Clone, Copy, Default)]
pub struct TypingText;

/// Run condition: no text field is taking the keyboard.
pub fn not_typing(typing: Option<Res<TypingText>>) -> bool {
    typing.is_none()
}

/// Why a disabled button cannot be used; activating it says so instead of doing nothing.
#[derive(Component, Debug, Clone, PartialEq)]
pub struct LockedReason(pub String);

/// A grid of buttons `0` columns wide: Down and Up move a whole row, to the button below or
/// above, instead of to the next one in reading order.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct GridColumns(pub usize);

/// Shown while the screen has more below than the window holds ("more below").
#[derive(Component, Debug, Clone, Copy)]
pub struct ScrollHint;

/// What a button does when activated.
#[derive(Component, Debug, Clone, PartialEq)]
pub struct Activate(pub Intent);

/// A screen's root, scrolled by the mouse wheel and Page Up / Page Down when it overflows.
#[derive(Component, Debug, Clone, Copy)]
pub struct ScrollRoot;

pub(super) fn plugin(app: &mut App) {
    // The window's default plugins do not add it (Bevy's `bevy_input_focus` feature is off);
    // headless apps need it too.
    if !app.is_plugin_added::<InputFocusPlugin>() {
        app.add_plugins(InputFocusPlugin);
    }
    app.add_observer(click_to_activate)
        .add_systems(
            Update,
            (focus_a_button, (keyboard_navigation, escape_goes_back).run_if(not_typing))
                .chain()
                .in_set(GameSystems::Input),
        )
        .add_systems(Update, (show_focus, scroll).in_set(GameSystems::Present))
        .add_systems(PostUpdate, show_scroll_hint.after(bevy::ui::UiSystems::Layout))
        // After layout, so positions are current.
        .add_systems(PostUpdate, scroll_focus_into_view.after(bevy::ui::UiSystems::Layout))
        .add_systems(Last, keep_drawing_after_changes);
}

/// The buttons `activate` looks at: what each does, whether it is disabled and why.
pub type Activatable<'w, 's> =
    Query<'w, 's, (&'static Activate, Has<InteractionDisabled>, Option<&'static LockedReason>)>;

/// Sends the intent of an activated button; a disabled one explains itself instead.
pub fn activate(entity: Entity, buttons: &Activatable, intents: &mut MessageWriter<Intent>) {
    match buttons.get(entity) {
        Ok((activate, false, _)) => {
            intents.write(activate.0.clone());
        }
        Ok((_, true, Some(reason))) => {
            intents.write(Intent::ExplainLocked(reason.0.clone()));
        }
        _ => {}
    }
}

fn click_to_activate(click: On<Pointer<Click>>, buttons: Activatable, mut intents: MessageWriter<Intent>) {
    if click.button == PointerButton::Primary {
        activate(click.entity, &buttons, &mut intents);
    }
}

/// Keeps the focus on a button of the screen on show: when a screen opens without an
/// `AutoFocus` button, or the focused one is gone, the first button in layout order.
fn focus_a_button(mut focus: ResMut<InputFocus>, focusable: Query<(), With<TabIndex>>, nav: TabNavigation) {
    if focus.get().is_some_and(|f| focusable.contains(f)) || focusable.is_empty() {
        return;
    }
    if let Ok(first) = nav.navigate(&InputFocus::default(), NavAction::First) {
        focus.set(first, FocusCause::Navigated);
    }
}

/// Arrows and Tab walk the screen's tab group in layout order (wrapping at either end);
/// Enter or Space activates the focused button. The mouse never moves the keyboard focus:
/// hovering only highlights, so a pointer left on a spot cannot pick the next screen's button.
fn keyboard_navigation(
    keys: Res<ButtonInput<KeyCode>>,
    nav: TabNavigation,
    buttons: Activatable,
    adjustable: Query<&Adjust>,
    parents: Query<&ChildOf>,
    grids: Query<&GridColumns>,
    mut focus: ResMut<InputFocus>,
    mut intents: MessageWriter<Intent>,
) {
    let shift = keys.any_pressed([KeyCode::ShiftLeft, KeyCode::ShiftRight]);
    let adjusting = focus.get().and_then(|f| adjustable.get(f).ok());
    if let Some(adjust) = adjusting {
        if keys.just_pressed(KeyCode::ArrowLeft) {
            intents.write(adjust.less.clone());
        }
        if keys.just_pressed(KeyCode::ArrowRight) {
            intents.write(adjust.more.clone());
        }
    }
    let sideways = adjusting.is_none();
    let forward = keys.just_pressed(KeyCode::ArrowDown)
        || (sideways && keys.just_pressed(KeyCode::ArrowRight))
        || (keys.just_pressed(KeyCode::Tab) && !shift);
    let back = keys.just_pressed(KeyCode::ArrowUp)
        || (sideways && keys.just_pressed(KeyCode::ArrowLeft))
        || (keys.just_pressed(KeyCode::Tab) && shift);
    if forward || back {
        let action = if forward { NavAction::Next } else { NavAction::Previous };
        // In a grid, Up and Down step over a whole row.
        let vertical = keys.any_just_pressed([KeyCode::ArrowDown, KeyCode::ArrowUp]);
        let columns = focus.get().and_then(|f| parents.get(f).ok()).and_then(|p| grids.get(p.parent()).ok());
        let steps = match columns {
            Some(grid) if vertical => grid.0.max(1),
            _ => 1,
        };
        let mut at = focus.clone();
        for _ in 0..steps {
            let next = match nav.navigate(&at, action) {
                Ok(next) => next,
                // The focus was outside every tab group: the button found from there is still right.
                Err(TabNavigationError::NoTabGroupForCurrentFocus { new_focus, .. }) => new_focus,
                Err(_) => break,
            };
            at = InputFocus::from_entity(next);
        }
        if let Some(next) = at.get().filter(|n| focus.get() != Some(*n)) {
            focus.set(next, FocusCause::Navigated);
        }
    }
    if keys.any_just_pressed([KeyCode::Enter, KeyCode::NumpadEnter, KeyCode::Space])
        && let Some(entity) = focus.get()
    {
        activate(entity, &buttons, &mut intents);
    }
}

fn escape_goes_back(keys: Res<ButtonInput<KeyCode>>, screen: Res<State<Screen>>, mut intents: MessageWriter<Intent>) {
    if !keys.just_pressed(KeyCode::Escape) {
        return;
    }
    match screen.get() {
        Screen::Title => {}
        Screen::Settings | Screen::Select | Screen::Notice | Screen::Review | Screen::Year => {
            intents.write(Intent::Open(Screen::Title));
        }
        // Progress is saved after every decision, so leaving mid-run loses nothing.
        Screen::Play
        | Screen::Consequence
        | Screen::Debrief
        | Screen::WorkshopSetup
        | Screen::WorkshopDebrief
        | Screen::WorkshopEveryone => {
            intents.write(Intent::Open(Screen::Title));
        }
        // The facilitator's Escape means "back a step" inside the room; nothing is lost either way.
        Screen::WorkshopRoom | Screen::WorkshopConsequence => {}
    }
}

fn show_focus(
    focus: Res<InputFocus>,
    theme: Res<Theme>,
    mut buttons: Query<
        (Entity, &Interaction, Has<InteractionDisabled>, &mut BorderColor, &mut BackgroundColor),
        With<Activate>,
    >,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    if !focus.is_changed() && !theme.is_changed() && buttons.is_empty() {
        return;
    }
    let palette = theme.palette;
    for (entity, interaction, disabled, mut border, mut background) in &mut buttons {
        let focused = focus.get() == Some(entity);
        let wanted_border = if focused { palette.focus } else { Color::NONE };
        let wanted_background = match (disabled, interaction) {
            (true, _) => palette.panel,
            (false, Interaction::Pressed) => palette.focus.with_alpha(0.35),
            (false, Interaction::Hovered) => palette.raised.lighter(0.06),
            (false, Interaction::None) if focused => palette.raised.lighter(0.04),
            (false, Interaction::None) => palette.raised,
        };
        if border.top != wanted_border {
            *border = BorderColor::all(wanted_border);
            redraw.write(RequestRedraw);
        }
        if background.0 != wanted_background {
            background.0 = wanted_background;
        }
    }
}

fn scroll(
    mut wheel: MessageReader<bevy::input::mouse::MouseWheel>,
    keys: Res<ButtonInput<KeyCode>>,
    mut roots: Query<&mut ScrollPosition, With<ScrollRoot>>,
) {
    let mut dy: f32 = wheel
        .read()
        .map(|w| match w.unit {
            bevy::input::mouse::MouseScrollUnit::Line => -w.y * 40.0,
            bevy::input::mouse::MouseScrollUnit::Pixel => -w.y,
        })
        .sum();
    if keys.just_pressed(KeyCode::PageDown) {
        dy += 400.0;
    }
    if keys.just_pressed(KeyCode::PageUp) {
        dy -= 400.0;
    }
    if dy == 0.0 {
        return;
    }
    for mut position in &mut roots {
        position.y = (position.y + dy).max(0.0);
    }
}

/// "More below" shows only while the screen's content is taller than the window and the
/// bottom is not yet in view.
fn show_scroll_hint(
    roots: Query<(&ComputedNode, &ScrollPosition), With<ScrollRoot>>,
    mut hints: Query<&mut Visibility, With<ScrollHint>>,
) {
    let more = roots.iter().any(|(node, position)| {
        let scale = node.inverse_scale_factor;
        let hidden = (node.content_size.y - node.size.y) * scale - position.y;
        hidden > 8.0
    });
    let wanted = if more { Visibility::Inherited } else { Visibility::Hidden };
    for mut visibility in &mut hints {
        if *visibility != wanted {
            *visibility = wanted;
        }
    }
}

/// Keeps the focused button on screen when the keyboard moves focus past the bottom edge.
fn scroll_focus_into_view(
    focus: Res<InputFocus>,
    nodes: Query<(&ComputedNode, &UiGlobalTransform)>,
    mut roots: Query<(&mut ScrollPosition, &ComputedNode), With<ScrollRoot>>,
) {
    let Some(entity) = focus.get().filter(|_| focus.is_changed()) else { return };
    let Ok((node, transform)) = nodes.get(entity) else { return };
    let to_logical = node.inverse_scale_factor;
    let center = transform.translation.y * to_logical;
    let half = node.size.y * to_logical / 2.0;
    for (mut position, root) in &mut roots {
        let view = root.size.y * root.inverse_scale_factor;
        const MARGIN: f32 = 24.0;
        if center + half > view - MARGIN {
            position.y += center + half - view + MARGIN;
        } else if center - half < MARGIN {
            position.y = (position.y + center - half - MARGIN).max(0.0);
        }
    }
}

/// In reactive mode the app sleeps between input events; after anything that changes the
/// screen, keep a few frames coming so transitions, layout and rebuilds finish at once.
fn keep_drawing_after_changes(
    screen: Res<State<Screen>>,
    next: Res<NextState<Screen>>,
    focus: Res<InputFocus>,
    intents: MessageReader<Intent>,
    mut frames_left: Local<u32>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    let pending = !matches!(*next, NextState::Unchanged);
    if screen.is_changed() || pending || focus.is_changed() || !intents.is_empty() {
        *frames_left = 4;
    }
    if *frames_left > 0 {
        *frames_left -= 1;
        redraw.write(RequestRedraw);
    }
}
