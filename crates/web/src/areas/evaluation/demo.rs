//! The evaluation's part of the demo city: a finished 2026 cycle for Jongno-gu. A resident's proposal
//! (the public sphere's demo proposal for public-bicycle stations) became an agenda item, adopted by a carried motion of the district's
//! committee, a project of Jongno-gu's 2026 plan and a tracked project with milestones and verified
//! updates; the cycle's indicators have baselines, targets and actuals; the district assessed itself, two
//! evaluators scored it against the rubric, the city graded it, and the grade's figure entered the 2027
//! envelope formula: the city's 2027 envelope is split again with a grade term (every other district at
//! 다, the figure of last year's average grade), and Jongno-gu's envelope again among its neighbourhoods.
//! Sajik-dong's counted 2027 winners are tracked too. So the trace and the pages are full on first visit.
use maeul_db::evaluation::{Actual, NewIndicator, NewUpdate};
use maeul_db::plan::{ItemAction, NewItem, NewProject, PlanAction};
use maeul_db::proposals::Kind;
use maeul_db::users::NewUser;
use maeul_db::{Db, DbError};
use maeul_domain::ScopeTree;
use maeul_domain::budget::envelope::Formula;
use maeul_domain::evaluation::{
    Aggregation, Better, CycleEvent, IndicatorKind, IndicatorLevel, Party, UpdateEvent,
};
use maeul_domain::plan::{BudgetSource, ProposerKind};
use maeul_domain::time::DAY;

async fn person(db: &Db, email: &str) -> Result<Option<i64>, DbError> {
    Ok(db.user_by_email(email).await?.map(|u| u.id))
}

async fn seeded_person(db: &Db, email: &str, name: &str) -> Result<i64, DbError> {
    if let Some(id) = person(db, email).await? {
        return Ok(id);
    }
    db.create_user_with_free_handle(&NewUser {
        email,
        display_name: name,
        handle: &maeul_domain::account::suggest_handle(email),
        // Not a hash any password matches: this person cannot sign in.
        password_hash: "!seeded",
        lang: "ko",
    })
    .await
}

