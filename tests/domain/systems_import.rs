//! Importing service maps: the three formats, and what a user is told when
//! a map is wrong.

use incident::systems::SystemSpec;
use incident::systems::import::{self, ImportError};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/systems")
        .join(name)
}

fn spec(name: &str, owner: Option<&str>, note: Option<&str>, deps: &[&str]) -> SystemSpec {
    SystemSpec {
        name: name.into(),
        owner: owner.map(Into::into),
        note: note.map(Into::into),
        depends_on: deps.iter().map(|d| d.to_string()).collect(),
    }
}

/// The error for a fixture, as the user would read it.
fn error_for(name: &str) -> String {
    let path = fixture(name);
    let err: ImportError = import::load(&path).expect_err("the map should be refused");
    assert_eq!(err.path, path);
    let shown = err.to_string();
    assert!(shown.contains(name), "names the file: {shown}");
    shown
}

fn assert_mentions(message: &str, parts: &[&str]) {
    for part in parts {
        assert!(message.contains(part), "expected {part:?} in: {message}");
    }
}

#[test]
fn backstage_catalog_imports_components_and_resources() {
    let specs = import::load(&fixture("catalog-info.yaml")).unwrap();
    assert_eq!(
        specs,
        [
            spec(
                "checkout",
                Some("team-web"),
                Some("Checkout web service: turns a cart into an order."),
                &["payments", "cart", "orders-db"],
            ),
            spec(
                "payments",
                Some("team-payments"),
                Some("Card and wallet payments, via the PSP."),
                &["orders-db", "psp-gateway"],
            ),
            spec("cart", Some("jane.doe"), None, &[]),
            spec(
                "orders-db",
                Some("team-dba"),
                Some("Orders PostgreSQL cluster (primary + 2 replicas)."),
                &[],
            ),
        ]
    );
}

#[test]
fn toml_and_json_maps_read_the_same() {
    let expected = [
        spec(
            "checkout",
            Some("team-web"),
            Some("Turns a cart into an order"),
            &["payments", "cart", "orders-db"],
        ),
        spec(
            "payments",
            Some("team-payments"),
            None,
            &["orders-db", "psp-gateway"],
        ),
        spec("cart", None, None, &[]),
        spec(
            "orders-db",
            Some("team-dba"),
            Some("PostgreSQL, primary + 2 replicas"),
            &[],
        ),
    ];
    assert_eq!(import::load(&fixture("systems.toml")).unwrap(), expected);
    assert_eq!(import::load(&fixture("systems.json")).unwrap(), expected);
}

#[test]
fn yaml_syntax_error_gives_line_and_column() {
    let e = error_for("bad-syntax.yaml");
    // The flow list opened on line 8 is never closed; the parser notices
    // when the next document starts.
    assert_mentions(&e, &["YAML syntax error", "line 9", "column"]);
}

#[test]
fn depends_on_must_be_a_list() {
    let e = error_for("depends-not-list.yaml");
    assert_mentions(
        &e,
        &[
            "entity 3 (Component \"checkout\", line 16)",
            "spec.dependsOn must be a list of entity references like component:payments",
        ],
    );
}

#[test]
fn entity_without_a_name_is_named_by_index_and_kind() {
    let e = error_for("no-name.yaml");
    assert_mentions(&e, &["entity 2 (Resource, line 9)", "metadata.name"]);
}

#[test]
fn bad_dependency_name_is_quoted() {
    let e = error_for("bad-name.yaml");
    assert_mentions(
        &e,
        &[
            "entity 1 (Component \"checkout\"",
            "spec.dependsOn",
            "'order service' is not a valid system name",
        ],
    );
}

#[test]
fn same_name_in_two_namespaces_is_a_duplicate() {
    let e = error_for("duplicate.yaml");
    assert_mentions(
        &e,
        &[
            "entity 2 (Resource \"orders\"",
            "already used by entity 1 (Component \"orders\"",
        ],
    );
}

#[test]
fn a_catalog_with_no_components_imports_nothing() {
    let e = error_for("only-system.yaml");
    assert_mentions(
        &e,
        &["no Component or Resource entities found", "System, Domain"],
    );
}

#[test]
fn unknown_toml_key_is_named_with_its_line() {
    let e = error_for("unknown-key.toml");
    assert_mentions(&e, &["line 7", "team", "[[systems]]"]);
}

#[test]
fn duplicate_toml_entry_is_named() {
    let e = error_for("duplicate.toml");
    assert_mentions(
        &e,
        &[
            "entry 3 (\"checkout\", line 9)",
            "already used by [[systems]] entry 1 (\"checkout\", line 2)",
        ],
    );
}

