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
    let user = nix::unistd::User::from_uid(uid)
        .ok()
        .flatten()
        .map(|u| u.name)
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
