//! How a notification reads and where it leads, shared by the notifications page and the mails.
use maeul_db::notifications::Notification;
use maeul_domain::notify::{EventKind, SubjectKind};
use maeul_domain::plan::ItemChange;
use maeul_domain::proposal::{ItemKind, ItemState, Responder};
use maeul_domain::{Lang, Named};

use crate::i18n::I18n;

/// The sentence that says what a notification is about, in `lang`.
pub fn notification_text(i18n: &I18n, lang: Lang, n: &Notification) -> String {
    let actor = n
        .actor_name
        .clone()
        .unwrap_or_else(|| i18n.tr(lang, "notification-someone", &[]));
    // The detail is a state or a responder for these kinds (stored by name), a moderator's reason for
    // hiding, and empty otherwise.
    let detail = match n.kind {
        EventKind::StateChanged => ItemState::parse(&n.detail)
            .map_or_else(String::new, |s| i18n.tr(lang, s.label_id(), &[])),
        EventKind::Answered => Responder::parse(&n.detail)
            .map_or_else(String::new, |r| i18n.tr(lang, r.label_id(), &[])),
        EventKind::BudgetPhase => maeul_db::budget::parse_event_detail(&n.detail)
            .map_or_else(String::new, |(_, phase, _)| {
                i18n.tr(lang, phase.label_id(), &[])
            }),
        EventKind::ItemChanged => ItemChange::parse(&n.detail)
            .map_or_else(String::new, |c| i18n.tr(lang, c.label_id(), &[])),
        _ => n.detail.clone(),
    };
    // Content hidden by reports rather than by a moderator carries no reason.
    let id = if n.kind == EventKind::Hidden && n.detail.is_empty() {
        "notification-hidden-by-reports"
    } else {
        n.kind.sentence_id()
    };
    // A budget process's title travels in the event's detail.
    let title = match maeul_db::budget::parse_event_detail(&n.detail) {
        Some((_, _, title)) if n.kind == EventKind::BudgetPhase => title,
        _ => n.title.clone(),
    };
    i18n.tr(
        lang,
        id,
        &[
            ("title", title.into()),
            ("actor", actor.into()),
            ("detail", detail.into()),
        ],
    )
}

/// Where a notification leads: its subject's page (at the comment, for a comment).
pub fn notification_path(n: &Notification) -> String {
    let base = match n.subject() {
        Some((SubjectKind::Proposal, id)) => match ItemKind::parse(&n.proposal_kind) {
            Some(ItemKind::Debate) => format!("/debates/{id}"),
            _ => format!("/proposals/{id}"),
        },
        Some((SubjectKind::PlanItem, id)) => format!("/agenda-items/{id}"),
        Some((SubjectKind::BudgetProcess, id)) => format!("/budgets/{id}"),
        None => "/notifications".to_owned(),
    };
    match n.comment_id {
        Some(c) => format!("{base}#comment-{c}"),
        None => base,
    }
}

#[cfg(test)]
mod tests {
    use maeul_db::OptionalName;

    use super::*;

    #[test]
    fn hidden_notices_say_who_hid_and_why() {
        let i18n = I18n::default();
        let mut n = Notification {
            id: 1,
            kind: EventKind::Hidden,
            subject_kind: OptionalName(Some(SubjectKind::Proposal)),
            subject_id: Some(7),
            comment_id: Some(9),
            detail: "광고".into(),
            created_at: 0,
            read_at: None,
            title: "골목 쉼터".into(),
            proposal_kind: "proposal".into(),
            actor_name: None,
        };
        assert_eq!(
            notification_text(&i18n, Lang::Ko, &n),
            "운영자가 “골목 쉼터”의 내 글을 숨겼습니다: 광고"
        );
        assert_eq!(notification_path(&n), "/proposals/7#comment-9");
        n.detail.clear();
        assert!(notification_text(&i18n, Lang::En, &n).contains("after several reports"));
    }

    #[test]
    fn state_changes_name_the_state_in_the_readers_language() {
        let i18n = I18n::default();
        let n = Notification {
            id: 1,
            kind: EventKind::StateChanged,
            subject_kind: OptionalName(Some(SubjectKind::Proposal)),
            subject_id: Some(7),
            comment_id: None,
            detail: "answered".into(),
            created_at: 0,
            read_at: None,
            title: "t".into(),
            proposal_kind: "debate".into(),
            actor_name: None,
        };
        let ko = notification_text(&i18n, Lang::Ko, &n);
        assert!(
            ko.contains(&i18n.tr(Lang::Ko, "state-answered", &[])),
            "{ko}"
        );
        assert_eq!(notification_path(&n), "/debates/7");
    }

    #[test]
    fn budget_phases_name_the_process_and_lead_to_it() {
        let i18n = I18n::default();
        let n = Notification {
            id: 1,
            kind: EventKind::BudgetPhase,
            subject_kind: OptionalName(Some(SubjectKind::BudgetProcess)),
            subject_id: Some(12),
            comment_id: None,
            detail: "12:voting_open:사직동: 2027".into(),
            created_at: 0,
            read_at: None,
            title: String::new(),
            proposal_kind: String::new(),
            actor_name: None,
        };
        let en = notification_text(&i18n, Lang::En, &n);
        assert!(
            en.contains("사직동: 2027") && en.contains("Voting open"),
            "{en}"
        );
        assert_eq!(notification_path(&n), "/budgets/12");
    }
}

#[cfg(test)]
mod item_tests {
    use maeul_db::OptionalName;

    use super::*;

    #[test]
    fn item_changes_name_the_change_in_the_readers_language_and_lead_to_the_item() {
        let i18n = I18n::default();
        let n = Notification {
            id: 1,
            kind: EventKind::ItemChanged,
            subject_kind: OptionalName(Some(SubjectKind::PlanItem)),
            subject_id: Some(5),
            comment_id: None,
            detail: "referred_up".into(),
            created_at: 0,
            read_at: None,
            title: "골목 정원".into(),
            proposal_kind: String::new(),
            actor_name: Some("담당자".into()),
        };
        let en = notification_text(&i18n, Lang::En, &n);
        assert!(
            en.contains("골목 정원") && en.contains("referred up"),
            "{en}"
        );
        let ko = notification_text(&i18n, Lang::Ko, &n);
        assert!(ko.contains("상위 단계로 회부"), "{ko}");
        assert_eq!(notification_path(&n), "/agenda-items/5");
    }
}