#[test]
fn an_empty_toml_map_imports_nothing() {
    let e = error_for("empty.toml");
    assert_mentions(&e, &["no [[systems]] entries"]);
}

#[test]
fn json_wrong_type_gives_line_and_column() {
    let e = error_for("wrong-type.json");
    assert_mentions(
        &e,
        &["line 4", "column", "invalid type", "expected a sequence"],
    );
}

#[test]
fn bad_names_in_toml_and_json_are_refused() {
    let p = Path::new("/maps/systems.toml");
    let e = import::parse_toml(p, "[[systems]]\nname = \"check out\"\n")
        .unwrap_err()
        .to_string();
    assert_mentions(
        &e,
        &[
            "/maps/systems.toml",
            "entry 1",
            "'check out' is not a valid system name",
        ],
    );
    let p = Path::new("/maps/systems.json");
    let e = import::parse_json(
        p,
        r#"{"systems": [{"name": "checkout", "depends_on": ["pay\u001b[2Jments"]}]}"#,
    )
    .unwrap_err()
    .to_string();
    assert_mentions(
        &e,
        &["/maps/systems.json", "entry 1 (\"checkout\")", "depends_on"],
    );
    assert!(
        !e.contains('\u{1b}'),
        "escape sequences are not echoed: {e}"
    );
}

#[test]
fn positional_lists_are_not_read_as_systems() {
    // serde would read a struct from a list by position; a map must not.
    let e = import::parse_toml(
        Path::new("s.toml"),
        "systems = [[\"checkout\", \"team-web\"]]",
    )
    .unwrap_err()
    .to_string();
    assert_mentions(&e, &["line 1", "expected a [[systems]] table"]);
    let e = import::parse_json(Path::new("s.json"), r#"[{"name": "checkout"}]"#)
        .unwrap_err()
        .to_string();
    assert_mentions(&e, &["line 1, column 1", "expected an object"]);
    let e = import::parse_json(Path::new("s.json"), r#"{"systems": [["checkout"]]}"#)
        .unwrap_err()
        .to_string();
    assert_mentions(&e, &["column 13", "expected an object with \"name\""]);
}

#[test]
fn text_fields_lose_control_characters() {
    let p = Path::new("systems.toml");
    let specs = import::parse_toml(
        p,
        "[[systems]]\nname = \"checkout\"\nowner = \"team\\u001b[31mweb\"\nnote = \"line one\\nline two\"\n",
    )
    .unwrap();
    assert_eq!(specs[0].owner.as_deref(), Some("team␛[31mweb"));
    assert_eq!(specs[0].note.as_deref(), Some("line one␤line two"));
}

#[test]
fn missing_file_and_unknown_extension() {
    let e = import::load(Path::new("/nonexistent/systems.toml"))
        .unwrap_err()
        .to_string();
    assert_mentions(&e, &["/nonexistent/systems.toml", "no such file"]);

    let dir = tempfile::tempdir().unwrap();
    // No extension: the content decides.
    let json = dir.path().join("map");
    std::fs::write(&json, std::fs::read(fixture("systems.json")).unwrap()).unwrap();
    assert_eq!(import::load(&json).unwrap().len(), 4);
    let toml = dir.path().join("map.txt");
    std::fs::write(&toml, std::fs::read(fixture("systems.toml")).unwrap()).unwrap();
    assert_eq!(import::load(&toml).unwrap().len(), 4);
    let yaml = dir.path().join("catalog");
    std::fs::write(&yaml, std::fs::read(fixture("catalog-info.yaml")).unwrap()).unwrap();
    assert_eq!(import::load(&yaml).unwrap().len(), 4);

    let junk = dir.path().join("notes.txt");
    std::fs::write(&junk, "checkout depends on payments\n").unwrap();
    let e = import::load(&junk).unwrap_err().to_string();
    assert_mentions(&e, &["notes.txt", ".toml", ".json", "catalog-info.yaml"]);
}

#[test]
fn default_map_prefers_toml_then_json_then_catalog() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert_eq!(import::default_map(d), None);
    std::fs::write(d.join("catalog-info.yaml"), "").unwrap();
    assert_eq!(import::default_map(d), Some(d.join("catalog-info.yaml")));
    std::fs::write(d.join("systems.json"), "").unwrap();
    assert_eq!(import::default_map(d), Some(d.join("systems.json")));
    std::fs::write(d.join("systems.toml"), "").unwrap();
    assert_eq!(import::default_map(d), Some(d.join("systems.toml")));
    // A directory of that name is not a map.
    std::fs::remove_file(d.join("systems.toml")).unwrap();
    std::fs::create_dir(d.join("systems.toml")).unwrap();
    assert_eq!(import::default_map(d), Some(d.join("systems.json")));
}
