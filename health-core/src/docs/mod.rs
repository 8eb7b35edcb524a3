//! Documentation and manifests generated from a contract, so no list of variables is kept by
//! hand: a `.env.example`, a Markdown table, a JSON Schema of the environment, and (feature
//! `runtime`) Kubernetes probes whose timings agree with the registered checks.
//!
//! Every function here is pure: it reads the [`Contract`](crate::Contract) (or the
//! [`Health`](crate::Health)) and nothing else, never the environment. A secret's value
//! cannot appear in any output because the contract does not hold one, and a secret's default
//! is never shown either.
//!
//! How a value is read comes from the contract's record of it ([`VarSpec::rule`], and
//! [`VarSpec::split`] for a list), never from the text of the field's type: a `parse_with`
//! field of type `u16` is documented as its function reads it, not as a `u16`. The
//! constraints (`range`, `one_of`, `len`) and the old names (`alias`) are shown by every
//! generator, worded as the loader words them when a value breaks one.
//!
//! The rules between variables (`requires`, `exactly_one_of`, ...) and the optional groups
//! are in every output, each rule with its name in reports and its sentence: the
//! `.env.example` passes its own rules once filled in, the Markdown gives each rule's sentence
//! on its variables' rows, and the JSON Schema holds every rule it can express. So are the
//! selected variants: the `.env.example` uses one variant of each choice and comments out the
//! others, saying how to switch; the Markdown gives each choice's sentence and a table of its
//! variants; the JSON Schema holds which variant is chosen and what it then requires.
//!
//! ```
//! # use health_core as health;
//! use health::{Contract, docs};
//!
//! fn write_docs(contract: &Contract) -> std::io::Result<()> {
//!     std::fs::write(".env.example", docs::env_example(contract))?;
//!     std::fs::write("CONFIG.md", docs::markdown_table(contract))?;
//!     let schema = serde_json::to_string_pretty(&docs::json_schema(contract))?;
//!     std::fs::write("config.schema.json", schema)
//! }
//! ```
//!
//! [`VarSpec::rule`]: crate::VarSpec::rule
//! [`VarSpec::split`]: crate::VarSpec::split

mod default_text;
mod deferred;
mod env_example;
mod json_schema;
mod markdown;
mod notes;
mod owning_variant;
mod pattern;
#[cfg(feature = "runtime")]
mod probes;
mod rules;
mod schema_conditions;
mod schema_rules;
mod schema_variants;
mod value_rules;

pub use self::env_example::env_example;
pub use self::json_schema::{JSON_SCHEMA_DIALECT, json_schema};
pub use self::markdown::markdown_table;
#[cfg(feature = "runtime")]
pub use self::probes::kubernetes_probes;
