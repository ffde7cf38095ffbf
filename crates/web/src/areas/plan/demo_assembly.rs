//! Sajik-dong's 2027 residents' general assembly in the demo city: the agenda (the shared kitchen handed
//! down by the district, alley gardens, a small library) submitted for Jongno-gu's pre-consultation and
//! fixed by its official; pre-votes online (among them the demo member, a Sajik-dong resident) and on paper
//! entered by staff; the session with attendance and on-site ballots; the results published; and the
//! autonomy plan adopted by the assembly.
use maeul_db::plan::{ItemAction, NewAssembly, NewItem};
use maeul_db::{Db, DbError};
use maeul_domain::plan::{AssemblyChoice, AssemblyEvent, Mark, ProposerKind, VoteChannel};
use maeul_domain::residency::ResidencyDecision;
use maeul_domain::time::{DAY, now};

/// A seeded resident of the neighbourhood, verified by `official`.
async fn verified(db: &Db, user: i64, scope: i64, official: i64) -> Result<(), DbError> {
    if db.is_verified_resident_of(user, scope).await? {
        return Ok(());
    }
    db.declare_residency(user, scope, maeul_domain::ResidencyBasis::Resident, None)
        .await?;
    db.decide_residency(user, ResidencyDecision::Verify, official, None)
        .await?;
    Ok(())
}

fn ballot(marks: &[(i64, AssemblyChoice, Option<u32>)]) -> Vec<Mark> {
    marks
        .iter()
        .map(|&(item, choice, preference)| Mark {
            item,
            choice,
            preference,
        })
        .collect()
}

/// Seeds the assembly of `sajik` adopting `plan`; `kitchen` is the item the district handed down and
/// `residents` the seeded Sajik-dong residents (at least three).
pub async fn seed(
    db: &Db,
    sajik: i64,
    plan: i64,
    kitchen: i64,
    residents: &[i64],
    staff: Option<i64>,
) -> Result<(), DbError> {
    let (Some(official), Some(member)) = (
        db.user_by_email("official@demo.maeul.kr").await?,
        db.user_by_email("member@demo.maeul.kr").await?,
    ) else {
        return Ok(());
    };
    let mut voters = vec![member.id];
    for r in residents {
        verified(db, *r, sajik, official.id).await?;
        voters.push(*r);
    }
    let mut items = vec![kitchen];
    for (title, body) in [
        (
            "골목 화단 가꾸기 (Alley gardens)",
            "주민자치회 환경분과 발굴: 사직동 골목의 빈 화분을 주민이 함께 가꿉니다. \
             Found by the council's environment subcommittee: residents tend the empty planters of the alleys.",
        ),
        (
            "작은 도서관 야간 개방 (The small library open at night)",
            "주민자치회 교육분과 발굴: 평일 저녁 9시까지. From the education subcommittee: until 9 pm on weekdays.",
        ),
    ] {
        let id = db
            .create_plan_item(&NewItem {
                scope_id: sajik,
                title,
                body,
                proposer_kind: ProposerKind::ResidentCouncil,
                proposed_by: None,
                proposal_id: None,
            })
            .await?;
        for step in [ItemAction::Accept, ItemAction::Deliberate] {
            db.transition_plan_item(id, sajik, staff, &step).await?;
        }
        items.push(id);
    }
    let assembly = db
        .create_assembly(&NewAssembly {
            scope_id: sajik,
            year: 2027,
            plan_id: Some(plan),
            title: "2027 사직동 주민총회 (Sajik-dong general assembly 2027)",
            place: "사직동 주민센터 강당 (Sajik-dong community centre hall)",
            held_at: now() - DAY,
            created_by: staff,
        })
        .await?;
    for item in &items {
        db.add_assembly_item(assembly, *item).await?;
    }
    db.transition_assembly(assembly, staff, AssemblyEvent::SubmitAgenda)
        .await?;
    db.transition_assembly(assembly, Some(official.id), AssemblyEvent::FixAgenda)
        .await?;
    db.transition_assembly(assembly, staff, AssemblyEvent::OpenPreVoting)
        .await?;
    use AssemblyChoice::{No, Yes};
    let (k, g, l) = (items[0], items[1], items[2]);
    // Pre-votes: two online (the demo member among them), one on paper entered by staff.
    let pre = [
        (
            voters[0],
            VoteChannel::Online,
            ballot(&[(k, Yes, Some(1)), (g, Yes, Some(2)), (l, No, Some(3))]),
        ),
        (
            voters[1],
            VoteChannel::Online,
            ballot(&[(k, Yes, Some(2)), (g, Yes, Some(1)), (l, Yes, Some(3))]),
        ),
        (
            voters[2],
            VoteChannel::Paper,
            ballot(&[(k, Yes, Some(1)), (g, No, None), (l, No, None)]),
        ),
    ];
    for (voter, channel, marks) in &pre {
        let by = if *channel == VoteChannel::Paper {
            staff
        } else {
            None
        };
        db.cast_assembly_ballot(assembly, *voter, *channel, marks, by)
            .await?;
    }
    db.transition_assembly(assembly, staff, AssemblyEvent::OpenSession)
        .await?;
    // At the session: the three other residents attend and vote on site.
    for voter in &voters[3..] {
        db.record_assembly_attendance(assembly, *voter, staff)
            .await?;
        db.cast_assembly_ballot(
            assembly,
            *voter,
            VoteChannel::OnSite,
            &ballot(&[(k, Yes, Some(1)), (g, Yes, Some(2)), (l, No, None)]),
            staff,
        )
        .await?;
    }
    db.transition_assembly(assembly, staff, AssemblyEvent::PublishResults)
        .await?;
    db.transition_assembly(assembly, staff, AssemblyEvent::AdoptPlan)
        .await?;
    Ok(())
}
