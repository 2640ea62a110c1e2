//! The store: one JSON Lines file per incident, `<dir>/<id>.jsonl`.
//!
//! Line 1 is a [`Header`]; every following line is one [`crate::ops::Record`].
//! The state is the result of applying the records in order.

pub mod checkpoint;
pub mod doctor;
mod error;
pub mod freeze;
pub mod fs;
mod incident_file;
pub mod index;
pub mod maintenance;
pub mod medium;
pub mod presence;
pub mod timeline;
pub mod watch;
pub mod workflow;

pub use error::StoreError;
pub use incident_file::{Header, IncidentFile, SCHEMA, append_unloaded};

use crate::model::{Actor, Incident, Severity};
use crate::ops::{self, Op, Record};
use chrono::Utc;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The lock file of [`Store::intake_lock`], beside the incidents.
pub const INTAKE_LOCK: &str = ".intake.lock";

/// A directory of incidents.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
    /// How a command-line call without `-i` picks its incident.
    default: Option<std::sync::Arc<Defaulting>>,
}

/// What a command-line call knows for choosing the incident it means
/// when `-i` is left out (see [`Store::choose`]).
#[derive(Debug)]
pub struct Defaulting {
    /// `INCIDENT_ID` from the environment.
    pub env_id: Option<String>,
    /// Who is calling: their own live view names the incident.
    pub me: Actor,
    /// Named on standard error once, not on every lookup.
    named: std::sync::atomic::AtomicBool,
}

