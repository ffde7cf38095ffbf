//! The section structure of a `.pb` file (META, PROJECTS, VOTES, each with a header row) and the meaning of each row.
use super::lines::{Fields, for_each_row};
use super::{ParseError, ParseWarning, invalid};
use crate::model::{
    Ballot, BallotConstraints, CONSTRAINT_KEYS, Election, Project, VoteType, Voter,
};
use crate::profile::{Profile, ProfileBuilder, ProjectIndex};
use crate::rational::{NumberError, Q, shorten};
use std::collections::HashMap;
use std::io::Read;

/// What to keep of the VOTES rows.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Keep {
    /// Every voter with its id and columns ([`super::read`]).
    Voters,
    /// Only the merged ballots ([`super::read_for_counting`]).
    Profile,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    None,
    Meta,
    Projects,
    Votes,
}

/// Where the VOTES rows go.
enum VoteRows {
    Voters {
        voters: Vec<Voter>,
        /// Line of each row (to name repeated voter ids).
        lines: Vec<usize>,
    },
    Profile {
        /// Created with the VOTES header, once the projects are known.
        profile: Option<ProfileBuilder>,
        rows: usize,
        /// Distinct ballot of each vote text already read (`vote`, then `0xFF` and `points` if any): most rows of a
        /// real file repeat an earlier vote and cost one hash lookup.
        known: foldhash::HashMap<Box<[u8]>, u32>,
        key: Vec<u8>,
    },
}

pub(super) struct Builder {
    section: Section,
    expect_header: bool,
    meta: Vec<(String, String)>,
    meta_lines: HashMap<String, usize>,
    budget: Option<Q>,
    vote_type: Option<VoteType>,
    constraints: BallotConstraints,
    project_columns: Vec<String>,
    projects: Vec<Project>,
    project_index: foldhash::HashMap<String, ProjectIndex>,
    vote_columns: Vec<String>,
    vote_column_of_vote: usize,
    vote_column_of_points: Option<usize>,
    rows: VoteRows,
    /// Per project: (row stamp, place on the current ballot), to find repeated projects in a vote in linear time.
    project_slot: Vec<(u32, usize)>,
    row_stamp: u32,
    warnings: Vec<ParseWarning>,
    seen_projects_section: bool,
    /// Scratch: the entries of the vote being read (counting reader).
    entries: Vec<(ProjectIndex, Option<Q>)>,
}

fn parse_number(text: &str) -> Result<Q, NumberError> {
    // pabutools replaces a decimal comma by a point before reading the number.
    if text.contains(',') {
        text.replace(',', ".").parse()
    } else {
        text.parse()
    }
}

/// The non-empty, stripped pieces of a comma-separated field (pabutools skips empty ones).
fn pieces(field: &str) -> impl Iterator<Item = &str> {
    field.split(',').map(str::trim).filter(|s| !s.is_empty())
}

impl Builder {
    pub(super) fn read(
        reader: &mut dyn Read,
        keep: Keep,
    ) -> Result<(Election, Option<Profile>, Vec<ParseWarning>), ParseError> {
        let mut builder = Builder::new(keep);
        let last_line = for_each_row(reader, |line, fields| builder.row(line, fields))?;
        builder.finish(last_line)
    }

    fn new(keep: Keep) -> Self {
        Builder {
            section: Section::None,
            expect_header: false,
            meta: Vec::new(),
            meta_lines: HashMap::new(),
            budget: None,
            vote_type: None,
            constraints: BallotConstraints::default(),
            project_columns: Vec::new(),
            projects: Vec::new(),
            project_index: Default::default(),
            vote_columns: Vec::new(),
            vote_column_of_vote: 0,
            vote_column_of_points: None,
            rows: match keep {
                Keep::Voters => VoteRows::Voters {
                    voters: Vec::new(),
                    lines: Vec::new(),
                },
                Keep::Profile => VoteRows::Profile {
                    profile: None,
                    rows: 0,
                    known: Default::default(),
                    key: Vec::new(),
                },
            },
            project_slot: Vec::new(),
            row_stamp: 0,
            warnings: Vec::new(),
            seen_projects_section: false,
            entries: Vec::new(),
        }
    }

    fn warn(&mut self, line: usize, message: String) {
        self.warnings.push(ParseWarning { line, message });
    }

