//! The budget's part of the demo city: Seoul's 2027 cycle (₩50 bn: 40 % for city-wide projects, the rest to
//! the 25 districts by an equal base and their population), Jongno-gu's envelope split equally among its
//! neighbourhoods, Jongno-gu's participatory budget with voting open on 12 projects, and Sajik-dong's
//! counted from seeded ballots of demo residents, so its result page shows the engine's explanations.
use maeul_db::attachments::AttachmentOwner;
use maeul_db::budget::{NewProcess, NewProject, VoteChannel};
use maeul_db::users::NewUser;
use maeul_db::{Db, DbError};
use maeul_domain::ResidencyBasis;
use maeul_domain::ScopeTree;
use maeul_domain::budget::envelope::Formula;
use maeul_domain::budget::{BallotConfig, BallotKind, PhaseEvent, ReviewEvent, StoredBallot};
use maeul_domain::committee::CommitteeKind;
use maeul_domain::residency::ResidencyDecision;

/// (title, description, category, location, cost in won)
pub type DemoProject = (&'static str, &'static str, &'static str, &'static str, u64);

const JONGNO_PROJECTS: &[DemoProject] = &[
    (
        "청계천 보행로 그늘막 설치 (Shade canopies on the Cheonggyecheon walk)",
        "여름철 폭염에 대비해 청계천 산책로 20곳에 접이식 그늘막을 설치합니다.",
        "환경",
        "청계천로",
        48_000_000,
    ),
    (
        "어르신 디지털 배움터 (Digital classes for older residents)",
        "주민센터 5곳에서 스마트폰·키오스크 사용 교육을 1년간 운영합니다.",
        "복지",
        "주민센터",
        36_000_000,
    ),
    (
        "골목길 보안등 LED 교체 (LED street lights in alleys)",
        "어두운 골목 120곳의 보안등을 LED로 바꿉니다.",
        "안전",
        "창신동·숭인동",
        72_000_000,
    ),
    (
        "인왕산 숲길 정비 (Inwangsan forest path repairs)",
        "무너진 계단과 안내판을 보수합니다.",
        "환경",
        "인왕산",
        55_000_000,
    ),
    (
        "청소년 방과후 공간 (After-school space for teenagers)",
        "빈 점포를 청소년 공간으로 꾸며 저녁까지 엽니다.",
        "교육",
        "혜화동",
        64_000_000,
    ),
    (
        "전통시장 공용 장바구니 대여 (Shared shopping bags at the markets)",
        "광장시장·통인시장에서 다회용 장바구니를 빌려줍니다.",
        "환경",
        "광장시장",
        18_000_000,
    ),
    (
        "경사로·점자블록 개선 (Ramps and tactile paving)",
        "휠체어와 유모차가 다니기 어려운 30곳을 고칩니다.",
        "안전",
        "종로 일대",
        80_000_000,
    ),
    (
        "마을 도서관 주말 개방 (Weekend opening of the village library)",
        "작은도서관 3곳을 주말에도 엽니다.",
        "교육",
        "부암동",
        24_000_000,
    ),
    (
        "반려견 놀이터 (A dog playground)",
        "낙산공원 한편에 울타리 친 반려견 놀이터를 만듭니다.",
        "여가",
        "낙산공원",
        42_000_000,
    ),
    (
        "1인 가구 안부 확인 (Check-ins for people living alone)",
        "고립 위험 1인 가구에 주 1회 안부 전화와 방문을 합니다.",
        "복지",
        "종로 일대",
        30_000_000,
    ),
    (
        "빗물 저금통 설치 (Rain barrels)",
        "공공건물 15곳에 빗물 저장 시설을 설치해 화단에 씁니다.",
        "환경",
        "공공건물",
        27_000_000,
    ),
    (
        "동네 축제 지원 (Neighbourhood festivals)",
        "동별 주민 축제 운영비를 지원합니다.",
        "문화",
        "각 동",
        40_000_000,
    ),
];

