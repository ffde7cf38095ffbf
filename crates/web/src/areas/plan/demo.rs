//! The plan's part of the demo city: items found in Sajik-dong, Cheongunhyojadong and Jongno-gu, one
//! referred up from Sajik-dong and accepted by the district, one referred up and returned, one handed down
//! from the district to Sajik-dong; the motions of Jongno-gu's governance committee and of Sajik-dong's
//! residents' general assembly that adopted them; and Jongno-gu's 2027 plan in consultation with the city
//! (resolved, submitted, an adjustment requested, revised and resubmitted: two frozen revisions); and
//! Sajik-dong's 2027 autonomy plan, adopted by its residents' general assembly (`demo_assembly`) and
//! submitted to the district. The demo resident follows the walking-routes item and hears of its steps;
//! Jongno-gu's priority vote of the year gives each voter 10 points to spread; the school-routes project has
//! a working group with its members, a meeting and updates.
use maeul_db::committees::{NewCommittee, NewMeeting, NewMembership};
use maeul_db::notifications::FollowTarget;
use maeul_db::plan::{ItemAction, NewItem, NewProject, PlanAction};
use maeul_db::users::NewUser;
use maeul_db::{Db, DbError};
use maeul_domain::committee::{
    Choice, CommitteeKind, MeetingEvent, MotionEvent, Position, SeatPlan, Sector, Tally, Term,
    VoteRule,
};
use maeul_domain::plan::{
    BudgetSource, GroupRole, ItemState, PriorityMethod, PriorityVote, ProposerKind, ReferralAnswer,
    SectionKind,
};
use maeul_domain::time::{DAY, HOUR, now};
use maeul_domain::{ScopeRef, ScopeTree};

fn corrupt(e: impl std::fmt::Display) -> DbError {
    DbError::Corrupt(e.to_string())
}

/// A meeting of `committee` in session now, with `members` (membership ids) present.
async fn meeting_in_session(
    db: &Db,
    committee: i64,
    title: &str,
    place: &str,
    members: &[i64],
) -> Result<i64, DbError> {
    let at = now();
    let meeting = db
        .create_meeting(&NewMeeting {
            committee_id: committee,
            title,
            starts_at: at - HOUR,
            ends_at: at + HOUR,
            place,
            capacity: 0,
        })
        .await?;
    db.transition_meeting(meeting, &MeetingEvent::PublishAgenda)
        .await?;
    for m in members {
        db.set_attendance(meeting, *m, true, None).await?;
    }
    let convene = MeetingEvent::Convene {
        present: 0,
        seats_filled: 0,
        at: 0,
        starts_at: 0,
    };
    db.transition_meeting(meeting, &convene).await?;
    db.transition_meeting(meeting, &MeetingEvent::StartSession)
        .await?;
    Ok(meeting)
}

/// A motion carried by the yes votes of `voters` (user ids).
async fn carried(db: &Db, meeting: i64, title: &str, voters: &[i64]) -> Result<i64, DbError> {
    let motion = db
        .propose_motion(meeting, None, title, "", voters.first().copied())
        .await?;
    db.transition_motion(motion, &MotionEvent::Debate).await?;
    db.transition_motion(motion, &MotionEvent::OpenVote).await?;
    for v in voters {
        db.cast_vote(motion, *v, Choice::Yes).await?;
    }
    let close = MotionEvent::CloseVote {
        tally: Tally::default(),
        present: 0,
        seats_filled: 0,
        rule: VoteRule::MajorityOfVoting,
    };
    db.transition_motion(motion, &close).await?;
    Ok(motion)
}

async fn seeded_person(db: &Db, email: &str, name: &str) -> Result<i64, DbError> {
    db.create_user_with_free_handle(&NewUser {
        email,
        display_name: name,
        handle: &maeul_domain::account::suggest_handle(email),
        // Not a hash any password matches: these people cannot sign in.
        password_hash: "!seeded",
        lang: "ko",
    })
    .await
}

