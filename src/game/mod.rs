//! The windowed game: a Bevy front end over the engine. It reads engine state and sends the
//! player's intents; every rule lives in `crate::engine`.

mod autoplay;
mod cause;
mod chart;
mod first_frame;
mod intent;
mod library;
mod library_assets;
mod live_reload;
mod lrs;
mod meters_hud;
mod navigation;
mod platform;
mod rebuild;
mod run;
mod save;
mod saving_banner;
mod schedule;
mod screen;
mod screens;
mod settings;
mod theme;
mod transition;
mod widgets;
mod wording;
mod workshop;

use std::path::PathBuf;
use std::process::ExitCode;

use bevy::prelude::*;

pub use autoplay::AutoplayPlan;
pub use intent::Intent;
pub use library::Library;
pub use lrs::LrsLink;
pub use run::{ActiveRun, FinishedCampaign, SoloLog};
pub use save::{DataDir, SaveFile};
pub use saving_banner::SavingProblem;
pub use screen::{Notice, Screen};
pub use settings::{SettingChange, Settings};
pub use workshop::{EveryoneIntent, EveryoneRound, PhoneSettings};
pub use workshop::{MeterMode, MustRead, Workshop, WorkshopConfig, WorkshopIntent, WorkshopTarget};

/// How the game was started.
#[derive(Debug, Clone, Default)]
pub struct LaunchOptions {
    pub scenarios: PathBuf,
    pub autoplay: Option<AutoplayPlan>,
    /// Open the workshop setup with these choices filled in (`leap workshop`).
    pub workshop: Option<WorkshopConfig>,
    /// Resume the workshop recorded in this log (`leap workshop --resume`).
    pub workshop_resume: Option<PathBuf>,
    /// Phone voting on, with these settings (`leap workshop --phones`).
    pub phones: Option<crate::workshop::phones::PhoneOptions>,
}

/// Everything that runs without a window: screens, flow, input, saves, settings.
/// Headless tests add this to `MinimalPlugins` + `StatesPlugin` + `InputPlugin`.
pub fn plugin(app: &mut App) {
    // Registered here too so the game runs headless, where no window plugin adds it.
    app.add_message::<bevy::window::RequestRedraw>();
    app.add_systems(Update, open_at_start.in_set(schedule::GameSystems::Input));
    app.add_plugins((
        schedule::plugin,
        rebuild::plugin,
        screen::plugin,
        intent::plugin,
        settings::plugin,
        navigation::plugin,
        meters_hud::plugin,
        transition::plugin,
        screens::plugin,
        workshop::plugin,
        saving_banner::plugin,
        lrs::plugin,
        chart::plugin,
    ));
}

/// True when a window can plausibly open (this build talks to X11).
pub fn display_available() -> bool {
    !cfg!(target_os = "linux") || std::env::var_os("DISPLAY").is_some_and(|v| !v.is_empty())
}

const NO_DISPLAY: &str = "leap: no display to open a window on (DISPLAY is not set).\n\
     Play in the terminal instead: leap play --text";

pub fn run(options: LaunchOptions) -> ExitCode {
    if !display_available() {
        eprintln!("{NO_DISPLAY}");
        return ExitCode::from(2);
    }
    // winit panics while building when the display cannot be opened; turn that into a message.
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| build_app(options)));
    std::panic::set_hook(previous_hook);
    let mut app = match built {
        Ok(app) => app,
        Err(panic) => {
            let why = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("unknown error");
            eprintln!("leap: could not open a window: {why}\nPlay in the terminal instead: leap play --text");
            return ExitCode::from(2);
        }
    };
    match app.run() {
        AppExit::Success => ExitCode::SUCCESS,
        AppExit::Error(code) => ExitCode::from(code.get()),
    }
}

/// The whole game except the window and the renderer: scenario assets with hot reload,
/// screens, saves. Tests and the soak benchmark drive it by sending intents.
pub fn headless_app(scenarios: PathBuf, data: DataDir) -> App {
    use bevy::render::RenderPlugin;
    use bevy::render::settings::WgpuSettings;
    use bevy::window::ExitCondition;
    let mut app = App::new();
    platform::register_scenarios_source(&mut app, &scenarios);
    app.add_plugins(
        DefaultPlugins
            .build()
            .disable::<bevy::winit::WinitPlugin>()
            .disable::<bevy::log::LogPlugin>()
            .set(WindowPlugin { primary_window: None, exit_condition: ExitCondition::DontExit, ..default() })
            .set(RenderPlugin { render_creation: WgpuSettings { backends: None, ..default() }.into(), ..default() })
            .set(AssetPlugin { watch_for_changes_override: Some(true), ..default() }),
    );
    app.insert_resource(data);
    app.add_plugins((plugin, library_assets::plugin));
    app.finish();
    app.cleanup();
    app
}

