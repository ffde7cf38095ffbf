//! The storage suite: one binary, every test on SQLite and on PostgreSQL (see `maeul-testkit`), each area
//! in its own module.
mod budget;
mod budget_links;
mod budget_schedule;
mod committees;
mod cooperation;
mod cooperation_network;
mod evaluation;
mod evaluation_surveys;
mod forums;
mod hardening;
mod plan;
mod plan_assembly;
mod plan_followers;
mod schema;
mod storage;

fn main() {
    let mut trials = Vec::new();
    trials.extend(storage::trials());
    trials.extend(committees::trials());
    trials.extend(budget::trials());
    trials.extend(budget_links::trials());
    trials.extend(budget_schedule::trials());
    trials.extend(plan::trials());
    trials.extend(plan_assembly::trials());
    trials.extend(plan_followers::trials());
    trials.extend(cooperation::trials());
    trials.extend(cooperation_network::trials());
    trials.extend(evaluation::trials());
    trials.extend(evaluation_surveys::trials());
    trials.extend(forums::trials());
    trials.extend(schema::trials());
    trials.extend(hardening::trials());
    maeul_testkit::run(trials);
}
