//! The 22 lessons the game teaches and the five articles they come from.
//!
//! This is the one place lessons are listed: the checker, the coverage matrix, the
//! debrief and the tests all read it.

/// An article a lesson is drawn from, cited by the title the design gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Article {
    pub id: &'static str,
    pub title: &'static str,
}

pub const ARTICLES: [Article; 5] = [
    Article { id: "A1", title: "Senior Leadership" },
    Article { id: "A2", title: "How Senior Leadership Transforms Your Impact" },
    Article { id: "A3", title: "Career Advancement: More than Just Doing Your Job" },
    Article { id: "A4", title: "3 Career Advancement Pitfalls of Senior Managers" },
    Article { id: "A5", title: "When Diligence Gets in the Way of Stepping Up" },
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lesson {
    pub id: &'static str,
    /// A short name for lists and timelines.
    pub name: &'static str,
    /// One sentence, in our own words.
    pub summary: &'static str,
    /// Article ids, the main source first.
    pub articles: &'static [&'static str],
    /// A question for a room to discuss, used in the workshop debrief.
    pub question: &'static str,
}

impl Lesson {
    /// The main article this lesson is cited from.
    pub fn article(&self) -> &'static Article {
        article(self.articles[0]).expect("every lesson cites a listed article")
    }

    /// "Title" or "Title; Other title" for lessons drawn from two articles.
    pub fn citation(&self) -> String {
        self.articles
            .iter()
            .filter_map(|id| article(id))
            .map(|a| format!("\u{201c}{}\u{201d}", a.title))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

pub const LESSONS: [Lesson; 22] = [
    Lesson {
        id: "L01",
        name: "Own the outcome",
        summary: "A gap in your team is yours to close; blaming someone else is never the senior move.",
        articles: &["A1"],
        question: "When something in your team goes wrong, what do you say first, and to whom?",
    },
    Lesson {
        id: "L02",
        name: "Hold a vision and take risks for it",
        summary: "Picture what the team could become and be ready to back the bolder plan that gets it there.",
        articles: &["A1"],
        question: "What could your team be in two years, and what risk would you accept to get there?",
    },
    Lesson {
        id: "L03",
        name: "Clear goals, regular feedback",
        summary: "People connect to the mission through measurable goals and honest, frequent feedback.",
        articles: &["A1"],
        question: "Could each person on your team name the one measure they will be judged on this quarter?",
    },
    Lesson {
        id: "L04",
        name: "Make people feel heard",
        summary: "Listening costs time, but people who feel heard bring their best work.",
        articles: &["A1"],
        question: "When did someone on your team last change your mind, and how did they know you had listened?",
    },
    Lesson {
        id: "L05",
        name: "Be visible",
        summary: "Mentor, build ties with other leaders and ask for feedback instead of only keeping your head down.",
        articles: &["A1"],
        question: "Who outside your own line knows what you and your team are working on?",
    },
    Lesson {
        id: "L06",
        name: "Collective outcomes",
        summary: "At senior level you are measured by what the organisation achieves, not by your own output.",
        articles: &["A2"],
        question: "Which of your team's wins this year cost the wider organisation something?",
    },
    Lesson {
        id: "L07",
        name: "Peers are your first team",
        summary: "You do not pick your fellow leaders, yet you win or lose together with them.",
        articles: &["A2"],
        question: "Which peer do you most need to succeed, and what have you done for them lately?",
    },
    Lesson {
        id: "L08",
        name: "Align across the organisation",
        summary: "Build trust with peers and find the shared priority when goals pull apart.",
        articles: &["A2"],
        question: "Where do your priorities clash with a peer's, and what goal do you both share?",
    },
    Lesson {
        id: "L09",
        name: "Guard your attention",
        summary: "Routines, protected thinking time and batched decisions keep the urgent from eating the important.",
        articles: &["A2"],
        question: "Which hour of your week is protected for thinking, and who knows not to book it?",
    },
    Lesson {
        id: "L10",
        name: "Think differently",
        summary: "Ask better questions and challenge the usual playbook with care.",
        articles: &["A2"],
        question: "Which of your team's habits would a newcomer question, and what would you answer?",
    },
    Lesson {
        id: "L11",
        name: "Speak every function's language",
        summary: "Learn how finance, sales, operations and customers see the business.",
        articles: &["A2"],
        question: "How would your finance or sales colleagues describe the value of your work, in their numbers?",
    },
    Lesson {
        id: "L12",
        name: "Influence without rank",
        summary: "Support earned through relationships lasts longer than compliance won by position.",
        articles: &["A2", "A3"],
        question: "When did you last win support for something without using your title?",
    },
    Lesson {
        id: "L13",
        name: "Negotiate for win-win",
        summary: "Priorities, people and deadlines are traded every day; look for the deal both sides can live with.",
        articles: &["A2"],
        question: "In your last tough negotiation, what did the other side need that you could have given?",
    },
    Lesson {
        id: "L14",
        name: "Results shortlist, strategy promotes",
        summary: "Delivering gets you considered; strategic perspective and business sense get you chosen.",
        articles: &["A3"],
        question: "Beyond hitting your targets, what have you contributed to the strategy this year?",
    },
    Lesson {
        id: "L15",
        name: "Manage up",
        summary: "See your boss's problem from their side and bring them a framed way to think about it.",
        articles: &["A3", "A5"],
        question: "What problem is your boss wrestling with right now, and how could you help frame it?",
    },
    Lesson {
        id: "L16",
        name: "Ask what stakeholders value",
        summary: "Find out what the customer or stakeholder actually measures instead of assuming.",
        articles: &["A4"],
        question: "When did you last ask a customer or stakeholder what they actually measure?",
    },
    Lesson {
        id: "L17",
        name: "Take the organisation's view",
        summary: "Leave behind any bias toward the area you came from; be fair across all of them.",
        articles: &["A4"],
        question: "If you had started in a different part of the organisation, which of your decisions would change?",
    },
    Lesson {
        id: "L18",
        name: "Say no, or yes-if",
        summary: "Decline work that does not serve the strategy, or agree only with the people, time or money it needs.",
        articles: &["A4"],
        question: "What request did you accept recently that you should have met with “yes, if” or “no”?",
    },
    Lesson {
        id: "L19",
        name: "Escape the diligence trap",
        summary: "Do less yourself: delegate, develop and trust the team to deliver.",
        articles: &["A5"],
        question: "What are you still doing yourself that someone on your team could learn to do?",
    },
    Lesson {
        id: "L20",
        name: "Represent your team upward",
        summary: "Make the team's value known to stakeholders across the business, not only to your manager.",
        articles: &["A5"],
        question: "Who in the business should know your team's results, and how will they hear of them?",
    },
    Lesson {
        id: "L21",
        name: "Escalate risks early",
        summary: "Manage issues actively and raise a risk while there is still time to act on it.",
        articles: &["A5"],
        question: "Which risk are you quietly hoping will go away, and who should hear about it this week?",
    },
    Lesson {
        id: "L22",
        name: "Stop, reflect, refocus",
        summary: "Step back from the busywork to make room for strategic thinking.",
        articles: &["A5", "A2"],
        question: "When did you last step back from the busywork, and what did you see from there?",
    },
];

pub fn lesson(id: &str) -> Option<&'static Lesson> {
    LESSONS.iter().find(|l| l.id == id)
}

pub fn article(id: &str) -> Option<&'static Article> {
    ARTICLES.iter().find(|a| a.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lessons_are_numbered_in_order_and_cite_known_articles() {
        for (i, lesson) in LESSONS.iter().enumerate() {
            assert_eq!(lesson.id, format!("L{:02}", i + 1));
            assert!(lesson.articles.iter().all(|a| article(a).is_some()), "{}", lesson.id);
        }
        assert_eq!(lesson("L15").unwrap().citation().matches('\u{201c}').count(), 2);
    }
}
