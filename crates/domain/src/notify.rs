//! Notifications: what happened, who hears of it, and how often they get e-mail.
//!
//! Events are recorded where they happen (in the transaction that changes the proposal or adds the
//! comment); a background job fans each event out to the people it concerns. These rules decide the
//! audience and the timing; the storage layer only executes them.

crate::named_enum! {
    /// Something that happened and that followers may hear of.
    pub enum EventKind: "event kind", label "event-kind-" {
        /// A proposal or debate changed state (`detail` is the new state).
        StateChanged = "state-changed",
        /// An official answer was recorded.
        Answered = "answered",
        /// A comment was added (to a followed proposal or debate, or in reply to one's comment).
        Commented = "commented",
        /// A proposal or debate opened in a followed scope, or by a followed person.
        Published = "published",
        /// Moderators hid one's content (`detail` is the reason).
        Hidden = "hidden",
        /// A participatory-budgeting process moved to another phase (`detail` is `process id:phase`).
        BudgetPhase = "budget-phase",
        /// An agenda item moved: screened, referred, answered, deliberated, prioritised, adopted, …
        /// (the event's `detail` is `item id:change`, the notification's the change's name).
        ItemChanged = "item-changed",
    }
}

crate::named_enum! {
    /// What a notification is about: the subject whose page it leads to and whose followers hear of it.
    pub enum SubjectKind: "notification subject", label "notify-subject-" {
        /// A proposal or a debate.
        Proposal = "proposal",
        /// An agenda item of the innovation plan.
        PlanItem = "plan_item",
        /// A participatory-budgeting process.
        BudgetProcess = "budget_process",
    }
}

impl EventKind {
    /// The Fluent id of the notification's sentence (arguments: `title`, `actor`, `detail`); the label
    /// (`label_id`) is the kind's short name, for lists.
    pub fn sentence_id(self) -> &'static str {
        match self {
            EventKind::StateChanged => "notification-state-changed",
            EventKind::Answered => "notification-answered",
            EventKind::Commented => "notification-commented",
            EventKind::Published => "notification-published",
            EventKind::Hidden => "notification-hidden",
            EventKind::BudgetPhase => "notification-budget-phase",
            EventKind::ItemChanged => "notification-item-changed",
        }
    }
}

/// Who hears of an event, besides the actor (who never notifies themself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Audience {
    /// The author of the proposal or debate.
    pub author: bool,
    /// Its followers.
    pub followers: bool,
    /// Followers of its scope and of its author.
    pub scope_and_author_followers: bool,
    /// The author of the comment replied to, and people mentioned in the new text.
    pub replied_and_mentioned: bool,
}

pub fn audience(kind: EventKind) -> Audience {
    let none = Audience {
        author: false,
        followers: false,
        scope_and_author_followers: false,
        replied_and_mentioned: false,
    };
    match kind {
        EventKind::StateChanged | EventKind::Answered => Audience {
            author: true,
            followers: true,
            ..none
        },
        EventKind::Commented => Audience {
            author: true,
            followers: true,
            replied_and_mentioned: true,
            ..none
        },
        EventKind::Published => Audience {
            scope_and_author_followers: true,
            replied_and_mentioned: true,
            ..none
        },
        EventKind::Hidden => Audience {
            author: true,
            ..none
        },
        // A budget process's followers: the proposers of its projects ("authors") and the followers of
        // its scope or an ancestor.
        EventKind::BudgetPhase => Audience {
            author: true,
            scope_and_author_followers: true,
            ..none
        },
        // An agenda item's followers: its proposer and the people who acted on it follow it on their own.
        EventKind::ItemChanged => Audience {
            author: true,
            followers: true,
            ..none
        },
    }
}

crate::named_enum! {
    /// How a person wants notifications by e-mail.
    pub enum EmailPreference: "e-mail preference", label "email-pref-" {
        /// One mail per notification, within a minute.
        Immediate = "immediate",
        Daily = "daily",
        /// No e-mail; notifications stay on the site.
        Off = "off",
    }
}

impl Default for EmailPreference {
    /// One mail a day: people hear of what concerns them without being flooded.
    fn default() -> Self {
        EmailPreference::Daily
    }
}

