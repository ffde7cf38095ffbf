//! The published input of a lottery (format `maeul-sortition/1`) and its compiled form, the [`Pool`].
//!
//! The input is one JSON document: panel size, reserve size, the stratification features with their
//! categories and quotas, and the pseudonymised applicants with their self-declared category for every
//! feature. It is what the organiser publishes before the public seed value is known, so that anyone can
//! re-run the draw.
use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// Value of the `format` field this version writes. It also names the published procedure: format `/2`
/// computes the leximin distribution with a warm-started simplex for the column generation's master problems
/// (see [`Procedure`]).
pub const FORMAT: &str = "maeul-sortition/2";
/// The first format, still read: the same document, whose leximin distribution is computed with the
/// procedure of the time (an interior-point solve for every master problem), so that draws published with
/// it can still be re-derived.
pub const FORMAT_V1: &str = "maeul-sortition/1";

/// How the leximin column generation solves its master problems, as the input's format says. The
/// probabilities are the same either way (the complete leximin is unique; stage minima and fixed types agree
/// to the solvers' tolerance), but the distribution over compositions — and so the panel a seed draws —
/// depends on which columns were generated, hence the format version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Procedure {
    /// `maeul-sortition/1`: every master problem solved afresh by the interior-point method.
    InteriorPointMaster,
    /// `maeul-sortition/2`: master problems solved by a warm-started simplex, the interior-point method only
    /// once per stage, where its maximally complementary solution decides (see `leximin/warm.rs`).
    WarmSimplexMaster,
}

/// The whole published input of one lottery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instance {
    /// [`FORMAT`] (or [`FORMAT_V1`]).
    pub format: String,
    /// Free label of the call (e.g. `gaebong1-council-2026`); informative only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<String>,
    /// Number of seats to fill.
    pub panel_size: u32,
    /// Length of the ordered reserve list (may be 0).
    #[serde(default)]
    pub reserve_size: u32,
    /// Number of leximin stages to run (default: all for pools of at most 200 types, otherwise 2; see
    /// [`crate::leximin::default_max_stages`]); part of the published procedure since it can change the
    /// distribution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leximin_max_stages: Option<u32>,
    /// Stratification features, in the order that defines the canonical type order.
    pub features: Vec<FeatureSpec>,
    /// The applicant pool.
    pub applicants: Vec<ApplicantSpec>,
}

/// A stratification feature (gender, age band, neighbourhood, …) with its categories.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureSpec {
    pub name: String,
    pub categories: Vec<CategorySpec>,
}

/// One category of a feature and its quota. Absolute bounds and shares of the panel combine: the
/// effective minimum is the larger of `min` and `ceil(min_share × panel_size)`, the effective maximum the
/// smaller of `max` and `floor(max_share × panel_size)`. "Neither gender above 60 %" is `max_share: 0.6`
/// on each gender category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategorySpec {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_share: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_share: Option<f64>,
}

/// One applicant: a pseudonymous id and the declared category name for every feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicantSpec {
    pub id: String,
    pub features: BTreeMap<String, String>,
}

/// Why an input is not a well-formed lottery description (as opposed to well-formed but infeasible).
#[derive(Debug, Clone, PartialEq)]
pub enum InputError {
    /// The JSON does not parse or does not have the expected shape; `line`/`column` as given by the parser.
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    /// Anything else, with a path into the document such as `features[1].categories[2]`.
    Invalid { path: String, message: String },
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Json {
                line,
                column,
                message,
            } => {
                write!(f, "line {line}, column {column}: {message}")
            }
            InputError::Invalid { path, message } => write!(f, "{path}: {message}"),
        }
    }
}

impl std::error::Error for InputError {}

fn invalid(path: impl Into<String>, message: impl Into<String>) -> InputError {
    InputError::Invalid {
        path: path.into(),
        message: message.into(),
    }
}

impl Instance {
    /// Parses the JSON text of an instance (no validation beyond the shape; see [`Pool::new`]).
    pub fn from_json_str(text: &str) -> Result<Instance, InputError> {
        serde_json::from_str(text).map_err(|error| InputError::Json {
            line: error.line(),
            column: error.column(),
            message: error.to_string(),
        })
    }

    /// Reads and parses an instance from any reader.
    pub fn from_reader(mut reader: impl std::io::Read) -> Result<Instance, InputError> {
        let mut text = String::new();
        reader
            .read_to_string(&mut text)
            .map_err(|error| InputError::Json {
                line: 0,
                column: 0,
                message: error.to_string(),
            })?;
        Instance::from_json_str(&text)
    }

    /// Canonical JSON text (pretty-printed, fields in declaration order).
    pub fn to_json_string(&self) -> String {
        serde_json::to_string_pretty(self).expect("an instance always serialises")
    }
}

