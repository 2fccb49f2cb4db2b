//! Keyboard and mouse navigation shared by every screen: focus moves with the arrow keys or
//! Tab, Enter or Space activates, the mouse hovers and clicks. Activating a button sends
//! its intent; nothing here knows what the intent means.

use bevy::input::keyboard::KeyCode;
use bevy::prelude::*;
use bevy::window::RequestRedraw;

use super::intent::Intent;
use super::screen::Screen;
use super::theme::Theme;

/// What a button does when activated.
#[derive(Component, Debug, Clone, PartialEq)]
pub struct Activate(pub Intent);

/// A button that can be focused (so its text is read) but not activated, e.g. a locked choice.
#[derive(Component, Debug, Clone, Copy)]
pub struct Disabled;

/// The first button to focus when a screen opens (else the first in layout order).
#[derive(Component, Debug, Clone, Copy)]
pub struct StartFocus;

/// A screen's root, scrolled by the mouse wheel and Page Up / Page Down when it overflows.
#[derive(Component, Debug, Clone, Copy)]
pub struct ScrollRoot;

/// Position in keyboard order, assigned from the layout tree.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct NavOrder(pub usize);

/// The focused button, if any.
#[derive(Resource, Debug, Default, Clone, Copy)]
pub struct Focus(pub Option<Entity>);

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Focus>()
        .add_observer(click_to_activate)
        .add_systems(
            Update,
            (assign_order, hover_focus, keyboard_navigation, escape_goes_back, show_focus, scroll).chain(),
        )
        // After layout, so positions are current.
        .add_systems(PostUpdate, scroll_focus_into_view.after(bevy::ui::UiSystems::Layout))
        .add_systems(Last, keep_drawing_after_changes);
}

/// Sends the intent of an activated button, unless it is disabled.
pub fn activate(entity: Entity, buttons: &Query<(&Activate, Has<Disabled>)>, intents: &mut MessageWriter<Intent>) {
    if let Ok((activate, false)) = buttons.get(entity) {
        intents.write(activate.0.clone());
    }
}

fn click_to_activate(
    click: On<Pointer<Click>>,
    buttons: Query<(&Activate, Has<Disabled>)>,
    mut intents: MessageWriter<Intent>,
) {
    if click.button == PointerButton::Primary {
        activate(click.entity, &buttons, &mut intents);
    }
}

/// Numbers buttons in depth-first layout order whenever buttons appear or disappear.
fn assign_order(
    mut commands: Commands,
    added: Query<(), Added<Activate>>,
    mut removed: RemovedComponents<Activate>,
    roots: Query<Entity, (With<Node>, Without<ChildOf>)>,
    children: Query<&Children>,
    buttons: Query<Has<StartFocus>, With<Activate>>,
    mut focus: ResMut<Focus>,
) {
    if added.is_empty() && removed.read().next().is_none() {
        return;
    }
    let mut order = Vec::new();
    let mut stack: Vec<Entity> = roots.iter().collect();
    stack.sort();
    stack.reverse();
    while let Some(entity) = stack.pop() {
        if buttons.contains(entity) {
            order.push(entity);
        }
        if let Ok(kids) = children.get(entity) {
            stack.extend(kids.iter().rev());
        }
    }
    for (i, entity) in order.iter().enumerate() {
        commands.entity(*entity).insert(NavOrder(i));
    }
    let focus_still_there = focus.0.is_some_and(|f| order.contains(&f));
    if !focus_still_there {
        let start = order.iter().copied().find(|e| buttons.get(*e).unwrap_or(false));
        focus.0 = start.or(order.first().copied());
    }
}

fn hover_focus(
    hovered: Query<(Entity, &Interaction), (Changed<Interaction>, With<Activate>)>,
    mut focus: ResMut<Focus>,
) {
    for (entity, interaction) in &hovered {
        if *interaction == Interaction::Hovered {
            focus.0 = Some(entity);
        }
    }
}

fn keyboard_navigation(
    keys: Res<ButtonInput<KeyCode>>,
    ordered: Query<(Entity, &NavOrder)>,
    buttons: Query<(&Activate, Has<Disabled>)>,
    mut focus: ResMut<Focus>,
    mut intents: MessageWriter<Intent>,
) {
    let shift = keys.any_pressed([KeyCode::ShiftLeft, KeyCode::ShiftRight]);
    let forward =
        keys.any_just_pressed([KeyCode::ArrowDown, KeyCode::ArrowRight]) || (keys.just_pressed(KeyCode::Tab) && !shift);
    let back =
        keys.any_just_pressed([KeyCode::ArrowUp, KeyCode::ArrowLeft]) || (keys.just_pressed(KeyCode::Tab) && shift);
    if forward || back {
        let mut list: Vec<(Entity, NavOrder)> = ordered.iter().map(|(e, o)| (e, *o)).collect();
        list.sort_by_key(|(_, o)| *o);
        if list.is_empty() {
            return;
        }
        let at = focus.0.and_then(|f| list.iter().position(|(e, _)| *e == f));
        let next = match (at, forward) {
            (None, _) => 0,
            (Some(i), true) => (i + 1) % list.len(),
            (Some(i), false) => (i + list.len() - 1) % list.len(),
        };
        focus.0 = Some(list[next].0);
    }
    if keys.any_just_pressed([KeyCode::Enter, KeyCode::NumpadEnter, KeyCode::Space])
        && let Some(entity) = focus.0
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
        Screen::Settings | Screen::Select | Screen::Notice | Screen::Review => {
            intents.write(Intent::Open(Screen::Title));
        }
        // Progress is saved after every decision, so leaving mid-run loses nothing.
        Screen::Play | Screen::Consequence | Screen::Debrief | Screen::WorkshopSetup | Screen::WorkshopDebrief => {
            intents.write(Intent::Open(Screen::Title));
        }
        // The facilitator's Escape means "back a step" inside the room; nothing is lost either way.
        Screen::WorkshopRoom | Screen::WorkshopConsequence => {}
    }
}

fn show_focus(
    focus: Res<Focus>,
    theme: Res<Theme>,
    mut buttons: Query<(Entity, &Interaction, Has<Disabled>, &mut BorderColor, &mut BackgroundColor), With<Activate>>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    if !focus.is_changed() && !theme.is_changed() && buttons.is_empty() {
        return;
    }
    let palette = theme.palette;
    for (entity, interaction, disabled, mut border, mut background) in &mut buttons {
        let focused = focus.0 == Some(entity);
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

/// Keeps the focused button on screen when the keyboard moves focus past the bottom edge.
fn scroll_focus_into_view(
    focus: Res<Focus>,
    nodes: Query<(&ComputedNode, &UiGlobalTransform)>,
    mut roots: Query<(&mut ScrollPosition, &ComputedNode), With<ScrollRoot>>,
) {
    let Some(entity) = focus.0.filter(|_| focus.is_changed()) else { return };
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
    focus: Res<Focus>,
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