impl Defaulting {
    pub fn new(env_id: Option<String>, me: Actor) -> Self {
        Defaulting {
            env_id: env_id.filter(|s| !s.trim().is_empty()),
            me,
            named: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// Name the choice on standard error, once per process.
    fn name(&self, line: &str) {
        if !self.named.swap(true, std::sync::atomic::Ordering::SeqCst) {
            eprintln!("{line}");
        }
    }
}

/// How a new incident starts, beyond its title and severity.
#[derive(Debug, Default)]
pub struct Intro {
    /// `templates/NAME.toml` in the incident directory; else the team's
    /// default template.
    pub template: Option<String>,
    /// A service map to load; else the team's own beside the incidents.
    pub systems: Option<PathBuf>,
    /// A broken team service map is left out rather than refused: a page
    /// must always get its incident. A map that was named is never skipped.
    pub skip_broken_map: bool,
    /// More operations for the first write, after the template and map.
    pub then: Vec<Op>,
}

/// One entry of a directory listing: an incident, or why it could not be read.
pub enum Listed {
    Ok(Box<Incident>),
    Broken { path: PathBuf, error: StoreError },
}

impl Store {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Store {
            dir: dir.into(),
            default: None,
        }
    }

    /// This store, choosing the incident a call without `-i` means the
    /// command-line way: `INCIDENT_ID`, then the caller's own live view,
    /// then the only active incident; the choice is named on stderr.
    pub fn defaulting(mut self, how: Defaulting) -> Self {
        self.default = Some(std::sync::Arc::new(how));
        self
    }

    /// `--dir`, else `INCIDENT_DIR`, else the user's data directory.
    pub fn default_dir() -> PathBuf {
        if let Some(d) = std::env::var_os("INCIDENT_DIR").filter(|d| !d.is_empty()) {
            return PathBuf::from(d);
        }
        dirs::data_dir()
            .unwrap_or_else(|| PathBuf::from("."))
            .join("incident")
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn path_of(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.jsonl"))
    }

    /// Declare a new incident with the team's template and service map.
    pub fn declare(
        &self,
        actor: &Actor,
        title: &str,
        severity: Severity,
    ) -> Result<IncidentFile, StoreError> {
        self.declare_as(actor, title, severity, Intro::default())
    }

    /// Declare a new incident: the one way every incident starts (the
    /// command line, the live view's form, a page). Its first write holds
    /// the document template, the service map (given, or the team's own
    /// beside the incidents), then `intro.then`. The file is written
    /// completely under a temporary name and linked into place without
    /// replacing anything, so no reader ever sees half a header, and two
    /// people declaring at once get two different ids.
    pub fn declare_as(
        &self,
        actor: &Actor,
        title: &str,
        severity: Severity,
        intro: Intro,
    ) -> Result<IncidentFile, StoreError> {
        let (name, sections) = crate::template::load(&self.dir, intro.template.as_deref())
            .map_err(|e| StoreError::Template(e.to_string()))?;
        let mut first = vec![Op::ApplyTemplate { name, sections }];
        let explicit = intro.systems.is_some();
        if let Some(path) = intro
            .systems
            .or_else(|| crate::systems::import::default_map(&self.dir))
        {
            match crate::systems::import::load(&path) {
                Ok(systems) => first.push(Op::ImportSystems {
                    source: path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    systems,
                }),
                Err(_) if !explicit && intro.skip_broken_map => {}
                Err(e) => return Err(StoreError::Map(e.to_string())),
            }
        }
        first.extend(intro.then);
        self.declare_with(actor, title, severity, first)
    }

    /// Declare with these operations in the very first write: they are
    /// checked first and land together or not at all.
    fn declare_with(
        &self,
        actor: &Actor,
        title: &str,
        severity: Severity,
        extra: Vec<Op>,
    ) -> Result<IncidentFile, StoreError> {
        ops::check_title(title)?;
        let team = crate::config::Team::load(&self.dir).map_err(StoreError::Config)?;
        fs::ensure_dir(&self.dir)?;
        let at = Utc::now();
        for _ in 0..1000 {
            let id = format!("INC-{}", self.next_number()?);
            let header = Header {
                schema: SCHEMA,
                id: id.clone(),
                created_at: at,
                created_by: actor.clone(),
            };
            let rec = Record {
                at,
                by: actor.clone(),
                op: Op::Declare {
                    title: title.to_string(),
                    severity,
                    roles: team.roles.clone(),
                },
            };
            // Judge every extra operation against the state it will meet.
            let mut state = ops::genesis(&id, &rec)?;
            let mut records = vec![rec];
            let mut extra = extra.clone();
            if team.human != crate::model::HumanSettings::default() {
                extra.insert(
                    0,
                    Op::SetHumanSettings {
                        settings: team.human.clone(),
                    },
                );
            }
            for op in &extra {
                let r = Record {
                    at,
                    by: actor.clone(),
                    op: op.clone().normalized(),
                };
                ops::apply(&mut state, &r)?;
                records.push(r);
            }
            let mut bytes =
                serde_json::to_vec(&header).map_err(|e| StoreError::io(&self.dir, e.into()))?;
            bytes.push(b'\n');
            for r in &records {
                let line =
                    serde_json::to_vec(r).map_err(|e| StoreError::io(&self.dir, e.into()))?;
                // Never write a line this program could not read back the same.
                if serde_json::from_slice::<Record>(&line).ok().as_ref() != Some(r) {
                    let e = std::io::Error::other(
                        "an operation does not read back the same (a bug: please report it)",
                    );
                    return Err(StoreError::io(&self.dir, e));
                }
                bytes.extend(line);
                bytes.push(b'\n');
            }

            let mut tmp = tempfile::Builder::new()
                .prefix(".incident-")
                .suffix(".tmp")
                .tempfile_in(&self.dir)
                .map_err(|e| StoreError::io(&self.dir, e))?;
            tmp.write_all(&bytes)
                .and_then(|()| tmp.as_file().sync_all())
                .map_err(|e| StoreError::io(tmp.path(), e))?;
            fs::share_with_group(tmp.as_file(), tmp.path())?;
            let path = self.path_of(&id);
            match tmp.persist_noclobber(&path) {
                Ok(_) => {
                    fs::sync_dir(&self.dir)?;
                    // Found above the index's highest id even if this
                    // fails: it only saves the next reader a look.
                    let _ = index::declared(&self.dir, &id);
                    return IncidentFile::open(&path);
                }
                Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(StoreError::io(&path, e.error)),
            }
        }
        Err(StoreError::io(
            &self.dir,
            std::io::Error::other("could not allocate a new incident id after 1000 tries"),
        ))
    }

    /// The directory-wide lock under which a page is filed: the decision
    /// "join which incident, or declare one" and its write happen while
    /// it is held, so two deliveries of one alert (Alertmanager replicas,
    /// a retried webhook, two boxes) make one incident and the other
    /// joins it. A lock file of its own, `.intake.lock`, so appends to
    /// the incidents go on beside it.
    pub fn intake_lock(&self, timeout: std::time::Duration) -> Result<fs::HeldLock, StoreError> {
        fs::ensure_dir(&self.dir)?;
        fs::lock_file(&self.dir.join(INTAKE_LOCK), timeout)
    }

    /// One more than the highest `INC-N` in the directory (from the
    /// index, asking by name past it: no listing of the directory).
    fn next_number(&self) -> Result<u64, StoreError> {
        Ok(index::max_number(&self.dir)? + 1)
    }

    /// Ids of the incidents that may be active or hold a deploy freeze,
    /// in numeric order: what every command about "the incidents now"
    /// loads. From the directory index, so its cost does not grow with
    /// the incidents that have ended (see [`index`]).
    pub fn hot_ids(&self) -> Result<Vec<String>, StoreError> {
        index::hot_ids(&self.dir)
    }

    /// Ids of every incident file in the directory, in numeric order
    /// (lists the directory: for `list --all`, `stats`, `doctor`).
    pub fn ids(&self) -> Result<Vec<String>, StoreError> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(StoreError::io(&self.dir, e)),
        };
        let mut ids: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                let id = name.strip_suffix(".jsonl")?;
                parse_id(id).ok().filter(|p| p == id)
            })
            .collect();
        ids.sort_by_key(|id| id_number(id));
        Ok(ids)
    }

    pub fn open(&self, id: &str) -> Result<IncidentFile, StoreError> {
        let id = parse_id(id)?;
        let path = self.path_of(&id);
        match IncidentFile::open(&path) {
            Err(StoreError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
                Err(StoreError::NotFound {
                    id,
                    dir: self.dir.clone(),
                })
            }
            other => other,
        }
    }

    /// The incidents other than `own` that may hold a deploy freeze: only
    /// a file that ever froze deploys (a `freeze` operation, or a
    /// `freeze_deploys` mitigation) can, and its bytes say so without
    /// parsing it, so a directory of long past incidents costs a read
    /// each, not a load each.
    pub fn maybe_frozen(&self, own: &str) -> Vec<String> {
        self.hot_ids()
            .unwrap_or_default()
            .into_iter()
            .filter(|id| id != own)
            .filter(|id| Self::may_hold_freeze(&self.path_of(id)))
            .collect()
    }

    /// Whether the incident file at `path` ever froze deploys (see
    /// [`Store::maybe_frozen`]); an unreadable one might have.
    pub fn may_hold_freeze(path: &Path) -> bool {
        fn contains(hay: &[u8], needle: &[u8]) -> bool {
            hay.windows(needle.len()).any(|w| w == needle)
        }
        match std::fs::read(path) {
            Ok(bytes) => {
                contains(&bytes, br#""op":"freeze""#) || contains(&bytes, b"freeze_deploys")
            }
            Err(_) => true,
        }
    }

    /// Every incident in the directory, newest first (reads every file:
    /// see [`Store::list_with_progress`] and [`Store::list_active`]).
    pub fn list(&self) -> Result<Vec<Listed>, StoreError> {
        self.list_with_progress(&mut |_, _| {})
    }

    /// [`Store::list`], calling `progress(done, total)` as it reads.
    pub fn list_with_progress(
        &self,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Vec<Listed>, StoreError> {
        let ids = self.ids()?;
        self.load_listed(ids, progress)
    }

    /// The incidents that are active (drills too) or hold a deploy freeze
    /// past their end, newest first, from the index: the same cost with
    /// thirty incidents behind them or three thousand. Filter with
    /// `is_active`/`is_live`; a file that cannot be read is listed broken.
    pub fn list_active(&self) -> Result<Vec<Listed>, StoreError> {
        let ids = self.hot_ids()?;
        self.load_listed(ids, &mut |_, _| {})
    }

    fn load_listed(
        &self,
        ids: Vec<String>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Vec<Listed>, StoreError> {
        let total = ids.len();
        let mut out = Vec::with_capacity(total);
        for (n, id) in ids.into_iter().rev().enumerate() {
            progress(n + 1, total);
            let path = self.path_of(&id);
            match IncidentFile::open(&path) {
                Ok(f) => out.push(Listed::Ok(Box::new(f.incident().clone()))),
                // Gone since the index or the listing named it.
                Err(StoreError::Io { source, .. })
                    if source.kind() == std::io::ErrorKind::NotFound => {}
                Err(error) => out.push(Listed::Broken { path, error }),
            }
        }
        out.sort_by(|a, b| match (a, b) {
            (Listed::Ok(a), Listed::Ok(b)) => b.declared_at.cmp(&a.declared_at),
            _ => std::cmp::Ordering::Equal,
        });
        Ok(out)
    }

    /// Active incidents whose title is close to `title`: declaring it would
    /// probably duplicate one of them.
    pub fn similar_active(&self, title: &str) -> Vec<Incident> {
        self.list_active()
            .unwrap_or_default()
            .into_iter()
            .filter_map(|l| match l {
                Listed::Ok(inc)
                    if inc.is_live() && crate::model::similar_titles(&inc.title, title) =>
                {
                    Some(*inc)
                }
                _ => None,
            })
            .collect()
    }

    /// Append `op` to the incident `-i` names (or the only active one),
    /// without loading it when the operation and the file allow (see
    /// [`checkpoint`]). Returns the incident's id and the record written.
    pub fn append(
        &self,
        id: Option<&str>,
        actor: &Actor,
        op: Op,
    ) -> Result<(String, Record), StoreError> {
        let (id, loaded) = match id {
            Some(id) => (parse_id(id)?, None),
            None => self.choose()?,
        };
        // Loaded already: its checkpoint did not vouch for it.
        if let Some(mut file) = loaded {
            return Ok((id, file.commit(actor, op)?));
        }
        let path = self.path_of(&id);
        let quick = match append_unloaded(&path, actor, op.clone()) {
            Err(StoreError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
                return Err(StoreError::NotFound {
                    id,
                    dir: self.dir.clone(),
                });
            }
            other => other?,
        };
        match quick {
            Some(rec) => Ok((id, rec)),
            None => {
                let rec = self.open(&id)?.commit(actor, op)?;
                Ok((id, rec))
            }
        }
    }

    /// The incident meant when `-i` is left out: with [`Defaulting`],
    /// `INCIDENT_ID`, else the one incident the caller's own live view
    /// has open, else the only active one; without, the only active one.
    fn choose(&self) -> Result<(String, Option<IncidentFile>), StoreError> {
        let Some(how) = &self.default else {
            return self.only_active();
        };
        if let Some(given) = &how.env_id {
            let id = parse_id(given).map_err(|_| StoreError::BadId {
                given: format!("INCIDENT_ID={given}"),
            })?;
            how.name(&format!("({id} from INCIDENT_ID)"));
            return Ok((id, None));
        }
        let mine: Vec<String> = self
            .hot_ids()?
            .into_iter()
            .filter(|id| {
                presence::roster(&self.dir, id).here.iter().any(|h| {
                    h.actor.user == how.me.user
                        && (how.me.name.is_none() || h.actor.name == how.me.name)
                })
            })
            .collect();
        if let [id] = mine.as_slice() {
            how.name(&format!("({id}: your open view)"));
            return Ok((id.clone(), None));
        }
        let (id, file) = self.only_active()?;
        how.name(&format!("({id}, the only active incident)"));
        Ok((id, file))
    }

    /// The only active incident: its id, and the file too when finding
    /// out meant loading it (its checkpoint was not current).
    fn only_active(&self) -> Result<(String, Option<IncidentFile>), StoreError> {
        let mut active = Vec::new();
        for id in self.hot_ids()? {
            let path = self.path_of(&id);
            let noted = fs::open_incident(&path, false)
                .ok()
                .and_then(|f| checkpoint::read(&path, &f, &f.metadata().ok()?));
            let (is_active, loaded) = match noted {
                Some(cp) => (cp.active, None),
                // A broken file might be the active one; say so rather than
                // silently picking another.
                None => match self.open(&id) {
                    Ok(file) => (file.incident().is_active(), Some(file)),
                    // Gone since the index named it.
                    Err(StoreError::NotFound { .. }) => continue,
                    Err(e) => return Err(e),
                },
            };
            if is_active {
                active.push((id, loaded));
            }
        }
        match active.len() {
            0 => Err(StoreError::NoActive {
                dir: self.dir.clone(),
            }),
            1 => Ok(active.pop().expect("one")),
            _ => Err(StoreError::Ambiguous {
                ids: active.into_iter().map(|(id, _)| id).collect(),
            }),
        }
    }

    /// The incident `-i` names, or the only active one when it is left out.
    pub fn resolve(&self, id: Option<&str>) -> Result<IncidentFile, StoreError> {
        let Some(id) = id else {
            return match self.choose()? {
                (_, Some(file)) => Ok(file),
                (id, None) => self.open(&id),
            };
        };
        self.open(id)
    }
}

/// Accept `INC-7`, `inc-7` or `7`; return the canonical `INC-7`.
pub fn parse_id(given: &str) -> Result<String, StoreError> {
    let t = given.trim();
    let digits = t
        .strip_prefix("INC-")
        .or_else(|| t.strip_prefix("inc-"))
        .or_else(|| t.strip_prefix("Inc-"))
        .unwrap_or(t);
    if !digits.is_empty() && digits.len() <= 12 && digits.bytes().all(|b| b.is_ascii_digit()) {
        let n: u64 = digits.parse().map_err(|_| bad_id(given))?;
        Ok(format!("INC-{n}"))
    } else {
        Err(bad_id(given))
    }
}

fn bad_id(given: &str) -> StoreError {
    StoreError::BadId {
        given: crate::sanitize::line(given).into_owned(),
    }
}

fn id_number(id: &str) -> u64 {
    id.strip_prefix("INC-")
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}