pub const SAJIK_PROJECTS: &[DemoProject] = &[
    (
        "사직공원 벤치 교체 (New benches in Sajik Park)",
        "낡은 벤치 20개를 교체합니다.",
        "환경",
        "사직공원",
        6_000_000,
    ),
    (
        "경로당 운동기구 (Exercise equipment for the seniors' centre)",
        "경로당에 실내 운동기구를 들입니다.",
        "복지",
        "사직동 경로당",
        4_000_000,
    ),
    (
        "골목 화분 가꾸기 (Alley flower pots)",
        "주민이 함께 가꾸는 화분 100개를 둡니다.",
        "환경",
        "사직로 골목",
        3_000_000,
    ),
    (
        "어린이 안전 통학로 표시 (Safe-to-school markings)",
        "초등학교 앞 통학로에 노란 발자국과 표지를 그립니다.",
        "안전",
        "매동초등학교 앞",
        5_000_000,
    ),
    (
        "주민 사랑방 영화의 밤 (Movie nights at the community room)",
        "한 달에 한 번 주민 영화 상영회를 엽니다.",
        "문화",
        "사직동 주민센터",
        2_000_000,
    ),
    (
        "무인 택배함 설치 (Parcel lockers)",
        "주민센터 앞에 무인 택배함을 설치합니다.",
        "생활",
        "사직동 주민센터",
        7_000_000,
    ),
];

/// The index in [`JONGNO_PROJECTS`] of the weekend-library project (born from a proposal).
const LIBRARY_PROJECT: usize = 7;
/// The index in [`JONGNO_PROJECTS`] of the rain-barrel project (with an attached site plan).
const RAIN_PROJECT: usize = 10;

/// A synthetic past election of Jongno-gu in the pabulib format (written for the demo, not real data):
/// five projects, twelve approval ballots.
const HISTORICAL_PB: &str = include_str!("demo_2024.pb");

/// A minimal one-page PDF standing for a project's site plan.
const SITE_PLAN_PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

/// The demo's adopted proposal of the scope whose title contains `part`, if the proposals' demo seeded it.
async fn adopted_proposal(db: &Db, scope: i64, part: &str) -> Result<Option<i64>, DbError> {
    let adopted = Some(maeul_domain::proposal::ProposalState::Adopted);
    Ok(db
        .proposals_in_scope(scope, maeul_db::proposals::Kind::Proposal, None, 100)
        .await?
        .into_iter()
        .find(|p| p.title.contains(part) && p.state.proposal() == adopted)
        .map(|p| p.id))
}

/// Jongno-gu's governance committee carries the shortlist of the district's 2027 participatory budget
/// (its chair, the demo committee member, votes yes).
async fn shortlist_motion(db: &Db, jongno: i64) -> Result<Option<i64>, DbError> {
    let Some(committee) = db
        .committees_in_scope(jongno)
        .await?
        .into_iter()
        .find(|c| c.kind == CommitteeKind::DistrictGovernance)
    else {
        return Ok(None);
    };
    crate::areas::committees::demo::carried_now(
        db,
        committee.id,
        "주민참여예산 본선 사업 심의 (shortlist of the participatory budget)",
        "2027 주민참여예산 본선 사업 12건 확정 (the 12 projects on the 2027 ballot)",
        "부서 검토를 통과한 12개 사업을 모두 본선 투표에 올립니다.",
    )
    .await
}

fn corrupt(e: impl std::fmt::Display) -> DbError {
    DbError::Corrupt(e.to_string())
}

fn refused(e: crate::http::ServiceError) -> DbError {
    match e {
        crate::http::ServiceError::Internal(e) => e,
        other => DbError::Corrupt(other.to_string()),
    }
}

async fn advance(db: &Db, id: i64) -> Result<(), DbError> {
    db.transition_process(id, &PhaseEvent::Advance { shortlisted: 0 }, None)
        .await?;
    Ok(())
}

/// A process to seed: where, what, how it is counted, and its projects.
pub struct DemoProcess<'a> {
    pub envelope_id: i64,
    pub title: &'a str,
    pub budget: u64,
    pub rule: &'a str,
    pub ballot: BallotConfig,
    pub projects: &'a [DemoProject],
    pub proposer: Option<i64>,
    /// The project (by its index in `projects`) born from an adopted proposal, with the proposal.
    pub from_proposal: Option<(usize, i64)>,
    /// The carried committee motion the shortlist decision cites.
    pub shortlist_motion: Option<i64>,
}

