//! Reading a file `ron` refused, as far as it can be read: every syntax and structure problem
//! at once, the values that could be read (for the reference and graph checks), and what
//! those checks must not talk about because it was guessed.

use std::collections::HashSet;

use serde::de::DeserializeOwned;

use super::lenient::{Failure, Pass, Reader};
use super::limits::MAX_DEPTH;
use super::locate::SourceMap;
use super::tree::{self, Kind, Node, Problem};

/// Reading a file again after learning a required field or leaving out an unreadable
/// element is bounded: past this many passes the values are given up (the problems stay).
const MAX_PASSES: usize = 16;
/// More problems than this in one file are not listed: the first ones show what is wrong.
const MAX_PROBLEMS: usize = 300;

pub struct Recovered<T> {
    pub value: Option<T>,
    pub problems: Vec<Problem>,
    /// Where the values read sit, by their paths in `value`.
    pub map: SourceMap,
    /// Paths in `value` that hold stand-ins.
    pub placeholders: Vec<String>,
    /// Nothing that decides where choices lead was lost or guessed, so the graph checks
    /// (unreachable beats, no way out, too few endings) can be trusted.
    pub graph_complete: bool,
}

pub fn recover<T: DeserializeOwned>(source: &str) -> Recovered<T> {
    let parsed = tree::parse(source, MAX_DEPTH);
    let mut problems = parsed.problems;
    let lost = problems.iter().any(|p| p.lost);
    let Some(top) = parsed.top.filter(|_| !parsed.unreliable) else {
        return finish(None, problems, SourceMap::default(), Vec::new(), false);
    };
    let mut dropped = HashSet::new();
    // Learning a required field (`Failure::Retry`) does not count against the passes: each is
    // learned once per process, and the format has a fixed number of them, so how many passes a
    // file gets does not depend on which files were read before it.
    let mut passes = 0;
    while passes < MAX_PASSES {
        let pass = Pass::new(&dropped);
        pass.map.borrow_mut().set_span(0, top.span.clone());
        let result = T::deserialize(Reader { node: &top, pass: &pass, path: String::new(), map_node: 0 });
        let retry_without = match &result {
            Err(Failure::Retry) => None,
            Err(Failure::At(id)) => element_containing(&top, *id).filter(|e| !dropped.contains(e)),
            _ => None,
        };
        let again = matches!(result, Err(Failure::Retry)) || retry_without.is_some();
        if !again {
            let value = result.ok();
            let Pass { problems: found, placeholders, map, .. } = pass;
            let mut placeholders = placeholders.into_inner();
            if lost {
                // Text that could not be read may hold any beat, ending or cast member, so a
                // reference to one that is not found is a guess.
                placeholders.extend(["beats[]", "endings[]", "cast[]"].map(String::from));
            }
            let complete =
                !lost && dropped.is_empty() && value.is_some() && !placeholders.iter().any(|p| decides_paths(p));
            problems.extend(found.into_inner());
            return finish(value, problems, map.into_inner(), placeholders, complete);
        }
        drop(pass);
        if let Some(element) = retry_without {
            dropped.insert(element);
            passes += 1;
        }
    }
    finish(None, problems, SourceMap::default(), Vec::new(), false)
}

fn finish<T>(
    value: Option<T>,
    mut problems: Vec<Problem>,
    map: SourceMap,
    placeholders: Vec<String>,
    graph_complete: bool,
) -> Recovered<T> {
    problems.sort_by_key(|p| p.span.start);
    problems.dedup_by(|a, b| a.span == b.span && a.code == b.code);
    problems.truncate(MAX_PROBLEMS);
    Recovered { value, problems, map, placeholders, graph_complete }
}

/// Whether a stand-in at `path` could change where choices lead.
fn decides_paths(path: &str) -> bool {
    let last = path.rsplit('.').next().unwrap_or(path);
    let field = last.split('[').next().unwrap_or(last);
    last.ends_with(']')
        || matches!(field, "next" | "id" | "start" | "choices" | "beats" | "endings" | "outcomes" | "when")
}

/// The list element that holds the value `id` (the innermost one), to leave out.
fn element_containing(node: &Node, id: u32) -> Option<u32> {
    fn search(node: &Node, id: u32, element: Option<u32>) -> Option<Option<u32>> {
        if node.id == id {
            return Some(element);
        }
        let children: Box<dyn Iterator<Item = (&Node, bool)>> = match &node.kind {
            Kind::List(items) => Box::new(items.iter().map(|n| (n, true))),
            Kind::Named(_, group) | Kind::Group(group) => {
                Box::new(group.items.iter().chain(group.fields.iter().map(|f| &f.value)).map(|n| (n, false)))
            }
            _ => return None,
        };
        for (child, is_element) in children {
            let element = if is_element { Some(child.id) } else { element };
            if let Some(found) = search(child, id, element) {
                return Some(found);
            }
        }
        None
    }
    search(node, id, None).flatten()
}