async fn item(
    db: &Db,
    scope: i64,
    title: &str,
    body: &str,
    kind: ProposerKind,
    proposal_id: Option<i64>,
) -> Result<i64, DbError> {
    db.create_plan_item(&NewItem {
        scope_id: scope,
        title,
        body,
        proposer_kind: kind,
        proposed_by: None,
        proposal_id,
    })
    .await
}

async fn advance(
    db: &Db,
    id: i64,
    scope: i64,
    by: Option<i64>,
    steps: &[ItemAction],
) -> Result<(), DbError> {
    for step in steps {
        db.transition_plan_item(id, scope, by, step).await?;
    }
    Ok(())
}

pub async fn seed(db: &Db) -> Result<(), DbError> {
    let tree = ScopeTree::new(db.load_scopes().await?).map_err(DbError::Corrupt)?;
    let (Some(jongno), Some(sajik), Some(cheongun)) = (
        tree.by_code("11110"),
        tree.by_code("1111053000"),
        tree.by_code("1111051500"),
    ) else {
        return Ok(());
    };
    let r = |id: i64| -> Result<ScopeRef, DbError> {
        tree.scope_ref(id).ok_or_else(|| corrupt("scope"))
    };
    let staff = db.user_by_email("staff@demo.maeul.kr").await?.map(|u| u.id);
    let Some(chair) = db.user_by_email("member@demo.maeul.kr").await? else {
        return Ok(());
    };
    let Some(governance) = db
        .committees_in_scope(jongno.id)
        .await?
        .into_iter()
        .find(|c| c.kind == CommitteeKind::DistrictGovernance)
    else {
        return Ok(());
    };
    let chair_seat = db
        .committee_members(governance.id)
        .await?
        .into_iter()
        .find(|m| m.user_id == chair.id)
        .ok_or_else(|| corrupt("the demo chair"))?;

    // Sajik-dong's residents' general assembly, with three residents.
    let at = now();
    let term = Term::new(at - DAY, at + 365 * DAY).map_err(corrupt)?;
    let assembly = db
        .create_committee(&NewCommittee {
            scope_id: sajik.id,
            parent_id: None,
            kind: CommitteeKind::CitizensAssembly,
            name: "사직동 주민총회 (residents' general assembly)",
            charter: "사직동 주민이 모여 자치계획과 동 의제를 결정합니다.\n\n\
                      The neighbourhood's residents decide its autonomy plan and the items it holds.",
            vote_rule: VoteRule::MajorityOfVoting,
            secret_ballot: false,
            gender_cap: None,
            seats: SeatPlan {
                public: 0,
                civil: 3,
                expert: 0,
            },
            created_by: None,
        })
        .await?;
    let mut residents = vec![];
    let mut seats = vec![];
    for (i, (email, name)) in [
        ("sajik1@seed.maeul.kr", "오사직"),
        ("sajik2@seed.maeul.kr", "윤사직"),
        ("sajik3@seed.maeul.kr", "장사직"),
    ]
    .into_iter()
    .enumerate()
    {
        let user = seeded_person(db, email, name).await?;
        seats.push(
            db.appoint_member(&NewMembership {
                committee_id: assembly,
                user_id: user,
                sector: Sector::Civil,
                position: if i == 0 {
                    Position::Chair
                } else {
                    Position::Member
                },
                gender: if i == 1 { "male" } else { "female" },
                term,
            })
            .await?,
        );
        residents.push(user);
    }

    // 1. Found in Sajik-dong, referred up to Jongno-gu (several dongs, the district's roads), accepted.
    let walk = item(
        db,
        sajik.id,
        "통학로 보행 안전 (Safe walking routes to school)",
        "사직동 주민자치회 분과에서 발굴: 사직로 주변 통학로에 보도가 끊겨 있습니다. \
         Found by Sajik-dong's resident council: the pavement breaks off along the school routes near Sajik-ro.",
        ProposerKind::ResidentCouncil,
        None,
    )
    .await?;
    // The demo resident follows it from the start: their notifications tell its every step (the
    // background worker fans the recorded events out).
    if let Some(resident) = db.user_by_email("resident@demo.maeul.kr").await? {
        db.follow(resident.id, FollowTarget::PlanItem(walk)).await?;
    }
    advance(db, walk, sajik.id, staff, &[ItemAction::Accept]).await?;
    db.refer_plan_item(
        walk,
        &r(sajik.id)?,
        &r(jongno.id)?,
        "도로 구조 개선은 구의 권한이고 인접한 동들에 걸쳐 있습니다 (road works are the district's authority and cross neighbouring dongs)",
        staff,
    )
    .await?;
    db.answer_plan_referral(walk, jongno.id, &ReferralAnswer::Accept, staff)
        .await?;
    advance(
        db,
        walk,
        jongno.id,
        staff,
        &[ItemAction::Deliberate, ItemAction::Prioritise],
    )
    .await?;

    // 2. Found in Cheongunhyojadong, referred up, returned: the dong can decide it.
    let litter = item(
        db,
        cheongun.id,
        "골목 쓰레기 배출 질서 (Rubbish in the alleys)",
        "골목마다 배출 요일이 지켜지지 않습니다. Collection days are not kept in the alleys.",
        ProposerKind::Resident,
        None,
    )
    .await?;
    db.refer_plan_item(
        litter,
        &r(cheongun.id)?,
        &r(jongno.id)?,
        "구청 청소 행정과 관련됩니다 (concerns the district's cleaning service)",
        staff,
    )
    .await?;
    db.answer_plan_referral(
        litter,
        jongno.id,
        &ReferralAnswer::Return {
            reason: "동 주민자치회가 배출 안내와 캠페인을 결정할 수 있습니다 (the dong's council can decide the campaign)".into(),
        },
        staff,
    )
    .await?;
    advance(
        db,
        litter,
        cheongun.id,
        staff,
        &[ItemAction::Accept, ItemAction::Deliberate],
    )
    .await?;

    // 3. Found at Jongno-gu, handed down to Sajik-dong, accepted there and adopted by its assembly.
    let kitchen = item(
        db,
        jongno.id,
        "마을 공유부엌 (A shared neighbourhood kitchen)",
        "구 협치회의 분과 제안: 동 주민센터 유휴 공간을 공유부엌으로. \
         From a subcommittee of the district: an unused room of the community centre as a shared kitchen.",
        ProposerKind::CommitteeMember,
        None,
    )
    .await?;
    advance(db, kitchen, jongno.id, staff, &[ItemAction::Accept]).await?;
    db.refer_plan_item(
        kitchen,
        &r(jongno.id)?,
        &r(sajik.id)?,
        "공간과 운영은 사직동이 결정할 수 있습니다 (Sajik-dong can decide the room and how it runs)",
        staff,
    )
    .await?;
    db.answer_plan_referral(kitchen, sajik.id, &ReferralAnswer::Accept, staff)
        .await?;
    advance(
        db,
        kitchen,
        sajik.id,
        staff,
        &[ItemAction::Deliberate, ItemAction::Prioritise],
    )
    .await?;
    let assembly_meeting = meeting_in_session(
        db,
        assembly,
        "2026 사직동 주민총회 (2026 general assembly)",
        "사직동 주민센터 (Sajik-dong community centre)",
        &seats,
    )
    .await?;
    let kitchen_motion = carried(
        db,
        assembly_meeting,
        "공유부엌 의제 채택 (Adopt the shared kitchen)",
        &residents,
    )
    .await?;
    db.transition_plan_item(
        kitchen,
        sajik.id,
        staff,
        &ItemAction::Adopt {
            motion_id: kitchen_motion,
        },
    )
    .await?;
    // Sajik-dong's 2027 autonomy plan: the shared kitchen, resolved by the assembly, submitted to the
    // district (whose official consults on it).
    let autonomy = db
        .create_plan(
            sajik.id,
            2027,
            2026,
            "2027 사직동 자치계획 (Sajik-dong 2027 autonomy plan)",
            staff,
        )
        .await?;
    db.set_plan_section(
        autonomy,
        SectionKind::Projects,
        "주민총회에서 채택한 의제의 사업 (projects of the items the general assembly adopted)",
    )
    .await?;
    db.add_plan_project(&NewProject {
        plan_id: autonomy,
        title: "사직동 공유부엌 (Sajik-dong shared kitchen)",
        objective: "주 3회 이웃 밥상 (neighbours' meals three times a week)",
        lead_department: "사직동 주민센터 (Sajik-dong community centre)",
        partners: "사직동 주민자치회 공유부엌 실행단 (the council's kitchen working group)",
        schedule: "2027-04 ~ 2027-12",
        item_ids: &[kitchen],
        budget_lines: &[(BudgetSource::PbEnvelope, 12_000_000, "")],
        indicators: &["이용 주민 수 (residents using it)"],
    })
    .await?;
    db.transition_meeting(assembly_meeting, &MeetingEvent::Adjourn)
        .await?;
    // The residents' general assembly adopts the autonomy plan (pre-votes and on-site votes).
    let mut voters = residents.clone();
    for (email, name) in [
        ("sajik4@seed.maeul.kr", "임사직"),
        ("sajik5@seed.maeul.kr", "하사직"),
    ] {
        voters.push(seeded_person(db, email, name).await?);
    }
    super::demo_assembly::seed(db, sajik.id, autonomy, kitchen, &voters, staff).await?;
    db.transition_plan(autonomy, staff, &PlanAction::Submit)
        .await?;

    // 4. Found at Jongno-gu by a committee member.
    let tables = item(
        db,
        jongno.id,
        "주민 원탁회의 정례화 (Regular residents' round tables)",
        "분기마다 동별 원탁회의로 다음 해 의제를 발굴합니다. Each quarter, round tables in every dong find next year's items.",
        ProposerKind::CommitteeMember,
        None,
    )
    .await?;
    advance(
        db,
        tables,
        jongno.id,
        staff,
        &[
            ItemAction::Accept,
            ItemAction::Deliberate,
            ItemAction::Prioritise,
        ],
    )
    .await?;

    // 5. Promoted from a public proposal of Jongno-gu, under deliberation.
    if let Some(p) = db
        .proposals_in_scope(jongno.id, maeul_db::proposals::Kind::Proposal, None, 1)
        .await?
        .into_iter()
        .next()
    {
        let promoted = item(
            db,
            jongno.id,
            &p.title,
            &p.body,
            ProposerKind::Proposal,
            Some(p.id),
        )
        .await?;
        advance(
            db,
            promoted,
            jongno.id,
            staff,
            &[ItemAction::Accept, ItemAction::Deliberate],
        )
        .await?;
    }

    // 6. Found by Jongno-gu's staff, under deliberation; with item 5 on this year's priority vote, which
    //    gives each voter 10 points to spread (two residents of Sajik-dong have voted).
    let shade = item(
        db,
        jongno.id,
        "공원 그늘막 설치 (Shade canopies in parks)",
        "여름철 어르신과 아이들이 쉴 수 있도록 공원에 그늘막을 설치합니다. \
         Shade canopies in the parks so that older people and children can rest in summer.",
        ProposerKind::Staff,
        None,
    )
    .await?;
    advance(
        db,
        shade,
        jongno.id,
        staff,
        &[ItemAction::Accept, ItemAction::Deliberate],
    )
    .await?;
    let year = i64::from(maeul_domain::time::local_year(at));
    let points = PriorityVote {
        method: PriorityMethod::Points,
        points: 10,
    };
    db.set_priority_vote(jongno.id, year, &points, staff)
        .await?;
    let candidates: Vec<i64> = db
        .plan_items_touching(jongno.id)
        .await?
        .into_iter()
        .filter(|i| i.scope_id == jongno.id && i.state == ItemState::UnderDeliberation)
        .map(|i| i.id)
        .collect();
    for (voter, spread) in residents.iter().zip([[7, 3], [2, 8]]) {
        let marks: Vec<(i64, u32)> = candidates.iter().copied().zip(spread).collect();
        db.cast_priority_ballot(jongno.id, year, *voter, &marks)
            .await?;
    }

    // The governance committee adopts items 1 and 4, then resolves the plan.
    let meeting = meeting_in_session(
        db,
        governance.id,
        "제3차 정기회의: 2027 실행계획 (3rd regular meeting: the 2027 plan)",
        "종로구청 기획상황실 (Jongno-gu Office)",
        &[chair_seat.id],
    )
    .await?;
    let walk_motion = carried(
        db,
        meeting,
        "통학로 보행 안전 의제 채택 (Adopt safe school routes)",
        &[chair.id],
    )
    .await?;
    let tables_motion = carried(
        db,
        meeting,
        "주민 원탁회의 의제 채택 (Adopt regular round tables)",
        &[chair.id],
    )
    .await?;
    db.transition_plan_item(
        walk,
        jongno.id,
        staff,
        &ItemAction::Adopt {
            motion_id: walk_motion,
        },
    )
    .await?;
    db.transition_plan_item(
        tables,
        jongno.id,
        staff,
        &ItemAction::Adopt {
            motion_id: tables_motion,
        },
    )
    .await?;

    let plan = db
        .create_plan(
            jongno.id,
            2027,
            2026,
            "2027 종로구 지역사회혁신계획 실행계획 (Jongno-gu 2027 innovation plan)",
            staff,
        )
        .await?;
    for (kind, body) in [
        (
            SectionKind::Base,
            "민관협치회의 분과 재구성, 동 주민자치회와의 정례 협의 (subcommittees reorganised; regular talks with the dongs' councils)",
        ),
        (
            SectionKind::Projects,
            "채택된 의제에서 나온 분야별 사업 (sectoral projects from the adopted items)",
        ),
        (
            SectionKind::NextYear,
            "2027년 1분기부터 동별 원탁회의로 2028 의제 발굴 (round tables in every dong from Q1 find the 2028 items)",
        ),
        (
            SectionKind::EvaluationPlan,
            "사업별 지표를 평가 분과가 확정 (the evaluation subcommittee sets each project's indicators)",
        ),
        (
            SectionKind::Budget,
            "시 보조금과 구비를 합쳐 1억 6천만 원 (KRW 160 million from the city grant and the district's funds)",
        ),
    ] {
        db.set_plan_section(plan, kind, body).await?;
    }
    let walk_project = db
        .add_plan_project(&NewProject {
            plan_id: plan,
            title: "사직로 통학로 보도 잇기 (Continuous pavements on Sajik-ro school routes)",
            objective: "통학로 보도 단절 구간 해소 (no breaks in the pavement on school routes)",
            lead_department: "교통행정과 (Transport Administration)",
            partners: "사직동 주민자치회, 학부모회 (Sajik-dong council, parents' association)",
            schedule: "2027-03 ~ 2027-10",
            item_ids: &[walk],
            budget_lines: &[
                (BudgetSource::CityGrant, 80_000_000, ""),
                (BudgetSource::OwnFunds, 40_000_000, ""),
            ],
            indicators: &["보도 단절 구간 수 (breaks in the pavement)"],
        })
        .await?;
    walking_group(db, walk_project, staff, &residents, at).await?;
    db.add_plan_project(&NewProject {
        plan_id: plan,
        title: "동별 주민 원탁회의 (Residents' round tables in every dong)",
        objective: "다음 해 의제 발굴의 정례화 (finding next year's items regularly)",
        lead_department: "자치행정과 (Autonomy Administration)",
        partners: "종로구 협치지원단 (governance support team)",
        schedule: "2027-02, 05, 08, 11",
        item_ids: &[tables],
        budget_lines: &[
            (BudgetSource::CityGrant, 25_000_000, ""),
            (BudgetSource::PbEnvelope, 15_000_000, ""),
        ],
        indicators: &["참여 주민 수 (residents taking part)"],
    })
    .await?;
    let resolution = carried(
        db,
        meeting,
        "2027 실행계획 의결 (Resolve the 2027 plan)",
        &[chair.id],
    )
    .await?;
    db.transition_meeting(meeting, &MeetingEvent::Adjourn)
        .await?;
    db.transition_plan(
        plan,
        staff,
        &PlanAction::Resolve {
            motion_id: resolution,
        },
    )
    .await?;
    db.transition_plan(plan, staff, &PlanAction::Submit).await?;
    let city_officer = seeded_person(db, "governance@seed.maeul.kr", "서울시 협치담당관").await?;
    db.transition_plan(plan, Some(city_officer), &PlanAction::OpenConsultation)
        .await?;
    db.transition_plan(
        plan,
        Some(city_officer),
        &PlanAction::RequestAdjustment {
            comment: "원탁회의 사업에 성과 지표를 하나 더 두고, 예산 절의 재원 비율을 밝혀 주세요. \
                      (Add an indicator to the round tables and state the shares of each source in the budget section.)"
                .into(),
        },
    )
    .await?;
    db.set_plan_section(
        plan,
        SectionKind::Budget,
        "총 1억 6천만 원: 시 보조금 65.6%, 구비 25%, 주민참여예산 9.4% \
         (KRW 160 million: city grant 65.6 %, district's funds 25 %, participatory budget 9.4 %)",
    )
    .await?;
    db.transition_plan(plan, staff, &PlanAction::Resubmit)
        .await?;
    Ok(())
}

