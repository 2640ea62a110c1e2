//! What the Debian package ships, checked from the repository: shell
//! completions that shells load and that complete ids and roles, manual
//! pages for every subcommand, and packaged files that say what the README
//! says.

use crate::common::*;
use clap::CommandFactory;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn repo_file(path: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

fn completions(shell: &str) -> String {
    ok(
        Path::new("/nonexistent-incident-dir"),
        &["completions", shell],
    )
}

/// Press Tab in bash after `line` (the word being completed is its last,
/// possibly empty): the registration script is sourced as the package's
/// bash-completion file is, and calls the `incident` on the PATH.
fn bash_tab(line: &[&str], incident_dir: Option<&Path>) -> Vec<String> {
    let bin_dir = Path::new(BIN).parent().unwrap();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap());
    let words: Vec<String> = line.iter().map(|w| format!("'{w}'")).collect();
    let script = format!(
        "source <(incident completions bash)\n\
         COMP_WORDS=({words})\n\
         COMP_CWORD={cword}\n\
         COMP_TYPE=9\n\
         _clap_complete_incident incident '{cur}' '{prev}'\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        words = words.join(" "),
        cword = line.len() - 1,
        cur = line[line.len() - 1],
        prev = line[line.len() - 2],
    );
    let mut c = Command::new("bash");
    c.arg("--norc")
        .arg("-c")
        .arg(&script)
        .env("PATH", path)
        .env_remove("INCIDENT_DIR")
        .stdin(Stdio::null());
    if let Some(d) = incident_dir {
        c.env("INCIDENT_DIR", d);
    }
    let o = c.output().expect("bash runs");
    assert!(o.status.success(), "bash: {}", stderr(&o));
    stdout(&o).lines().map(str::to_string).collect()
}

#[test]
fn the_bash_completions_are_a_script_bash_accepts() {
    let script = completions("bash");
    assert!(
        script.contains("complete -o nospace") && script.contains(" incident\n"),
        "{script}"
    );
    let mut bash = Command::new("bash")
        .arg("-n")
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bash runs");
    use std::io::Write;
    bash.stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let o = bash.wait_with_output().unwrap();
    assert!(o.status.success(), "bash -n: {}", stderr(&o));
}

#[test]
fn zsh_and_fish_get_their_own_scripts_and_other_shells_are_refused() {
    let zsh = completions("zsh");
    assert!(zsh.starts_with("#compdef incident\n"), "{zsh}");
    let fish = completions("fish");
    assert!(
        fish.starts_with("complete --keep-order --exclusive --command incident"),
        "{fish}"
    );
    let err = fails(Path::new("/tmp"), &["completions", "tcsh"], 2);
    assert!(
        err.contains("tcsh") && err.contains("bash, zsh, fish"),
        "{err}"
    );
}

#[test]
fn tab_completes_the_incident_ids_in_the_directory_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    declare(dir.path(), "Checkout errors");
    declare(dir.path(), "Database down");
    let got = bash_tab(&["incident", "open", "INC"], Some(dir.path()));
    assert_eq!(got, ["INC-2", "INC-1"]);
    let got = bash_tab(&["incident", "log", "-i", "INC-"], Some(dir.path()));
    assert_eq!(got, ["INC-2", "INC-1"]);
    // The directory named on the line wins over INCIDENT_DIR.
    let d = dir.path().to_str().unwrap();
    let got = bash_tab(
        &["incident", "--dir", d, "merge", "INC-2", "--into", "I"],
        None,
    );
    assert_eq!(got, ["INC-2", "INC-1"]);
    let empty = tempfile::tempdir().unwrap();
    let got = bash_tab(&["incident", "open", "INC"], Some(empty.path()));
    assert!(got.iter().all(|w| w.is_empty()), "{got:?}");
}

#[test]
fn tab_completes_role_names_and_subcommands() {
    let got = bash_tab(&["incident", "role", "claim", "c"], None);
    assert_eq!(got, ["commander", "communications"]);
    let got = bash_tab(&["incident", "role", "hand"], None);
    assert_eq!(got, ["handover"]);
    let got = bash_tab(&["incident", "status", "m"], None);
    assert_eq!(got, ["mitigated"]);
}

#[test]
fn fish_shows_each_incident_s_title_beside_its_id() {
    let dir = tempfile::tempdir().unwrap();
    declare(dir.path(), "Checkout errors");
    let o = Command::new(BIN)
        .args(["--", "incident", "open", "INC"])
        .env("COMPLETE", "fish")
        .env("INCIDENT_DIR", dir.path())
        .output()
        .unwrap();
    assert_eq!(stdout(&o), "INC-1\tCheckout errors (investigating)\n");
}

fn page_names(cmd: &clap::Command, prefix: &str, out: &mut Vec<String>) {
    let name = format!("{prefix}{}", cmd.get_name());
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        if sub.get_name() != "help" {
            page_names(sub, &format!("{name}-"), out);
        }
    }
    out.push(format!("{name}.1"));
}