    fn row(&mut self, line: usize, fields: Fields<'_>) -> Result<(), ParseError> {
        // Python's csv gives no field for an empty line and one for a blank one; pabutools skips both. A row of
        // separators only (`;;`) is a row of empty fields, not a blank row.
        if fields.len() == 0 || (fields.len() == 1 && fields.get(0).is_empty()) {
            return Ok(());
        }
        let first = fields.get(0);
        let section = match first.len() {
            4 if first.eq_ignore_ascii_case("meta") => Some(Section::Meta),
            5 if first.eq_ignore_ascii_case("votes") => Some(Section::Votes),
            8 if first.eq_ignore_ascii_case("projects") => Some(Section::Projects),
            _ => None,
        };
        if let Some(section) = section {
            return self.start_section(line, section);
        }
        if self.expect_header {
            self.expect_header = false;
            return self.header(line, &fields);
        }
        match self.section {
            Section::None => Err(invalid(
                line,
                "content before the first section (META, PROJECTS or VOTES)",
            )),
            Section::Meta => self.meta_row(line, &fields),
            Section::Projects => self.project_row(line, &fields),
            Section::Votes => self.vote_row(line, &fields),
        }
    }

    fn start_section(&mut self, line: usize, section: Section) -> Result<(), ParseError> {
        match section {
            Section::Projects => {
                if self.seen_projects_section {
                    return Err(invalid(line, "a second PROJECTS section"));
                }
                self.seen_projects_section = true;
            }
            Section::Votes => {
                if !self.seen_projects_section {
                    return Err(invalid(line, "VOTES section before the PROJECTS section"));
                }
                if !self.vote_columns.is_empty() {
                    return Err(invalid(line, "a second VOTES section"));
                }
                if self.budget.is_none() {
                    return Err(invalid(line, "VOTES section before META `budget`"));
                }
                if self.vote_type.is_none() {
                    return Err(invalid(line, "VOTES section before META `vote_type`"));
                }
            }
            _ => {}
        }
        self.section = section;
        self.expect_header = true;
        Ok(())
    }

    fn header(&mut self, line: usize, fields: &Fields<'_>) -> Result<(), ParseError> {
        let position = |name: &str| fields.iter().position(|f| f == name);
        match self.section {
            Section::Meta => Ok(()),
            Section::Projects => {
                if position("project_id") != Some(0) {
                    return Err(invalid(
                        line,
                        "the PROJECTS header must start with `project_id`",
                    ));
                }
                if position("cost").is_none() {
                    return Err(invalid(line, "the PROJECTS header has no `cost` column"));
                }
                self.project_columns = fields.iter().map(str::to_string).collect();
                Ok(())
            }
            Section::Votes => {
                if position("voter_id") != Some(0) {
                    return Err(invalid(line, "the VOTES header must start with `voter_id`"));
                }
                self.vote_column_of_vote = position("vote")
                    .ok_or_else(|| invalid(line, "the VOTES header has no `vote` column"))?;
                self.vote_column_of_points = position("points");
                let vote_type = self.vote_type.expect("checked when VOTES started");
                if vote_type.has_points() && self.vote_column_of_points.is_none() {
                    return Err(invalid(
                        line,
                        format!("{} ballots need a `points` column", vote_type.as_str()),
                    ));
                }
                self.vote_columns = fields.iter().map(str::to_string).collect();
                self.project_slot = vec![(0, 0); self.projects.len()];
                if let VoteRows::Profile { profile, .. } = &mut self.rows {
                    *profile = Some(ProfileBuilder::new(vote_type, self.projects.len()));
                }
                Ok(())
            }
            Section::None => unreachable!("a header follows a section row"),
        }
    }

