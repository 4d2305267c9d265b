//! Names that become paths: datasets, experiments, runs and models.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Longest accepted name, in characters; keeps paths well inside every platform's limit.
pub const MAX_NAME_LEN: usize = 120;

/// Why a name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// The name is empty.
    #[error("a name cannot be empty")]
    Empty,
    /// The name is too long.
    #[error("name {0:?} is longer than {MAX_NAME_LEN} characters")]
    TooLong(String),
    /// The name contains a path separator or a character some file systems reserve.
    #[error("name {0:?} contains {1:?}; use letters, digits, '-', '_' or '.'")]
    Forbidden(String, char),
    /// The name contains a control character.
    #[error("name {0:?} contains a control character")]
    Control(String),
    /// The name is `.`/`..`, contains `..`, or starts with a dot.
    #[error("name {0:?} may not contain '..' or start with '.'")]
    Dots(String),
}

/// A validated name, safe to join onto a workspace folder.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name(String);

impl Name {
    /// Checks `raw` and wraps it.
    pub fn parse(raw: &str) -> Result<Self, NameError> {
        validate(raw)?;
        Ok(Self(raw.to_owned()))
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Checks that `raw` can safely become one path component.
pub fn validate(raw: &str) -> Result<(), NameError> {
    if raw.is_empty() {
        return Err(NameError::Empty);
    }
    if raw.chars().count() > MAX_NAME_LEN {
        return Err(NameError::TooLong(raw.to_owned()));
    }
    if raw.chars().any(char::is_control) {
        return Err(NameError::Control(raw.to_owned()));
    }
    if let Some(c) = raw.chars().find(|c| FORBIDDEN.contains(c)) {
        return Err(NameError::Forbidden(raw.to_owned(), c));
    }
    if raw.starts_with('.') || raw.contains("..") {
        return Err(NameError::Dots(raw.to_owned()));
    }
    Ok(())
}

/// Separators on any platform, plus characters Windows reserves in file names.
const FORBIDDEN: [char; 9] = ['/', '\\', ':', '*', '?', '"', '<', '>', '|'];

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Serialize for Name {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Name::parse(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::path::{Component, Path};

    #[test]
    fn accepts_ordinary_names() {
        for ok in ["churn", "churn_clean", "run-2026.12.03", "v2", "Modèle"] {
            assert!(validate(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn refuses_traversal_and_separators() {
        for bad in ["", "..", ".", "../x", "a/b", "a\\b", "a..b", ".hidden", "a\nb", "a\0b", "c:"] {
            assert!(validate(bad).is_err(), "{bad:?}");
        }
    }

    proptest! {
        #[test]
        fn accepted_names_are_one_normal_component(raw in "\\PC{0,40}") {
            if validate(&raw).is_ok() {
                let comps: Vec<_> = Path::new(&raw).components().collect();
                prop_assert_eq!(comps.len(), 1);
                prop_assert!(matches!(comps[0], Component::Normal(_)));
            }
        }

        #[test]
        fn anything_with_a_separator_or_dotdot_is_refused(
            a in "[a-z]{0,8}", b in "[a-z]{0,8}", sep in prop::sample::select(vec!["/", "\\", ".."])
        ) {
            let raw = format!("{a}{sep}{b}");
            prop_assert!(validate(&raw).is_err());
        }

        #[test]
        fn control_characters_are_refused(a in "[a-z]{0,8}", c in 0u8..32) {
            let raw = format!("{a}{}", char::from(c));
            prop_assert!(validate(&raw).is_err());
        }
    }
}