/// The game laid out for a `width`×`height` window without opening one: the real fonts, a
/// window entity for the UI to lay out against, a camera, no renderer. The projector layout
/// test drives it and asks [`unreadable_texts`] after each screen.
pub fn layout_app(scenarios: PathBuf, data: DataDir, width: u32, height: u32) -> App {
    use bevy::render::RenderPlugin;
    use bevy::render::settings::WgpuSettings;
    use bevy::window::{ExitCondition, WindowResolution};
    let mut app = App::new();
    platform::register_scenarios_source(&mut app, &scenarios);
    let window = Window { resolution: WindowResolution::new(width, height), ..default() };
    app.add_plugins(
        DefaultPlugins
            .build()
            .disable::<bevy::winit::WinitPlugin>()
            .disable::<bevy::log::LogPlugin>()
            .set(WindowPlugin { primary_window: Some(window), exit_condition: ExitCondition::DontExit, ..default() })
            .set(RenderPlugin { render_creation: WgpuSettings { backends: None, ..default() }.into(), ..default() }),
    );
    app.insert_resource(data);
    app.add_plugins((plugin, library_assets::plugin));
    app.add_systems(
        Startup,
        (platform::install_fonts, |mut commands: Commands| {
            commands.spawn(Camera2d);
        }),
    );
    app.finish();
    app.cleanup();
    app
}

/// The texts on screen the room must read ([`MustRead`]) that the layout put outside the
/// window, by their first words. Empty when everything can be read without scrolling.
pub fn unreadable_texts(world: &mut World) -> Vec<String> {
    use bevy::ecs::system::SystemState;
    let mut state: SystemState<(
        Query<(&ComputedNode, &UiGlobalTransform), With<widgets::ScreenRoot>>,
        Query<(&ComputedNode, &UiGlobalTransform, &Text), With<MustRead>>,
    )> = SystemState::new(world);
    let Ok((roots, texts)) = state.get(world) else { return Vec::new() };
    workshop::unreadable(&roots, &texts)
}

fn build_app(options: LaunchOptions) -> App {
    let mut app = App::new();
    platform::add_default_plugins(&mut app, &options);
    app.add_plugins((plugin, library_assets::plugin, platform::plugin));
    if let Some(config) = options.workshop {
        app.insert_resource(workshop::SetupForm { config, row: 4 }).insert_resource(OpenAtStart(Screen::WorkshopSetup));
    }
    if let Some(options) = options.phones {
        app.insert_resource(workshop::PhoneSettings { enabled: true, options });
    }
    if let Some(log) = options.workshop_resume {
        app.insert_resource(ResumeAtStart(log));
    }
    if let Some(plan) = options.autoplay {
        app.insert_resource(plan).add_plugins(autoplay::plugin);
    }
    app
}

/// A screen to open once the scenarios have loaded, instead of the title.
#[derive(Resource, Debug, Clone, Copy)]
struct OpenAtStart(Screen);

/// A workshop log to resume once the scenarios have loaded.
#[derive(Resource, Debug, Clone)]
struct ResumeAtStart(PathBuf);

fn open_at_start(
    mut commands: Commands,
    start: Option<Res<OpenAtStart>>,
    resume: Option<Res<ResumeAtStart>>,
    library: Res<Library>,
    mut next: ResMut<NextState<Screen>>,
    mut workshop: MessageWriter<WorkshopIntent>,
    mut everyone: MessageWriter<workshop::EveryoneIntent>,
) {
    if !library.ready {
        return;
    }
    if let Some(start) = start {
        next.set(start.0);
        commands.remove_resource::<OpenAtStart>();
    }
    if let Some(resume) = resume {
        if workshop::is_everyone_log(&resume.0) {
            everyone.write(workshop::EveryoneIntent::Resume(resume.0.clone()));
        } else {
            workshop.write(WorkshopIntent::Resume(resume.0.clone()));
        }
        commands.remove_resource::<ResumeAtStart>();
    }
}
