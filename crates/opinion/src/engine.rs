//! The opinion-map pipeline and its incremental state.
//!
//! [`OpinionState`] absorbs vote events and, on [`OpinionState::update`], runs one polismath-style update
//! warm-started from the previous one (PCA start vectors, base clusters, group clusterings per k, sticky
//! admission, k-smoothing). [`analyze`] is a single update from an empty state; [`replay`] feeds an export's
//! votes in time order with an update every N votes, the way Pol.is evolved the groups it exported.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Instant;

use crate::cluster::{Cluster, first_distinct_centres, kmeans, silhouette, warm_start};
use crate::matrix::VoteMatrix;
use crate::model::{Conversation, ParticipantId, Statement, StatementId, Vote, VoteEvent};
use crate::pca::{Pca, PcaOptions, power_pca, project_participants, project_statements};
use crate::stats::{
    Consensus, RepStatement, VoteTally, comment_priorities, consensus, group_aware_consensus,
    representative_statements,
};

/// Tunables; the defaults are polismath's.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Seed of the PCA cold-start vectors (the only random choice).
    pub seed: u64,
    pub pca: PcaOptions,
    /// Scale projections by sqrt(statements / votes) (current polismath). Off = the plain projection of the
    /// imputed matrix, which reproduces the groups of some early (2014) Pol.is exports better.
    pub sparsity_scaling: bool,
    pub base_k: usize,
    pub base_steps: usize,
    pub max_k: usize,
    /// polismath runs group k-means for 20 steps (its `group-iters` option is never read).
    pub group_steps: usize,
    /// Updates a new best k must persist before it is used.
    pub k_buffer: usize,
    /// Votes needed to be admitted (capped by the number of statements).
    pub min_votes_to_join: usize,
    /// Admission tops up with the most active voters until this many are in.
    pub min_participants: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            seed: 0,
            pca: PcaOptions::default(),
            sparsity_scaling: true,
            base_k: 100,
            base_steps: 100,
            max_k: 5,
            group_steps: 20,
            k_buffer: 4,
            min_votes_to_join: 7,
            min_participants: 15,
        }
    }
}

/// Wall-clock seconds spent in each step of one update.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
pub struct StepTimings {
    pub admission: f64,
    pub pca: f64,
    pub projection: f64,
    pub base_clusters: f64,
    pub group_clusters: f64,
    pub statistics: f64,
    pub total: f64,
}

/// One candidate grouping of the base clusters.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupClustering {
    pub k: usize,
    /// Members index the base-cluster list of the analysis.
    pub groups: Vec<Cluster>,
    pub silhouette: f64,
}

/// A group of participants on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub id: u32,
    pub center: [f64; 2],
    /// Base-cluster ids.
    pub base_clusters: Vec<u32>,
    /// Matrix rows of the members.
    pub members: Vec<usize>,
    pub repness: Vec<RepStatement>,
}

/// Everything one update computes. Per-column vectors follow `statements`, per-row vectors `participants`.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub participants: Vec<ParticipantId>,
    pub statements: Vec<StatementId>,
    pub moderated_out: Vec<bool>,
    pub is_meta: Vec<bool>,
    pub vote_counts: Vec<usize>,
    pub in_conv: Vec<bool>,
    pub pca: Pca,
    pub projections: Vec<[f64; 2]>,
    pub statement_positions: Vec<[f64; 2]>,
    pub statement_extremity: Vec<f64>,
    /// Base clusters (members are matrix rows), sorted by id.
    pub base_clusters: Vec<Cluster>,
    pub group_clusterings: Vec<GroupClustering>,
    /// k with the best silhouette in this update, and the k used after smoothing.
    pub best_k: usize,
    pub k: usize,
    pub groups: Vec<Group>,
    pub group_tallies: Vec<VoteTally>,
    pub group_aware_consensus: Vec<f64>,
    pub consensus: Consensus,
    pub comment_priorities: Vec<f64>,
    pub timings: StepTimings,
}