    fn meta_row(&mut self, line: usize, fields: &Fields<'_>) -> Result<(), ParseError> {
        if fields.len() < 2 {
            return Err(invalid(
                line,
                format!(
                    "META row {:?} has no value (expected `key;value`)",
                    shorten(fields.get(0))
                ),
            ));
        }
        let (key, value) = (fields.get(0), fields.get(1));
        let bad = |what: &str| {
            invalid(
                line,
                format!("META `{key}`: {:?} is not {what}", shorten(value)),
            )
        };
        let number = |value: &str| {
            parse_number(value).map_err(|e| invalid(line, format!("META `{key}`: {e}")))
        };
        match key {
            "budget" => {
                let budget = number(value)?;
                if budget.is_negative() {
                    return Err(bad("a non-negative number"));
                }
                self.budget = Some(budget);
            }
            "vote_type" => {
                self.vote_type = Some(VoteType::parse(value).ok_or_else(|| {
                    bad("a known vote type (approval, choose-1, cumulative, scoring, ordinal)")
                })?);
            }
            "min_length" | "max_length" => {
                let count = number(value)?;
                if !count.is_integer() || count.is_negative() {
                    return Err(bad("a whole number"));
                }
                let count = count.to_f64() as u64;
                if key == "min_length" {
                    self.constraints.min_length = Some(count);
                } else {
                    self.constraints.max_length = Some(count);
                }
            }
            k if CONSTRAINT_KEYS.contains(&k) => {
                let number = number(value)?;
                let slot = match k {
                    "min_sum_cost" => &mut self.constraints.min_sum_cost,
                    "max_sum_cost" => &mut self.constraints.max_sum_cost,
                    "min_points" => &mut self.constraints.min_points,
                    "max_points" => &mut self.constraints.max_points,
                    "min_sum_points" => &mut self.constraints.min_sum_points,
                    _ => &mut self.constraints.max_sum_points,
                };
                *slot = Some(number);
            }
            _ => {}
        }
        if self.meta_lines.insert(key.to_string(), line).is_some() {
            self.warn(
                line,
                format!("META `{key}` given twice; the last value counts"),
            );
        }
        self.meta.push((key.to_string(), value.to_string()));
        Ok(())
    }

    fn check_width(
        &mut self,
        line: usize,
        what: &str,
        found: usize,
        expected: usize,
    ) -> Result<(), ParseError> {
        if found < expected {
            return Err(invalid(
                line,
                format!("{what} row has {found} fields, the header has {expected}"),
            ));
        }
        if found > expected {
            self.warn(
                line,
                format!(
                    "{what} row has {found} fields, the header {expected}; extra fields ignored"
                ),
            );
        }
        Ok(())
    }

    fn project_row(&mut self, line: usize, fields: &Fields<'_>) -> Result<(), ParseError> {
        self.check_width(line, "project", fields.len(), self.project_columns.len())?;
        let id = fields.get(0);
        if id.is_empty() {
            return Err(invalid(line, "empty project_id"));
        }
        let mut cost = None;
        let mut extra = Vec::with_capacity(self.project_columns.len().saturating_sub(2));
        for (column, value) in self.project_columns.iter().zip(fields.iter()).skip(1) {
            if column == "cost" {
                let parsed = parse_number(value)
                    .map_err(|e| invalid(line, format!("project {:?}: cost {e}", shorten(id))))?;
                if parsed.is_negative() {
                    return Err(invalid(
                        line,
                        format!(
                            "project {:?}: negative cost {}",
                            shorten(id),
                            shorten(value)
                        ),
                    ));
                }
                cost = Some(parsed);
            } else {
                extra.push((column.clone(), value.to_string()));
            }
        }
        let index = self.projects.len() as ProjectIndex;
        if self.project_index.insert(id.to_string(), index).is_some() {
            return Err(invalid(
                line,
                format!("project {:?} is listed twice", shorten(id)),
            ));
        }
        self.projects.push(Project {
            id: id.to_string(),
            cost: cost.expect("header has a cost column"),
            fields: extra,
        });
        Ok(())
    }

    /// The (project, points) entries of a vote in ballot order, repeats included; unknown projects, missing points
    /// and unreadable points are errors.
    fn vote_entries(
        &self,
        line: usize,
        fields: &Fields<'_>,
    ) -> Result<Vec<(ProjectIndex, Option<Q>)>, ParseError> {
        let mut entries = Vec::new();
        self.vote_entries_into(line, fields, &mut entries)?;
        Ok(entries)
    }

