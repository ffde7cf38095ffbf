//! The public sphere's part of the demo city, in Jongno-gu: a proposal collecting support with a
//! conversation under it, one the department has answered, one adopted, and an open debate where
//! residents take sides — so a first visit finds the threshold ladder, answers and debates at work.
use maeul_db::proposals::{Kind, NewProposal};
use maeul_db::{Db, DbError};
use maeul_domain::debate::Position;
use maeul_domain::proposal::{Category, Ladder, ProposalEvent, Responder};

/// The demo accounts the public sphere uses, by e-mail.
struct Cast {
    resident: i64,
    member: i64,
    official: i64,
    moderator: i64,
}

async fn user(db: &Db, email: &str) -> Result<i64, DbError> {
    Ok(db.user_by_email(email).await?.ok_or(DbError::NotFound)?.id)
}

/// A proposal by `author`, accepted by the moderator, in collection.
async fn accepted(
    db: &Db,
    cast: &Cast,
    scope_id: i64,
    author: i64,
    (title, body, category, location): (&str, &str, Category, &str),
) -> Result<i64, DbError> {
    let ladder = Ladder::democracy_seoul();
    let id = db
        .create_proposal(&NewProposal {
            scope_id,
            author_id: author,
            title,
            body,
            category,
            location,
            submit: true,
            kind: Kind::Proposal,
        })
        .await?;
    db.transition_proposal(id, &ProposalEvent::Accept, &ladder, Some(cast.moderator))
        .await?;
    Ok(id)
}

pub async fn seed(db: &Db) -> Result<(), DbError> {
    let scopes = maeul_domain::ScopeTree::new(db.load_scopes().await?).map_err(DbError::Corrupt)?;
    let Some(jongno) = scopes.by_code("11110") else {
        return Ok(());
    };
    let cast = Cast {
        resident: user(db, "resident@demo.maeul.kr").await?,
        member: user(db, "member@demo.maeul.kr").await?,
        official: user(db, "official@demo.maeul.kr").await?,
        moderator: user(db, "moderator@demo.maeul.kr").await?,
    };
    let ladder = Ladder::democracy_seoul();

    // Collecting: two supporters so far, a short conversation with a mention.
    let shade = accepted(
        db,
        &cast,
        jongno.id,
        cast.resident,
        (
            "청운효자동 골목 쉼터에 그늘막을 설치해 주세요",
            "여름마다 어르신들이 골목 벤치에서 햇볕을 그대로 받으십니다. 접이식 그늘막을 두 곳에 설치해 \
             주세요.\n\nShade sails over the two alley benches, for the elderly who rest there in summer.",
            Category::Environment,
            "청운효자동 자하문로 골목",
        ),
    )
    .await?;
    db.support_proposal(shade, cast.resident, &ladder).await?;
    db.support_proposal(shade, cast.member, &ladder).await?;
    let first = db
        .add_comment(
            shade,
            None,
            cast.member,
            "좋은 제안입니다. 주민자치회 회의에서도 다뤄 보겠습니다. @kim_jumin 위치 사진을 올려 주실 수 있나요?",
            None,
        )
        .await?;
    db.add_comment(
        shade,
        Some(first),
        cast.resident,
        "네, 이번 주말에 찍어서 올리겠습니다.",
        None,
    )
    .await?;

    // Answered by the department.
    let bikes = accepted(
        db,
        &cast,
        jongno.id,
        cast.member,
        (
            "종로구 공공자전거 정류소를 늘려 주세요",
            "사직동과 청운효자동에는 따릉이 정류소가 멀리 떨어져 있습니다. 주민센터 앞에 정류소를 \
             두어 주세요.\n\nMore public-bicycle stations, starting in front of the community centres.",
            Category::Transport,
            "사직동 주민센터 앞",
        ),
    )
    .await?;
    db.support_proposal(bikes, cast.member, &ladder).await?;
    db.answer_proposal(
        bikes,
        Responder::Department,
        cast.official,
        "교통행정과입니다. 내년 상반기 정류소 확충 계획에 사직동 주민센터 앞을 포함해 검토하겠습니다. \
         The transport department will consider the site for next spring's expansion.",
        &ladder,
    )
    .await?;

    // Adopted after its answer.
    let library = accepted(
        db,
        &cast,
        jongno.id,
        cast.resident,
        (
            "작은도서관 주말 운영 시간을 늘려 주세요",
            "토요일 오후 5시까지인 운영 시간을 저녁 8시까지 늘려 주세요.\n\nLonger Saturday hours at the \
             neighbourhood library.",
            Category::Culture,
            "",
        ),
    )
    .await?;
    db.answer_proposal(
        library,
        Responder::Department,
        cast.official,
        "다음 달부터 토요일 저녁 8시까지 시범 운영합니다. A trial starts next month.",
        &ladder,
    )
    .await?;
    db.transition_proposal(library, &ProposalEvent::Adopt, &ladder, Some(cast.official))
        .await?;

    // An open debate with one person on each side.
    let debate = db
        .create_proposal(&NewProposal {
            scope_id: jongno.id,
            author_id: cast.member,
            title: "주민자치회 회의를 저녁 시간에 열까요?",
            body: "직장에 다니는 주민도 참석할 수 있도록 회의를 저녁 7시 이후로 옮기자는 의견이 있습니다. \
                   어떻게 생각하시나요?\n\nShould the resident council meet after 7 pm so that working \
                   residents can attend?",
            category: Category::Other,
            location: "",
            submit: true,
            kind: Kind::Debate,
        })
        .await?;
    db.add_comment(
        debate,
        None,
        cast.resident,
        "찬성합니다. 낮 회의에는 참석할 수가 없습니다.",
        Some(Position::For),
    )
    .await?;
    db.add_comment(
        debate,
        None,
        cast.official,
        "저녁 회의는 주민센터 운영 시간 밖이라 장소를 따로 구해야 합니다.",
        Some(Position::Against),
    )
    .await?;
    Ok(())
}
