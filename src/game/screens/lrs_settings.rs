//! The settings screen's learning-records column: the LRS address, user, password (masked),
//! the learner of solo runs and the ids' home, each typed in with the keyboard, and a button
//! that tests the connection. Enter on a field opens it for typing; Enter again sends the
//! text as an intent (the record layer checks it; a refused value stays open with the reason),
//! Escape leaves it as it was.

use bevy::input::ButtonState;
use bevy::input::keyboard::{Key, KeyboardInput};
use bevy::prelude::*;

use crate::game::intent::Intent;
use crate::game::lrs::{LrsCheckText, LrsLink};
use crate::game::navigation::TypingText;
use crate::game::rebuild::{AskForRebuild, Rebuild};
use crate::game::schedule::GameSystems;
use crate::game::screen::Screen;
use crate::game::settings::{Settings, SettingsProblem};
use crate::game::theme::{BODY_SIZE, SMALL_SIZE, Theme};
use crate::game::widgets::{bold_text, button, button_frame, button_node, small, text};
use crate::record::settings::{LRS_FIELD_MAX_CHARS, LrsField, LrsSettings};

/// The text that shows a field's value; updated in place while it is typed into, so typing
/// does not rebuild the screen.
#[derive(Component, Debug, Clone, Copy)]
struct FieldValue(LrsField);

/// The field being typed into, and what has been typed.
#[derive(Resource, Debug, Clone, Default, PartialEq)]
pub struct LrsEntry(pub Option<Editing>);

#[derive(Debug, Clone, PartialEq)]
pub struct Editing {
    pub field: LrsField,
    pub text: String,
    /// Sent with Enter; closes once the settings took it.
    submitted: bool,
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<LrsEntry>()
        .add_systems(Update, type_into_field.in_set(GameSystems::Input).run_if(in_state(Screen::Settings)))
        .add_systems(
            Update,
            (begin_editing, finish_editing, follow_entry, show_typed)
                .chain()
                .in_set(GameSystems::Present)
                .before(AskForRebuild)
                .run_if(in_state(Screen::Settings)),
        )
        .add_systems(Update, rebuild_on_entry.in_set(AskForRebuild).run_if(in_state(Screen::Settings)))
        .add_systems(OnExit(Screen::Settings), stop_editing);
}

/// "https://lrs.example.org/xapi", "******" for a password, "not set" (or what is used
/// instead); long values shortened.
pub fn shown_value(field: LrsField, value: &str) -> String {
    if value.is_empty() {
        return match field {
            LrsField::Learner => "anonymous (type a name or an e-mail)".into(),
            LrsField::Home => "the default".into(),
            _ => "not set".into(),
        };
    }
    if field.is_secret() {
        return "*".repeat(value.chars().count().min(12));
    }
    const MOST: usize = 34;
    if value.chars().count() > MOST { value.chars().take(MOST - 1).collect::<String>() + "…" } else { value.into() }
}

/// The column's content: a button per field, the connection test and its outcome.
pub fn lrs_column(
    p: &mut ChildSpawner,
    theme: &Theme,
    lrs: &LrsSettings,
    entry: &LrsEntry,
    link: &LrsLink,
    problem: &SettingsProblem,
) {
    p.spawn(bold_text("Learning records (LRS)", BODY_SIZE, theme.palette.text, theme));
    for field in LrsField::ALL {
        let editing = entry.0.as_ref().filter(|e| e.field == field);
        let label = match editing {
            Some(e) => typed_line(e),
            None => format!("{}: {}", field.label(), shown_value(field, lrs.get(field))),
        };
        let mut row = p.spawn((
            button_frame(
                Intent::EditLrs(field),
                format!("{}: {}", field.label(), shown_value(field, lrs.get(field))),
                theme,
            ),
            Node { width: percent(100), ..button_node() },
        ));
        row.with_children(|b| {
            b.spawn((bold_text(label, SMALL_SIZE + 1.0, theme.palette.text, theme), FieldValue(field)));
            if editing.is_some() {
                let hint = "Type, then Enter to keep it; Backspace deletes, Delete clears, Escape leaves it as it was.";
                b.spawn(text(hint, SMALL_SIZE - 2.0, theme.palette.focus));
            }
            if let Some((_, why)) = problem.0.as_ref().filter(|(f, _)| *f == field) {
                b.spawn(text(why.clone(), SMALL_SIZE - 2.0, theme.palette.bad));
            }
            if link.from_env.contains(&field) {
                let names = field.env_vars().join(" / ");
                b.spawn(text(format!("{names} is set and is used instead."), SMALL_SIZE - 2.0, theme.palette.focus));
            }
        });
    }
    p.spawn(button("Test the connection", Intent::TestLrsConnection, theme));
    let check = link.check_line().unwrap_or_else(|| match &link.config {
        Some(config) => format!("Statements go to {} when a debrief opens.", config.endpoint),
        None => "No LRS is set: statements stay in the session folder.".into(),
    });
    p.spawn((small(check, theme), LrsCheckText));
}

