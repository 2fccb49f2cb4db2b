//! The rules of play: sessions, the meter rule, conditions, chance, endings and the
//! transcript; the room's votes. Knows nothing of Bevy; the game, the
//! command line and the tests share it.

pub mod campaign;
pub mod chance;
pub mod conditions;
pub mod decision;
pub mod meters;
pub mod playout;
pub mod session;
pub mod stances;
pub mod votes;

pub use campaign::CampaignRun;
pub use meters::Meters;
pub use session::{ChoiceView, ChooseError, Decision, Position, Session};
