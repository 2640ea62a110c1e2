//! The shared jump box, for real: two OS users in one group work on a
//! group-shared directory; a user outside the group cannot read it.
//! Runs when the tests run as root (CI does); otherwise it says so and
//! passes without checking.

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_incident");

fn root() -> bool {
    nix::unistd::geteuid().is_root() && Path::new("/usr/sbin/useradd").exists()
}

fn sh(cmd: &str, args: &[&str]) -> Output {
    Command::new(cmd).args(args).output().unwrap()
}

/// Users and a group created for one test, removed afterwards.
struct Accounts {
    users: Vec<String>,
    group: String,
}

impl Drop for Accounts {
    fn drop(&mut self) {
        for u in &self.users {
            let _ = sh("userdel", &[u]);
        }
        let _ = sh("groupdel", &[&self.group]);
    }
}

fn as_user(user: &str, dir: &Path, args: &[&str]) -> Output {
    Command::new("runuser")
        .args(["-u", user, "--", BIN, "--dir", dir.to_str().unwrap()])
        .args(args)
        .env_remove("INCIDENT_DIR")
        .output()
        .unwrap()
}

#[test]
fn two_users_in_one_group_share_an_incident_and_outsiders_cannot_read_it() {
    if !root() {
        eprintln!("skipped: needs root to create users");
        return;
    }
    let tag = std::process::id() % 100_000;
    let group = format!("inct{tag}");
    let (a, b, c) = (
        format!("inca{tag}"),
        format!("incb{tag}"),
        format!("incc{tag}"),
    );
    assert!(sh("groupadd", &[&group]).status.success());
    let accounts = Accounts {
        users: vec![a.clone(), b.clone(), c.clone()],
        group: group.clone(),
    };
    for (u, in_group) in [(&a, true), (&b, true), (&c, false)] {
        let mut args = vec!["-M", "-N", "-s", "/bin/sh"];
        if in_group {
            args.extend(["-G", &group]);
        }
        args.push(u);
        assert!(sh("useradd", &args).status.success(), "useradd {u}");
    }

    // A base everyone may enter, and the group's directory inside it.
    let base = Path::new("/tmp").join(format!("incident-shared-{tag}"));
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).unwrap();
    std::fs::set_permissions(&base, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let dir = base.join("incidents");
    std::fs::create_dir(&dir).unwrap();
    assert!(
        sh("chgrp", &[&group, dir.to_str().unwrap()])
            .status
            .success()
    );
    std::fs::set_permissions(&dir, std::os::unix::fs::PermissionsExt::from_mode(0o2770)).unwrap();

    let o = as_user(&a, &dir, &["declare", "--title", "Shared", "--no-open"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let id = String::from_utf8_lossy(&o.stdout).trim().to_string();
    let o = as_user(&b, &dir, &["log", "-i", &id, "bob was here"]);
    assert!(
        o.status.success(),
        "a group member appends: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = as_user(&a, &dir, &["show", "--json", "-i", &id]);
    let shown: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let authors: Vec<&str> = shown["log"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["by"].as_str().unwrap())
        .collect();
    assert!(
        authors.contains(&a.as_str()) && authors.contains(&b.as_str()),
        "identity from the OS account: {authors:?}"
    );

    // The file belongs to the group, mode 0660.
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(dir.join(format!("{id}.jsonl"))).unwrap();
    assert_eq!(meta.mode() & 0o777, 0o660);
    let gid = nix::unistd::Group::from_name(&group)
        .unwrap()
        .unwrap()
        .gid
        .as_raw();
    assert_eq!(meta.gid(), gid, "setgid directory: the group owns the file");

    // The checkpoint b's write left is the group's too, so a can use it.
    let note = dir.join(format!(".{id}.checkpoint"));
    let meta = std::fs::symlink_metadata(&note).unwrap();
    assert_eq!((meta.mode() & 0o777, meta.gid()), (0o660, gid));
    let o = as_user(&a, &dir, &["log", "-i", &id, "alice again"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    // A group member plants links where a will write: at the checkpoint,
    // and at an incident's path. Neither is followed.
    let victim = base.join("alice-notes");
    std::fs::write(&victim, "alice's own file\n").unwrap();
    assert!(
        sh("chown", &[&a, victim.to_str().unwrap()])
            .status
            .success()
    );
    let plant = |link: &Path| {
        let o = sh(
            "runuser",
            &[
                "-u",
                &b,
                "--",
                "sh",
                "-c",
                &format!(
                    "rm -f '{}' && ln -s '{}' '{}'",
                    link.display(),
                    victim.display(),
                    link.display()
                ),
            ],
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    plant(&note);
    let o = as_user(&a, &dir, &["log", "-i", &id, "through the link?"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    plant(&dir.join("INC-99.jsonl"));
    let o = as_user(&a, &dir, &["log", "-i", "INC-99", "into alice's file?"]);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("symbolic link"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap(),
        "alice's own file\n",
        "a planted link was written through"
    );

    // Someone outside the group can do nothing with it.
    let o = as_user(&c, &dir, &["show", "-i", &id]);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("ermission denied"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );

    drop(accounts);
    let _ = std::fs::remove_dir_all(&base);
}