/// A category with its effective bounds on the number of seats.
#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    pub name: String,
    /// Effective minimum number of seats.
    pub min: u32,
    /// Effective maximum number of seats (may be below `min`: reported by the feasibility check).
    pub max: u32,
    /// Number of applicants who declared this category.
    pub applicants: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    pub name: String,
    pub categories: Vec<Category>,
}

/// Applicants with identical feature vectors are interchangeable for the quotas; a type gathers them.
#[derive(Debug, Clone, PartialEq)]
pub struct ApplicantType {
    /// Category index for each feature, in feature order.
    pub categories: Vec<usize>,
    /// Indices into [`Pool::applicant_ids`], sorted by id (byte order).
    pub members: Vec<usize>,
}

impl ApplicantType {
    pub fn size(&self) -> u32 {
        self.members.len() as u32
    }
}

/// The validated, compiled form of an [`Instance`].
#[derive(Debug, Clone, PartialEq)]
pub struct Pool {
    /// The procedure the input's format version asks for.
    pub procedure: Procedure,
    pub call: Option<String>,
    pub panel_size: u32,
    pub reserve_size: u32,
    pub features: Vec<Feature>,
    /// Applicant ids in input order.
    pub applicant_ids: Vec<String>,
    /// Type index of each applicant, in input order.
    pub applicant_type: Vec<usize>,
    /// Types in canonical order: lexicographic on the category indices (feature order, then category order
    /// as declared in the input).
    pub types: Vec<ApplicantType>,
}

fn check_share(share: Option<f64>, path: &str, field: &str) -> Result<(), InputError> {
    match share {
        Some(value) if !(0.0..=1.0).contains(&value) || value.is_nan() => Err(invalid(
            path,
            format!("{field} must lie between 0 and 1, got {value}"),
        )),
        _ => Ok(()),
    }
}

/// Tolerance when turning a share into a seat count, so that 0.6 × 50 gives 30 and not 29 because of
/// binary floating point.
const SHARE_ROUNDING_SLACK: f64 = 1e-9;