#[test]
fn man_writes_a_page_for_incident_and_each_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man");
    let o = Command::new(BIN)
        .args(["man", "--out"])
        .arg(&out)
        .env("INCIDENT_DIR", "/nonexistent-incident-dir")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let mut written: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    written.sort();
    let mut expected = Vec::new();
    page_names(&incident::cli::Cli::command(), "", &mut expected);
    expected.sort();
    assert_eq!(written, expected);
    assert!(written.len() > 40, "{written:?}");
    assert!(stderr(&o).contains(&format!("wrote {} manual pages", written.len())));

    let main: PathBuf = out.join("incident.1");
    let main = std::fs::read_to_string(main).unwrap();
    assert!(main.contains(".TH incident 1 "), "{main}");
    assert!(main.contains("incident\\-declare(1)"), "{main}");
    assert!(
        !main.contains("incident\\-man(1)"),
        "the hidden man command has no page"
    );
    let claim = std::fs::read_to_string(out.join("incident-role-claim.1")).unwrap();
    assert!(claim.contains("Take an empty role yourself"), "{claim}");
    let source = format!("\"incident {}\"", env!("CARGO_PKG_VERSION"));
    assert!(claim.contains(&source), "{claim}");
}

#[test]
fn man_into_a_place_it_cannot_write_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let out = file.join("man");
    let err = fails(dir.path(), &["man", "--out", out.to_str().unwrap()], 1);
    assert!(
        err.contains("cannot write the manual pages into") && err.contains("a-file"),
        "{err}"
    );
}

/// The body of the fenced block in `md` whose first line is `first`.
fn block_starting(md: &str, first: &str) -> String {
    let start = md
        .find(&format!("\n{first}\n"))
        .expect("the block is in the README")
        + 1;
    let end = md[start..].find("\n```").unwrap() + start;
    format!("{}\n", &md[start..end])
}

#[test]
fn the_packaged_service_and_login_files_are_the_ones_the_readme_shows() {
    let readme = repo_file("README.md");
    let unit = repo_file("src/deb/incident-listen.service");
    let first = unit.lines().next().unwrap();
    assert_eq!(block_starting(&readme, first), unit);
    for name in ["incident.sh", "zz-incident-active.sh"] {
        let shipped = repo_file(&format!("src/deb/profile.d/{name}"));
        let line = format!(
            "echo '{}' | sudo tee /etc/profile.d/{name}",
            shipped.trim_end()
        );
        assert!(readme.contains(&line), "the README should say: {line}");
    }
}

/// The listener faces the internet: its unit may write only the incident
/// directory, creates nothing world-readable, opens only the sockets it
/// uses, and `systemd-analyze security` rates it 3.0 or lower (9.2 before).
#[test]
fn the_packaged_service_is_hardened() {
    let unit = repo_file("src/deb/incident-listen.service");
    for line in [
        "UMask=0007",
        "ProtectSystem=strict",
        "ReadWritePaths=/srv/incidents",
        "ProtectHome=yes",
        "PrivateTmp=yes",
        "NoNewPrivileges=yes",
        "CapabilityBoundingSet=",
        "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
        "SystemCallFilter=@system-service",
        "LimitNOFILE=4096",
    ] {
        assert!(unit.lines().any(|l| l == line), "the unit wants {line}");
    }
    let analyze = Command::new("systemd-analyze")
        .args(["security", "--offline=true"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/deb/incident-listen.service"))
        .output();
    let Ok(o) = analyze else {
        eprintln!("no systemd-analyze here: the exposure was not measured");
        return;
    };
    let out = String::from_utf8_lossy(&o.stdout);
    let exposure: f64 = out
        .lines()
        .find_map(|l| l.split("Overall exposure level for").nth(1))
        .and_then(|rest| rest.split(':').nth(1))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            panic!(
                "no exposure in: {out}{}",
                String::from_utf8_lossy(&o.stderr)
            )
        });
    assert!(exposure <= 3.0, "exposure {exposure}: {out}");
}

#[test]
fn the_example_team_settings_work_as_shipped_and_once_uncommented() {
    let example = repo_file("src/deb/incident.toml");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("incident.toml"), &example).unwrap();
    let id = declare(dir.path(), "As shipped");
    assert_eq!(
        show_json(dir.path(), &id)["extra_roles"],
        serde_json::json!([])
    );

    let uncommented: String = example
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(setting) if setting.contains(" = ") || setting == "[human]" => setting,
            _ => l,
        })
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(uncommented.contains("\nteam_break = 15"), "{uncommented}");
    let team = incident::config::Team::parse(Path::new("incident.toml"), &uncommented)
        .unwrap_or_else(|e| panic!("{e}"));
    let defaults = incident::config::Team::default();
    assert_eq!(
        team.roles,
        [
            incident::model::Role::Scribe,
            incident::model::Role::OpsLead
        ]
    );
    assert_eq!(
        incident::config::Team {
            roles: vec![],
            ..team
        },
        defaults,
        "every other value shown is the default"
    );
    std::fs::write(dir.path().join("incident.toml"), &uncommented).unwrap();
    let id = declare(dir.path(), "Uncommented");
    assert_eq!(
        show_json(dir.path(), &id)["extra_roles"],
        serde_json::json!(["scribe", "ops_lead"])
    );
}
