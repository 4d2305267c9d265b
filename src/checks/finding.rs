//! Findings, reports and their thresholds: what every check produces.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::pps::Pps;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// A question to answer, not an accusation.
    Info,
    /// Likely to inflate results; look at it.
    Medium,
    /// Will make results wrong; blocks validation until resolved or accepted.
    High,
}

impl Severity {
    /// Lower-case label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Medium => "medium",
            Self::High => "high",
        }
    }

    /// Parses `high`, `medium` or `info`.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "high" => Some(Self::High),
            "medium" => Some(Self::Medium),
            "info" => Some(Self::Info),
            _ => None,
        }
    }
}

/// The kind of leakage a finding points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A feature carries the answer (near-copy, post-outcome record, proxy).
    TargetLeakage,
    /// A feature is not known when the prediction is made.
    NotAvailableAtPrediction,
    /// An identifier, or the row order, predicts the target.
    IdentifierLeakage,
    /// The same rows sit on both sides of the split.
    TrainTestOverlap,
    /// The same entities sit on both sides of the split.
    GroupLeakage,
    /// Test rows are not strictly later than training rows.
    TemporalLeakage,
    /// Test data holds values training never saw, or a feature's power changes between sides.
    DistributionShift,
    /// Preprocessing learned from rows it should not have seen.
    PreprocessingLeakage,
    /// The input itself prevents a meaningful check.
    DataProblem,
}

impl Kind {
    /// snake_case label, as in the JSON.
    pub fn label(self) -> &'static str {
        match self {
            Self::TargetLeakage => "target_leakage",
            Self::NotAvailableAtPrediction => "not_available_at_prediction",
            Self::IdentifierLeakage => "identifier_leakage",
            Self::TrainTestOverlap => "train_test_overlap",
            Self::GroupLeakage => "group_leakage",
            Self::TemporalLeakage => "temporal_leakage",
            Self::DistributionShift => "distribution_shift",
            Self::PreprocessingLeakage => "preprocessing_leakage",
            Self::DataProblem => "data_problem",
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The check that found it, such as `pps` or `row_overlap`.
    pub check: String,
    /// The kind of leakage.
    pub kind: Kind,
    /// How serious.
    pub severity: Severity,
    /// The columns involved (empty for whole-row findings).
    pub columns: Vec<String>,
    /// The numbers behind it.
    pub evidence: BTreeMap<String, f64>,
    /// Why it matters, for a student.
    pub why: String,
    /// What to do.
    pub fix: String,
}

impl Finding {
    /// A stable identity for acceptances: check and columns.
    pub fn id(&self) -> String {
        format!("{}:{}", self.check, self.columns.join(","))
    }

    /// The evidence as `name value` pairs on one line.
    pub fn evidence_text(&self) -> String {
        self.evidence
            .iter()
            .map(|(k, v)| format!("{k} {}", format_number(*v)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Numbers as people read them: integers plainly, shares with three decimals.
pub fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e12 { format!("{v:.0}") } else { format!("{v:.3}") }
}

/// A finding someone accepted, with their reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Acceptance {
    /// [`Finding::id`] of the accepted finding.
    pub finding: String,
    /// Why it is acceptable.
    pub reason: String,
    /// Who accepted it.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// Thresholds of the leakage checks; defaults from the checks reference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Thresholds {
    /// pps(feature → target) at or above which a finding is high.
    pub pps_high: f64,
    /// pps(feature → target) at or above which a finding is medium.
    pub pps_medium: f64,
    /// Association with the target at or above which a feature is a proxy.
    pub proxy: f64,
    /// pps of an identifier or the row order above which it leaks.
    pub identifier_pps: f64,
    /// Share of test rows found in train above which overlap is high (any is medium).
    pub row_overlap_high: f64,
    /// Change of pps between train and test at or above which a finding is raised.
    pub pps_change: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            pps_high: 0.8,
            pps_medium: 0.7,
            proxy: 0.95,
            identifier_pps: 0.05,
            row_overlap_high: 0.05,
            pps_change: 0.2,
        }
    }
}

/// A saved leakage report (`checks/<dataset>-<hash8>.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Workspace format version of this file.
    #[serde(default)]
    pub format: crate::workspace::files::Format,
    /// What was checked: `dataset`, `train_test` or `experiment`.
    pub mode: String,
    /// The workspace dataset, when one was checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset: Option<String>,
    /// The experiment spec, in experiment mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experiment: Option<String>,
    /// The file(s) read.
    pub files: Vec<String>,
    /// BLAKE3 of the data file (train file first in train/test mode).
    pub hash: String,
    /// The target column.
    pub target: String,
    /// When the checks ran.
    pub created: DateTime<Utc>,
    /// Rows and columns checked.
    pub rows: usize,
    /// Columns in the data.
    pub columns: usize,
    /// Thresholds used.
    pub thresholds: Thresholds,
    /// pps(feature → target) for every feature, highest first.
    pub pps: Vec<Pps>,
    /// The findings, most severe first.
    pub findings: Vec<Finding>,
    /// Findings accepted with a reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accepted: Vec<Acceptance>,
    /// Seconds the checks took.
    #[serde(default)]
    pub seconds: f64,
    /// Fields written by newer versions, kept as they were.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Report {
    /// The acceptance of a finding, if any.
    pub fn acceptance(&self, finding: &Finding) -> Option<&Acceptance> {
        let id = finding.id();
        self.accepted.iter().rev().find(|a| a.finding == id)
    }

    /// Findings not accepted, at or above `level`.
    pub fn open_at_or_above(&self, level: Severity) -> Vec<&Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity >= level && self.acceptance(f).is_none())
            .collect()
    }

    /// Open findings per severity label.
    pub fn open_counts(&self) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for f in self.findings.iter().filter(|f| self.acceptance(f).is_none()) {
            *out.entry(f.severity.label().to_owned()).or_insert(0) += 1;
        }
        out
    }
}
