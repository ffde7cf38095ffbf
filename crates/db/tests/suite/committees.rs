//! Storage of committees, on SQLite and on PostgreSQL (every test runs on both, like `storage.rs`).

use maeul_db::committees::{DrawRecord, NewCall, NewCommittee, NewMeeting, NewMembership};
use maeul_db::{Db, DbError};
use maeul_domain::Refusal;
use maeul_domain::ScopeTree;
use maeul_domain::committee::{
    ApplicationStatus, CallState, Choice, CommitteeKind, CommitteeRefusal, Ineligible,
    MeetingEvent, MeetingState, MemberSource, MotionEvent, MotionState, Position,
    RegistrationStatus, SeatError, SeatPlan, Sector, Tally, Term, TransitionError, VoteRefusal,
    VoteRule,
};

maeul_testkit::backend_tests!(
    committees_keep_seats_caps_and_history,
    a_call_is_applied_to_drawn_and_published,
    a_meeting_convenes_with_quorum_and_decides,
    votes_are_unique_in_the_database_and_secret_when_chartered,
    public_meetings_fill_then_queue,
);

async fn jongno(db: &Db) -> i64 {
    db.seed_seoul_if_empty().await.unwrap();
    let tree = ScopeTree::new(db.load_scopes().await.unwrap()).unwrap();
    tree.by_code("11110").unwrap().id
}

async fn user(db: &Db, email: &str) -> i64 {
    maeul_testkit::create_user(db, email, email).await.unwrap()
}

const NOW_TERM: Term = Term {
    start: 0,
    end: 4_000_000_000,
};

/// The refusal of a vote, if it was refused (any other error fails the test).
fn vote_refusal(result: Result<(), DbError>) -> Option<VoteRefusal> {
    match result {
        Ok(()) => None,
        Err(DbError::Refused(Refusal::Committee(CommitteeRefusal::Vote(v)))) => Some(v),
        Err(e) => panic!("unexpected error: {e}"),
    }
}

async fn committee(db: &Db, scope: i64, seats: SeatPlan, secret: bool) -> i64 {
    db.create_committee(&NewCommittee {
        scope_id: scope,
        parent_id: None,
        kind: CommitteeKind::DistrictGovernance,
        name: "종로구 협치회의",
        charter: "목적",
        vote_rule: VoteRule::MajorityOfVoting,
        secret_ballot: secret,
        gender_cap: Some(60),
        seats,
        created_by: None,
    })
    .await
    .unwrap()
}

async fn appoint(db: &Db, committee_id: i64, user_id: i64, sector: Sector, gender: &str) -> i64 {
    db.appoint_member(&NewMembership {
        committee_id,
        user_id,
        sector,
        position: Position::Member,
        gender,
        term: NOW_TERM,
    })
    .await
    .unwrap()
}