    /// [`Builder::vote_entries`] into a reused buffer (cleared first).
    fn vote_entries_into(
        &self,
        line: usize,
        fields: &Fields<'_>,
        entries: &mut Vec<(ProjectIndex, Option<Q>)>,
    ) -> Result<(), ParseError> {
        let voter_id = fields.get(0);
        let vote = fields.get(self.vote_column_of_vote);
        entries.clear();
        for id in pieces(vote) {
            let Some(&project) = self.project_index.get(id) else {
                return Err(invalid(
                    line,
                    format!(
                        "voter {:?} votes for unknown project {:?}",
                        shorten(voter_id),
                        shorten(id)
                    ),
                ));
            };
            entries.push((project, None));
        }
        if self.vote_type.is_some_and(VoteType::has_points) {
            let column = self.vote_column_of_points.expect("checked in header");
            let points = fields.get(column);
            let count = pieces(points).count();
            if count < entries.len() {
                return Err(invalid(
                    line,
                    format!(
                        "voter {:?}: {} projects but {count} points",
                        shorten(voter_id),
                        entries.len()
                    ),
                ));
            }
            for (entry, piece) in entries.iter_mut().zip(pieces(points)) {
                entry.1 = Some(parse_number(piece).map_err(|e| {
                    invalid(line, format!("voter {:?}: points {e}", shorten(voter_id)))
                })?);
            }
        }
        Ok(())
    }

    fn vote_row(&mut self, line: usize, fields: &Fields<'_>) -> Result<(), ParseError> {
        let expected = self.vote_columns.len();
        if fields.len() < expected {
            return Err(invalid(
                line,
                format!(
                    "vote row has {} fields, the header has {expected}",
                    fields.len()
                ),
            ));
        }
        if let VoteRows::Profile {
            profile,
            rows,
            known,
            key,
        } = &mut self.rows
        {
            *rows += 1;
            let vote = fields.get(self.vote_column_of_vote).as_bytes();
            let text = match self.vote_column_of_points {
                None => vote,
                Some(column) => {
                    key.clear();
                    key.extend_from_slice(vote);
                    key.push(0xff);
                    key.extend_from_slice(fields.get(column).as_bytes());
                    key.as_slice()
                }
            };
            if let Some(&index) = known.get(text) {
                profile
                    .as_mut()
                    .expect("made with the header")
                    .add_to(index, 1);
                return Ok(());
            }
            let key: Box<[u8]> = text.into();
            let mut entries = std::mem::take(&mut self.entries);
            let read = self.vote_entries_into(line, fields, &mut entries);
            if let Err(e) = read {
                self.entries = entries;
                return Err(e);
            }
            let VoteRows::Profile { profile, known, .. } = &mut self.rows else {
                unreachable!("matched above")
            };
            let index = profile
                .as_mut()
                .expect("made with the header")
                .add(entries.drain(..), 1)
                .expect("weight 1 adds a ballot");
            known.insert(key, index);
            self.entries = entries;
            return Ok(());
        }
        self.check_width(line, "vote", fields.len(), expected)?;
        let entries = self.vote_entries(line, fields)?;
        let voter = self.voter(line, fields, entries);
        if let VoteRows::Voters { voters, lines } = &mut self.rows {
            voters.push(voter);
            lines.push(line);
        }
        Ok(())
    }

    /// The voter of a row, its ballot read the way pabutools does: approval as a set and ordinal keeping a
    /// project's first position (later repeats dropped), cumulative/scoring keeping a repeated project's last points
    /// in its first place.
    fn voter(
        &mut self,
        line: usize,
        fields: &Fields<'_>,
        entries: Vec<(ProjectIndex, Option<Q>)>,
    ) -> Voter {
        self.row_stamp = self.row_stamp.wrapping_add(1);
        if self.row_stamp == 0 {
            self.project_slot.iter_mut().for_each(|slot| *slot = (0, 0));
            self.row_stamp = 1;
        }
        let vote_type = self.vote_type.expect("checked when VOTES started");
        let mut kept: Vec<(ProjectIndex, Option<Q>)> = Vec::with_capacity(entries.len());
        for (project, points) in entries {
            let (stamp, slot) = &mut self.project_slot[project as usize];
            if *stamp == self.row_stamp {
                if points.is_some() {
                    kept[*slot].1 = points;
                }
            } else {
                (*stamp, *slot) = (self.row_stamp, kept.len());
                kept.push((project, points));
            }
        }
        let listed = pieces(fields.get(self.vote_column_of_vote)).count();
        let voter_id = fields.get(0).to_string();
        if kept.len() < listed {
            self.warn(
                line,
                format!("voter {voter_id:?} lists a project more than once; counted once"),
            );
        }
        let id = |project: ProjectIndex| self.projects[project as usize].id.clone();
        let ballot = match vote_type {
            VoteType::Approval | VoteType::ChooseOne => {
                Ballot::Approval(kept.into_iter().map(|(p, _)| id(p)).collect())
            }
            VoteType::Ordinal => Ballot::Ordinal(kept.into_iter().map(|(p, _)| id(p)).collect()),
            VoteType::Cumulative | VoteType::Scoring => {
                let entries = kept
                    .into_iter()
                    .map(|(p, points)| (id(p), points.expect("read with the points")))
                    .collect();
                if vote_type == VoteType::Cumulative {
                    Ballot::Cumulative(entries)
                } else {
                    Ballot::Scoring(entries)
                }
            }
        };
        let skip = [
            0,
            self.vote_column_of_vote,
            self.vote_column_of_points.unwrap_or(0),
        ];
        let extra = self
            .vote_columns
            .iter()
            .zip(fields.iter())
            .enumerate()
            .filter(|(i, _)| !skip.contains(i))
            .map(|(_, (column, value))| (column.clone(), value.to_string()))
            .collect();
        Voter {
            id: voter_id,
            ballot,
            fields: extra,
        }
    }