impl Analysis {
    /// Group of each participant (by group id), `None` when not admitted.
    pub fn participant_groups(&self) -> Vec<(ParticipantId, Option<u32>)> {
        let mut group_of = vec![None; self.participants.len()];
        for group in &self.groups {
            for &row in &group.members {
                group_of[row] = Some(group.id);
            }
        }
        self.participants.iter().copied().zip(group_of).collect()
    }

    pub fn participants_grouped(&self) -> usize {
        self.groups.iter().map(|g| g.members.len()).sum()
    }
}

/// polismath's k-smoother: a new best k replaces the current one only after being best `buffer` updates running.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct KSmoother {
    pub current: Option<usize>,
    candidate: usize,
    streak: usize,
}

impl KSmoother {
    pub fn observe(&mut self, best_k: usize, buffer: usize) -> usize {
        match self.current {
            None => {
                self.current = Some(best_k);
                self.candidate = best_k;
                self.streak = 1;
            }
            Some(current) => {
                if best_k == self.candidate {
                    self.streak += 1;
                } else {
                    self.candidate = best_k;
                    self.streak = 1;
                }
                if best_k != current && self.streak >= buffer {
                    self.current = Some(best_k);
                }
            }
        }
        self.current.unwrap_or(best_k)
    }
}

/// Admission (`in-conv`): everyone admitted before stays; a participant joins with at least
/// min(`min_votes`, statements) votes; if fewer than `min_participants` are in, the most active voters
/// (ties: earlier row) are added until there are.
pub fn admit_participants(
    vote_counts: &[usize],
    n_columns: usize,
    already_in: &[bool],
    min_votes: usize,
    min_participants: usize,
) -> Vec<bool> {
    let threshold = min_votes.min(n_columns);
    let mut in_conv: Vec<bool> = (0..vote_counts.len())
        .map(|r| already_in.get(r).copied().unwrap_or(false) || vote_counts[r] >= threshold)
        .collect();
    let mut count = in_conv.iter().filter(|&&x| x).count();
    if count < min_participants {
        let mut others: Vec<usize> = (0..vote_counts.len()).filter(|&r| !in_conv[r]).collect();
        others.sort_by_key(|&r| std::cmp::Reverse(vote_counts[r]));
        for r in others {
            if count >= min_participants {
                break;
            }
            in_conv[r] = true;
            count += 1;
        }
    }
    in_conv
}

/// Base clusters: k-means on the admitted participants' positions (in row order), warm-started from
/// `previous` (members given as matrix rows) or, cold, from the first k distinct positions.
pub fn base_clusters(
    projections: &[[f64; 2]],
    in_conv: &[bool],
    previous: &[Cluster],
    k: usize,
    steps: usize,
) -> Vec<Cluster> {
    let rows: Vec<usize> = (0..projections.len()).filter(|&r| in_conv[r]).collect();
    let points: Vec<[f64; 2]> = rows.iter().map(|&r| projections[r]).collect();
    let weights = vec![1.0; points.len()];
    let start = if previous.is_empty() {
        first_distinct_centres(&points, k)
    } else {
        let point_of: HashMap<usize, usize> =
            rows.iter().enumerate().map(|(i, &r)| (r, i)).collect();
        let mapped: Vec<Cluster> = previous
            .iter()
            .map(|c| Cluster {
                id: c.id,
                members: c
                    .members
                    .iter()
                    .filter_map(|r| point_of.get(r).copied())
                    .collect(),
                center: c.center,
            })
            .collect();
        warm_start(&points, &weights, &mapped, k)
    };
    kmeans(&points, &weights, start, steps)
        .into_iter()
        .map(|c| Cluster {
            id: c.id,
            members: c.members.iter().map(|&i| rows[i]).collect(),
            center: c.center,
        })
        .collect()
}

