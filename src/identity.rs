//! Who is running this process, from the operating system.

use crate::model::Actor;

/// The current user. The name comes from the real uid via the password
/// database; environment variables only add display details.
pub fn current() -> Actor {
    current_as(None)
}

/// The current user acting under a display name (`--name` or
/// `INCIDENT_NAME`), recorded beside the real account.
pub fn current_as(name: Option<&str>) -> Actor {
    let uid = nix::unistd::getuid();
    let user = local_account(uid.as_raw())
        .or_else(|| {
            nix::unistd::User::from_uid(uid)
                .ok()
                .flatten()
                .map(|u| u.name)
        })
        .unwrap_or_else(|| format!("uid{}", uid.as_raw()));
    let host = nix::unistd::gethostname()
        .ok()
        .and_then(|h| h.into_string().ok())
        .unwrap_or_default();
    let tty = nix::unistd::ttyname(std::io::stdin())
        .ok()
        .map(|p| p.display().to_string());
    let ssh = std::env::var("SSH_CLIENT")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(|ip| format!("ssh {ip}")));
    let via = match (ssh, tty) {
        (Some(s), Some(t)) => Some(format!("{s} {t}")),
        (Some(s), None) => Some(s),
        (None, Some(t)) => Some(t),
        (None, None) => None,
    };
    let sudo_user = std::env::var("SUDO_USER").ok().filter(|s| *s != user);
    Actor {
        user: crate::sanitize::line(&user).into_owned(),
        host: crate::sanitize::line(&host).into_owned(),
        via: via.map(|v| crate::sanitize::line(&v).into_owned()),
        sudo_user: sudo_user.map(|v| crate::sanitize::line(&v).into_owned()),
        name: name.map(str::to_string),
    }
}

/// The account of `uid` in /etc/passwd, the first source of the password
/// database on practically every system. Reading it directly takes a few
/// microseconds; the C library's lookup first sets up its whole name
/// service (about 0.1 ms, most of a one-shot `incident log`'s own work).
/// Accounts from a directory (LDAP, SSSD) are not in the file and are
/// looked up the usual way.
fn local_account(uid: u32) -> Option<String> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    account_in(&passwd, uid)
}

fn account_in(passwd: &str, uid: u32) -> Option<String> {
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        let _password = fields.next()?;
        let id: u32 = fields.next()?.parse().ok()?;
        (id == uid && !name.is_empty() && !name.starts_with(['+', '-', '#']))
            .then(|| name.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_account_and_skips_compat_and_broken_lines() {
        let passwd = "# comment\n+:::::: \nroot:x:0:0:root:/root:/bin/bash\nbroken line\n\
                      :x:1000:1000::/:/bin/sh\nalice:x:1000:1000:Alice:/home/alice:/bin/bash\n";
        assert_eq!(account_in(passwd, 0).as_deref(), Some("root"));
        assert_eq!(account_in(passwd, 1000).as_deref(), Some("alice"));
        assert_eq!(account_in(passwd, 1001), None);
    }

    #[test]
    fn agrees_with_the_password_database_for_this_process() {
        let uid = nix::unistd::getuid();
        let from_libc = nix::unistd::User::from_uid(uid).unwrap().map(|u| u.name);
        if let Some(local) = local_account(uid.as_raw()) {
            assert_eq!(Some(local), from_libc);
        }
    }
}
