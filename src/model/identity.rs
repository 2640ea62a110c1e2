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

/// How what an assistant writes for a person (`incident mcp`) is signed:
/// "assistant (for carol)". A person's name (`--name`, an account) cannot
/// take this form (no spaces or brackets), so nobody passes for one, and
/// no assistant passes for the person it acts for.
pub fn assistant_for(person: &str) -> String {
    format!("{ASSISTANT} (for {person})")
}

/// The word every assistant's signature starts with.
pub const ASSISTANT: &str = "assistant";

/// Whether `who` is an assistant acting for a person.
pub fn is_assistant(who: &str) -> bool {
    who.strip_prefix(ASSISTANT)
        .and_then(|rest| rest.strip_prefix(" (for "))
        .is_some_and(|rest| rest.len() > 1 && rest.ends_with(')'))
}

/// A name for a narrow column (the live view's log): an assistant's
/// "assistant (for carol)" becomes "AI:carol", so the mark survives the cut.
pub fn short_name(who: &str) -> std::borrow::Cow<'_, str> {
    match who
        .strip_prefix(ASSISTANT)
        .and_then(|r| r.strip_prefix(" (for "))
        .and_then(|r| r.strip_suffix(')'))
    {
        Some(person) if is_assistant(who) => format!("AI:{person}").into(),
        _ => who.into(),
    }
}

impl Actor {
    /// An assistant acting for `person` (`incident mcp`): signed
    /// "assistant (for carol)" on every entry, with the person's account,
    /// host and terminal kept in the record for the audit.
    pub fn assistant_for(person: &Actor) -> Self {
        Actor {
            name: Some(assistant_for(person.who())),
            ..person.clone()
        }
    }

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
            // "assistant (for carol)" names the account already.
            Some(n) if is_assistant(n) => n.clone(),
            Some(n) if *n != self.user => format!("{n} (account {})", self.user),
            _ => self.user.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_assistant_is_signed_for_its_person_and_no_person_passes_for_one() {
        let carol = Actor::named("carol");
        let a = Actor::assistant_for(&carol);
        assert_eq!(a.who(), "assistant (for carol)");
        assert_eq!(a.describe(), "assistant (for carol)");
        assert_eq!(a.user, "carol");
        assert!(is_assistant(a.who()));
        // A person (even one whose account is "assistant") is not one.
        assert!(!is_assistant("carol"));
        assert!(!is_assistant("assistant"));
        assert!(!is_assistant("assistant (for )"));
        assert!(crate::ops::check_user(a.who()).is_err());
        assert_eq!(short_name(a.who()), "AI:carol");
        assert_eq!(short_name("carol"), "carol");
    }
}