/// Group clusterings of the base clusters for every k in 2..=min(max_k, 2 + n_base/12): weighted k-means
/// (weights = member counts), warm-started per k from `previous` (members = base-cluster ids) or cold from
/// the first k distinct base centres; each scored by the silhouette over base-cluster centres.
pub fn group_clusterings(
    base: &[Cluster],
    previous: &BTreeMap<usize, Vec<Cluster>>,
    max_k: usize,
    steps: usize,
) -> Vec<GroupClustering> {
    let points: Vec<[f64; 2]> = base.iter().map(|c| c.center).collect();
    let weights: Vec<f64> = base.iter().map(|c| c.members.len() as f64).collect();
    let index_of_id: HashMap<u32, usize> =
        base.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
    let top_k = max_k.min(2 + base.len() / 12);
    (2..=top_k)
        .filter_map(|k| {
            let start = match previous.get(&k) {
                Some(old) => {
                    let mapped: Vec<Cluster> = old
                        .iter()
                        .map(|c| Cluster {
                            id: c.id,
                            members: c
                                .members
                                .iter()
                                .filter_map(|id| index_of_id.get(&(*id as u32)).copied())
                                .collect(),
                            center: c.center,
                        })
                        .collect();
                    warm_start(&points, &weights, &mapped, k)
                }
                None => first_distinct_centres(&points, k),
            };
            let groups = kmeans(&points, &weights, start, steps);
            if groups.len() < 2 {
                return None;
            }
            let score = silhouette(&points, &groups);
            Some(GroupClustering {
                k: groups.len(),
                groups,
                silhouette: score,
            })
        })
        .collect()
}

/// Best k by silhouette; ties go to the larger k.
pub fn best_clustering(clusterings: &[GroupClustering]) -> Option<&GroupClustering> {
    clusterings
        .iter()
        .fold(None, |best: Option<&GroupClustering>, c| match best {
            Some(b) if b.silhouette > c.silhouette => Some(b),
            _ => Some(c),
        })
}

/// The statistics that follow from a grouping (members as matrix rows): per-group tallies, representative
/// statements, group-aware consensus, consensus and comment priorities.
pub struct Statistics {
    pub group_tallies: Vec<VoteTally>,
    pub repness: Vec<Vec<RepStatement>>,
    pub group_aware_consensus: Vec<f64>,
    pub consensus: Consensus,
    pub comment_priorities: Vec<f64>,
}