/// Creates a process and takes it to voting with its projects all reviewed and shortlisted; returns the
/// process and its project ids.
pub async fn process_to_voting(db: &Db, p: &DemoProcess<'_>) -> Result<(i64, Vec<i64>), DbError> {
    let (projects, proposer) = (p.projects, p.proposer);
    let id = db
        .create_process(&NewProcess {
            envelope_id: p.envelope_id,
            title: p.title,
            budget: p.budget,
            rule: p.rule,
            ballot: p.ballot,
            min_age: 14,
            created_by: None,
        })
        .await?;
    // Voting closes by itself three weeks from the seeding (the background worker then counts it).
    db.configure_process(
        id,
        &maeul_db::budget::ProcessSettings {
            schedule: maeul_domain::budget::Schedule {
                voting_close_at: Some(maeul_domain::time::now() + 21 * 86_400),
                ..Default::default()
            },
            min_age: 14,
            // Seoul's district budgets: those who live, work or study in the district.
            voter_bases: maeul_domain::budget::VoterBases::parse(["resident", "worker", "student"])
                .expect("known bases"),
            ..Default::default()
        },
        None,
    )
    .await?;
    advance(db, id).await?;
    let mut ids = Vec::new();
    for (i, (title, description, category, location, cost)) in projects.iter().enumerate() {
        let proposal_id = p
            .from_proposal
            .and_then(|(index, proposal)| (index == i).then_some(proposal));
        ids.push(
            db.submit_project(&NewProject {
                process_id: id,
                proposer_id: proposer,
                title,
                description,
                category,
                location,
                cost: *cost,
                proposal_id,
            })
            .await?,
        );
    }
    advance(db, id).await?;
    for (p, (.., cost)) in ids.iter().zip(projects) {
        let feasible = ReviewEvent::Feasible {
            cost: *cost,
            months: 6,
            envelope: 0,
        };
        db.review_project(*p, &feasible, None).await?;
    }
    advance(db, id).await?;
    for project in &ids {
        db.review_project_citing(*project, &ReviewEvent::Shortlist, p.shortlist_motion, None)
            .await?;
    }
    advance(db, id).await?;
    advance(db, id).await?;
    Ok((id, ids))
}