/// The working group of the school-routes project: the district's official, the demo member and a
/// Sajik-dong resident; its first meeting and two updates.
async fn walking_group(
    db: &Db,
    project: i64,
    staff: Option<i64>,
    residents: &[i64],
    at: i64,
) -> Result<(), DbError> {
    let group = db
        .create_working_group(
            project,
            "통학로 보행 안전 실무단 (School routes working group)",
            staff,
        )
        .await?;
    let mut members = vec![];
    for (email, role) in [
        ("official@demo.maeul.kr", GroupRole::Official),
        ("member@demo.maeul.kr", GroupRole::Resident),
    ] {
        if let Some(u) = db.user_by_email(email).await? {
            db.add_group_member(group, u.id, role, staff).await?;
            members.push(u.id);
        }
    }
    if let Some(resident) = residents.first() {
        db.add_group_member(group, *resident, GroupRole::Resident, staff)
            .await?;
    }
    db.record_group_meeting(
        group,
        at - 14 * DAY,
        "사직동 주민센터 2층 (Sajik-dong community centre, 2nd floor)",
        "구간별 보도 단절 현황을 함께 걸으며 확인하고, 학부모회와 등굣길 조사 일정을 정했습니다. \
         (We walked the routes to list each break in the pavement and set the dates of the survey with the parents.)",
        staff,
    )
    .await?;
    for (author, body) in members.iter().zip([
        "교통행정과: 단절 구간 7곳 가운데 4곳의 설계를 마쳤습니다. \
         (Transport Administration: the design of 4 of the 7 breaks is done.)",
        "등굣길 조사에 학부모 23명이 참여했습니다. \
         (23 parents took part in the survey of the routes to school.)",
    ]) {
        db.post_group_update(group, *author, body).await?;
    }
    Ok(())
}
