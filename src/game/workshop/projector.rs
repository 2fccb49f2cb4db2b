//! Fitting a workshop screen to the projector: text the room must read is marked
//! [`MustRead`]; after layout, if any of it falls outside the window, the screen is rebuilt
//! a step smaller, so text shrinks to fit before anything would need scrolling.

use bevy::prelude::*;
use bevy::window::RequestRedraw;

use crate::game::rebuild::Rebuild;
use crate::game::screen::Screen;
use crate::game::widgets::ScreenRoot;

/// Text the room must be able to read: never clipped, never scrolled out of view.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct MustRead;

/// How much a workshop screen is shrunk to fit, for the content it was fitted to.
#[derive(Resource, Debug, Clone, PartialEq)]
pub struct ProjectorFit {
    scale: f32,
    fitted_to: String,
}

impl Default for ProjectorFit {
    fn default() -> Self {
        ProjectorFit { scale: 1.0, fitted_to: String::new() }
    }
}

/// The smallest shrink: below this the room could not read it anyway, so the screen scrolls.
const SMALLEST: f32 = 0.45;
const STEP: f32 = 0.9;

impl ProjectorFit {
    /// The shrink for a screen showing `content` (anything that names what is on screen): a
    /// new content starts again at full size.
    pub fn scale_for(&mut self, content: String) -> f32 {
        if self.fitted_to != content {
            self.fitted_to = content;
            self.scale = 1.0;
        }
        self.scale
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<ProjectorFit>()
        .add_systems(PostUpdate, shrink_until_readable.after(bevy::ui::UiSystems::PostLayout));
}

fn is_workshop(screen: Screen) -> bool {
    matches!(
        screen,
        Screen::WorkshopSetup | Screen::WorkshopRoom | Screen::WorkshopConsequence | Screen::WorkshopDebrief
    )
}

fn shrink_until_readable(
    screen: Res<State<Screen>>,
    mut fit: ResMut<ProjectorFit>,
    mut rebuild: ResMut<Rebuild>,
    roots: Query<(&ComputedNode, &UiGlobalTransform), With<ScreenRoot>>,
    texts: Query<(&ComputedNode, &UiGlobalTransform, &Text), With<MustRead>>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    if !is_workshop(*screen.get()) || fit.scale <= SMALLEST {
        return;
    }
    if unreadable(&roots, &texts).is_empty() {
        return;
    }
    // Text area grows with the square of its size, so the square root of how much too tall
    // the screen is gets close in one step; a small step more makes sure it converges.
    let step = overflow(&roots, &texts).map_or(STEP, |too_tall| (1.0 / too_tall).sqrt().min(STEP));
    fit.scale = (fit.scale * step.max(0.6)).max(SMALLEST);
    rebuild.request();
    redraw.write(RequestRedraw);
}

/// How many times taller than the window the text reaches (1.0 or less: it fits).
fn overflow(
    roots: &Query<(&ComputedNode, &UiGlobalTransform), With<ScreenRoot>>,
    texts: &Query<(&ComputedNode, &UiGlobalTransform, &Text), With<MustRead>>,
) -> Option<f32> {
    let frame = roots.iter().map(|(node, at)| rect(node, at)).next()?;
    let bottom = texts.iter().map(|(node, at, _)| rect(node, at).max.y).fold(frame.min.y, f32::max);
    (frame.height() > 1.0).then(|| (bottom - frame.min.y) / frame.height())
}

/// The texts the room must read that lie (even partly) outside the screen's root, which is
/// the window: each as its first words. Empty before the first layout.
pub fn unreadable(
    roots: &Query<(&ComputedNode, &UiGlobalTransform), With<ScreenRoot>>,
    texts: &Query<(&ComputedNode, &UiGlobalTransform, &Text), With<MustRead>>,
) -> Vec<String> {
    let Some(frame) = roots.iter().map(|(node, at)| rect(node, at)).next() else { return Vec::new() };
    if frame.width() < 1.0 {
        return Vec::new();
    }
    const SLACK: f32 = 1.5;
    texts
        .iter()
        .filter(|(node, _, _)| node.size.x > 0.0)
        .filter(|(node, at, _)| {
            let r = rect(node, at);
            r.min.x < frame.min.x - SLACK
                || r.min.y < frame.min.y - SLACK
                || r.max.x > frame.max.x + SLACK
                || r.max.y > frame.max.y + SLACK
        })
        .map(|(_, _, text)| crate::game::wording::shorten(&text.0, 40))
        .collect()
}

fn rect(node: &ComputedNode, at: &UiGlobalTransform) -> Rect {
    Rect::from_center_size(at.translation, node.size)
}
