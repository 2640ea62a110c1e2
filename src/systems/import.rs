//! Reading a team's service map: the systems an incident may touch and what
//! each depends on.
//!
//! Three formats are read, chosen by the file's extension:
//!
//! - `.toml`: `[[systems]]` tables with `name`, and optionally `owner`,
//!   `note` and `depends_on`:
//!   ```toml
//!   [[systems]]
//!   name = "checkout"
//!   owner = "team-web"
//!   depends_on = ["payments", "cart"]
//!   ```
//! - `.json`: `{"systems": [{"name": "checkout", "depends_on": ["payments"]}]}`
//!   with the same fields.
//! - `.yaml` / `.yml`: a Backstage `catalog-info.yaml`. Its `Component` and
//!   `Resource` entities become systems (other kinds are skipped);
//!   `spec.owner`, `metadata.description` and `spec.dependsOn` give the
//!   owner, the note and the dependencies.
//!
//! Reading is all or nothing: anything wrong in the file is an
//! [`ImportError`] that names the file, the entry and the fix, and nothing
//! is imported from it.

use super::SystemSpec;
use crate::ops::check_system_name;
use crate::sanitize;
use serde::Deserialize;
use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;
use yaml_rust2::{Yaml, YamlLoader};

/// The files [`default_map`] looks for in the incident directory, in order.
pub const DEFAULT_MAP_FILES: [&str; 3] = ["systems.toml", "systems.json", "catalog-info.yaml"];

/// Longest note kept from a Backstage `metadata.description`, in characters.
pub const MAX_NOTE_CHARS: usize = 200;

/// Largest file read as a service map. Real ones are kilobytes; this only
/// stops a wrong path (a log, a device) from being read whole.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// A service map that could not be read. Nothing is imported from it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {problem}", path.display())]
pub struct ImportError {
    pub path: PathBuf,
    pub problem: String,
}

impl ImportError {
    /// The problem text is shown on a terminal and quotes the file, so it is
    /// sanitized here once.
    fn new(path: &Path, problem: impl AsRef<str>) -> ImportError {
        ImportError {
            path: path.to_path_buf(),
            problem: sanitize::line(problem.as_ref()).into_owned(),
        }
    }
}

const TOML_SHAPE: &str = "each [[systems]] table takes name, and optionally owner, note and depends_on = [\"other-system\"]";
const JSON_SHAPE: &str = "the file should look like {\"systems\": [{\"name\": \"checkout\", \"owner\": \"team-web\", \"note\": \"...\", \"depends_on\": [\"payments\"]}]}";
const FORMATS: &str = "a .toml file with [[systems]] tables, a .json file with {\"systems\": [...]}, or a Backstage catalog-info.yaml";

/// Read a service map: `.toml`, `.json`, or Backstage `.yaml`/`.yml`
/// (by extension; anything else: try JSON, then TOML, then YAML, and say
/// which formats are accepted if none parses).
pub fn load(path: &Path) -> Result<Vec<SystemSpec>, ImportError> {
    let text = read(path)?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("toml") => parse_toml(path, &text),
        Some("json") => parse_json(path, &text),
        Some("yaml" | "yml") => parse_backstage(path, &text),
        _ => parse_unnamed(path, &text),
    }
}

/// The team's default map kept in the incident directory, if there is one:
/// the first of `systems.toml`, `systems.json`, `catalog-info.yaml` that
/// exists.
pub fn default_map(dir: &Path) -> Option<PathBuf> {
    DEFAULT_MAP_FILES
        .iter()
        .map(|f| dir.join(f))
        .find(|p| p.is_file())
}

fn read(path: &Path) -> Result<String, ImportError> {
    let err = |problem: String| ImportError::new(path, problem);
    let io = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => err("no such file: check the path".into()),
        std::io::ErrorKind::PermissionDenied => err(
            "permission denied: make the file readable to you, or copy it somewhere you can read"
                .into(),
        ),
        _ => err(format!("cannot read the file: {e}")),
    };
    let file = std::fs::File::open(path).map_err(io)?;
    if file.metadata().map_err(io)?.is_dir() {
        return Err(err(format!(
            "is a directory: give the service map file itself (such as {})",
            DEFAULT_MAP_FILES.join(", ")
        )));
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(err(format!(
            "is larger than {} MiB, which no service map is: check the path",
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        err(format!(
            "is not UTF-8 text (bad byte at offset {}): save it as UTF-8",
            e.utf8_error().valid_up_to()
        ))
    })?;
    // Editors on some systems start UTF-8 files with a byte-order mark.
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    })
}