    /// pabutools counts every VOTES row as a voter, whatever its `voter_id`; so does the engine, but a repeated id is
    /// worth a remark (one per id, at its second row).
    fn warn_repeated_voter_ids(&mut self) {
        let VoteRows::Voters { voters, lines } = &self.rows else {
            return;
        };
        let mut rows_of: HashMap<&str, (usize, usize)> = HashMap::new();
        for (index, voter) in voters.iter().enumerate() {
            rows_of.entry(voter.id.as_str()).or_insert((index, 0)).1 += 1;
        }
        let mut remarks = Vec::new();
        for (index, voter) in voters.iter().enumerate() {
            if let Some(&(first, count)) = rows_of.get(voter.id.as_str())
                && count > 1
                && index != first
            {
                remarks.push(ParseWarning {
                    line: lines[index],
                    message: format!(
                        "voter_id {:?} is on {count} rows (first on line {}); every row counts as a voter, as in pabutools",
                        shorten(&voter.id),
                        lines[first]
                    ),
                });
                rows_of.remove(voter.id.as_str());
            }
        }
        self.warnings.append(&mut remarks);
    }

    fn finish(
        mut self,
        last_line: usize,
    ) -> Result<(Election, Option<Profile>, Vec<ParseWarning>), ParseError> {
        let end = last_line.max(1);
        let budget = self
            .budget
            .clone()
            .ok_or_else(|| invalid(end, "META has no `budget`"))?;
        let vote_type = self
            .vote_type
            .ok_or_else(|| invalid(end, "META has no `vote_type`"))?;
        if !self.seen_projects_section {
            return Err(invalid(end, "no PROJECTS section"));
        }
        if self.vote_columns.is_empty() {
            return Err(invalid(end, "no VOTES section"));
        }
        let rows = match &self.rows {
            VoteRows::Voters { voters, .. } => voters.len(),
            VoteRows::Profile { rows, .. } => *rows,
        };
        for (key, actual) in [("num_projects", self.projects.len()), ("num_votes", rows)] {
            if let Some((_, value)) = self.meta.iter().rev().find(|(k, _)| k == key)
                && value.parse::<usize>().ok() != Some(actual)
            {
                let line = self.meta_lines.get(key).copied().unwrap_or(0);
                let message = format!(
                    "META `{key}` says {} but the file has {actual}",
                    shorten(value)
                );
                self.warn(line, message);
            }
        }
        self.warn_repeated_voter_ids();
        let (voters, profile) = match self.rows {
            VoteRows::Voters { voters, .. } => (voters, None),
            VoteRows::Profile { profile, .. } => {
                let ids = self.projects.iter().map(|p| p.id.clone()).collect();
                let costs = self.projects.iter().map(|p| p.cost.clone()).collect();
                let profile = profile
                    .expect("made with the header")
                    .finish(ids, costs, budget.clone())
                    .map_err(|e| invalid(end, e.to_string()))?;
                (Vec::new(), Some(profile))
            }
        };
        let election = Election {
            meta: self.meta,
            budget,
            vote_type,
            constraints: self.constraints,
            project_columns: self.project_columns,
            projects: self.projects,
            vote_columns: self.vote_columns,
            voters,
        };
        Ok((election, profile, self.warnings))
    }
}
