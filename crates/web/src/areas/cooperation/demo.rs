//! The cooperation platform's part of the demo city: Jongno-gu's citizen cooperation platform, run by a
//! consortium of six organizations (the platform's support centre leads), with members; two bookable
//! spaces and a projector with a week of bookings; the budget school in progress (five of six sessions
//! held, some residents certified, others still attending) and a finished governance school; a
//! small-grants call scored by three reviewers and published with its awards, and an open call.
use maeul_db::cooperation::{NewGrantCall, NewProgram, NewResource, OrgInput};
use maeul_db::users::NewUser;
use maeul_db::{Db, DbError};
use maeul_domain::ScopeTree;
use maeul_domain::cooperation::{
    BookingDecision, ConsortiumRole, Eligibility, Field, MemberRole, OpeningHours, OrgKind,
    ProgramKind, Ranked, ResourceKind, Scored, Slot, VerificationMethod, rank_and_award, weighted,
};
use maeul_domain::time::{DAY, HOUR, now};

fn corrupt(e: impl std::fmt::Display) -> DbError {
    DbError::Corrupt(e.to_string())
}

async fn person(db: &Db, email: &str, name: &str) -> Result<i64, DbError> {
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

async fn account(db: &Db, email: &str) -> Result<i64, DbError> {
    Ok(db
        .user_by_email(email)
        .await?
        .ok_or_else(|| corrupt(format!("demo account {email} missing")))?
        .id)
}

/// (name, kind, neighbourhood code or the district, fields, purpose, contact, verification).
type OrgSpec = (
    &'static str,
    OrgKind,
    &'static str,
    &'static [Field],
    &'static str,
    &'static str,
    Option<(VerificationMethod, &'static str)>,
);

const ORGS: &[OrgSpec] = &[
    (
        "종로시민협력플랫폼 지원센터",
        OrgKind::SupportCentre,
        "11110",
        &[Field::Governance, Field::Education],
        "종로구 시민협력플랫폼을 운영하는 중간지원조직입니다. 단체를 잇고, 시민교육과 공유공간을 운영합니다.",
        "종로구 삼봉로 43 · 02-2148-0000",
        Some((VerificationMethod::RegistrationNumber, "101-82-10234")),
    ),
    (
        "청운효자 마을공동체",
        OrgKind::CommunityGroup,
        "1111051500",
        &[Field::Welfare, Field::Culture],
        "청운효자동 주민들이 골목 돌봄과 마을 축제를 함께 꾸립니다.",
        "청운효자동 주민센터 2층",
        Some((
            VerificationMethod::InPersonCheck,
            "회칙과 회원명부 확인, 정기모임 참관 (2026-09)",
        )),
    ),
    (
        "사직동 주민모임 사이",
        OrgKind::CommunityGroup,
        "1111053000",
        &[Field::Safety, Field::Welfare],
        "사직동의 안전한 통학로와 이웃 돌봄을 위한 주민모임입니다.",
        "사직동 주민센터",
        None,
    ),
    (
        "함께하는 밥상 사회적협동조합",
        OrgKind::SocialEconomy,
        "11110",
        &[Field::Economy, Field::Welfare],
        "홀몸 어르신 도시락 나눔과 마을 부엌을 운영하는 사회적협동조합입니다.",
        "종로구 자하문로 · 02-730-0000",
        Some((VerificationMethod::RegistrationNumber, "110-86-55512")),
    ),
    (
        "종로환경연대",
        OrgKind::CivicOrganization,
        "11110",
        &[Field::Environment],
        "청계천·백사실계곡 생태 모니터링과 제로웨이스트 가게 운동을 합니다.",
        "종로구 율곡로 · eco@example.kr",
        Some((VerificationMethod::RegistrationNumber, "101-82-77120")),
    ),
    (
        "혜화 청년문화 네트워크",
        OrgKind::CivicOrganization,
        "11110",
        &[Field::Culture, Field::Education],
        "대학로 청년 예술가와 주민을 잇는 문화 네트워크입니다.",
        "종로구 대학로",
        None,
    ),
];

const PEOPLE: &[(&str, &str)] = &[
    ("coop1@seed.maeul.kr", "윤서연"),
    ("coop2@seed.maeul.kr", "강민준"),
    ("coop3@seed.maeul.kr", "조하은"),
    ("coop4@seed.maeul.kr", "임도윤"),
    ("coop5@seed.maeul.kr", "한지우"),
    ("coop6@seed.maeul.kr", "오세영"),
    ("coop7@seed.maeul.kr", "신예린"),
    ("coop8@seed.maeul.kr", "권태호"),
    ("coop9@seed.maeul.kr", "배수아"),
    ("coop10@seed.maeul.kr", "문정호"),
    ("coop11@seed.maeul.kr", "장미경"),
    ("coop12@seed.maeul.kr", "황보람"),
];

/// Seeds Jongno-gu's citizen cooperation platform.
pub async fn seed(db: &Db) -> Result<(), DbError> {
    let tree = ScopeTree::new(db.load_scopes().await?).map_err(corrupt)?;
    let scope = |code: &str| {
        tree.by_code(code)
            .map(|s| s.id)
            .ok_or_else(|| corrupt(format!("scope {code} missing")))
    };
    let jongno = scope("11110")?;
    let staff = account(db, "staff@demo.maeul.kr").await?;
    let evaluator = account(db, "evaluator@demo.maeul.kr").await?;
    let member = account(db, "member@demo.maeul.kr").await?;
    let mut people = vec![];
    for (email, name) in PEOPLE {
        people.push(person(db, email, name).await?);
    }

    // The organizations: each founded by one person, with two to four members; the support centre's
    // staff include the district's support staff account.
    let mut orgs = vec![];
    for (i, (name, kind, code, fields, purpose, contact, verified)) in ORGS.iter().enumerate() {
        let founder = people[i * 2];
        let org = db
            .create_organization(
                &OrgInput {
                    scope_id: scope(code)?,
                    name,
                    kind: *kind,
                    purpose,
                    fields,
                    contact,
                },
                founder,
            )
            .await?;
        db.join_organization(org, people[i * 2 + 1], MemberRole::Staff)
            .await?;
        for extra in [(i * 2 + 4) % people.len(), (i * 2 + 7) % people.len()] {
            if extra != i * 2 && extra != i * 2 + 1 {
                db.join_organization(org, people[extra], MemberRole::Member)
                    .await?;
            }
        }
        if let Some((method, evidence)) = verified {
            db.verify_organization(org, *method, evidence, staff)
                .await?;
        }
        orgs.push(org);
    }
    let centre = orgs[0];
    db.join_organization(centre, staff, MemberRole::Staff)
        .await?;
    db.join_organization(orgs[4], member, MemberRole::Member)
        .await?;
    db.join_consortium(jongno, centre, ConsortiumRole::Lead)
        .await?;
    for org in &orgs[1..5] {
        db.join_consortium(jongno, *org, ConsortiumRole::Member)
            .await?;
    }

    // Two bookable spaces and a projector, with a week of bookings from tomorrow.
    let room = db
        .create_resource(&NewResource {
            scope_id: jongno,
            owner_org_id: centre,
            kind: ResourceKind::Space,
            name: "시민협력플랫폼 공유회의실",
            description: "종로구 시민협력플랫폼 1층, 20명이 둘러앉는 회의실입니다. 빔프로젝터와 화이트보드가 있습니다.",
            capacity: 20,
            opening_hours: OpeningHours::parse("09:00-22:00").ok_or_else(|| corrupt("hours"))?,
            rules: "사용 후 원상복구, 음식물 반입은 다과까지. 영리 목적 사용 불가.",
        })
        .await?;
    let hall = db
        .create_resource(&NewResource {
            scope_id: scope("1111051500")?,
            owner_org_id: orgs[1],
            kind: ResourceKind::Space,
            name: "청운효자동 주민센터 다목적실",
            description: "주민자치회와 마을 단체가 함께 쓰는 다목적실입니다.",
            capacity: 40,
            opening_hours: OpeningHours::parse("09:00-21:00").ok_or_else(|| corrupt("hours"))?,
            rules: "주민자치회 일정이 우선합니다. 신청은 사용 3일 전까지.",
        })
        .await?;
    db.create_resource(&NewResource {
        scope_id: jongno,
        owner_org_id: centre,
        kind: ResourceKind::Equipment,
        name: "이동식 빔프로젝터",
        description: "마을 행사용 빔프로젝터와 스크린 한 벌입니다.",
        capacity: 1,
        opening_hours: OpeningHours::parse("09:00-18:00").ok_or_else(|| corrupt("hours"))?,
        rules: "대여 당일 반납.",
    })
    .await?;
    let today = now() - (now() + 9 * HOUR).rem_euclid(DAY);
    let week: &[(i64, i64, i64, &str, i64, bool)] = &[
        // (resource, day, start hour, purpose, requester index, approve)
        (room, 1, 10, "청운효자 마을공동체 월례회의", 2, true),
        (room, 1, 19, "환경연대 제로웨이스트 워크숍", 8, true),
        (room, 2, 14, "함께하는 밥상 조합원 교육", 6, true),
        (room, 3, 10, "주민참여예산학교 6회차 준비모임", 0, true),
        (room, 4, 18, "혜화 청년문화 네트워크 기획회의", 10, false),
        (room, 5, 13, "사직동 통학로 안전지도 만들기", 4, true),
        (hall, 2, 10, "마을 축제 준비 주민회의", 2, true),
        (hall, 3, 15, "어르신 스마트폰 교실", 3, true),
        (hall, 6, 10, "주민자치회 분과 회의", 5, false),
        (hall, 7, 14, "골목 돌봄 이웃 모임", 3, true),
    ];
    for (resource, day, hour, purpose, who, approve) in week {
        let starts_at = today + day * DAY + hour * HOUR;
        let booking = db
            .request_booking(
                *resource,
                people[*who as usize],
                None,
                Slot {
                    starts_at,
                    ends_at: starts_at + 2 * HOUR,
                },
                purpose,
            )
            .await?;
        if *approve {
            let owner = if *resource == room { staff } else { people[2] };
            db.decide_booking(booking, owner, true, BookingDecision::Approve)
                .await?;
        }
    }

    // A finished governance school and the budget school in progress.
    let governance = db
        .create_program(&NewProgram {
            scope_id: jongno,
            organization_id: Some(centre),
            kind: ProgramKind::GovernanceSchool,
            title: "2026 상반기 종로 협치학교",
            description: "협치의 원리와 종로구 민관협치회의의 운영을 배우는 과정입니다.",
            hours: 8,
            capacity: 30,
            sessions_required: 3,
        })
        .await?;
    let mut gov_sessions = vec![];
    for (i, title) in [
        "협치란 무엇인가",
        "민관협치회의 들여다보기",
        "의제 발굴 실습",
        "수료 토론회",
    ]
    .iter()
    .enumerate()
    {
        let at = today - (120 - 7 * i as i64) * DAY + 19 * HOUR;
        gov_sessions.push(
            db.add_session(
                governance,
                title,
                at,
                at + 2 * HOUR,
                "시민협력플랫폼 공유회의실",
            )
            .await?,
        );
    }
    for p in &people[..6] {
        db.enrol(governance, *p).await?;
        for s in &gov_sessions[..3] {
            db.record_attendance(*s, *p, Some(staff)).await?;
        }
    }
    let budget_school = db
        .create_program(&NewProgram {
            scope_id: jongno,
            organization_id: Some(centre),
            kind: ProgramKind::BudgetSchool,
            title: "2026 종로 주민참여예산학교",
            description: "예산의 구조, 사업 제안서 쓰기, 숙의와 투표까지 6회에 걸쳐 배웁니다. 5회 이상 출석하면 수료하며, 수료 시간은 위원회 지원 요건의 교육 시간으로 인정됩니다.",
            hours: 12,
            capacity: 25,
            sessions_required: 5,
        })
        .await?;
    let titles = [
        "예산은 어떻게 만들어지나",
        "종로구 예산서 읽기",
        "사업 제안서 쓰기",
        "현장 답사: 사직동 통학로",
        "숙의 토론과 우선순위",
        "수료식과 제안 발표",
    ];
    let mut school_sessions = vec![];
    for (i, title) in titles.iter().enumerate() {
        let at = today + (7 * i as i64 - 35) * DAY + 19 * HOUR;
        school_sessions.push(
            db.add_session(
                budget_school,
                title,
                at,
                at + 2 * HOUR,
                "종로구청 본관 5층 교육장",
            )
            .await?,
        );
    }
    for (i, p) in people.iter().enumerate() {
        db.enrol(budget_school, *p).await?;
        let attended = if i < 5 { 5 } else { 3 };
        for s in &school_sessions[..attended] {
            db.record_attendance(*s, *p, Some(staff)).await?;
        }
    }

    // A small-grants call scored and published, and an open call.
    let call = db
        .create_grant_call(&NewGrantCall {
            scope_id: jongno,
            title: "2026 종로 마을활동 소액지원사업",
            description: "주민모임과 단체의 마을 활동을 최대 300만 원까지 지원합니다.",
            budget: 8_000_000,
            eligibility: Eligibility::Both,
            opens_at: today - 90 * DAY,
            closes_at: today - 60 * DAY,
            criteria: &[("공익성", 3), ("실현가능성", 2), ("주민참여", 2)],
        })
        .await?;
    let criteria: Vec<i64> = db
        .grant_criteria(call)
        .await?
        .iter()
        .map(|c| c.id)
        .collect();
    let weights = [3, 2, 2];
    let applications: &[(usize, &str, i64, [[i64; 3]; 3])] = &[
        (
            1,
            "골목 돌봄 반찬 나눔",
            3_000_000,
            [[9, 8, 9], [8, 8, 9], [9, 7, 8]],
        ),
        (
            2,
            "사직동 통학로 안전지도",
            2_000_000,
            [[8, 9, 8], [9, 9, 7], [7, 8, 8]],
        ),
        (
            4,
            "백사실계곡 생태 지킴이",
            2_500_000,
            [[8, 6, 7], [7, 7, 6], [9, 6, 7]],
        ),
        (
            5,
            "대학로 골목 청년 공연",
            3_000_000,
            [[6, 7, 6], [7, 6, 5], [5, 7, 6]],
        ),
        (
            3,
            "어르신 마을 부엌",
            1_500_000,
            [[7, 8, 8], [6, 7, 7], [8, 8, 6]],
        ),
    ];
    let reviewers = [evaluator, people[11], people[9]];
    let mut scored = vec![];
    for (org, title, amount, scores) in applications {
        let applicant = people[org * 2];
        let app = db
            .apply_for_grant(
                call,
                Some(orgs[*org]),
                applicant,
                title,
                "활동 계획과 예산서를 첨부합니다.",
                *amount,
            )
            .await?;
        let mut reviews = vec![];
        for (reviewer, s) in reviewers.iter().zip(scores) {
            let sheet: Vec<(i64, i64)> = criteria.iter().copied().zip(s.iter().copied()).collect();
            // A reviewer who belongs to the applicant organization is refused: skip, as the rule says.
            if db
                .score_grant_application(app, *reviewer, &sheet)
                .await
                .is_ok()
            {
                reviews.push(weighted(&weights, s));
            }
        }
        scored.push(Scored {
            id: app,
            amount: *amount,
            reviews,
        });
    }
    let ranking: Vec<Ranked> = rank_and_award(&scored, 8_000_000);
    db.publish_grant_results(call, &ranking).await?;
    let awarded: Vec<(i64, i64)> = db
        .grant_applications(call)
        .await?
        .iter()
        .filter(|a| a.awarded_at.is_some())
        .map(|a| (a.id, a.applicant_id))
        .collect();
    let tracked = db.track_grant_awards(call).await?;
    super::demo_network::grant_reports(db, &tracked, &awarded, staff).await?;
    db.create_grant_call(&NewGrantCall {
        scope_id: jongno,
        title: "2027 주민모임 씨앗기금",
        description: "처음 모인 주민모임의 첫 활동을 100만 원까지 지원합니다. 단체가 아니어도 주민 3명 이상이면 신청할 수 있습니다.",
        budget: 5_000_000,
        eligibility: Eligibility::ResidentGroups,
        opens_at: today - 5 * DAY,
        closes_at: today + 25 * DAY,
        criteria: &[("공익성", 2), ("주민참여", 2), ("지속가능성", 1)],
    })
    .await?;
    super::demo_network::seed(db, &tree, &orgs, &people, staff, today).await?;
    Ok(())
}