impl Pool {
    /// Validates an instance: format tag, non-empty unique names, unique applicant ids, every applicant
    /// declaring exactly one known category per feature, shares within [0, 1]. Quota feasibility is a
    /// separate step ([`crate::check_feasibility`]).
    pub fn new(instance: &Instance) -> Result<Pool, InputError> {
        let procedure = match instance.format.as_str() {
            FORMAT => Procedure::WarmSimplexMaster,
            FORMAT_V1 => Procedure::InteriorPointMaster,
            other => {
                return Err(invalid(
                    "format",
                    format!("expected \"{FORMAT}\" (or \"{FORMAT_V1}\"), got \"{other}\""),
                ));
            }
        };
        if instance.panel_size == 0 {
            return Err(invalid("panel_size", "must be at least 1"));
        }
        let panel_size = instance.panel_size;
        let mut features = Vec::with_capacity(instance.features.len());
        let mut feature_index = BTreeMap::new();
        let mut category_index: Vec<BTreeMap<&str, usize>> = Vec::new();
        for (f, spec) in instance.features.iter().enumerate() {
            let path = format!("features[{f}]");
            if spec.name.is_empty() {
                return Err(invalid(path, "feature name is empty"));
            }
            if feature_index.insert(spec.name.as_str(), f).is_some() {
                return Err(invalid(
                    path,
                    format!("feature \"{}\" is declared twice", spec.name),
                ));
            }
            if spec.categories.is_empty() {
                return Err(invalid(
                    path,
                    format!("feature \"{}\" has no categories", spec.name),
                ));
            }
            let mut names = BTreeMap::new();
            let mut categories = Vec::with_capacity(spec.categories.len());
            for (c, category) in spec.categories.iter().enumerate() {
                let path = format!("features[{f}].categories[{c}]");
                if category.name.is_empty() {
                    return Err(invalid(path, "category name is empty"));
                }
                if names.insert(category.name.as_str(), c).is_some() {
                    return Err(invalid(
                        path,
                        format!(
                            "category \"{}\" of feature \"{}\" is declared twice",
                            category.name, spec.name
                        ),
                    ));
                }
                check_share(category.min_share, &path, "min_share")?;
                check_share(category.max_share, &path, "max_share")?;
                let mut min = category.min.unwrap_or(0);
                if let Some(share) = category.min_share {
                    min = min.max((share * panel_size as f64 - SHARE_ROUNDING_SLACK).ceil() as u32);
                }
                let mut max = category.max.unwrap_or(panel_size).min(panel_size);
                if let Some(share) = category.max_share {
                    max =
                        max.min((share * panel_size as f64 + SHARE_ROUNDING_SLACK).floor() as u32);
                }
                categories.push(Category {
                    name: category.name.clone(),
                    min,
                    max,
                    applicants: 0,
                });
            }
            category_index.push(names);
            features.push(Feature {
                name: spec.name.clone(),
                categories,
            });
        }

        let mut seen_ids = BTreeMap::new();
        let mut vectors = Vec::with_capacity(instance.applicants.len());
        for (a, applicant) in instance.applicants.iter().enumerate() {
            let path = format!("applicants[{a}]");
            if applicant.id.is_empty() {
                return Err(invalid(path, "applicant id is empty"));
            }
            if let Some(first) = seen_ids.insert(applicant.id.as_str(), a) {
                return Err(invalid(
                    path,
                    format!(
                        "applicant id \"{}\" already used by applicants[{first}]",
                        applicant.id
                    ),
                ));
            }
            for name in applicant.features.keys() {
                if !feature_index.contains_key(name.as_str()) {
                    return Err(invalid(
                        format!("{path} (id \"{}\")", applicant.id),
                        format!("unknown feature \"{name}\""),
                    ));
                }
            }
            let mut vector = Vec::with_capacity(features.len());
            for (f, feature) in features.iter().enumerate() {
                let Some(value) = applicant.features.get(&feature.name) else {
                    return Err(invalid(
                        format!("{path} (id \"{}\")", applicant.id),
                        format!("no value for feature \"{}\"", feature.name),
                    ));
                };
                let Some(&c) = category_index[f].get(value.as_str()) else {
                    return Err(invalid(
                        format!("{path} (id \"{}\")", applicant.id),
                        format!(
                            "\"{value}\" is not a category of feature \"{}\"",
                            feature.name
                        ),
                    ));
                };
                vector.push(c);
            }
            vectors.push(vector);
        }

        let mut by_vector: BTreeMap<&[usize], Vec<usize>> = BTreeMap::new();
        for (a, vector) in vectors.iter().enumerate() {
            by_vector.entry(vector.as_slice()).or_default().push(a);
        }
        let mut types = Vec::with_capacity(by_vector.len());
        let mut applicant_type = vec![0; vectors.len()];
        for (t, (vector, mut members)) in by_vector.into_iter().enumerate() {
            members.sort_by(|&x, &y| instance.applicants[x].id.cmp(&instance.applicants[y].id));
            for &a in &members {
                applicant_type[a] = t;
            }
            for (f, &c) in vector.iter().enumerate() {
                features[f].categories[c].applicants += members.len() as u32;
            }
            types.push(ApplicantType {
                categories: vector.to_vec(),
                members,
            });
        }

        Ok(Pool {
            procedure,
            call: instance.call.clone(),
            panel_size,
            reserve_size: instance.reserve_size,
            features,
            applicant_ids: instance.applicants.iter().map(|a| a.id.clone()).collect(),
            applicant_type,
            types,
        })
    }

    pub fn applicant_count(&self) -> usize {
        self.applicant_ids.len()
    }

    /// Category name of applicant `a` for feature `f`.
    pub fn category_name(&self, a: usize, f: usize) -> &str {
        let c = self.types[self.applicant_type[a]].categories[f];
        &self.features[f].categories[c].name
    }

    /// Whether a vector of seats per type meets the panel size and every quota.
    pub fn composition_meets_quotas(&self, seats_per_type: &[u32]) -> bool {
        if seats_per_type.iter().sum::<u32>() != self.panel_size {
            return false;
        }
        if seats_per_type
            .iter()
            .zip(&self.types)
            .any(|(&s, t)| s > t.size())
        {
            return false;
        }
        self.category_seats(seats_per_type)
            .iter()
            .zip(&self.features)
            .all(|(seats, feature)| {
                seats
                    .iter()
                    .zip(&feature.categories)
                    .all(|(&s, c)| c.min <= s && s <= c.max)
            })
    }

    /// Seats per category of each feature for a vector of seats per type.
    pub fn category_seats(&self, seats_per_type: &[u32]) -> Vec<Vec<u32>> {
        let mut seats: Vec<Vec<u32>> = self
            .features
            .iter()
            .map(|f| vec![0; f.categories.len()])
            .collect();
        for (t, &s) in seats_per_type.iter().enumerate() {
            for (f, &c) in self.types[t].categories.iter().enumerate() {
                seats[f][c] += s;
            }
        }
        seats
    }

    /// Whether a set of applicants (indices) meets the panel size and every quota.
    pub fn panel_meets_quotas(&self, members: &[usize]) -> bool {
        let mut seats = vec![0u32; self.types.len()];
        for &a in members {
            seats[self.applicant_type[a]] += 1;
        }
        let mut distinct = members.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        distinct.len() == members.len() && self.composition_meets_quotas(&seats)
    }
}
