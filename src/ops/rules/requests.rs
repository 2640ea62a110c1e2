//! Requests for go: announcing what you are about to do, the commander answering, and what was run.

use super::*;

pub(super) fn check(inc: &Incident, rec: &Record, who: &str) -> Result<(), Refusal> {
    match &rec.op {
        Op::Announce { text, mitigation } => {
            if let Some(id) = mitigation {
                mitigation_of(inc, *id)?;
            }
            check_text("announcement", text)
        }
        Op::Answer {
            request, reason, ..
        } => {
            let Some(req) = inc.request(*request) else {
                return Err(Refusal::NoSuchRequest { id: *request });
            };
            if req.state != RequestState::Pending {
                return Err(Refusal::AlreadyAnswered {
                    id: *request,
                    state: state_name(req.state),
                });
            }
            match inc.commander() {
                None => return Err(Refusal::NoCommanderToAnswer { id: *request }),
                Some(c) if c != who => {
                    return Err(Refusal::NotCommander {
                        action: "answer requests",
                        commander: c.to_string(),
                    });
                }
                Some(_) => {}
            }
            match reason {
                Some(r) => check_text("reason", r),
                None => Ok(()),
            }
        }
        Op::Ran { evidence, request } => {
            check_text("command", &evidence.command)?;
            if let Some(id) = request
                && inc.request(*id).is_none()
            {
                return Err(Refusal::NoSuchRequest { id: *id });
            }
            Ok(())
        }
        other => Err(Refusal::Misrouted { op: other.name() }),
    }
}

/// Whether a command run (`incident run`) asks the commander for go first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clear {
    /// `--clear`: always ask and wait, even while nobody commands yet.
    Always,
    /// `--no-clear`: never ask; the run is recorded as without go.
    Never,
    /// Neither: ask while someone commands, unless the team's
    /// `run_needs_go = false` says not to.
    Default,
}

/// Does this run need a go: asked for (`--clear`), waived (`--no-clear`),
/// or else while someone commands `inc` and the team's `run_needs_go`
/// (`team_says`, read only for [`Clear::Default`]) holds. With nobody in
/// command there is nobody to give it.
pub fn run_needs_go(inc: &Incident, clear: Clear, team_says: bool) -> bool {
    match clear {
        Clear::Always => true,
        Clear::Never => false,
        Clear::Default => team_says && inc.commander().is_some(),
    }
}