async fn committees_keep_seats_caps_and_history(db: Db) {
    let scope = jongno(&db).await;
    let seats = SeatPlan {
        public: 1,
        civil: 4,
        expert: 0,
    };
    let c = committee(&db, scope, seats, false).await;
    assert_eq!(db.committee_seats(c).await.unwrap(), seats);
    let row = db.committee(c).await.unwrap().unwrap();
    assert_eq!(row.kind, CommitteeKind::DistrictGovernance);
    assert_eq!(row.vote_rule, VoteRule::MajorityOfVoting);
    assert_eq!(db.committees_in_scope(scope).await.unwrap().len(), 1);

    // A subcommittee needs its parent; another kind may not have one.
    let sub = NewCommittee {
        scope_id: scope,
        parent_id: None,
        kind: CommitteeKind::Subcommittee,
        name: "분과",
        charter: "",
        vote_rule: VoteRule::MajorityOfPresent,
        secret_ballot: false,
        gender_cap: None,
        seats,
        created_by: None,
    };
    assert!(matches!(
        db.create_committee(&sub).await,
        Err(DbError::Refused(_))
    ));
    let sub_id = db
        .create_committee(&NewCommittee {
            parent_id: Some(c),
            ..sub
        })
        .await
        .unwrap();
    assert_eq!(db.subcommittees(c).await.unwrap()[0].id, sub_id);
    assert!(matches!(
        db.create_committee(&NewCommittee {
            seats: SeatPlan::default(),
            ..sub
        })
        .await,
        Err(DbError::Refused(_))
    ));

    let mut ids = vec![];
    for i in 0..6 {
        ids.push(user(&db, &format!("m{i}@x.kr")).await);
    }
    let official = appoint(&db, c, ids[0], Sector::Public, "male").await;
    // The one public seat is taken.
    let full = db
        .appoint_member(&NewMembership {
            committee_id: c,
            user_id: ids[1],
            sector: Sector::Public,
            position: Position::CoChair,
            gender: "female",
            term: NOW_TERM,
        })
        .await;
    assert!(matches!(
        full,
        Err(DbError::Refused(Refusal::Committee(
            CommitteeRefusal::Seat(SeatError::SectorFull {
                sector: Sector::Public,
                ..
            })
        )))
    ));
    appoint(&db, c, ids[1], Sector::Civil, "female").await;
    appoint(&db, c, ids[2], Sector::Civil, "female").await;
    appoint(&db, c, ids[3], Sector::Civil, "female").await;
    // 5 seats at 60 %: three women at most.
    let capped = db
        .appoint_member(&NewMembership {
            committee_id: c,
            user_id: ids[4],
            sector: Sector::Civil,
            position: Position::Member,
            gender: "female",
            term: NOW_TERM,
        })
        .await;
    assert!(matches!(
        capped,
        Err(DbError::Refused(Refusal::Committee(
            CommitteeRefusal::Seat(SeatError::GenderCap { cap: 60, .. })
        )))
    ));
    // The same person cannot hold two seats at once.
    assert!(matches!(
        db.appoint_member(&NewMembership {
            committee_id: c,
            user_id: ids[1],
            sector: Sector::Civil,
            position: Position::Member,
            gender: "female",
            term: NOW_TERM,
        })
        .await,
        Err(DbError::Refused(Refusal::Committee(
            CommitteeRefusal::AlreadyMember
        )))
    ));
    assert_eq!(
        db.seats_filled_at(c, maeul_domain::time::now())
            .await
            .unwrap(),
        4
    );

    // Ending a membership frees the seat and keeps the history.
    db.end_membership(official, "resigned").await.unwrap();
    assert!(matches!(
        db.end_membership(official, "again").await,
        Err(DbError::NotFound)
    ));
    assert_eq!(
        db.seats_filled_at(c, maeul_domain::time::now())
            .await
            .unwrap(),
        3
    );
    appoint(&db, c, ids[5], Sector::Public, "male").await;
    let history = db.committee_members(c).await.unwrap();
    assert_eq!(history.len(), 5, "the ended membership is kept");
    let ended = history.iter().find(|m| m.id == official).unwrap();
    assert_eq!(ended.end_reason, "resigned");
    assert!(ended.ended_at.is_some());
    assert!(
        db.active_membership(c, ids[0], maeul_db::now())
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        db.active_membership(c, ids[5], maeul_db::now())
            .await
            .unwrap()
            .is_some()
    );
}

fn features() -> &'static str {
    r#"[{"name":"gender","categories":[{"name":"female","max_share":0.6},{"name":"male","max_share":0.6}]}]"#
}