/// 1 January of `year`, 00:00 in Seoul, plus `days`.
fn day_of(year: i64, days: i64) -> i64 {
    let jan1_2026 = 1_767_193_200; // 2026-01-01T00:00:00+09:00
    jan1_2026 + (year - 2026) * 365 * DAY + days * DAY
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
    let (Some(staff), Some(official), Some(evaluator)) = (
        person(db, "staff@demo.maeul.kr").await?,
        person(db, "official@demo.maeul.kr").await?,
        person(db, "evaluator@demo.maeul.kr").await?,
    ) else {
        return Ok(());
    };
    let Some((motion, _, _)) = db.carried_motions_in(jongno.id).await?.into_iter().next() else {
        return Ok(());
    };
    let city_officer = seeded_person(db, "governance@seed.maeul.kr", "서울시 협치담당관").await?;
    let second_evaluator = seeded_person(db, "evaluator2@seed.maeul.kr", "김외부평가").await?;

    // 1. From a resident's proposal (one of the public sphere's demo proposals not yet on the agenda)
    //    to a project of Jongno-gu's 2026 plan.
    let mut proposal = None;
    for p in db
        .proposals_in_scope(jongno.id, Kind::Proposal, None, 20)
        .await?
    {
        if db.plan_item_for_proposal(p.id).await?.is_none() {
            proposal = Some(p);
            break;
        }
    }
    let Some(proposal) = proposal else {
        return Ok(());
    };
    let title = proposal.title.as_str();
    let proposal = proposal.id;
    let item = db
        .create_plan_item(&NewItem {
            scope_id: jongno.id,
            title,
            body: "주민 제안에서 올라온 의제 (promoted from a resident's proposal)",
            proposer_kind: ProposerKind::Proposal,
            proposed_by: None,
            proposal_id: Some(proposal),
        })
        .await?;
    for step in [
        ItemAction::Accept,
        ItemAction::Deliberate,
        ItemAction::Prioritise,
        ItemAction::Adopt { motion_id: motion },
    ] {
        db.transition_plan_item(item, jongno.id, Some(staff), &step)
            .await?;
    }
    let plan = db
        .create_plan(
            jongno.id,
            2026,
            2026,
            "2026 종로구 지역사회혁신계획 실행계획 (Jongno-gu 2026 innovation plan)",
            Some(staff),
        )
        .await?;
    db.add_plan_project(&NewProject {
        plan_id: plan,
        title: "주민센터 앞 공공자전거 정류소 12곳 신설 (Twelve public-bicycle stations at community centres)",
        objective: "동마다 주민센터 앞 정류소 (a station in front of every dong's community centre)",
        lead_department: "교통행정과 (Transport Administration)",
        partners: "동 주민자치회, 서울시설공단 (dong councils, Seoul Facilities Corporation)",
        schedule: "2026-03 ~ 2026-11",
        item_ids: &[item],
        budget_lines: &[
            (BudgetSource::CityGrant, 60_000_000, ""),
            (BudgetSource::OwnFunds, 30_000_000, ""),
        ],
        indicators: &["신설 정류소 수 (stations built)"],
    })
    .await?;
    for (by, action) in [
        (staff, PlanAction::Resolve { motion_id: motion }),
        (staff, PlanAction::Submit),
        (city_officer, PlanAction::OpenConsultation),
        (
            city_officer,
            PlanAction::Approve {
                granted: 60_000_000,
            },
        ),
        (staff, PlanAction::Execute),
        (staff, PlanAction::Close),
        (staff, PlanAction::Evaluate),
    ] {
        db.transition_plan(plan, Some(by), &action).await?;
    }

    // 2. The tracked project: milestones and updates, verified by the official (never by their author).
    let tracked = db.track_plan_projects(plan).await?;
    let Some(&project) = tracked.first() else {
        return Ok(());
    };
    for (title, due, done) in [
        (
            "부지 선정과 주민 설명회 (sites chosen with residents)",
            75,
            Some(70),
        ),
        ("1차 6곳 설치 (first six built)", 180, Some(176)),
        ("2차 6곳 설치 (second six built)", 270, Some(281)),
        ("이용 실태 조사 (use survey)", 320, Some(318)),
    ] {
        let id = db.add_milestone(project, title, day_of(2026, due)).await?;
        if let Some(d) = done {
            db.reach_milestone(id, day_of(2026, d)).await?;
        }
    }
    for (body, progress, spent, url) in [
        (
            "부지 12곳 확정, 설명회 3회 (12 sites fixed, three meetings)",
            15,
            5_000_000,
            "https://www.jongno.go.kr/",
        ),
        (
            "1차 6곳 설치 완료 (first six built)",
            55,
            46_000_000,
            "https://www.jongno.go.kr/",
        ),
        (
            "12곳 모두 설치, 이용 조사 완료 (all twelve built; use surveyed)",
            100,
            88_500_000,
            "https://www.jongno.go.kr/",
        ),
    ] {
        let evidence = [(
            url.to_owned(),
            "종로구청 사업 안내 (district notice)".to_owned(),
        )];
        let update = db
            .create_update(&NewUpdate {
                project_id: project,
                author_id: staff,
                body,
                progress,
                spent: Some(spent),
                evidence: &evidence,
            })
            .await?;
        db.transition_update(update, staff, true, &UpdateEvent::Submit)
            .await?;
        db.transition_update(update, official, true, &UpdateEvent::Verify)
            .await?;
    }

    // Sajik-dong's counted 2027 winners become tracked projects (planned).
    for process in db.processes(Some(sajik.id)).await? {
        if db.budget_result(process.id).await?.is_some() {
            db.track_budget_winners(process.id).await?;
        }
    }

    // 3. Jongno-gu's 2026 evaluation, from indicators to publication.
    let cycle = db.create_evaluation_cycle(jongno.id, 2026).await?;
    let base = NewIndicator {
        cycle_id: cycle,
        project_id: Some(project),
        code: "bicycle_stations",
        name: "신설 공공자전거 정류소 수 (public-bicycle stations built)",
        level: IndicatorLevel::Output,
        kind: IndicatorKind::Number,
        better: Better::Higher,
        aggregation: Aggregation::Sum,
        unit: "곳",
        baseline: Some((2025, 0.0)),
        target: Some(12.0),
    };
    let spots = db.add_indicator(&base, Party::Implementer).await?;
    let satisfaction = db
        .add_indicator(
            &NewIndicator {
                code: "station_satisfaction",
                name: "정류소 이용 주민 만족 비율 (users satisfied with the stations)",
                level: IndicatorLevel::Outcome,
                kind: IndicatorKind::Percentage,
                aggregation: Aggregation::Average,
                unit: "%",
                baseline: Some((2025, 52.0)),
                target: Some(75.0),
                ..base.clone()
            },
            Party::Implementer,
        )
        .await?;
    let participants = db
        .add_indicator(
            &NewIndicator {
                project_id: None,
                code: "deliberation_participants",
                name: "숙의 과정 참여 주민 수 (residents in the deliberation)",
                level: IndicatorLevel::Process,
                unit: "명",
                baseline: Some((2025, 180.0)),
                target: Some(300.0),
                ..base.clone()
            },
            Party::Implementer,
        )
        .await?;
    let go = |event: CycleEvent, party: Party, by: i64| async move {
        db.transition_evaluation_cycle(cycle, party, Some(by), &event)
            .await
    };
    go(CycleEvent::StartMeasuring, Party::Implementer, staff).await?;
    let value = |v: f64| Actual {
        value: Some(v),
        numerator: None,
        denominator: None,
    };
    db.record_actual(
        spots,
        value(12.0),
        "설치 사진 12건 (photos of the twelve stations)",
        Party::Implementer,
        Some(staff),
    )
    .await?;
    db.record_actual(
        satisfaction,
        Actual {
            value: None,
            numerator: Some(171.0),
            denominator: Some(240.0),
        },
        "이용 주민 240명 설문 (survey of 240 users)",
        Party::Implementer,
        Some(staff),
    )
    .await?;
    db.record_actual(
        participants,
        value(264.0),
        "원탁회의 참가자 명부",
        Party::Implementer,
        Some(staff),
    )
    .await?;
    go(
        CycleEvent::SelfAssess {
            narrative: "정류소 12곳을 모두 설치했고, 이용 주민의 71%가 만족했습니다. 숙의 참여는 목표에 못 미쳐 \
                        2027년에는 동별 원탁회의를 늘립니다. (All twelve stations were built and 71 % of users are \
                        satisfied; deliberation fell short of its target, so 2027 adds round tables in every dong.)"
                .into(),
        },
        Party::Implementer,
        staff,
    )
    .await?;
    go(CycleEvent::OpenReview, Party::LevelAbove, city_officer).await?;
    let scores: [(i64, [i64; 4]); 2] =
        [(evaluator, [4, 4, 5, 3]), (second_evaluator, [4, 3, 5, 4])];
    for (who, marks) in scores {
        for (criterion, mark) in db.rubric().await?.iter().zip(marks) {
            db.score_cycle(cycle, criterion.id, who, Party::Evaluator, mark, "")
                .await?;
        }
    }
    db.grade_evaluation_cycle(cycle, Party::LevelAbove, Some(city_officer))
        .await?;
    go(CycleEvent::ApplyFeedback, Party::Implementer, staff).await?;
    go(CycleEvent::Publish, Party::LevelAbove, city_officer).await?;

    // Sajik-dong's 2026 evaluation waits for the evaluators' scores: its district (Jongno-gu) opened the
    // review, and will grade it.
    let sajik_cycle = db.create_evaluation_cycle(sajik.id, 2026).await?;
    let council = db
        .add_indicator(
            &NewIndicator {
                cycle_id: sajik_cycle,
                project_id: None,
                code: "deliberation_participants",
                name: "주민총회 참여 주민 수 (residents at the general assembly)",
                level: IndicatorLevel::Process,
                baseline: Some((2025, 90.0)),
                target: Some(150.0),
                ..base.clone()
            },
            Party::Implementer,
        )
        .await?;
    let sajik_go = |event: CycleEvent, party: Party, by: i64| async move {
        db.transition_evaluation_cycle(sajik_cycle, party, Some(by), &event)
            .await
    };
    sajik_go(CycleEvent::StartMeasuring, Party::Implementer, staff).await?;
    db.record_actual(
        council,
        value(132.0),
        "주민총회 명부",
        Party::Implementer,
        Some(staff),
    )
    .await?;
    sajik_go(
        CycleEvent::SelfAssess {
            narrative: "주민총회 참여가 크게 늘었습니다. (Many more residents came to the general assembly.)".into(),
        },
        Party::Implementer,
        staff,
    )
    .await?;
    sajik_go(CycleEvent::OpenReview, Party::LevelAbove, official).await?;

    // 4. The grade enters the 2027 envelope formula: every other district keeps 다 (2); the city's
    //    envelope is split again with a grade term, and Jongno-gu's among its neighbourhoods.
    let districts: Vec<i64> = tree.children(city.id).map(|s| s.id).collect();
    for f in db.scope_figures(&districts).await? {
        if f.scope_id != jongno.id && f.grade == 0 {
            db.set_scope_figures(f.scope_id, f.population, f.need, 2)
                .await?;
        }
    }
    if let (Some(top), Some(jongno_env)) = (
        db.latest_envelope_of(city.id).await?,
        db.latest_envelope_of(jongno.id).await?,
    ) {
        let formula = Formula {
            own_permille: 400,
            base: 50,
            population: 40,
            need: 0,
            grade: 10,
        };
        db.split_envelope(top.id, &formula, &db.scope_figures(&districts).await?, None)
            .await?;
        if let Some(district_formula) = jongno_env.formula() {
            let dongs: Vec<i64> = tree.children(jongno.id).map(|s| s.id).collect();
            db.split_envelope(
                jongno_env.id,
                &district_formula,
                &db.scope_figures(&dongs).await?,
                None,
            )
            .await?;
        }
    }
    seed_dong_population(db, &tree, jongno.id).await?;
    seed_survey(db, jongno.id, project, staff).await?;
    Ok(())
}