/// A file whose extension names no format: the first format it parses as
/// decides, and its own errors are reported from then on.
fn parse_unnamed(path: &Path, text: &str) -> Result<Vec<SystemSpec>, ImportError> {
    if let Ok(serde_json::Value::Object(_)) = serde_json::from_str(text) {
        return parse_json(path, text);
    }
    if let Ok(table) = toml::from_str::<toml::Table>(text)
        && !table.is_empty()
    {
        return parse_toml(path, text);
    }
    if let Ok(docs) = YamlLoader::load_from_str(text)
        && docs
            .iter()
            .any(|d| d.as_hash().is_some() && !d["kind"].is_badvalue())
    {
        return parse_backstage(path, text);
    }
    Err(ImportError::new(
        path,
        format!(
            "is not a service map this tool can read: use {FORMATS}. Name the file .toml, .json or .yaml to see exactly what is wrong with it"
        ),
    ))
}

// ---------------------------------------------------------------- TOML, JSON

/// A struct read only from named fields (a TOML table, a JSON object).
/// serde's derive also reads a struct from a positional list, which would
/// take `[["checkout", "team-web"]]` as a system without a word.
struct FromMap<T>(T);

/// What a [`FromMap`] struct looks like, for "expected ..." in errors.
trait Shape {
    const EXPECTED: &'static str;
}