pub async fn seed(db: &Db) -> Result<(), DbError> {
    let tree = ScopeTree::new(db.load_scopes().await?).map_err(DbError::Corrupt)?;
    let (Some(city), Some(jongno), Some(sajik)) = (
        tree.by_code("11"),
        tree.by_code("11110"),
        tree.by_code("1111053000"),
    ) else {
        return Ok(());
    };
    db.seed_district_population().await?;
    let (cycle, top) = db.create_cycle(city.id, 2027, 50_000_000_000, None).await?;
    let districts: Vec<i64> = tree.children(city.id).map(|s| s.id).collect();
    let figures = db.scope_figures(&districts).await?;
    let city_formula = Formula {
        own_permille: 400,
        base: 50,
        population: 50,
        need: 0,
        grade: 0,
    };
    db.split_envelope(top, &city_formula, &figures, None)
        .await?;
    let jongno_env = db.envelope_in(cycle, jongno.id).await?;
    let dongs: Vec<i64> = tree.children(jongno.id).map(|s| s.id).collect();
    let dong_figures = db.scope_figures(&dongs).await?;
    let district_formula = Formula {
        own_permille: 500,
        base: 1,
        population: 0,
        need: 0,
        grade: 0,
    };
    db.split_envelope(jongno_env.id, &district_formula, &dong_figures, None)
        .await?;
    let resident = db
        .user_by_email("resident@demo.maeul.kr")
        .await?
        .map(|u| u.id);
    // An election of the past, imported from its `.pb` file (older than this year's processes).
    super::import::import_into(
        db,
        jongno_env.id,
        None,
        &super::import::ImportInput {
            title: "종로구 주민참여예산 2024 (Jongno-gu participatory budget 2024, imported)",
            rule: "mes_cost",
            file: HISTORICAL_PB.as_bytes(),
        },
    )
    .await
    .map_err(refused)?;
    // The library project is born from the resident's adopted proposal on weekend library hours, and
    // the shortlist is the governance committee's carried motion.
    let library = adopted_proposal(db, jongno.id, "작은도서관").await?;
    let motion = shortlist_motion(db, jongno.id).await?;
    let (jongno_process, jongno_projects) = process_to_voting(
        db,
        &DemoProcess {
            envelope_id: jongno_env.id,
            title: "종로구 주민참여예산 2027 (Jongno-gu participatory budget 2027)",
            budget: 300_000_000,
            rule: "mes_cost_add1",
            ballot: BallotConfig {
                kind: BallotKind::Approval,
                min_projects: 1,
                max_projects: 5,
                points: 0,
            },
            projects: JONGNO_PROJECTS,
            proposer: resident,
            from_proposal: library.map(|proposal| (LIBRARY_PROJECT, proposal)),
            shortlist_motion: motion,
        },
    )
    .await?;
    let _ = jongno_process;
    // The rain-barrel project's proposer attached its site plan (a one-page PDF).
    if let (Some(resident), Some(project)) = (resident, jongno_projects.get(RAIN_PROJECT)) {
        db.attach_file(
            AttachmentOwner::BudgetProject(*project),
            resident,
            "빗물저금통_설치위치.pdf",
            "application/pdf",
            SITE_PLAN_PDF,
            maeul_domain::attachment::MAX_PER_PROPOSAL as i64,
        )
        .await?;
    }

    let sajik_env = db.envelope_in(cycle, sajik.id).await?;
    let budget = 15_000_000u64.min(u64::try_from(sajik_env.own()).unwrap_or(0));
    let (sajik_process, projects) = process_to_voting(
        db,
        &DemoProcess {
            envelope_id: sajik_env.id,
            title: "사직동 주민참여예산 2027 (Sajik-dong participatory budget 2027)",
            budget,
            rule: "mes_cost",
            ballot: BallotConfig {
                kind: BallotKind::Approval,
                min_projects: 1,
                max_projects: 3,
                points: 0,
            },
            projects: SAJIK_PROJECTS,
            proposer: None,
            from_proposal: None,
            shortlist_motion: None,
        },
    )
    .await?;
    seed_ballots(db, sajik_process, sajik.id, &projects, 36).await?;
    advance(db, sajik_process).await?;
    crate::areas::budgeting::service::tally_in(db, sajik_process, None)
        .await
        .map_err(refused)?;
    Ok(())
}

/// Demo residents of a neighbourhood (verified by the demo official) casting deterministic, varied
/// approval ballots of one to three projects.
async fn seed_ballots(
    db: &Db,
    process: i64,
    home: i64,
    projects: &[i64],
    count: usize,
) -> Result<(), DbError> {
    let verifier = db
        .user_by_email("official@demo.maeul.kr")
        .await?
        .ok_or_else(|| corrupt("the demo official is missing"))?;
    let n = projects.len();
    for i in 0..count {
        let email = format!("voter{i}.sajik@demo.maeul.kr");
        let handle = format!("sajik_voter_{i}");
        let name = format!("사직동 주민 {}", i + 1);
        let uid = db
            .create_user(&NewUser {
                email: &email,
                display_name: &name,
                handle: &handle,
                password_hash: "!demo-voter-without-password",
                lang: "ko",
            })
            .await?;
        db.declare_residency(uid, home, ResidencyBasis::Resident, None)
            .await?;
        db.decide_residency(uid, ResidencyDecision::Verify, verifier.id, Some("demo"))
            .await?;
        // Popular first project, a second favourite, and a spread of third choices.
        let mut choice = vec![projects[i % 2 * 3 % n]];
        if i % 3 != 0 {
            choice.push(projects[(i + 1) % n]);
        }
        if i % 4 == 0 {
            choice.push(projects[(i * 7 + 2) % n]);
        }
        choice.sort_unstable();
        choice.dedup();
        let ballot = StoredBallot::Projects(choice).encode();
        db.cast_ballot(process, uid, Some(home), &ballot, VoteChannel::Online)
            .await?;
    }
    Ok(())
}

