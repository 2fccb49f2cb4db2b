//! The order of a decision, written once.
//!
//! A [`Session`](super::Session) (string ids, a transcript) and a
//! [`Playout`](super::playout::Playout) (indices and bits, for millions of simulated runs) keep
//! their state differently, so each says how to do one step to its own state; [`resolve`]
//! alone says which steps happen and in what order. The order (documented in
//! docs/authoring.md):
//! 1. the choice's effects; 2. its chance outcome, if any (drawn from the seeded stream),
//!    with the outcome's flags; 3. the flags the choice sets; 4. its delayed effects
//!    scheduled; 5. delayed effects due at this decision land, oldest first; 6. the lesson
//!    counts as met, and rule endings (`when`) are tested in file order, the first that holds
//!    ending the run; 7. otherwise the run moves to the outcome's `next` if it has one, else
//!    the choice's `next`. Effects still waiting when a run ends never land.

/// One decision being resolved against one state representation.
pub trait DecisionSteps {
    /// A chance outcome of the choice being taken.
    type Outcome: Copy;
    /// Where the decision leads.
    type Dest;

    /// Step 1: the choice's own meter changes.
    fn apply_choice_effects(&mut self);
    /// Step 2: the drawn outcome's meter changes and flags.
    fn apply_outcome(&mut self, outcome: Self::Outcome);
    /// Step 3: the flags the choice sets.
    fn set_choice_flags(&mut self);
    /// Step 4: the choice's delayed effects, queued to land `after` decisions from `number`.
    fn schedule_delayed(&mut self, number: u32);
    /// Step 5: every queued effect due by decision `number` lands, in the order scheduled.
    fn land_due(&mut self, number: u32);
    /// Step 6a: the choice's lesson counts as met from now on (rule endings see it).
    fn meet_lesson(&mut self);
    /// Step 6b: the first rule ending, in file order, whose condition holds now.
    fn rule_ending(&self) -> Option<Self::Dest>;
    /// Step 7: the outcome's `next` if it has one, else the choice's.
    fn destination(&self, outcome: Option<Self::Outcome>) -> Self::Dest;
    fn is_ending(dest: &Self::Dest) -> bool;
    /// Drops every effect still queued (the run has ended).
    fn drop_pending(&mut self);
}

/// Resolves decision `number` (1-based) with the outcome already drawn, and returns where it
/// leads. The one place the order of a decision is written.
pub fn resolve<S: DecisionSteps>(steps: &mut S, number: u32, outcome: Option<S::Outcome>) -> S::Dest {
    steps.apply_choice_effects();
    if let Some(outcome) = outcome {
        steps.apply_outcome(outcome);
    }
    steps.set_choice_flags();
    steps.schedule_delayed(number);
    steps.land_due(number);
    steps.meet_lesson();
    let led_to = steps.rule_ending().unwrap_or_else(|| steps.destination(outcome));
    if S::is_ending(&led_to) {
        steps.drop_pending();
    }
    led_to
}