pub fn statistics(
    matrix: &VoteMatrix,
    moderated_out: &[bool],
    is_meta: &[bool],
    group_rows: &[Vec<usize>],
    statement_extremity: &[f64],
) -> Statistics {
    let n_columns = matrix.n_columns();
    let group_tallies: Vec<VoteTally> = group_rows
        .iter()
        .map(|rows| VoteTally::of_rows(matrix, rows))
        .collect();
    let repness = representative_statements(&group_tallies, matrix.statements(), moderated_out);
    let all_rows: Vec<usize> = (0..matrix.n_rows()).collect();
    let everyone = VoteTally::of_rows(matrix, &all_rows);
    let grouped_total = VoteTally::sum(&group_tallies, n_columns);
    Statistics {
        group_aware_consensus: group_aware_consensus(&group_tallies, n_columns),
        consensus: consensus(&everyone, matrix.statements(), moderated_out),
        comment_priorities: comment_priorities(&grouped_total, statement_extremity, is_meta),
        group_tallies,
        repness,
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct StatementFlags {
    moderated_out: bool,
    is_meta: bool,
}

/// A live conversation: absorbs votes and moderation changes, and updates the opinion map incrementally.
///
/// How the platform uses it (one state per open conversation):
/// * feed a burst of votes with [`OpinionState::apply_votes`] (arrival order; a participant's later vote on
///   a statement replaces the earlier one) or [`OpinionState::apply_vote_events`] (timed; the latest time
///   wins), then call [`OpinionState::update`] once for the whole burst and store
///   [`crate::report::MapSnapshot::new`] of its result;
/// * when a worker takes a conversation over, rebuild with [`OpinionState::from_votes`] from the stored
///   votes;
/// * [`OpinionState::next_statement_for`] picks the statement to show a participant next;
/// * [`OpinionState::remove_statement`] takes a moderated-out statement out of voting and of the map.
///
/// An incremental state and a from-scratch analysis of the same votes agree exactly on everything that
/// does not depend on the history — the vote matrix, admission (sticky: the incremental one may keep
/// participants who joined earlier), tallies, consensus, and, given the same groups, repness and
/// group-aware consensus — and to 1e-9 on the PCA (exact top-2 eigenvectors either way, see
/// `tests/incremental.rs`). The groups themselves depend on the history, as in Pol.is: k-means is
/// warm-started from the previous update and the k-smoother waits 4 updates before changing k, so
/// incremental groups can differ from a from-scratch run (the README gives the agreement measured on real
/// conversations).
#[derive(Debug, Clone)]
pub struct OpinionState {
    options: Options,
    matrix: VoteMatrix,
    flags: HashMap<StatementId, StatementFlags>,
    /// Statements taken out of voting (moderated out through [`OpinionState::remove_statement`]).
    removed: HashSet<StatementId>,
    /// Latest vote time seen; untimed votes are stamped after it, in arrival order.
    clock: i64,
    /// Comment priority of each statement at the last update.
    priorities: HashMap<StatementId, f64>,
    in_conv: HashSet<ParticipantId>,
    comps: Option<Vec<Vec<f64>>>,
    base: Vec<(u32, Vec<ParticipantId>, [f64; 2])>,
    groups_by_k: BTreeMap<usize, Vec<Cluster>>,
    smoother: KSmoother,
    updates: usize,
}

impl OpinionState {
    pub fn new(statements: &[Statement], options: Options) -> Self {
        let mut state = OpinionState {
            options,
            matrix: VoteMatrix::default(),
            flags: HashMap::new(),
            in_conv: HashSet::new(),
            comps: None,
            base: Vec::new(),
            groups_by_k: BTreeMap::new(),
            smoother: KSmoother::default(),
            updates: 0,
            removed: HashSet::new(),
            clock: i64::MIN,
            priorities: HashMap::new(),
        };
        for statement in statements {
            state.set_statement(statement);
        }
        state
    }

    /// Adds or changes a statement's moderation / meta flags.
    pub fn set_statement(&mut self, statement: &Statement) {
        self.flags.insert(
            statement.id,
            StatementFlags {
                moderated_out: statement.is_moderated_out(),
                is_meta: statement.is_meta,
            },
        );
    }

    /// Records a vote event; returns whether the matrix changed. Votes on a removed statement are refused
    /// (`false`).
    pub fn add_vote(&mut self, event: &VoteEvent) -> bool {
        if self.removed.contains(&event.statement) {
            return false;
        }
        self.clock = self.clock.max(event.time);
        self.matrix.apply(event)
    }

    /// Records timed vote events (the latest time wins for a participant and statement, whatever the order
    /// given); returns how many changed the matrix. No update is run: call [`OpinionState::update`] once
    /// after a burst.
    pub fn apply_vote_events(&mut self, events: &[VoteEvent]) -> usize {
        let mut sorted = events.to_vec();
        sorted.sort_unstable();
        sorted.iter().filter(|event| self.add_vote(event)).count()
    }

    /// Records votes in arrival order, each later than every vote seen so far (so a participant's later
    /// vote on a statement replaces the earlier one); returns how many changed the matrix. No update is run.
    pub fn apply_votes(&mut self, votes: &[(ParticipantId, StatementId, Vote)]) -> usize {
        let mut changed = 0;
        for &(participant, statement, vote) in votes {
            let time = self.clock.saturating_add(1).max(0);
            changed += usize::from(self.add_vote(&VoteEvent {
                time,
                participant,
                statement,
                vote,
            }));
        }
        changed
    }

    /// Takes a statement out: it is moderated out of the map from the next update on (its column counts as
    /// passed, as polismath zeroes it; no repness, consensus or priority) and votes on it are refused.
    pub fn remove_statement(&mut self, statement: StatementId) {
        let flags = self.flags.entry(statement).or_default();
        flags.moderated_out = true;
        self.removed.insert(statement);
        self.priorities.remove(&statement);
    }

    /// The statement to show `participant` next: among the statements known to the state that are not
    /// moderated out and that they have not voted on, one chosen at random with probability proportional
    /// to its comment priority at the last update (what Pol.is does); a statement newer than the last
    /// update gets the priority of a statement nobody has seen. The choice is deterministic for the
    /// state's seed, the participant and how many votes they cast. `None` when nothing is left.
    pub fn next_statement_for(&self, participant: ParticipantId) -> Option<StatementId> {
        let row = self.matrix.row_of(participant);
        let voted: HashSet<StatementId> = row
            .map(|r| {
                self.matrix
                    .row(r)
                    .iter()
                    .map(|cell| self.matrix.statements()[cell.column as usize])
                    .collect()
            })
            .unwrap_or_default();
        let mut candidates: Vec<StatementId> = self
            .flags
            .iter()
            .filter(|(id, f)| !f.moderated_out && !voted.contains(id))
            .map(|(&id, _)| id)
            .chain(
                self.matrix
                    .statements()
                    .iter()
                    .copied()
                    .filter(|id| !self.flags.contains_key(id) && !voted.contains(id)),
            )
            .collect();
        candidates.sort_unstable();
        if candidates.is_empty() {
            return None;
        }
        let unseen = crate::stats::comment_priorities(
            &crate::stats::VoteTally {
                n_members: 0,
                agree: vec![0],
                disagree: vec![0],
                seen: vec![0],
            },
            &[0.0],
            &[false],
        )[0];
        let weights: Vec<f64> = candidates
            .iter()
            .map(|id| self.priorities.get(id).copied().unwrap_or(unseen).max(0.0))
            .collect();
        let total: f64 = weights.iter().sum();
        let mut rng = crate::pca::SplitMix64::new(
            self.options.seed
                ^ participant.wrapping_mul(0x9E37_79B9_7F4A_7C15)
                ^ (voted.len() as u64).rotate_left(32),
        );
        if total <= 0.0 {
            return Some(candidates[(rng.next_u64() % candidates.len() as u64) as usize]);
        }
        let mut u = rng.next_f64() * total;
        for (id, w) in candidates.iter().zip(&weights) {
            if u < *w {
                return Some(*id);
            }
            u -= w;
        }
        candidates.last().copied()
    }

    /// Rebuilds a state from stored votes (any order; the latest time wins) and runs one update: what a
    /// worker does when it takes a conversation over. `removed` lists the statements taken out.
    pub fn from_votes(
        statements: &[Statement],
        removed: &[StatementId],
        votes: &[VoteEvent],
        options: Options,
    ) -> (OpinionState, Analysis) {
        let mut state = OpinionState::new(statements, options);
        for &statement in removed {
            state.remove_statement(statement);
        }
        state.apply_vote_events(votes);
        let analysis = state.update();
        (state, analysis)
    }

    pub fn matrix(&self) -> &VoteMatrix {
        &self.matrix
    }

    pub fn updates(&self) -> usize {
        self.updates
    }

    /// Runs one update from the current votes, warm-started from the previous update.
    pub fn update(&mut self) -> Analysis {
        let started = Instant::now();
        let options = self.options.clone();
        let matrix = &self.matrix;
        let mut timings = StepTimings::default();
        let mut clock = Instant::now();
        let mut lap = |slot: &mut f64| {
            let now = Instant::now();
            *slot = (now - clock).as_secs_f64();
            clock = now;
        };

        let flags: Vec<StatementFlags> = matrix
            .statements()
            .iter()
            .map(|s| self.flags.get(s).copied().unwrap_or_default())
            .collect();
        let moderated_out: Vec<bool> = flags.iter().map(|f| f.moderated_out).collect();
        let is_meta: Vec<bool> = flags.iter().map(|f| f.is_meta).collect();
        let vote_counts = matrix.vote_counts();
        let already_in: Vec<bool> = matrix
            .participants()
            .iter()
            .map(|p| self.in_conv.contains(p))
            .collect();
        let in_conv = admit_participants(
            &vote_counts,
            matrix.n_columns(),
            &already_in,
            options.min_votes_to_join,
            options.min_participants,
        );
        lap(&mut timings.admission);

        let pca = power_pca(
            matrix,
            &moderated_out,
            self.comps.as_deref(),
            options.seed,
            &options.pca,
        );
        lap(&mut timings.pca);
        let projections =
            project_participants(matrix, &moderated_out, &pca, options.sparsity_scaling);
        let (statement_positions, statement_extremity) = project_statements(&pca);
        lap(&mut timings.projection);

        let previous_base: Vec<Cluster> = self
            .base
            .iter()
            .map(|(id, members, center)| Cluster {
                id: *id,
                members: members.iter().filter_map(|p| matrix.row_of(*p)).collect(),
                center: *center,
            })
            .collect();
        let base = base_clusters(
            &projections,
            &in_conv,
            &previous_base,
            options.base_k,
            options.base_steps,
        );
        lap(&mut timings.base_clusters);

        let clusterings =
            group_clusterings(&base, &self.groups_by_k, options.max_k, options.group_steps);
        let best_k = best_clustering(&clusterings).map_or(1, |c| c.k);
        let k = if clusterings.is_empty() {
            1
        } else {
            self.smoother.observe(best_k, options.k_buffer)
        };
        let chosen: Vec<Cluster> = match clusterings
            .iter()
            .find(|c| c.k == k)
            .or(best_clustering(&clusterings))
        {
            Some(c) => c.groups.clone(),
            None if !base.is_empty() => {
                vec![Cluster {
                    id: 0,
                    members: (0..base.len()).collect(),
                    center: mean_center(&base),
                }]
            }
            None => Vec::new(),
        };
        lap(&mut timings.group_clusters);

        let group_rows: Vec<Vec<usize>> = chosen
            .iter()
            .map(|g| {
                let mut rows: Vec<usize> = g
                    .members
                    .iter()
                    .flat_map(|&b| base[b].members.iter().copied())
                    .collect();
                rows.sort_unstable();
                rows
            })
            .collect();
        let stats = statistics(
            matrix,
            &moderated_out,
            &is_meta,
            &group_rows,
            &statement_extremity,
        );
        let groups: Vec<Group> = chosen
            .iter()
            .zip(group_rows)
            .zip(stats.repness)
            .map(|((g, rows), repness)| Group {
                id: g.id,
                center: g.center,
                base_clusters: g.members.iter().map(|&b| base[b].id).collect(),
                members: rows,
                repness,
            })
            .collect();
        lap(&mut timings.statistics);

        // Keep what the next update starts from.
        for (row, &admitted) in in_conv.iter().enumerate() {
            if admitted {
                self.in_conv.insert(matrix.participants()[row]);
            }
        }
        self.comps = Some(pca.comps.clone());
        self.base = base
            .iter()
            .map(|c| {
                (
                    c.id,
                    c.members
                        .iter()
                        .map(|&r| matrix.participants()[r])
                        .collect(),
                    c.center,
                )
            })
            .collect();
        self.groups_by_k = clusterings
            .iter()
            .map(|c| {
                let by_id = c
                    .groups
                    .iter()
                    .map(|g| Cluster {
                        id: g.id,
                        members: g.members.iter().map(|&b| base[b].id as usize).collect(),
                        center: g.center,
                    })
                    .collect();
                (c.k, by_id)
            })
            .collect();
        self.priorities = matrix
            .statements()
            .iter()
            .copied()
            .zip(stats.comment_priorities.iter().copied())
            .filter(|(id, _)| !self.removed.contains(id))
            .collect();
        self.updates += 1;
        timings.total = started.elapsed().as_secs_f64();

        Analysis {
            participants: matrix.participants().to_vec(),
            statements: matrix.statements().to_vec(),
            moderated_out,
            is_meta,
            vote_counts,
            in_conv,
            pca,
            projections,
            statement_positions,
            statement_extremity,
            base_clusters: base,
            group_clusterings: clusterings,
            best_k,
            k: groups.len(),
            groups,
            group_tallies: stats.group_tallies,
            group_aware_consensus: stats.group_aware_consensus,
            consensus: stats.consensus,
            comment_priorities: stats.comment_priorities,
            timings,
        }
    }
}

fn mean_center(base: &[Cluster]) -> [f64; 2] {
    let n: f64 = base.iter().map(|c| c.members.len() as f64).sum();
    let x: f64 = base
        .iter()
        .map(|c| c.center[0] * c.members.len() as f64)
        .sum();
    let y: f64 = base
        .iter()
        .map(|c| c.center[1] * c.members.len() as f64)
        .sum();
    if n > 0.0 { [x / n, y / n] } else { [0.0, 0.0] }
}

/// Full recompute from scratch: every vote, one update from an empty state.
pub fn analyze(conversation: &Conversation, options: &Options) -> Analysis {
    let mut state = OpinionState::new(&conversation.statements, options.clone());
    for event in conversation.votes_in_time_order() {
        state.add_vote(&event);
    }
    state.update()
}

/// Replays the votes in time order with an update after every `every` votes and a final one at the end.
pub fn replay(conversation: &Conversation, every: usize, options: &Options) -> Analysis {
    replay_with_progress(conversation, every, options, &mut |_, _| {})
}

/// [`replay`], calling `progress(votes replayed, votes in all)` after every update (a large conversation
/// replays for seconds; the caller may show it).
pub fn replay_with_progress(
    conversation: &Conversation,
    every: usize,
    options: &Options,
    progress: &mut dyn FnMut(usize, usize),
) -> Analysis {
    let mut state = OpinionState::new(&conversation.statements, options.clone());
    let events = conversation.votes_in_time_order();
    let every = every.max(1);
    let mut since_update = 0;
    for (done, event) in events.iter().enumerate() {
        state.add_vote(event);
        since_update += 1;
        if since_update == every {
            state.update();
            since_update = 0;
            progress(done + 1, events.len());
        }
    }
    let analysis = state.update();
    progress(events.len(), events.len());
    analysis
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admission_is_sticky_and_tops_up_to_the_minimum() {
        let counts = [7, 3, 1, 9, 2];
        let in_conv = admit_participants(&counts, 40, &[false, false, true, false, false], 7, 4);
        assert_eq!(in_conv, vec![true, true, true, true, false]);
        let few_statements = admit_participants(&[3, 2], 3, &[], 7, 0);
        assert_eq!(few_statements, vec![true, false]);
    }

    #[test]
    fn k_smoother_waits_for_the_buffer() {
        let mut s = KSmoother::default();
        assert_eq!(s.observe(3, 4), 3);
        assert_eq!(s.observe(2, 4), 3);
        assert_eq!(s.observe(2, 4), 3);
        assert_eq!(s.observe(2, 4), 3);
        assert_eq!(s.observe(2, 4), 2);
        assert_eq!(s.observe(4, 4), 2);
    }
}

#[cfg(test)]
mod degenerate_inputs {
    use super::*;
    use crate::model::Vote;

    fn conversation(votes: &[(u64, u64, Vote)]) -> Conversation {
        Conversation {
            votes: votes
                .iter()
                .enumerate()
                .map(|(i, &(participant, statement, vote))| VoteEvent {
                    time: i as i64,
                    participant,
                    statement,
                    vote,
                })
                .collect(),
            ..Conversation::default()
        }
    }

    #[test]
    fn empty_and_tiny_conversations_do_not_panic() {
        let empty = analyze(&conversation(&[]), &Options::default());
        assert_eq!((empty.k, empty.participants_grouped()), (0, 0));
        let one = analyze(&conversation(&[(1, 1, Vote::Agree)]), &Options::default());
        assert_eq!(one.participants_grouped(), 1);
        let two = analyze(
            &conversation(&[
                (1, 1, Vote::Agree),
                (2, 1, Vote::Disagree),
                (2, 2, Vote::Pass),
            ]),
            &Options::default(),
        );
        assert_eq!(two.participants_grouped(), 2);
        assert!(two.pca.comps.iter().flatten().all(|x| x.is_finite()));
        assert!(two.projections.iter().flatten().all(|x| x.is_finite()));
    }

    #[test]
    fn everyone_voting_alike_gives_one_group() {
        let votes: Vec<(u64, u64, Vote)> = (0..20)
            .flat_map(|p| (0..8).map(move |s| (p, s, Vote::Agree)))
            .collect();
        let analysis = analyze(&conversation(&votes), &Options::default());
        assert_eq!(analysis.k, 1);
        assert_eq!(analysis.participants_grouped(), 20);
        assert_eq!(analysis.consensus.agree.len(), 5);
    }
}