impl<'de, T: Deserialize<'de> + Shape> Deserialize<'de> for FromMap<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct OnlyMap<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de> + Shape> serde::de::Visitor<'de> for OnlyMap<T> {
            type Value = T;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(T::EXPECTED)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
            }
        }
        d.deserialize_map(OnlyMap(PhantomData)).map(FromMap)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlMap {
    #[serde(default)]
    systems: Vec<FromMap<TomlSystem>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlSystem {
    name: toml::Spanned<String>,
    #[serde(default)]
    owner: Option<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    depends_on: Vec<String>,
}

impl Shape for TomlMap {
    const EXPECTED: &'static str = "[[systems]] tables";
}

impl Shape for TomlSystem {
    const EXPECTED: &'static str = "a [[systems]] table (name = ..., not a list)";
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonMap {
    #[serde(default)]
    systems: Vec<FromMap<JsonSystem>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonSystem {
    name: String,
    #[serde(default)]
    owner: Option<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    depends_on: Vec<String>,
}

impl Shape for JsonMap {
    const EXPECTED: &'static str = "an object with a \"systems\" list";
}

impl Shape for JsonSystem {
    const EXPECTED: &'static str =
        "an object with \"name\" (and optionally owner, note, depends_on)";
}

fn line_of(text: &str, byte: usize) -> usize {
    let end = byte.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Read a TOML service map (`[[systems]]` tables).
pub fn parse_toml(path: &Path, text: &str) -> Result<Vec<SystemSpec>, ImportError> {
    let FromMap(map) = toml::from_str::<FromMap<TomlMap>>(text).map_err(|e| {
        let at = e
            .span()
            .map(|s| format!("line {}: ", line_of(text, s.start)))
            .unwrap_or_default();
        ImportError::new(
            path,
            format!("{at}{}; {TOML_SHAPE}", e.message().trim_end()),
        )
    })?;
    if map.systems.is_empty() {
        return Err(ImportError::new(
            path,
            "no [[systems]] entries, so nothing would be imported: add one table per system, e.g. [[systems]] name = \"payments\"",
        ));
    }
    let mut out = Collector::new(path, "depends_on", "");
    for (i, FromMap(s)) in map.systems.into_iter().enumerate() {
        let line = line_of(text, s.name.span().start);
        let name = s.name.into_inner();
        let label = format!(
            "[[systems]] entry {} (\"{}\", line {line})",
            i + 1,
            sanitize::line(&name)
        );
        out.add(
            label,
            name,
            s.owner.as_deref(),
            s.note.as_deref(),
            s.depends_on,
        )?;
    }
    Ok(out.finish())
}

/// Read a JSON service map (`{"systems": [...]}`).
pub fn parse_json(path: &Path, text: &str) -> Result<Vec<SystemSpec>, ImportError> {
    let FromMap(map) = serde_json::from_str::<FromMap<JsonMap>>(text).map_err(|e| {
        let full = e.to_string();
        let message = full
            .strip_suffix(&format!(" at line {} column {}", e.line(), e.column()))
            .unwrap_or(&full);
        let at = if e.line() > 0 {
            // serde_json says column 0 before the first character of a line.
            format!("line {}, column {}: ", e.line(), e.column().max(1))
        } else {
            String::new()
        };
        ImportError::new(path, format!("{at}{message}; {JSON_SHAPE}"))
    })?;
    if map.systems.is_empty() {
        return Err(ImportError::new(
            path,
            "no entries in \"systems\", so nothing would be imported: add one object per system, e.g. {\"systems\": [{\"name\": \"payments\"}]}",
        ));
    }
    let mut out = Collector::new(path, "depends_on", "");
    for (i, FromMap(s)) in map.systems.into_iter().enumerate() {
        let label = format!("systems entry {} (\"{}\")", i + 1, sanitize::line(&s.name));
        out.add(
            label,
            s.name,
            s.owner.as_deref(),
            s.note.as_deref(),
            s.depends_on,
        )?;
    }
    Ok(out.finish())
}

// ------------------------------------------------------------------ checks

/// Checks entries as they come and keeps them; the first problem ends the
/// import.
struct Collector<'a> {
    path: &'a Path,
    /// What the dependency field is called in this format.
    deps_field: &'static str,
    /// Said of duplicate names in this format.
    duplicate_note: &'static str,
    specs: Vec<SystemSpec>,
    /// Each name seen so far and the label of the entry that defined it.
    seen: HashMap<String, String>,
}

impl<'a> Collector<'a> {
    fn new(path: &'a Path, deps_field: &'static str, duplicate_note: &'static str) -> Self {
        Collector {
            path,
            deps_field,
            duplicate_note,
            specs: Vec::new(),
            seen: HashMap::new(),
        }
    }

    fn add(
        &mut self,
        label: String,
        name: String,
        owner: Option<&str>,
        note: Option<&str>,
        depends_on: Vec<String>,
    ) -> Result<(), ImportError> {
        let err = |problem: String| ImportError::new(self.path, format!("{label}: {problem}"));
        check_system_name(&name).map_err(|r| err(format!("name: {r}")))?;
        let mut deps: Vec<String> = Vec::with_capacity(depends_on.len());
        for dep in depends_on {
            check_system_name(&dep).map_err(|r| err(format!("{}: {r}", self.deps_field)))?;
            if !deps.contains(&dep) {
                deps.push(dep);
            }
        }
        if let Some(first) = self.seen.get(&name) {
            return Err(err(format!(
                "the name \"{name}\" is already used by {first}: each system must appear once in a map{}, so rename or merge one of them",
                self.duplicate_note
            )));
        }
        self.seen.insert(name.clone(), label);
        self.specs.push(SystemSpec {
            name,
            owner: owner.and_then(text_field),
            note: note.and_then(text_field),
            depends_on: deps,
        });
        Ok(())
    }

    fn finish(self) -> Vec<SystemSpec> {
        self.specs
    }
}

/// A free-text field as kept: one sanitized line, `None` when blank.
fn text_field(s: &str) -> Option<String> {
    let s = sanitize::line(s.trim()).into_owned();
    (!s.is_empty()).then_some(s)
}

// --------------------------------------------------------------- Backstage

/// The name part of a Backstage entity reference `[kind:][namespace/]name`:
/// `component:default/cart` and `cart` both name `cart`. Also used for
/// `spec.owner` (`group:default/team-payments` is `team-payments`).
pub fn entity_ref_name(reference: &str) -> &str {
    let r = reference.trim();
    let r = match r.split_once(':') {
        Some((kind, rest)) if is_kind_word(kind) => rest,
        _ => r,
    };
    match r.split_once('/') {
        Some((_namespace, name)) => name,
        None => r,
    }
}

/// A Backstage kind as written in a reference: a letter, then letters and
/// digits (`component`, `Resource`, `group`).
fn is_kind_word(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric())
}

/// The note kept from a `metadata.description`: its first non-blank line,
/// trimmed, sanitized and cut to [`MAX_NOTE_CHARS`].
fn description_note(description: &str) -> Option<String> {
    let first = description.lines().map(str::trim).find(|l| !l.is_empty())?;
    let clean = sanitize::line(first);
    if clean.chars().count() <= MAX_NOTE_CHARS {
        return Some(clean.into_owned());
    }
    let mut cut: String = clean.chars().take(MAX_NOTE_CHARS - 1).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    Some(cut)
}

/// A YAML scalar as text: strings, and numbers written without quotes
/// (`name: 2048`).
fn scalar_text(y: &Yaml) -> Option<String> {
    match y {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        _ => None,
    }
}

/// Absent or written as `key:` with nothing after it.
fn is_absent(y: &Yaml) -> bool {
    matches!(y, Yaml::BadValue | Yaml::Null)
}

/// The line each document's content starts on, in document order.
#[derive(Default)]
struct DocumentLines {
    lines: Vec<usize>,
    in_start: bool,
}

impl MarkedEventReceiver for DocumentLines {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::DocumentStart => self.in_start = true,
            _ if self.in_start => {
                self.lines.push(mark.line());
                self.in_start = false;
            }
            _ => {}
        }
    }
}