/// A random ballot valid for the process (checked by the engine before it is returned): a random subset
/// within the limits (and, for knapsack ballots, within the budget), random points, or a random ranking.
pub fn random_ballot(
    process: &maeul_db::budget::ProcessRow,
    projects: &[maeul_db::budget::ProjectRow],
    rng: &mut impl rand::Rng,
) -> Option<StoredBallot> {
    use rand::seq::SliceRandom;
    let election = super::engine::election(process, projects, vec![]);
    let n = projects.len();
    if n == 0 {
        return None;
    }
    for _ in 0..100 {
        let mut order: Vec<&maeul_db::budget::ProjectRow> = projects.iter().collect();
        order.shuffle(rng);
        let min = (process.min_projects.max(1) as usize).min(n);
        let max = if process.max_projects > 0 {
            (process.max_projects as usize).min(n)
        } else {
            n
        };
        let take = rng.gen_range(min..=max.max(min));
        let mut chosen: Vec<&maeul_db::budget::ProjectRow> = order.into_iter().take(take).collect();
        if process.ballot_kind == BallotKind::Knapsack {
            let mut total = 0;
            chosen.retain(|p| {
                total += p.cost;
                total <= process.budget
            });
        }
        let ballot = match process.ballot_kind {
            BallotKind::Cumulative => {
                let mut left = process.points.max(0) as u32;
                let mut points = Vec::new();
                for p in &chosen {
                    if left == 0 {
                        break;
                    }
                    let give = rng.gen_range(1..=left);
                    left -= give;
                    points.push((p.id, give));
                }
                StoredBallot::Points(points)
            }
            _ => StoredBallot::Projects(chosen.iter().map(|p| p.id).collect()),
        };
        if super::engine::check(&election, process.ballot_kind, &ballot).is_ok() {
            return Some(ballot);
        }
    }
    None
}

/// Adds `count` new verified demo residents of the process's scope (verified by the demo official, so
/// only on demo databases), each casting a random valid ballot. Returns the ballots cast.
pub async fn add_demo_ballots(db: &Db, process_id: i64, count: u32) -> Result<u32, DbError> {
    let process = db.process(process_id).await?.ok_or(DbError::NotFound)?;
    let verifier = db
        .user_by_email("official@demo.maeul.kr")
        .await?
        .ok_or_else(|| corrupt("official@demo.maeul.kr not found: demo databases only"))?;
    let tree = ScopeTree::new(db.load_scopes().await?).map_err(DbError::Corrupt)?;
    let scope = tree
        .get(process.scope_id)
        .ok_or_else(|| corrupt("unknown scope"))?;
    // Residents live in neighbourhoods: the process's own, or the first one below it.
    let home = if scope.kind == maeul_domain::ScopeKind::Neighbourhood {
        scope
    } else {
        tree.all()
            .iter()
            .find(|s| {
                s.kind == maeul_domain::ScopeKind::Neighbourhood && s.code.starts_with(&scope.code)
            })
            .ok_or_else(|| corrupt("no neighbourhood below the process's scope"))?
    };
    let projects: Vec<maeul_db::budget::ProjectRow> = db
        .projects_of(process_id)
        .await?
        .into_iter()
        .filter(|p| p.state.on_ballot())
        .collect();
    let tag = maeul_db::secrets::random_token()[..8].to_lowercase();
    let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::from_entropy();
    let mut cast = 0;
    for i in 0..count {
        let Some(ballot) = random_ballot(&process, &projects, &mut rng) else {
            return Err(corrupt("no valid ballot can be made for this process"));
        };
        let email = format!("voter-{tag}-{i}@demo.maeul.kr");
        let name = format!("주민 {}", i + 1);
        let handle = format!("voter_{tag}_{i}");
        let uid = db
            .create_user(&NewUser {
                email: &email,
                display_name: &name,
                handle: &handle,
                password_hash: "!",
                lang: "ko",
            })
            .await?;
        db.declare_residency(uid, home.id, ResidencyBasis::Resident, None)
            .await?;
        db.decide_residency(uid, ResidencyDecision::Verify, verifier.id, Some("demo"))
            .await?;
        db.cast_ballot(
            process_id,
            uid,
            Some(home.id),
            &ballot.encode(),
            VoteChannel::Online,
        )
        .await?;
        cast += 1;
    }
    Ok(cast)
}
