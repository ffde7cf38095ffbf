//! The server suite: the real server on a free port, on SQLite and on PostgreSQL, driven over HTTP like a
//! browser or a program would — one binary (see `maeul-testkit`), one module per area.
#[macro_use]
mod harness;

mod accounts;
mod api;
mod budget_links;
mod budget_schedule;
mod budgeting;
mod committees;
mod concurrency;
mod contract;
mod cooperation;
mod cooperation_network;
mod evaluation;
mod evaluation_surveys;
mod forms;
mod forums;
mod hardening;
mod identity;
mod participation;
mod plan;
mod plan_assembly;
mod plan_followers;
mod probes;
mod proposals;
mod review;
mod security;
mod servers;

fn main() {
    let mut trials = Vec::new();
    trials.extend(accounts::trials());
    trials.extend(security::trials());
    trials.extend(api::trials());
    trials.extend(proposals::trials());
    trials.extend(participation::trials());
    trials.extend(committees::trials());
    trials.extend(budgeting::trials());
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
    trials.extend(review::trials());
    trials.extend(contract::trials());
    trials.extend(hardening::trials());
    trials.extend(concurrency::trials());
    trials.extend(identity::trials());
    trials.extend(probes::trials());
    trials.extend(servers::trials());
    maeul_testkit::run(trials);
}
