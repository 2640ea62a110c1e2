//! The incident domain: plain types, no I/O.
//!
//! An [`Incident`] is never edited directly: it is the result of applying
//! operations in order (see [`crate::ops`]).

mod enums;
mod identity;

pub use enums::{LogKind, ParseError, Role, Severity, Status};
pub use identity::Actor;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One entry of the append-only action log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    /// Position in the log, starting at 1; stable forever because the log is
    /// append-only.
    pub seq: u64,
    pub at: DateTime<Utc>,
    /// The user name of the author.
    pub by: String,
    pub kind: LogKind,
    pub text: String,
}

/// The current holder of a role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleHolder {
    pub user: String,
    pub since: DateTime<Utc>,
}

/// The state of one incident, as of some revision of its file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Incident {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub status: Status,
    pub declared_at: DateTime<Utc>,
    pub declared_by: String,
    /// Roles currently held. A role absent from the map is empty.
    pub roles: BTreeMap<Role, RoleHolder>,
    pub log: Vec<LogEntry>,
    /// Number of operations applied; strictly increases with every append.
    pub revision: u64,
    /// Time of the last applied operation.
    pub updated_at: DateTime<Utc>,
}

impl Incident {
    /// A freshly declared incident, before any operation beyond the declaration.
    pub fn declared(
        id: &str,
        title: &str,
        severity: Severity,
        at: DateTime<Utc>,
        by: &str,
    ) -> Self {
        Incident {
            id: id.to_string(),
            title: title.to_string(),
            severity,
            status: Status::Investigating,
            declared_at: at,
            declared_by: by.to_string(),
            roles: BTreeMap::new(),
            log: Vec::new(),
            revision: 0,
            updated_at: at,
        }
    }

    pub fn is_active(&self) -> bool {
        self.status != Status::Resolved
    }

    pub fn holder(&self, role: Role) -> Option<&str> {
        self.roles.get(&role).map(|h| h.user.as_str())
    }

    pub fn commander(&self) -> Option<&str> {
        self.holder(Role::Commander)
    }
}
