//! iCalendar (RFC 5545) entries and feeds of committee meetings, written with the `icalendar` crate (it
//! escapes text values and folds lines at 75 octets); instants are UTC from `maeul_domain::time`.
use axum::http::header;
use axum::response::{IntoResponse, Response};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
use maeul_db::committees::{CommitteeRow, MeetingRow, MinutesRow};
use maeul_domain::committee::MeetingState;
use maeul_domain::time::ical_utc;

/// One meeting as a VEVENT. `state_label` is the meeting's state in the calendar's language; published
/// minutes go into the description.
pub fn event(
    base_url: &str,
    c: &CommitteeRow,
    m: &MeetingRow,
    state_label: &str,
    minutes: Option<&MinutesRow>,
) -> Event {
    let host = base_url
        .split("://")
        .nth(1)
        .unwrap_or(base_url)
        .trim_end_matches('/');
    let mut description = format!("{} — {state_label}", c.name);
    if let Some(minutes) = minutes {
        description.push_str("\n\n");
        description.push_str(&minutes.body);
    }
    Event::new()
        .uid(&format!("meeting-{}@{host}", m.id))
        .add_property("DTSTAMP", ical_utc(m.updated_at))
        .add_property("DTSTART", ical_utc(m.starts_at))
        .add_property("DTEND", ical_utc(m.ends_at))
        .summary(&m.title)
        .location(&m.place)
        .description(&description)
        .url(&format!(
            "{}/meetings/{}",
            base_url.trim_end_matches('/'),
            m.id
        ))
        .status(if m.state == MeetingState::Cancelled {
            EventStatus::Cancelled
        } else {
            EventStatus::Confirmed
        })
        .done()
}

/// A calendar of events, as served.
pub fn calendar(name: &str, events: Vec<Event>) -> String {
    let mut cal = Calendar::new();
    cal.name(name);
    for e in events {
        cal.push(e);
    }
    cal.done().to_string()
}

pub fn response(body: String) -> Response {
    (
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meeting(title: &str, place: &str) -> MeetingRow {
        MeetingRow {
            id: 7,
            committee_id: 1,
            title: title.into(),
            starts_at: 1_796_050_800,
            ends_at: 1_796_058_000,
            place: place.into(),
            capacity: 0,
            state: MeetingState::Scheduled,
            cancel_reason: String::new(),
            quorum_present: None,
            seats_filled: None,
            created_at: 0,
            updated_at: 0,
        }
    }

    fn committee() -> CommitteeRow {
        CommitteeRow {
            id: 1,
            scope_id: 1,
            parent_id: None,
            kind: maeul_domain::committee::CommitteeKind::ResidentCouncil,
            name: "주민자치회".into(),
            charter: String::new(),
            vote_rule: maeul_domain::committee::VoteRule::MajorityOfVoting,
            secret_ballot: 0,
            gender_cap: None,
            created_at: 0,
        }
    }

    #[test]
    fn text_is_escaped_lines_folded_and_times_utc() {
        let m = meeting("Budget; round 2, \\draft\\", &"회의실".repeat(30));
        let body = calendar(
            "cal",
            vec![event("https://m.example", &committee(), &m, "예정", None)],
        );
        assert!(
            body.contains("SUMMARY:Budget\\; round 2\\, \\\\draft\\\\"),
            "{body}"
        );
        assert!(body.contains("DTSTART:20261130T150000Z"), "{body}");
        assert!(body.contains("UID:meeting-7@m.example"), "{body}");
        assert!(body.contains("\r\n"));
        for line in body.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = body.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("LOCATION:{}", "회의실".repeat(30))));
    }

    #[test]
    fn newlines_in_descriptions_are_escaped() {
        let minutes = MinutesRow {
            meeting_id: 7,
            body: "line one\nline two".into(),
            drafted_at: 0,
            approved_at: None,
            published_at: None,
        };
        let body = calendar(
            "cal",
            vec![event(
                "https://m.example",
                &committee(),
                &meeting("t", "p"),
                "s",
                Some(&minutes),
            )],
        );
        assert!(
            body.replace("\r\n ", "").contains("line one\\nline two"),
            "{body}"
        );
    }
}