async fn a_call_is_applied_to_drawn_and_published(db: Db) {
    let scope = jongno(&db).await;
    let c = committee(
        &db,
        scope,
        SeatPlan {
            public: 0,
            civil: 3,
            expert: 0,
        },
        false,
    )
    .await;
    let call = db
        .create_call(&NewCall {
            committee_id: c,
            title: "2026 모집",
            description: "",
            sector: Sector::Civil,
            seats: 2,
            reserve_size: 1,
            min_age: 16,
            training_hours: 6,
            features_json: features(),
            seed_rule: "Lotto 6/45 draw 1200 | call",
            term: Term::new(1_000, 4_000_000_000).unwrap(),
        })
        .await
        .unwrap();
    let a = user(&db, "a@x.kr").await;
    let b = user(&db, "b@x.kr").await;
    let d = user(&db, "d@x.kr").await;
    // A draft call takes no applications.
    assert!(matches!(
        db.apply_to_call(call, a, 30, r#"{"gender":"female"}"#)
            .await,
        Err(DbError::Refused(_))
    ));
    db.open_call(call).await.unwrap();
    assert!(matches!(db.open_call(call).await, Err(DbError::Refused(_))));
    let app_a = db
        .apply_to_call(call, a, 30, r#"{"gender":"female"}"#)
        .await
        .unwrap();
    assert!(matches!(
        db.apply_to_call(call, a, 30, r#"{"gender":"female"}"#)
            .await,
        Err(DbError::Conflict(_))
    ));
    let app_b = db
        .apply_to_call(call, b, 41, r#"{"gender":"male"}"#)
        .await
        .unwrap();
    let app_d = db
        .apply_to_call(call, d, 15, r#"{"gender":"male"}"#)
        .await
        .unwrap();
    let e = user(&db, "e@x.kr").await;
    let app_e = db
        .apply_to_call(call, e, 52, r#"{"gender":"male"}"#)
        .await
        .unwrap();
    db.log_training(app_a, 4, "school 1-2", None).await.unwrap();
    db.log_training(app_a, 2, "school 3", None).await.unwrap();
    assert!(db.log_training(app_b, 0, "", None).await.is_err());
    let apps = db.applications(call).await.unwrap();
    assert_eq!(
        apps.iter()
            .map(|x| (x.pseudonym.as_str(), x.training_hours))
            .collect::<Vec<_>>(),
        vec![("A0001", 6), ("A0002", 0), ("A0003", 0), ("A0004", 0)]
    );
    assert_eq!(db.application_of(call, b).await.unwrap().unwrap().id, app_b);

    db.close_call(
        call,
        "{\"format\":\"maeul-sortition/1\"}",
        "abc",
        &[app_a, app_b, app_e],
        &[(app_d, vec![Ineligible::TooYoung { min_age: 19 }])],
    )
    .await
    .unwrap();
    let closed = db.call(call).await.unwrap().unwrap();
    assert_eq!(closed.state, CallState::Closed);
    assert_eq!(closed.input_sha256.as_deref(), Some("abc"));
    assert!(matches!(
        db.apply_to_call(call, user(&db, "late@x.kr").await, 30, "{}")
            .await,
        Err(DbError::Refused(_))
    ));
    // Publishing before the draw is refused.
    assert!(matches!(
        db.publish_panel(call, scope, None).await,
        Err(DbError::Refused(_))
    ));
    let record = DrawRecord {
        call_id: call,
        seed_text: "Lotto 1200: 1 2 3 4 5 6 + 7 | call",
        seed_source: "Lotto 6/45 draw 1200",
        seed_sha256: "ff",
        result_json: "{}",
        panel: &[app_b, app_a],
        reserves: &[app_e],
        drawn_by: None,
    };
    db.record_draw(&record).await.unwrap();
    assert!(
        db.record_draw(&record).await.is_err(),
        "a call is drawn once"
    );
    let draw = db.draw_of(call).await.unwrap().unwrap();
    assert_eq!(draw.seed_sha256, "ff");
    assert!(draw.published_at.is_none());
    let apps = db.applications(call).await.unwrap();
    let status = |id| {
        apps.iter()
            .find(|x| x.id == id)
            .map(|x| (x.status, x.rank))
            .unwrap()
    };
    assert_eq!(status(app_b), (ApplicationStatus::Selected, Some(1)));
    assert_eq!(status(app_a), (ApplicationStatus::Selected, Some(2)));
    assert_eq!(status(app_d), (ApplicationStatus::Ineligible, None));

    let members = db.publish_panel(call, scope, None).await.unwrap();
    assert_eq!(members.len(), 2);
    assert_eq!(
        db.call(call).await.unwrap().unwrap().state,
        CallState::Published
    );
    assert!(
        db.draw_of(call)
            .await
            .unwrap()
            .unwrap()
            .published_at
            .is_some()
    );
    let seated = db.committee_members(c).await.unwrap();
    assert_eq!(seated.len(), 2);
    assert!(seated.iter().all(|m| m.source == MemberSource::Lottery
        && m.sector == Sector::Civil
        && m.call_id == Some(call)));
    assert_eq!(
        seated.iter().find(|m| m.user_id == a).unwrap().gender,
        "female"
    );
    assert!(
        db.publish_panel(call, scope, None).await.is_err(),
        "published once"
    );

    // A vacancy is filled from the reserve list; the leaving seat stays in the history.
    let leaving = seated.iter().find(|m| m.user_id == b).unwrap().id;
    assert!(
        db.seat_reserve(call, scope, leaving, app_a, "resigned", None)
            .await
            .is_err(),
        "a selected applicant is not a reserve"
    );
    assert!(
        db.seat_reserve(call, scope, leaving, app_d, "resigned", None)
            .await
            .is_err(),
        "an ineligible applicant is not a reserve"
    );
    let replacement = db
        .seat_reserve(call, scope, leaving, app_e, "resigned", None)
        .await
        .unwrap();
    assert!(
        db.seat_reserve(call, scope, leaving, app_e, "resigned", None)
            .await
            .is_err(),
        "a reserve takes one seat"
    );
    let history = db.committee_members(c).await.unwrap();
    assert_eq!(history.len(), 3);
    let left = history.iter().find(|m| m.id == leaving).unwrap();
    assert_eq!(left.end_reason, "resigned");
    let new = history.iter().find(|m| m.id == replacement).unwrap();
    assert_eq!(
        (new.user_id, new.source.as_str(), new.gender.as_str()),
        (e, "reserve", "male")
    );
    assert_eq!(
        db.seats_filled_at(c, maeul_domain::time::now())
            .await
            .unwrap(),
        2
    );
}

/// A committee of `n` civil members, all appointed now; returns (committee, user ids, membership ids).
async fn sitting_committee(db: &Db, n: usize, secret: bool) -> (i64, Vec<i64>, Vec<i64>) {
    let scope = jongno(db).await;
    let c = committee(
        db,
        scope,
        SeatPlan {
            public: 0,
            civil: n as u32,
            expert: 0,
        },
        secret,
    )
    .await;
    let mut users = vec![];
    let mut members = vec![];
    for i in 0..n {
        let u = user(db, &format!("member{i}@x.kr")).await;
        members.push(appoint(db, c, u, Sector::Civil, "").await);
        users.push(u);
    }
    (c, users, members)
}

async fn meeting_in_session(db: &Db, c: i64, members: &[i64], present: usize) -> i64 {
    let m = db
        .create_meeting(&NewMeeting {
            committee_id: c,
            title: "제1차 회의",
            starts_at: maeul_domain::time::now(),
            ends_at: maeul_domain::time::now() + 7_200,
            place: "종로구청",
            capacity: 0,
        })
        .await
        .unwrap();
    db.transition_meeting(m, &MeetingEvent::PublishAgenda)
        .await
        .unwrap();
    for id in &members[..present] {
        db.set_attendance(m, *id, true, None).await.unwrap();
    }
    db.transition_meeting(
        m,
        &MeetingEvent::Convene {
            present: 0,
            seats_filled: 0,
            at: 0,
            starts_at: 0,
        },
    )
    .await
    .unwrap();
    db.transition_meeting(m, &MeetingEvent::StartSession)
        .await
        .unwrap();
    m
}

async fn a_meeting_convenes_with_quorum_and_decides(db: Db) {
    let (c, users, members) = sitting_committee(&db, 5, false).await;
    // Bad meeting times are refused.
    assert!(
        db.create_meeting(&NewMeeting {
            committee_id: c,
            title: "x",
            starts_at: 10,
            ends_at: 5,
            place: "p",
            capacity: 0
        })
        .await
        .is_err()
    );
    let m = db
        .create_meeting(&NewMeeting {
            committee_id: c,
            title: "제1차 회의",
            starts_at: maeul_domain::time::now(),
            ends_at: maeul_domain::time::now() + 7_200,
            place: "종로구청",
            capacity: 0,
        })
        .await
        .unwrap();
    // Attendance only once the agenda is out.
    assert!(db.set_attendance(m, members[0], true, None).await.is_err());
    let item = db
        .add_agenda_item(m, "예산 심의", "설명", None)
        .await
        .unwrap();
    assert!(
        db.add_agenda_item(m, "x", "", Some(999_999)).await.is_err(),
        "a link to a missing proposal is refused"
    );
    db.transition_meeting(m, &MeetingEvent::PublishAgenda)
        .await
        .unwrap();
    assert_eq!(db.agenda(m).await.unwrap()[0].id, item);
    db.set_attendance(m, members[0], true, None).await.unwrap();
    db.set_attendance(m, members[1], true, None).await.unwrap();
    db.set_attendance(m, members[1], true, None).await.unwrap();
    // 2 of 5 present: no quorum (3 needed); the claimed figures in the event are ignored.
    let refused = db
        .transition_meeting(
            m,
            &MeetingEvent::Convene {
                present: 5,
                seats_filled: 5,
                at: 0,
                starts_at: 0,
            },
        )
        .await;
    assert!(matches!(
        refused,
        Err(DbError::Refused(Refusal::Committee(
            CommitteeRefusal::Transition(TransitionError::NoQuorum { .. })
        )))
    ));
    assert_eq!(
        db.meeting(m).await.unwrap().unwrap().state,
        MeetingState::AgendaPublished
    );
    db.set_attendance(m, members[2], true, None).await.unwrap();
    db.set_attendance(m, members[3], true, None).await.unwrap();
    db.set_attendance(m, members[3], false, None).await.unwrap();
    assert_eq!(db.present_members(m).await.unwrap().len(), 3);
    let convene = MeetingEvent::Convene {
        present: 0,
        seats_filled: 0,
        at: 0,
        starts_at: 0,
    };
    assert_eq!(
        db.transition_meeting(m, &convene).await.unwrap(),
        MeetingState::Convened
    );
    let row = db.meeting(m).await.unwrap().unwrap();
    assert_eq!((row.quorum_present, row.seats_filled), (Some(3), Some(5)));
    // Motions only in session.
    assert!(
        db.propose_motion(m, None, "안건 채택", "", None)
            .await
            .is_err()
    );
    db.transition_meeting(m, &MeetingEvent::StartSession)
        .await
        .unwrap();
    let motion = db
        .propose_motion(m, Some(item), "안건 채택", "원안대로", Some(users[0]))
        .await
        .unwrap();
    // No vote before it is open.
    assert_eq!(
        vote_refusal(db.cast_vote(motion, users[0], Choice::Yes).await),
        Some(VoteRefusal::NotOpen)
    );
    db.transition_motion(motion, &MotionEvent::Debate)
        .await
        .unwrap();
    db.transition_motion(motion, &MotionEvent::OpenVote)
        .await
        .unwrap();
    assert_eq!(
        vote_refusal(db.cast_vote(motion, users[0], Choice::Yes).await),
        None
    );
    assert_eq!(
        vote_refusal(db.cast_vote(motion, users[0], Choice::No).await),
        Some(VoteRefusal::AlreadyVoted)
    );
    assert_eq!(
        vote_refusal(db.cast_vote(motion, users[1], Choice::Yes).await),
        None
    );
    assert_eq!(
        vote_refusal(db.cast_vote(motion, users[2], Choice::Abstain).await),
        None
    );
    // Absent members and strangers cannot vote.
    assert_eq!(
        vote_refusal(db.cast_vote(motion, users[4], Choice::No).await),
        Some(VoteRefusal::NotPresent)
    );
    let stranger = user(&db, "stranger@x.kr").await;
    assert!(matches!(
        db.cast_vote(motion, stranger, Choice::No).await,
        Err(DbError::Refused(Refusal::Committee(
            CommitteeRefusal::NotAMember
        )))
    ));
    let closed = db
        .transition_motion(
            motion,
            &MotionEvent::CloseVote {
                tally: Tally::default(),
                present: 0,
                seats_filled: 0,
                rule: VoteRule::MajorityOfPresent,
            },
        )
        .await
        .unwrap();
    assert_eq!(closed, MotionState::Carried, "2 yes, 0 no, 1 abstain");
    let row = db.motion(motion).await.unwrap().unwrap();
    assert_eq!(
        (
            row.yes_count,
            row.no_count,
            row.abstain_count,
            row.present_count
        ),
        (2, 0, 1, Some(3))
    );
    assert!(row.decided_at.is_some());
    // A vote on a closed motion is refused.
    assert_eq!(
        vote_refusal(db.cast_vote(motion, users[3], Choice::Yes).await),
        Some(VoteRefusal::NotOpen)
    );
    let roll = db.votes(motion).await.unwrap();
    assert_eq!(roll.len(), 3);
    assert!(roll.iter().all(|v| v.choice.0.is_some()), "roll call");
    let failing = db
        .propose_motion(m, None, "부결될 안건", "", None)
        .await
        .unwrap();
    db.transition_motion(failing, &MotionEvent::OpenVote)
        .await
        .unwrap();
    db.cast_vote(failing, users[0], Choice::No).await.unwrap();
    assert_eq!(
        db.transition_motion(
            failing,
            &MotionEvent::CloseVote {
                tally: Tally::default(),
                present: 0,
                seats_filled: 0,
                rule: VoteRule::MajorityOfVoting
            }
        )
        .await
        .unwrap(),
        MotionState::Failed
    );
    let withdrawn = db
        .propose_motion(m, None, "철회될 안건", "", None)
        .await
        .unwrap();
    db.transition_motion(withdrawn, &MotionEvent::Withdraw)
        .await
        .unwrap();
    let decisions = db.decisions(c).await.unwrap();
    assert_eq!(
        decisions
            .iter()
            .map(|d| (d.motion_id, d.state.as_str()))
            .collect::<Vec<_>>(),
        vec![(motion, "carried"), (failing, "failed")]
    );

    // Minutes: not before adjournment; drafted, approved, published.
    assert!(db.draft_minutes(m, "초안", None).await.is_err());
    db.transition_meeting(m, &MeetingEvent::Adjourn)
        .await
        .unwrap();
    assert!(
        db.transition_meeting(m, &MeetingEvent::ApproveMinutes)
            .await
            .is_err()
    );
    db.draft_minutes(m, "초안", None).await.unwrap();
    db.draft_minutes(m, "수정안", None).await.unwrap();
    assert_eq!(db.minutes(m).await.unwrap().unwrap().body, "수정안");
    db.transition_meeting(m, &MeetingEvent::ApproveMinutes)
        .await
        .unwrap();
    db.transition_meeting(m, &MeetingEvent::PublishMinutes)
        .await
        .unwrap();
    let minutes = db.minutes(m).await.unwrap().unwrap();
    assert!(minutes.approved_at.is_some() && minutes.published_at.is_some());
    assert_eq!(
        db.meeting(m).await.unwrap().unwrap().state,
        MeetingState::Published
    );
    // Cancelling needs a reason and an unopened meeting.
    let other = db
        .create_meeting(&NewMeeting {
            committee_id: c,
            title: "제2차 회의",
            starts_at: 2_100_000_000,
            ends_at: 2_100_003_600,
            place: "종로구청",
            capacity: 0,
        })
        .await
        .unwrap();
    assert!(
        db.transition_meeting(other, &MeetingEvent::Cancel { reason: " ".into() })
            .await
            .is_err()
    );
    db.transition_meeting(
        other,
        &MeetingEvent::Cancel {
            reason: "태풍".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(
        db.meeting(other).await.unwrap().unwrap().cancel_reason,
        "태풍"
    );
    assert_eq!(db.meetings_of(c).await.unwrap().len(), 2);
}

async fn votes_are_unique_in_the_database_and_secret_when_chartered(db: Db) {
    let (c, users, members) = sitting_committee(&db, 3, true).await;
    let m = meeting_in_session(&db, c, &members, 3).await;
    let motion = db
        .propose_motion(m, None, "비밀투표 안건", "", None)
        .await
        .unwrap();
    db.transition_motion(motion, &MotionEvent::OpenVote)
        .await
        .unwrap();
    // Concurrent double votes: exactly one counts.
    let (a, b) = tokio::join!(
        db.cast_vote(motion, users[0], Choice::Yes),
        db.cast_vote(motion, users[0], Choice::Yes)
    );
    let oks = [a, b].iter().filter(|r| r.is_ok()).count();
    assert_eq!(oks, 1);
    db.cast_vote(motion, users[1], Choice::No).await.unwrap();
    let row = db.motion(motion).await.unwrap().unwrap();
    assert_eq!((row.yes_count, row.no_count), (1, 1));
    assert_eq!(row.secret, 1);
    let roll = db.votes(motion).await.unwrap();
    assert_eq!(roll.len(), 2, "who voted is recorded");
    assert!(roll.iter().all(|v| v.choice.0.is_none()), "not how");
    // The database itself refuses a second row for the same member and motion.
    let dup = match &db {
        Db::Sqlite(p) => sqlx::query(
            "INSERT INTO motion_votes (motion_id, membership_id, choice, at) VALUES ($1, $2, NULL, 0)",
        )
        .bind(motion)
        .bind(members[1])
        .execute(p)
        .await
        .map(|_| ()),
        Db::Postgres(p) => sqlx::query(
            "INSERT INTO motion_votes (motion_id, membership_id, choice, at) VALUES ($1, $2, NULL, 0)",
        )
        .bind(motion)
        .bind(members[1])
        .execute(p)
        .await
        .map(|_| ()),
    };
    assert!(dup.is_err());
    // A member whose term has ended cannot vote.
    let late = user(&db, "late@x.kr").await;
    let expired = db
        .appoint_member(&NewMembership {
            committee_id: c,
            user_id: late,
            sector: Sector::Expert,
            position: Position::Member,
            gender: "",
            term: Term::new(0, 10).unwrap(),
        })
        .await;
    // No expert seats: refused before any term question.
    assert!(expired.is_err());
    let old_id = db
        .create_committee(&NewCommittee {
            scope_id: jongno(&db).await,
            parent_id: None,
            kind: CommitteeKind::ResidentCouncil,
            name: "old",
            charter: "",
            vote_rule: VoteRule::MajorityOfVoting,
            secret_ballot: false,
            gender_cap: None,
            seats: SeatPlan {
                public: 0,
                civil: 2,
                expert: 0,
            },
            created_by: None,
        })
        .await
        .unwrap();
    let current = user(&db, "current@x.kr").await;
    let current_m = appoint(&db, old_id, current, Sector::Civil, "").await;
    let past = db
        .appoint_member(&NewMembership {
            committee_id: old_id,
            user_id: late,
            sector: Sector::Civil,
            position: Position::Member,
            gender: "",
            term: Term::new(0, 10).unwrap(),
        })
        .await
        .unwrap();
    let m2 = db
        .create_meeting(&NewMeeting {
            committee_id: old_id,
            title: "t",
            starts_at: maeul_domain::time::now(),
            ends_at: maeul_domain::time::now() + 100,
            place: "p",
            capacity: 0,
        })
        .await
        .unwrap();
    db.transition_meeting(m2, &MeetingEvent::PublishAgenda)
        .await
        .unwrap();
    assert!(
        db.set_attendance(m2, past, true, None).await.is_err(),
        "an expired member is not recorded present"
    );
    db.set_attendance(m2, current_m, true, None).await.unwrap();
    db.transition_meeting(
        m2,
        &MeetingEvent::Convene {
            present: 0,
            seats_filled: 0,
            at: 0,
            starts_at: 0,
        },
    )
    .await
    .unwrap();
    db.transition_meeting(m2, &MeetingEvent::StartSession)
        .await
        .unwrap();
    let mo = db.propose_motion(m2, None, "t", "", None).await.unwrap();
    db.transition_motion(mo, &MotionEvent::OpenVote)
        .await
        .unwrap();
    assert_eq!(
        vote_refusal(db.cast_vote(mo, late, Choice::Yes).await),
        Some(VoteRefusal::OutsideTerm)
    );
}

async fn public_meetings_fill_then_queue(db: Db) {
    let (c, _, _) = sitting_committee(&db, 1, false).await;
    let closed = db
        .create_meeting(&NewMeeting {
            committee_id: c,
            title: "비공개",
            starts_at: maeul_domain::time::now(),
            ends_at: maeul_domain::time::now() + 100,
            place: "p",
            capacity: 0,
        })
        .await
        .unwrap();
    let r = user(&db, "r0@x.kr").await;
    assert!(db.register_for_meeting(closed, r).await.is_err());
    let m = db
        .create_meeting(&NewMeeting {
            committee_id: c,
            title: "공개 회의",
            starts_at: maeul_domain::time::now(),
            ends_at: maeul_domain::time::now() + 100,
            place: "p",
            capacity: 2,
        })
        .await
        .unwrap();
    let mut people = vec![];
    for i in 1..=4 {
        people.push(user(&db, &format!("r{i}@x.kr")).await);
    }
    let mut statuses = vec![];
    for p in &people {
        statuses.push(db.register_for_meeting(m, *p).await.unwrap());
    }
    assert_eq!(
        statuses,
        vec![
            RegistrationStatus::Registered,
            RegistrationStatus::Registered,
            RegistrationStatus::Waiting,
            RegistrationStatus::Waiting
        ]
    );
    assert_eq!(
        db.register_for_meeting(m, people[0]).await.unwrap(),
        RegistrationStatus::Registered,
        "registering twice changes nothing"
    );
    db.cancel_registration(m, people[0]).await.unwrap();
    assert!(db.cancel_registration(m, people[0]).await.is_err());
    let list = db.registrations(m).await.unwrap();
    assert_eq!(
        list.iter()
            .map(|r| (r.user_id, r.status))
            .collect::<Vec<_>>(),
        vec![
            (people[1], RegistrationStatus::Registered),
            (people[2], RegistrationStatus::Registered),
            (people[3], RegistrationStatus::Waiting)
        ],
        "the first on the waiting list takes the freed seat"
    );
    // Coming back puts one at the end of the queue.
    assert_eq!(
        db.register_for_meeting(m, people[0]).await.unwrap(),
        RegistrationStatus::Waiting
    );
}