/// "LRS user: facilitat_" while typing; the end of a long value, where the typing is.
fn typed_line(editing: &Editing) -> String {
    let typed = if editing.field.is_secret() {
        "*".repeat(editing.text.chars().count())
    } else {
        let count = editing.text.chars().count();
        const MOST: usize = 34;
        if count > MOST {
            "…".to_string() + &editing.text.chars().skip(count - (MOST - 1)).collect::<String>()
        } else {
            editing.text.clone()
        }
    };
    format!("{}: {typed}_", editing.field.label())
}

fn show_typed(entry: Res<LrsEntry>, mut values: Query<(&FieldValue, &mut Text)>) {
    let Some(editing) = entry.0.as_ref().filter(|_| entry.is_changed()) else { return };
    for (value, mut text) in &mut values {
        if value.0 == editing.field {
            text.0 = typed_line(editing);
        }
    }
}

fn begin_editing(
    mut intents: MessageReader<Intent>,
    settings: Res<Settings>,
    mut entry: ResMut<LrsEntry>,
    mut problem: ResMut<SettingsProblem>,
    mut commands: Commands,
) {
    for intent in intents.read() {
        if let Intent::EditLrs(field) = intent {
            entry.0 = Some(Editing { field: *field, text: settings.lrs.get(*field).to_string(), submitted: false });
            problem.0 = None;
            commands.insert_resource(TypingText);
        }
    }
}

/// The keyboard while a field is open: characters, Backspace, Enter, Escape.
fn type_into_field(
    mut typed: MessageReader<KeyboardInput>,
    mut entry: ResMut<LrsEntry>,
    mut intents: MessageWriter<Intent>,
) {
    // Looked at without marking the entry changed: a change rebuilds the screen.
    if entry.0.as_ref().is_none_or(|e| e.submitted) {
        // Keys pressed before a field opened (the Enter that opened it) are not typed into it.
        typed.clear();
        return;
    }
    let keys: Vec<Key> = typed
        .read()
        .filter(|k| k.state == ButtonState::Pressed)
        .map(|k| k.logical_key.clone())
        .filter(|k| {
            matches!(k, Key::Enter | Key::Escape | Key::Backspace | Key::Delete | Key::Space | Key::Character(_))
        })
        .collect();
    if keys.is_empty() {
        return;
    }
    let Some(editing) = entry.0.as_mut() else { return };
    for key in keys {
        match key {
            Key::Enter => {
                intents.write(Intent::SetLrs(editing.field, editing.text.clone()));
                editing.submitted = true;
                return;
            }
            Key::Escape => {
                entry.0 = None;
                return;
            }
            Key::Backspace => {
                editing.text.pop();
            }
            Key::Delete => editing.text.clear(),
            Key::Space => push(&mut editing.text, " "),
            Key::Character(s) => push(&mut editing.text, &s),
            _ => {}
        }
    }
}

fn push(text: &mut String, typed: &str) {
    for c in typed.chars().filter(|c| !c.is_control()) {
        if text.chars().count() < LRS_FIELD_MAX_CHARS {
            text.push(c);
        }
    }
}

/// After Enter: the field closes when its value was taken, and stays open with the reason
/// when it was not.
fn finish_editing(mut entry: ResMut<LrsEntry>, problem: Res<SettingsProblem>) {
    let Some(field) = entry.0.as_ref().filter(|e| e.submitted).map(|e| e.field) else { return };
    if problem.0.as_ref().is_some_and(|(refused, _)| *refused == field) {
        if let Some(editing) = entry.0.as_mut() {
            editing.submitted = false;
        }
    } else {
        entry.0 = None;
    }
}

/// The keyboard is the field's while one is open; the removal waits for this late point of the
/// frame, so the Escape or Enter that closed it does not also act on the screen.
fn follow_entry(entry: Res<LrsEntry>, typing: Option<Res<TypingText>>, mut commands: Commands) {
    if entry.0.is_none() && typing.is_some() {
        commands.remove_resource::<TypingText>();
    }
}

/// A field opened or closed, or a value refused: the screen is built again (typing itself
/// only changes the field's text, see [`show_typed`]).
fn rebuild_on_entry(
    entry: Res<LrsEntry>,
    problem: Res<SettingsProblem>,
    mut open: Local<Option<LrsField>>,
    mut rebuild: ResMut<Rebuild>,
) {
    let now_open = entry.0.as_ref().map(|e| e.field);
    if now_open != *open || (problem.is_changed() && !problem.is_added()) {
        *open = now_open;
        rebuild.request();
    }
}

fn stop_editing(mut entry: ResMut<LrsEntry>, mut problem: ResMut<SettingsProblem>, mut commands: Commands) {
    entry.0 = None;
    problem.0 = None;
    commands.remove_resource::<TypingText>();
}