fn document_lines(text: &str, count: usize) -> Vec<Option<usize>> {
    let mut recv = DocumentLines::default();
    let parsed = Parser::new_from_str(text).load(&mut recv, true).is_ok();
    if parsed && recv.lines.len() == count {
        recv.lines.into_iter().map(Some).collect()
    } else {
        vec![None; count]
    }
}

fn entity_label(
    index: usize,
    kind: Option<&str>,
    name: Option<&str>,
    line: Option<usize>,
) -> String {
    let mut parts = Vec::new();
    match (kind, name) {
        (Some(k), Some(n)) => {
            parts.push(format!("{} \"{}\"", sanitize::line(k), sanitize::line(n)))
        }
        (Some(k), None) => parts.push(sanitize::line(k).into_owned()),
        (None, Some(n)) => parts.push(format!("\"{}\"", sanitize::line(n))),
        (None, None) => {}
    }
    if let Some(l) = line {
        parts.push(format!("line {l}"));
    }
    if parts.is_empty() {
        format!("entity {index}")
    } else {
        format!("entity {index} ({})", parts.join(", "))
    }
}

/// Read a Backstage `catalog-info.yaml`: its `Component` and `Resource`
/// entities, one YAML document each.
pub fn parse_backstage(path: &Path, text: &str) -> Result<Vec<SystemSpec>, ImportError> {
    let docs = YamlLoader::load_from_str(text).map_err(|e| {
        let m = e.marker();
        ImportError::new(
            path,
            format!(
                "YAML syntax error at line {}, column {}: {}; fix the YAML there (each entity is one document, and documents are separated by ---)",
                m.line(),
                m.col() + 1,
                e.info()
            ),
        )
    })?;
    let lines = document_lines(text, docs.len());
    let mut out = Collector::new(
        path,
        "spec.dependsOn",
        " (metadata.namespace is not part of the name)",
    );
    let mut skipped: Vec<String> = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        let index = i + 1;
        let line = lines[i];
        let err =
            |label: String, problem: &str| ImportError::new(path, format!("{label}: {problem}"));
        if is_absent(doc) {
            continue; // an empty document, as after a trailing ---
        }
        if doc.as_hash().is_none() {
            return Err(err(
                entity_label(index, None, None, line),
                "is not a mapping: each document must be one entity with apiVersion, kind, metadata and spec",
            ));
        }
        let kind = match &doc["kind"] {
            Yaml::String(k) => k.as_str(),
            y if is_absent(y) => {
                return Err(err(
                    entity_label(index, None, None, line),
                    "has no kind: add kind: Component (or Resource, System, API, ...)",
                ));
            }
            _ => {
                return Err(err(
                    entity_label(index, None, None, line),
                    "kind must be text such as Component or Resource",
                ));
            }
        };
        if !(kind.eq_ignore_ascii_case("component") || kind.eq_ignore_ascii_case("resource")) {
            if !skipped.iter().any(|k| k == kind) {
                skipped.push(kind.to_owned());
            }
            continue;
        }
        let metadata = &doc["metadata"];
        if !is_absent(metadata) && metadata.as_hash().is_none() {
            return Err(err(
                entity_label(index, Some(kind), None, line),
                "metadata must be a mapping with at least name, e.g. metadata: {name: payments}",
            ));
        }
        let name = match &metadata["name"] {
            y if is_absent(y) => {
                return Err(err(
                    entity_label(index, Some(kind), None, line),
                    "has no metadata.name: every Component and Resource needs one, e.g. metadata: {name: payments}",
                ));
            }
            y => scalar_text(y).ok_or_else(|| {
                err(
                    entity_label(index, Some(kind), None, line),
                    "metadata.name must be text such as payments",
                )
            })?,
        };
        let label = entity_label(index, Some(kind), Some(&name), line);
        let note = match &metadata["description"] {
            y if is_absent(y) => None,
            y => Some(
                scalar_text(y)
                    .ok_or_else(|| err(label.clone(), "metadata.description must be text"))?,
            ),
        };
        let spec = &doc["spec"];
        if !is_absent(spec) && spec.as_hash().is_none() {
            return Err(err(
                label,
                "spec must be a mapping (with type, lifecycle, owner, dependsOn, ...)",
            ));
        }
        let owner = match &spec["owner"] {
            y if is_absent(y) => None,
            Yaml::String(o) => Some(entity_ref_name(o).to_owned()),
            _ => {
                return Err(err(
                    label,
                    "spec.owner must be text such as group:team-payments",
                ));
            }
        };
        let depends_on = match &spec["dependsOn"] {
            y if is_absent(y) => Vec::new(),
            Yaml::Array(items) => {
                let mut deps = Vec::with_capacity(items.len());
                for (k, item) in items.iter().enumerate() {
                    let Yaml::String(reference) = item else {
                        return Err(err(
                            label,
                            &format!(
                                "spec.dependsOn item {} is not an entity reference: write it like component:payments",
                                k + 1
                            ),
                        ));
                    };
                    let dep = entity_ref_name(reference);
                    if dep.is_empty() {
                        return Err(err(
                            label,
                            &format!(
                                "spec.dependsOn item {} ('{reference}') has no name: write it like component:payments",
                                k + 1
                            ),
                        ));
                    }
                    deps.push(dep.to_owned());
                }
                deps
            }
            _ => {
                return Err(err(
                    label,
                    "spec.dependsOn must be a list of entity references like component:payments",
                ));
            }
        };
        out.add(
            label,
            name,
            owner.as_deref(),
            note.as_deref().and_then(description_note).as_deref(),
            depends_on,
        )?;
    }
    let specs = out.finish();
    if specs.is_empty() {
        let found = if skipped.is_empty() {
            "the file has no entities".to_owned()
        } else {
            format!("found only {}", skipped.join(", "))
        };
        return Err(ImportError::new(
            path,
            format!(
                "no Component or Resource entities found ({found}), so nothing would be imported: add entities with kind: Component or kind: Resource"
            ),
        ));
    }
    Ok(specs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_refs_keep_only_the_name() {
        for (reference, name) in [
            ("payments", "payments"),
            ("component:payments", "payments"),
            ("Component:payments", "payments"),
            ("resource:default/orders-db", "orders-db"),
            ("component:default/cart", "cart"),
            ("default/cart", "cart"),
            ("  component:cart  ", "cart"),
            ("component:", ""),
        ] {
            assert_eq!(entity_ref_name(reference), name, "{reference}");
        }
    }

    #[test]
    fn owners_lose_kind_and_namespace() {
        for (owner, name) in [
            ("group:default/team-payments", "team-payments"),
            ("group:team-payments", "team-payments"),
            ("user:jane.doe", "jane.doe"),
            ("user:default/jane.doe", "jane.doe"),
            ("team-payments", "team-payments"),
            ("jane@example.com", "jane@example.com"),
        ] {
            assert_eq!(entity_ref_name(owner), name, "{owner}");
        }
    }

    #[test]
    fn a_prefix_that_is_not_a_kind_is_kept() {
        // Only a word of letters and digits is a kind.
        assert_eq!(entity_ref_name("db-1:5432"), "db-1:5432");
        assert_eq!(entity_ref_name(":cart"), ":cart");
    }

    #[test]
    fn descriptions_become_one_short_line() {
        assert_eq!(
            description_note("\n  Takes payments.  \nSecond line.").as_deref(),
            Some("Takes payments.")
        );
        assert_eq!(description_note("   \n "), None);
        let long = "x".repeat(500);
        let note = description_note(&long).unwrap();
        assert_eq!(note.chars().count(), MAX_NOTE_CHARS);
        assert!(note.ends_with('…'));
        assert_eq!(
            description_note("bell\u{7}here").as_deref(),
            Some("bell␇here")
        );
    }

    #[test]
    fn documents_are_located_by_line() {
        let text = "kind: A\n---\n# comment\nkind: B\n---\n";
        let docs = YamlLoader::load_from_str(text).unwrap();
        let lines = document_lines(text, docs.len());
        assert_eq!(lines[..2], [Some(1), Some(4)]);
    }
}
