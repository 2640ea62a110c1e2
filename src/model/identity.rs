use serde::{Deserialize, Serialize};

/// Who performed an operation: the OS user, plus where they were, for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The OS user name of the process (from the uid, not the environment).
    pub user: String,
    /// The machine the operation was made on.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub host: String,
    /// The terminal or SSH client the person came from. Display only: it is
    /// taken from the environment and can be spoofed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    /// Under sudo, the user who invoked it (display only, as `via`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sudo_user: Option<String>,
    /// A display name (`--name`), for several people sharing one account.
    /// Recorded beside the real account, which stays in `user`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// The name the tool signs what it writes by itself with (a live view's
/// reminder that a role is still empty, the pager listener's pages): it
/// is never a person, so it holds no role and is not counted as one.
pub const TOOL: &str = "incident";

/// Whether `who` is the tool itself rather than a person.
pub fn is_tool(who: &str) -> bool {
    who == TOOL
}

impl Actor {
    /// What a live view of `viewer` writes by itself: signed by the tool
    /// (`incident`), with the account, host and terminal of the view that
    /// wrote it kept in the record for the audit.
    pub fn tool_for(viewer: &Actor) -> Self {
        Actor {
            name: Some(TOOL.to_string()),
            ..viewer.clone()
        }
    }

    pub fn named(user: &str) -> Self {
        Actor {
            user: user.to_string(),
            host: String::new(),
            via: None,
            sudo_user: None,
            name: None,
        }
    }

    /// The name this person acts under: the display name if one was
    /// given, else the account. Roles and log entries use this.
    pub fn who(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.user)
    }

    /// "bob", or "bob (account ops)" when a display name differs.
    pub fn describe(&self) -> String {
        match &self.name {
            Some(n) if *n != self.user => format!("{n} (account {})", self.user),
            _ => self.user.clone(),
        }
    }
}