/// Population figures for Jongno-gu's neighbourhoods, so the dashboard's turnout by neighbourhood has a
/// denominator. The seed carries only the districts' KOSTAT figures, so each neighbourhood without a figure
/// gets an even share of the district's (demo figures, not statistics; the largest remainder goes to the
/// first ones). Written after every envelope split, and the district's formula has no population weight,
/// so no envelope changes.
async fn seed_dong_population(db: &Db, tree: &ScopeTree, jongno: i64) -> Result<(), DbError> {
    let Some(district) = db.scope_figures(&[jongno]).await?.into_iter().next() else {
        return Ok(());
    };
    let dongs: Vec<i64> = tree.children(jongno).map(|s| s.id).collect();
    let n = dongs.len() as u64;
    if n == 0 || district.population == 0 {
        return Ok(());
    }
    for (i, f) in db.scope_figures(&dongs).await?.into_iter().enumerate() {
        if f.population == 0 {
            let share = district.population / n + u64::from((i as u64) < district.population % n);
            db.set_scope_figures(f.scope_id, share, f.need, f.grade)
                .await?;
        }
    }
    Ok(())
}

/// Jongno-gu's 2026 satisfaction survey on the bicycle project, answered by the demo's verified residents
/// of Sajik-dong (deterministic, varied answers), so its results and the cycle's evidence are full; the
/// demo resident (of Cheongun-dong, in Jongno-gu) has not answered yet and can.
async fn seed_survey(db: &Db, jongno: i64, project: i64, staff: i64) -> Result<(), DbError> {
    use maeul_db::evaluation::NewSurvey;
    use maeul_domain::evaluation::{Answer, QuestionKind, SurveySubject};
    let questions = [
        (
            QuestionKind::Likert,
            "새 공공자전거 정류소에 전반적으로 만족하십니까? (Overall, are you satisfied with the new stations?)"
                .to_owned(),
        ),
        (
            QuestionKind::Likert,
            "정류소 위치를 정하는 과정에 주민 의견이 반영되었습니까? (Were residents heard on where they went?)"
                .to_owned(),
        ),
        (
            QuestionKind::ShortAnswer,
            "더 바라는 점이 있다면 적어 주세요. (Anything you would like more of?)".to_owned(),
        ),
    ];
    let survey = db
        .create_survey(&NewSurvey {
            scope_id: jongno,
            year: 2026,
            subject: SurveySubject::TrackedProject,
            subject_id: Some(project),
            title: "공공자전거 정류소 주민 만족도 조사 2026 (Residents' satisfaction with the bicycle stations)",
            intro: "종로구 2026년 평가의 근거가 됩니다. (Evidence in Jongno-gu's 2026 evaluation.)",
            questions: &questions,
            created_by: Some(staff),
        })
        .await?;
    let ids: Vec<i64> = db
        .survey_questions(survey)
        .await?
        .into_iter()
        .map(|q| q.id)
        .collect();
    let wishes = [
        "정류소를 마을버스 정류장 가까이에 더 두면 좋겠습니다.",
        "어린이용 자전거도 있었으면 합니다.",
        "밤에 조명이 더 밝으면 좋겠어요.",
    ];
    for i in 0..30usize {
        let Some(user) = person(db, &format!("voter{i}.sajik@demo.maeul.kr")).await? else {
            continue;
        };
        let overall = [5, 4, 4, 3, 5, 4, 2, 4, 5, 3][i % 10];
        let heard = [4, 3, 5, 3, 4, 2, 4, 3, 4, 5][(i + 3) % 10];
        let wish = if i % 4 == 0 {
            Answer::Text(wishes[i / 4 % wishes.len()].to_owned())
        } else {
            Answer::Skipped
        };
        db.respond_to_survey(
            survey,
            user,
            true,
            &[
                (ids[0], Answer::Likert(overall)),
                (ids[1], Answer::Likert(heard)),
                (ids[2], wish),
            ],
        )
        .await?;
    }
    Ok(())
}
