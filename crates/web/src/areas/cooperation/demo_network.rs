//! The demo's network activity in Jongno-gu: events (a past forum, a networking day and a fair to come),
//! organizations recorded as proposer (a proposal written on behalf of a residents' group) and partners
//! (an agenda item, a budget project, a committee meeting), and the awarded grants' reports on their
//! tracked projects (one completed, one under way, one waiting for verification).
use maeul_db::cooperation::NewEvent;
use maeul_db::evaluation::NewUpdate;
use maeul_db::proposals::{Kind, NewProposal};
use maeul_db::{Db, DbError};
use maeul_domain::ScopeTree;
use maeul_domain::cooperation::{EventKind, LinkCapacity};
use maeul_domain::evaluation::UpdateEvent;
use maeul_domain::object::ObjectKind;
use maeul_domain::proposal::Category;
use maeul_domain::time::{DAY, HOUR};

/// (kind, organizer's index or the platform, title, description, place, day from today, hour).
type EventSpec = (
    EventKind,
    Option<usize>,
    &'static str,
    &'static str,
    &'static str,
    i64,
    i64,
);

/// Events and proposer / partner records.
pub async fn seed(
    db: &Db,
    tree: &ScopeTree,
    orgs: &[i64],
    people: &[i64],
    staff: i64,
    today: i64,
) -> Result<(), DbError> {
    let jongno = tree
        .by_code("11110")
        .map(|s| s.id)
        .ok_or_else(|| DbError::Corrupt("scope 11110 missing".into()))?;
    let events: [EventSpec; 4] = [
        (
            EventKind::Forum,
            None,
            "2026 종로 협치 포럼",
            "한 해의 협치 의제를 돌아보고 내년 의제를 함께 고릅니다.",
            "종로구청 한우리홀",
            -20,
            14,
        ),
        (
            EventKind::Networking,
            Some(4),
            "종로 시민사회 네트워킹 데이",
            "단체들이 올해 활동을 나누고 함께할 일을 찾는 자리입니다.",
            "시민협력플랫폼 공유회의실",
            4,
            18,
        ),
        (
            EventKind::Fair,
            None,
            "종로 마을활동 박람회",
            "단체와 주민모임이 부스를 열고 활동을 소개합니다. 누구나 오세요.",
            "종묘광장공원",
            10,
            11,
        ),
        (
            EventKind::Networking,
            Some(1),
            "청운효자 마을 단체 모임",
            "동네 단체들이 골목 돌봄 계획을 맞춥니다.",
            "청운효자동 주민센터 다목적실",
            6,
            19,
        ),
    ];
    for (kind, org, title, description, place, day, hour) in events {
        let starts_at = today + day * DAY + hour * HOUR;
        db.create_event(&NewEvent {
            scope_id: jongno,
            organization_id: org.map(|i| orgs[i]),
            kind,
            title,
            description,
            place,
            starts_at,
            ends_at: starts_at + 3 * HOUR,
            created_by: Some(if org.is_some() { people[0] } else { staff }),
        })
        .await?;
    }

    // A proposal submitted on behalf of 사직동 주민모임 사이 by its founder.
    let founder = people[4];
    let proposal = db
        .create_proposal(&NewProposal {
            scope_id: jongno,
            author_id: founder,
            title: "사직동 통학로에 보행 안전 펜스를 설치해 주세요",
            body: "사직동 주민모임 사이가 석 달 동안 통학로 안전지도를 만들며 위험한 곳 일곱 군데를 찾았습니다. 그중 차도와 인도 구분이 없는 세 곳에 보행 안전 펜스를 제안합니다.",
            category: Category::Safety,
            location: "사직동 사직로 8길",
            submit: true,
            kind: Kind::Proposal,
        })
        .await?;
    db.link_organization(
        orgs[2],
        ObjectKind::Proposal,
        proposal,
        LinkCapacity::Proposer,
        founder,
    )
    .await?;

    // Partners of the district's agenda, budget and committee.
    if let Some(item) = db.plan_items_touching(jongno).await?.first() {
        db.link_organization(
            orgs[4],
            ObjectKind::AgendaItem,
            item.id,
            LinkCapacity::Partner,
            people[8],
        )
        .await?;
    }
    if let Some(process) = db.processes(Some(jongno)).await?.first()
        && let Some(project) = db.projects_of(process.id).await?.first()
    {
        db.link_organization(
            orgs[3],
            ObjectKind::BudgetProject,
            project.id,
            LinkCapacity::Partner,
            people[6],
        )
        .await?;
    }
    for committee in db.committees_in_scope(jongno).await? {
        if let Some(meeting) = db.meetings_of(committee.id).await?.first() {
            db.link_organization(
                orgs[0],
                ObjectKind::CommitteeMeeting,
                meeting.id,
                LinkCapacity::Partner,
                people[0],
            )
            .await?;
            break;
        }
    }
    Ok(())
}

/// The awarded grants report on their tracked projects: the first completed (verified at 100 %), the
/// second under way (verified at 40 %), the third's first report waiting for the staff's verification.
pub async fn grant_reports(
    db: &Db,
    tracked: &[i64],
    awarded: &[(i64, i64)],
    staff: i64,
) -> Result<(), DbError> {
    let reports: [(&str, i64, i64, bool); 3] = [
        (
            "반찬 나눔 20회를 마치고 결과 보고회를 열었습니다. 어르신 45가구가 참여했습니다.",
            100,
            2_950_000,
            true,
        ),
        (
            "통학로 일곱 곳 조사를 마치고 지도 초안을 만들었습니다.",
            40,
            800_000,
            true,
        ),
        (
            "생태 지킴이 12명을 모집하고 첫 모니터링을 했습니다.",
            20,
            300_000,
            false,
        ),
    ];
    for ((project, (_, author)), (body, progress, spent, verify)) in
        tracked.iter().zip(awarded).zip(reports)
    {
        let update = db
            .create_update(&NewUpdate {
                project_id: *project,
                author_id: *author,
                body,
                progress,
                spent: Some(spent),
                evidence: &[],
            })
            .await?;
        db.transition_update(update, *author, false, &UpdateEvent::Submit)
            .await?;
        if verify {
            db.transition_update(update, staff, true, &UpdateEvent::Verify)
                .await?;
        }
    }
    Ok(())
}