/// The hour (Seoul time) the daily digest goes out.
pub const DIGEST_HOUR_KST: i8 = 8;

/// The first digest time strictly after `now` (unix seconds): the next 08:00 in Seoul.
pub fn next_digest_at(now: i64) -> i64 {
    crate::time::next_local_hour(now, DIGEST_HOUR_KST)
}

/// A digest lists at most this many notifications (and says how many more there are).
pub const DIGEST_MAX_ITEMS: usize = 50;

/// Where mentions are in a text: the byte range of each handle after its `@`. A mention is `@` followed by
/// a handle's characters (letters of any script, digits, `_`; see `account::parse_handle`), not preceded
/// by a letter or digit (so e-mail addresses are not mentions).
pub fn mention_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = vec![];
    let mut previous: Option<char> = None;
    for (i, c) in text.char_indices() {
        let starts = c == '@' && !previous.is_some_and(|p| p.is_alphanumeric());
        previous = Some(c);
        if !starts {
            continue;
        }
        let rest = &text[i + 1..];
        let len: usize = rest
            .chars()
            .take_while(|ch| ch.is_alphanumeric() || *ch == '_')
            .map(char::len_utf8)
            .sum();
        let name = &rest[..len];
        if !name.is_empty() {
            spans.push((i + 1, i + 1 + name.len()));
        }
    }
    spans
}

/// The names mentioned in a text (see [`mention_spans`]): each once, in order of first appearance, at
/// most 20.
pub fn mentions(text: &str) -> Vec<String> {
    let mut names: Vec<String> = vec![];
    for (start, end) in mention_spans(text) {
        let name = text[start..end].to_lowercase();
        if !names.contains(&name) {
            names.push(name);
            if names.len() == 20 {
                break;
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_preferences_round_trip() {
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.as_str()), Some(k));
        }
        for p in EmailPreference::ALL {
            assert_eq!(EmailPreference::parse(p.as_str()), Some(p));
        }
        assert_eq!(EventKind::parse("nope"), None);
        assert_eq!(EmailPreference::parse("weekly"), None);
        assert_eq!(EmailPreference::default(), EmailPreference::Daily);
    }

    #[test]
    fn audiences() {
        assert!(audience(EventKind::Answered).author && audience(EventKind::Answered).followers);
        assert!(
            !audience(EventKind::Hidden).followers,
            "hiding is told to the author only"
        );
        let published = audience(EventKind::Published);
        assert!(published.scope_and_author_followers && !published.author);
        assert!(audience(EventKind::Commented).replied_and_mentioned);
    }

    #[test]
    fn digest_time_is_next_eight_in_seoul() {
        // 2025-11-26 22:59:59 UTC = 2025-11-27 07:59:59 KST: the digest is one second later.
        let before = 1_764_197_999; // 2025-11-26T22:59:59Z
        assert_eq!(next_digest_at(before), before + 1);
        // Exactly at 08:00 KST the next digest is a day later.
        assert_eq!(next_digest_at(before + 1), before + 1 + 86_400);
        assert_eq!(next_digest_at(before + 3600), before + 1 + 86_400);
        for t in [0, 1_000_000_007, 1_764_197_999] {
            let at = next_digest_at(t);
            assert!(at > t && at - t <= 86_400);
            assert_eq!((at + 9 * 3600) % 86_400, i64::from(DIGEST_HOUR_KST) * 3600);
        }
    }

    #[test]
    fn mentions_are_found_in_korean_and_english() {
        assert_eq!(
            mentions("@김민수 님, @jane_doe. 그리고 @김민수 again"),
            vec!["김민수", "jane_doe"]
        );
        assert!(mentions("mail me at jane@example.org").is_empty());
        assert!(mentions("@ alone, @@ and @.").is_empty());
        assert_eq!(mentions("(@관리자)"), vec!["관리자"]);
        assert_eq!(mentions("@Jane_Doe and @jane_doe-x"), vec!["jane_doe"]);
        let many: String = (0..30).map(|i| format!("@u{i} ")).collect();
        assert_eq!(mentions(&many).len(), 20);
    }
}
