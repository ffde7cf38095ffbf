//! The committees' part of the demo city: Jongno-gu's governance committee (the demo member chairs it,
//! a public meeting with its agenda) and Sajik-dong's resident council with an open call for members.
use maeul_db::committees::{NewCall, NewCommittee, NewMeeting, NewMembership};
use maeul_db::{Db, DbError};
use maeul_domain::committee::{
    Choice, CommitteeKind, MeetingEvent, MotionEvent, Position, SeatPlan, Sector, Tally, Term,
    VoteRule,
};
use maeul_domain::time::{DAY, HOUR, now};

use super::draw::{check_call_strata, parse_features};

fn corrupt(e: impl std::fmt::Display) -> DbError {
    DbError::Corrupt(e.to_string())
}

pub async fn seed(db: &Db) -> Result<(), DbError> {
    let scopes = maeul_domain::ScopeTree::new(db.load_scopes().await?).map_err(DbError::Corrupt)?;
    let (Some(jongno), Some(sajik)) = (scopes.by_code("11110"), scopes.by_code("1111053000"))
    else {
        return Ok(());
    };
    let at = now();
    let term = Term::new(at - DAY, at + 2 * 365 * DAY).map_err(corrupt)?;
    let governance = db
        .create_committee(&NewCommittee {
            scope_id: jongno.id,
            parent_id: None,
            kind: CommitteeKind::DistrictGovernance,
            name: "종로구 민관협치회의 (Jongno-gu governance committee)",
            charter: "종로구 민관협치 기본 조례에 따라 협치 의제를 발굴하고 지역사회혁신계획을 심의·의결합니다.\n\n\
                      Finds local agendas and deliberates and resolves the district's innovation plan, under the \
                      district's collaborative-governance ordinance. Civil majority; co-chaired by the district head \
                      and an elected civil chair.",
            vote_rule: VoteRule::MajorityOfVoting,
            secret_ballot: false,
            gender_cap: Some(60),
            seats: SeatPlan {
                public: 2,
                civil: 4,
                expert: 1,
            },
            created_by: None,
        })
        .await?;
    // The demo committee member chairs it (the demo accounts keep exactly their one role each).
    if let Some(user) = db.user_by_email("member@demo.maeul.kr").await? {
        db.appoint_member(&NewMembership {
            committee_id: governance,
            user_id: user.id,
            sector: Sector::Civil,
            position: Position::Chair,
            gender: "female",
            term,
        })
        .await?;
    }
    let meeting = db
        .create_meeting(&NewMeeting {
            committee_id: governance,
            title: "제1차 정기회의 (1st regular meeting)",
            starts_at: at + 14 * DAY,
            ends_at: at + 14 * DAY + 2 * HOUR,
            place: "종로구청 기획상황실 (Jongno-gu Office)",
            capacity: 20,
        })
        .await?;
    db.add_agenda_item(
        meeting,
        "2027 지역사회혁신계획 심의 (2027 innovation plan)",
        "",
        None,
    )
    .await?;
    db.add_agenda_item(meeting, "분과 구성 (subcommittees)", "", None)
        .await?;
    db.transition_meeting(
        meeting,
        &maeul_domain::committee::MeetingEvent::PublishAgenda,
    )
    .await?;
    let council = db
        .create_committee(&NewCommittee {
            scope_id: sajik.id,
            parent_id: None,
            kind: CommitteeKind::ResidentCouncil,
            name: "사직동 주민자치회 (Sajik-dong resident council)",
            charter: "주민자치학교 6시간 이수자 중 공개 추첨으로 위원을 선정합니다. 한 성별이 60%를 넘지 않습니다.\n\n\
                      Members are drawn by public lottery among residents who completed 6 hours of resident-autonomy \
                      school; neither gender above 60%.",
            vote_rule: VoteRule::MajorityOfPresent,
            secret_ballot: false,
            gender_cap: Some(60),
            seats: SeatPlan {
                public: 0,
                civil: 10,
                expert: 0,
            },
            created_by: None,
        })
        .await?;
    let (seats, min_age) = (5, 16);
    let features = parse_features("gender: female<=60%, male<=60%; age_band: 16-39, 40-59, 60+")
        .map_err(corrupt)?;
    // The demo's own call must be one a panel can be drawn for.
    check_call_strata(seats, min_age, &features).map_err(corrupt)?;
    let call = db
        .create_call(&NewCall {
            committee_id: council,
            title: "2027 주민자치회 위원 공개 모집 (2027 open call)",
            description: "",
            sector: Sector::Civil,
            seats,
            reserve_size: 2,
            min_age,
            training_hours: 6,
            features_json: &serde_json::to_string(&features).map_err(corrupt)?,
            seed_rule: "Lotto 6/45: the numbers of the first draw after the call closes, then \" | sajik-2027\"",
            term: Term::new(at + 30 * DAY, at + 760 * DAY).map_err(corrupt)?,
        })
        .await?;
    db.open_call(call).await
}

/// A meeting of `committee` in session now, its chair (its first member) present, that carries a motion
/// by the chair's vote: for other areas' demos that cite a committee's decision. Returns the motion, or
/// `None` when the committee has no member.
pub async fn carried_now(
    db: &Db,
    committee: i64,
    meeting_title: &str,
    title: &str,
    body: &str,
) -> Result<Option<i64>, DbError> {
    let Some(chair) = db.committee_members(committee).await?.into_iter().next() else {
        return Ok(None);
    };
    let at = now();
    let meeting = db
        .create_meeting(&NewMeeting {
            committee_id: committee,
            title: meeting_title,
            starts_at: at - HOUR,
            ends_at: at + HOUR,
            place: "종로구청 기획상황실 (Jongno-gu Office)",
            capacity: 0,
        })
        .await?;
    db.transition_meeting(meeting, &MeetingEvent::PublishAgenda)
        .await?;
    db.set_attendance(meeting, chair.id, true, None).await?;
    let convene = MeetingEvent::Convene {
        present: 0,
        seats_filled: 0,
        at: 0,
        starts_at: 0,
    };
    for event in [convene, MeetingEvent::StartSession] {
        db.transition_meeting(meeting, &event).await?;
    }
    let motion = db
        .propose_motion(meeting, None, title, body, Some(chair.user_id))
        .await?;
    db.transition_motion(motion, &MotionEvent::OpenVote).await?;
    db.cast_vote(motion, chair.user_id, Choice::Yes).await?;
    let close = MotionEvent::CloseVote {
        tally: Tally::default(),
        present: 0,
        seats_filled: 0,
        rule: VoteRule::MajorityOfVoting,
    };
    db.transition_motion(motion, &close).await?;
    Ok(Some(motion))
}
