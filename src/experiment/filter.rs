//! The runs filter language: comparisons on run fields, params, metrics and tags, joined with
//! `and`, `or`, `not` and parentheses; `~` matches a regular expression and `in a..b` a range.
//!
//! Example: `model = tree and (metrics.f1 > 0.8 or params.max_depth < 5)`.

use regex::Regex;
use serde_json::Value;

use super::run::RunRecord;

/// A parsed filter.
#[derive(Debug, Clone)]
pub enum Expr {
    /// Both hold.
    And(Box<Expr>, Box<Expr>),
    /// Either holds.
    Or(Box<Expr>, Box<Expr>),
    /// It does not hold.
    Not(Box<Expr>),
    /// `field op value`.
    Compare(String, Op, String),
    /// `field ~ regex`.
    Matches(String, Regex),
    /// `field in low..high` (inclusive).
    Range(String, f64, f64),
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Op(String),
    Open,
    Close,
}

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' || c == ')' {
            out.push(if c == '(' { Token::Open } else { Token::Close });
            i += 1;
        } else if c == '"' || c == '\'' {
            let end = chars[i + 1..]
                .iter()
                .position(|d| *d == c)
                .ok_or_else(|| format!("unclosed quote at column {}", i + 1))?;
            out.push(Token::Word(chars[i + 1..i + 1 + end].iter().collect()));
            i += end + 2;
        } else if "=!<>~".contains(c) {
            let two = chars.get(i + 1) == Some(&'=');
            out.push(Token::Op(chars[i..i + 1 + usize::from(two)].iter().collect()));
            i += 1 + usize::from(two);
        } else {
            let start = i;
            while i < chars.len() && !chars[i].is_whitespace() && !"()=!<>~\"'".contains(chars[i]) {
                i += 1;
            }
            out.push(Token::Word(chars[start..i].iter().collect()));
        }
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek_word(&self, w: &str) -> bool {
        matches!(self.tokens.get(self.at), Some(Token::Word(x)) if x.eq_ignore_ascii_case(w))
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut left = self.and()?;
        while self.peek_word("or") {
            self.at += 1;
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut left = self.not()?;
        while self.peek_word("and") {
            self.at += 1;
            left = Expr::And(Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Expr, String> {
        if self.peek_word("not") {
            self.at += 1;
            return Ok(Expr::Not(Box::new(self.not()?)));
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Expr, String> {
        match self.tokens.get(self.at).cloned() {
            Some(Token::Open) => {
                self.at += 1;
                let e = self.or()?;
                if self.tokens.get(self.at) != Some(&Token::Close) {
                    return Err("missing ')'".into());
                }
                self.at += 1;
                Ok(e)
            }
            Some(Token::Word(field)) => {
                self.at += 1;
                self.comparison(field)
            }
            Some(t) => Err(format!("expected a field name, found {t:?}")),
            None => Err("the filter ends too early".into()),
        }
    }

    fn value(&mut self) -> Result<String, String> {
        match self.tokens.get(self.at).cloned() {
            Some(Token::Word(w)) => {
                self.at += 1;
                Ok(w)
            }
            other => Err(format!("expected a value, found {other:?}")),
        }
    }

    fn comparison(&mut self, field: String) -> Result<Expr, String> {
        if self.peek_word("in") {
            self.at += 1;
            let range = self.value()?;
            let (a, b) = range
                .split_once("..")
                .ok_or_else(|| format!("a range looks like 1..5, not {range:?}"))?;
            let num = |s: &str| s.parse::<f64>().map_err(|_| format!("{s:?} is not a number"));
            return Ok(Expr::Range(field, num(a)?, num(b)?));
        }
        let op = match self.tokens.get(self.at).cloned() {
            Some(Token::Op(op)) => op,
            other => return Err(format!("expected an operator after {field:?}, found {other:?}")),
        };
        self.at += 1;
        let value = self.value()?;
        let op = match op.as_str() {
            "=" | "==" => Op::Eq,
            "!=" => Op::Ne,
            "<" => Op::Lt,
            "<=" => Op::Le,
            ">" => Op::Gt,
            ">=" => Op::Ge,
            "~" => {
                let re = Regex::new(&value)
                    .map_err(|e| format!("bad regular expression {value:?}: {e}"))?;
                return Ok(Expr::Matches(field, re));
            }
            other => return Err(format!("unknown operator {other:?}")),
        };
        Ok(Expr::Compare(field, op, value))
    }
}

/// Parses a filter; the error says where it went wrong.
pub fn parse(text: &str) -> Result<Expr, String> {
    let mut p = Parser { tokens: tokenize(text)?, at: 0 };
    let e = p.or()?;
    if p.at != p.tokens.len() {
        return Err(format!("unexpected {:?} after a complete filter", p.tokens[p.at]));
    }
    Ok(e)
}

/// Short names users type for model kinds.
fn model_alias(kind: &str) -> &str {
    match kind {
        "decision_tree" => "tree",
        "random_forest" => "forest",
        "majority_class" | "mean" => "baseline",
        other => other,
    }
}

/// The value of a field of a run, as text.
pub fn field(run: &RunRecord, name: &str) -> Option<String> {
    let json_text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match name.split_once('.') {
        Some(("metrics", m)) => run.metrics.get(m).map(|v| v.to_string()),
        Some(("params", p)) => run.params.get(p).map(json_text),
        Some(("tags", t)) => run.tags.get(t).cloned(),
        _ => match name {
            "id" | "name" | "run" => Some(run.id.clone()),
            "experiment" => Some(run.experiment.clone()),
            "status" => Some(run.status.label().to_owned()),
            "dataset" => Some(run.dataset.name.clone()),
            "model" => run.tags.get("model").cloned(),
            "notes" => Some(run.notes.clone()),
            _ => None,
        },
    }
}

/// Whether a run passes the filter.
pub fn matches(expr: &Expr, run: &RunRecord) -> bool {
    match expr {
        Expr::And(a, b) => matches(a, run) && matches(b, run),
        Expr::Or(a, b) => matches(a, run) || matches(b, run),
        Expr::Not(a) => !matches(a, run),
        Expr::Matches(f, re) => field(run, f).is_some_and(|v| re.is_match(&v)),
        Expr::Range(f, lo, hi) => number(run, f).is_some_and(|v| v >= *lo && v <= *hi),
        Expr::Compare(f, op, want) => compare(run, f, *op, want),
    }
}

fn number(run: &RunRecord, f: &str) -> Option<f64> {
    field(run, f)?.parse().ok()
}

fn compare(run: &RunRecord, f: &str, op: Op, want: &str) -> bool {
    let Some(have) = field(run, f) else { return op == Op::Ne };
    if let (Ok(a), Ok(b)) = (have.parse::<f64>(), want.parse::<f64>()) {
        return match op {
            Op::Eq => a == b,
            Op::Ne => a != b,
            Op::Lt => a < b,
            Op::Le => a <= b,
            Op::Gt => a > b,
            Op::Ge => a >= b,
        };
    }
    let equal = have == want || (f == "model" && model_alias(&have) == want);
    match op {
        Op::Eq => equal,
        Op::Ne => !equal,
        Op::Lt => have.as_str() < want,
        Op::Le => have.as_str() <= want,
        Op::Gt => have.as_str() > want,
        Op::Ge => have.as_str() >= want,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(id: &str, model: &str, f1: f64, depth: i64) -> RunRecord {
        serde_json::from_value(serde_json::json!({
            "id": id, "experiment": "e", "status": "finished", "started": "2026-12-03T10:00:00Z",
            "metrics": {"f1": f1}, "params": {"max_depth": depth}, "tags": {"model": model}
        }))
        .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_example_from_the_docs_works() {
        let e = parse("model = tree and (metrics.f1 > 0.8 or params.max_depth < 5)")
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches(&e, &run("a", "decision_tree", 0.9, 8)));
        assert!(matches(&e, &run("b", "decision_tree", 0.5, 3)));
        assert!(!matches(&e, &run("c", "decision_tree", 0.5, 8)));
        assert!(!matches(&e, &run("d", "random_forest", 0.9, 3)));
    }

    #[test]
    fn not_ranges_and_regex() {
        let e =
            parse("not id ~ '^tmp' and metrics.f1 in 0.5..0.7").unwrap_or_else(|e| panic!("{e}"));
        assert!(matches(&e, &run("real", "decision_tree", 0.6, 1)));
        assert!(!matches(&e, &run("tmp1", "decision_tree", 0.6, 1)));
        assert!(!matches(&e, &run("real", "decision_tree", 0.8, 1)));
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let err = |text: &str| parse(text).err().unwrap_or_default();
        assert!(err("metrics.f1 >").contains("expected a value"));
        assert!(err("(a = 1").contains("missing ')'"));
        assert!(err("a ~ '('").contains("regular expression"));
    }
}
