//! The forums' part of the demo city: an open conversation of Jongno-gu on its agenda item "safe walking
//! routes to school" (referred up from Sajik-dong), with 20 Korean statements and 240 simulated
//! participants whose votes form three recognisable groups (pedestrians first, shopkeepers and drivers,
//! parents asking for guards and cameras), drawn from a fixed seed; the map is computed at seeding time so
//! the first visit shows it.
use maeul_db::forums::NewConversation;
use maeul_db::{Db, DbError};
use maeul_domain::forum::{
    ConversationEvent, ModerationMode, Participation, StatementState, VoteValue,
};
use maeul_domain::{ObjectKind, ObjectRef, ScopeTree};
use maeul_opinion::pca::SplitMix64;

use super::service::maps::update_map_in;

/// Statements and each group's chance (percent) to agree with them: (pedestrians, shopkeepers and
/// drivers, parents). The rest disagree, with some passes.
const STATEMENTS: &[(&str, [u32; 3])] = &[
    (
        "등하교 시간에는 학교 앞 골목의 차량 통행을 막아야 한다",
        [92, 15, 70],
    ),
    ("학교 앞 불법 주정차 단속을 크게 늘려야 한다", [88, 20, 85]),
    ("통학로의 노상 주차장을 없애고 보도를 넓히자", [90, 8, 55]),
    (
        "골목 상가의 물건 하역 시간을 등하교 시간과 겹치지 않게 정하자",
        [80, 45, 75],
    ),
    ("차량 통제는 상인들의 생계를 위협한다", [10, 90, 30]),
    ("주차장을 줄이면 손님이 끊긴다", [12, 92, 35]),
    (
        "보도 공사보다 녹색어머니회 같은 교통 지도 인력을 늘리는 것이 낫다",
        [30, 70, 90],
    ),
    ("모든 통학로 교차로에 단속 카메라를 설치하자", [60, 25, 92]),
    (
        "어린이 보호구역 제한속도 30km를 20km로 낮추자",
        [85, 15, 60],
    ),
    (
        "통학로 정비 계획은 학부모와 상인이 함께 정해야 한다",
        [75, 80, 85],
    ),
    (
        "보행로에 가로등을 늘려 겨울 저녁 하굣길을 밝히자",
        [85, 70, 90],
    ),
    (
        "통학로 개선 예산은 주민참여예산으로 우선 배정하자",
        [80, 40, 75],
    ),
    (
        "공사 기간에는 임시 보행로를 반드시 확보해야 한다",
        [90, 75, 92],
    ),
    (
        "자전거와 킥보드는 통학로 보도에서 금지해야 한다",
        [70, 55, 85],
    ),
    ("상가 앞 조업 주차 공간은 그대로 두어야 한다", [20, 95, 40]),
    ("차 없는 거리를 주말에도 시범 운영해 보자", [85, 10, 45]),
    ("학원 차량의 정차 구역을 따로 만들어야 한다", [50, 75, 88]),
    (
        "통학로 안전 문제는 구청이 아니라 경찰이 맡을 일이다",
        [15, 55, 25],
    ),
    (
        "아이들에게 안전한 길은 결국 모두에게 좋은 길이다",
        [95, 60, 90],
    ),
    (
        "주민 의견을 듣는 공청회를 한 번 더 열어야 한다",
        [50, 85, 70],
    ),
];

/// Participants per group (pedestrians, shopkeepers and drivers, parents).
const GROUP_SIZES: [usize; 3] = [100, 70, 70];

pub async fn seed(db: &Db) -> Result<(), DbError> {
    let tree = ScopeTree::new(db.load_scopes().await?).map_err(DbError::Corrupt)?;
    let Some(jongno) = tree.by_code("11110") else {
        return Ok(());
    };
    let item = db
        .plan_items_touching(jongno.id)
        .await?
        .into_iter()
        .find(|i| i.title.starts_with("통학로 보행 안전"));
    let staff = db.user_by_email("staff@demo.maeul.kr").await?.map(|u| u.id);
    let id = db
        .create_conversation(&NewConversation {
            scope_id: jongno.id,
            object: item.map(|i| ObjectRef::new(ObjectKind::AgendaItem, i.id)),
            topic: "종로구 통학로, 어떻게 안전하게 만들까요?",
            description: "사직동에서 올라온 ‘통학로 보행 안전’ 의제를 두고 종로구 주민의 생각을 모읍니다. \
                짧은 의견에 동의·반대·보류로 답해 주세요. 비슷하게 생각하는 사람들의 그룹과 모두가 공감하는 \
                의견이 의견 지도에 나타납니다.",
            participation: Participation::Residents,
            moderation: ModerationMode::Post,
            created_by: staff,
        })
        .await?;
    db.transition_conversation(id, staff, &ConversationEvent::Open)
        .await?;
    // The organiser writes the seed statements (pseudonym 0, as Pol.is numbers its owner).
    let author = match staff {
        Some(s) => Some((s, db.forum_participant(id, s).await?)),
        None => None,
    };
    let mut statements = Vec::with_capacity(STATEMENTS.len());
    for (text, _) in STATEMENTS {
        statements.push(
            db.add_statement(id, author, text, StatementState::Accepted)
                .await?,
        );
    }
    let total: usize = GROUP_SIZES.iter().sum();
    let first = db.reserve_forum_pseudonyms(id, total as i64).await?;
    let mut rng = SplitMix64::new(20_261_202);
    let mut votes = Vec::new();
    let mut pseudonym = first;
    for (group, size) in GROUP_SIZES.iter().enumerate() {
        for _ in 0..*size {
            for (statement, (_, agree)) in statements.iter().zip(STATEMENTS) {
                // Each participant sees about three statements in four.
                if rng.next_f64() < 0.25 {
                    continue;
                }
                let roll = (rng.next_f64() * 100.0) as u32;
                let vote = if roll < agree[group] {
                    VoteValue::Agree
                } else if roll < agree[group] + (100 - agree[group]) / 5 {
                    VoteValue::Pass
                } else {
                    VoteValue::Disagree
                };
                votes.push((*statement, pseudonym, vote));
            }
            pseudonym += 1;
        }
    }
    db.import_forum_votes(id, &votes).await?;
    update_map_in(db, None, id).await
}
