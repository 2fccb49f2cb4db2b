//! Scenario files as Bevy assets: an AssetLoader for `.ron`, the `scenarios://` source, and
//! hot reload. A broken edit keeps the last good version and shows its diagnostic on screen.

use std::path::PathBuf;

use bevy::asset::io::Reader;
use bevy::asset::{AssetLoader, LoadContext};
use bevy::prelude::*;

use super::library::Library;
use super::schedule::GameSystems;
use super::theme::{SMALL_SIZE, Theme};
use super::widgets::{bold_text, text};
use crate::scenario::LoadedFile;
use crate::scenario::load::{MAX_FILE_BYTES, collect_files, parse_bytes};

/// The folder the `scenarios://` source reads.
#[derive(Resource, Debug, Clone)]
pub struct ScenariosDir(pub PathBuf);

/// One scenario or campaign file, parsed and checked; errors are inside, loading never fails.
#[derive(Asset, TypePath, Debug, Clone)]
pub struct ScenarioFile(pub LoadedFile);

#[derive(TypePath)]
struct ScenarioFileLoader {
    /// How paths are shown in diagnostics ("scenarios/x.ron").
    shown_dir: String,
}

impl AssetLoader for ScenarioFileLoader {
    type Asset = ScenarioFile;
    type Settings = ();
    type Error = std::io::Error;

    async fn load(
        &self,
        reader: &mut dyn Reader,
        _: &(),
        context: &mut LoadContext<'_>,
    ) -> Result<ScenarioFile, Self::Error> {
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).await?;
        bytes.truncate(MAX_FILE_BYTES + 1);
        let name = format!("{}/{}", self.shown_dir, context.path().path().display());
        Ok(ScenarioFile(parse_bytes(&name, &bytes)))
    }

    fn extensions(&self) -> &[&str] {
        &["ron"]
    }
}

#[derive(Resource, Default)]
struct ScenarioHandles(Vec<Handle<ScenarioFile>>);

/// The on-screen note about an edit that broke a file.
#[derive(Component)]
struct EditBanner;

pub(super) fn plugin(app: &mut App) {
    let dir =
        app.world().get_resource::<ScenariosDir>().map(|d| d.0.clone()).unwrap_or_else(|| PathBuf::from("scenarios"));
    let shown_dir = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "scenarios".into());
    app.init_asset::<ScenarioFile>()
        .register_asset_loader(ScenarioFileLoader { shown_dir })
        .init_resource::<Library>()
        .init_resource::<ScenarioHandles>()
        .add_systems(Startup, start_loading)
        .add_systems(Update, sync_library.in_set(GameSystems::Input))
        .add_systems(Update, show_edit_banner.in_set(GameSystems::Present));
}

/// Loads each `.ron` file on its own, so one bad file cannot hide the others.
fn start_loading(
    server: Res<AssetServer>,
    dir: Res<ScenariosDir>,
    mut handles: ResMut<ScenarioHandles>,
    mut library: ResMut<Library>,
) {
    let files: Vec<PathBuf> = collect_files(std::slice::from_ref(&dir.0)).into_iter().filter_map(Result::ok).collect();
    if files.is_empty() {
        warn!("no scenario files in {}", dir.0.display());
        library.ready = true;
        library.generation += 1;
    }
    for file in files {
        let Ok(relative) = file.strip_prefix(&dir.0) else { continue };
        let path = format!("scenarios://{}", relative.to_string_lossy().replace('\\', "/"));
        handles.0.push(server.load(path));
    }
}

fn sync_library(
    mut events: MessageReader<AssetEvent<ScenarioFile>>,
    assets: Res<Assets<ScenarioFile>>,
    handles: Res<ScenarioHandles>,
    mut library: ResMut<Library>,
) {
    let changed: Vec<AssetId<ScenarioFile>> = events
        .read()
        .filter_map(|e| match e {
            AssetEvent::Added { id } | AssetEvent::Modified { id } => Some(*id),
            _ => None,
        })
        .collect();
    if changed.is_empty() {
        return;
    }
    if !library.ready {
        let all: Option<Vec<LoadedFile>> = handles.0.iter().map(|h| assets.get(h).map(|f| f.0.clone())).collect();
        if let Some(files) = all {
            library.replace_all(files);
            library.ready = true;
            info!("loaded {} scenario files", handles.0.len());
        }
        return;
    }
    for id in changed {
        if let Some(file) = assets.get(id) {
            let generation = library.generation;
            library.update_file(file.0.clone());
            if library.generation != generation {
                info!("reloaded {}", file.0.path);
            }
        }
    }
}

fn show_edit_banner(
    mut commands: Commands,
    library: Res<Library>,
    theme: Res<Theme>,
    banners: Query<Entity, With<EditBanner>>,
) {
    if !library.is_changed() {
        return;
    }
    for banner in &banners {
        commands.entity(banner).despawn();
    }
    let Some(first) = library.broken_edits.first() else { return };
    let more = match library.broken_edits.len() - 1 {
        0 => String::new(),
        n => format!(" ({} more because of it or elsewhere)", crate::game::wording::count(n, "problem")),
    };
    let palette = theme.palette;
    commands.spawn((
        EditBanner,
        GlobalZIndex(100),
        Node {
            // At the top, so the key hints at the bottom stay readable.
            position_type: PositionType::Absolute,
            top: px(0),
            left: px(0),
            right: px(0),
            padding: UiRect::all(px(12)),
            flex_direction: FlexDirection::Column,
            row_gap: px(4),
            ..default()
        },
        BackgroundColor(Color::srgb_u8(0x6b, 0x16, 0x16)),
        children![
            bold_text(
                format!("{} has an error; the game keeps the last good version.{more}", first.file),
                SMALL_SIZE,
                palette.text,
                &theme
            ),
            text(first.short(), SMALL_SIZE, palette.text),
        ],
    ));
}
