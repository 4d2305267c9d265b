//! The filter language shared by the runs table and the table of rows: comparisons joined
//! with `and`, `or`, `not` and parentheses; `~` matches a regular expression and `in a..b` a
//! range (inclusive). Values with spaces go in quotes.
//!
//! Example: `model = tree and (metrics.f1 > 0.8 or params.max_depth < 5)`.

use regex::Regex;

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
