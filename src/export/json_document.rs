//! The whole session as one JSON document: the header, the decisions and the endings, in the
//! same shape as the log's lines, so tools can read it back into a [`RecordedSession`].

use crate::record::RecordedSession;

pub fn to_json(recorded: &RecordedSession) -> serde_json::Result<String> {
    serde_json::to_string_pretty(recorded)
}

pub fn from_json(text: &str) -> serde_json::Result<RecordedSession> {
    serde_json::from_str(text)
}
