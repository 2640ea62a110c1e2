//! Live updates for the pages: the store's watcher feeds one broadcast
//! channel, and each open page holds a server-sent event stream that says
//! "changed" when its incident (or, for the list, any incident) was
//! written. The page's script then fetches the re-rendered fragment.

use crate::store::watch::{self, Change, Watch, WatchMode};
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::Stream;
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::sync::{broadcast, watch as signal};

/// The watcher names files as it was given the directory (relative or
/// not): the name is what tells two incidents apart.
fn same_file(a: &Path, b: &Path) -> bool {
    a.file_name() == b.file_name()
}

/// The writes seen in the incident directory, for every open page.
pub struct Feed {
    pub changes: broadcast::Sender<Change>,
    /// Set when the listener stops, so open streams end and let it.
    pub stopping: signal::Receiver<bool>,
    _watch: Watch,
}

impl Feed {
    pub fn start(
        dir: &Path,
        mode: WatchMode,
        stopping: signal::Receiver<bool>,
    ) -> std::io::Result<Self> {
        let (changes, _) = broadcast::channel(256);
        let tx = changes.clone();
        let watch = watch::watch_dir(dir, mode, move |c| {
            let _ = tx.send(c);
        })?;
        Ok(Feed {
            changes,
            stopping,
            _watch: watch,
        })
    }

    /// A stream that says "change" whenever `path` (or, given none, any
    /// incident file) may have new bytes.
    pub fn stream(
        &self,
        path: Option<PathBuf>,
    ) -> Sse<impl Stream<Item = Result<Event, Infallible>> + use<>> {
        let state = (self.changes.subscribe(), self.stopping.clone(), path);
        let stream = futures::stream::unfold(state, |(mut rx, mut stop, path)| async move {
            loop {
                tokio::select! {
                    got = rx.recv() => match got {
                        Ok(Change::File(p)) if path.as_ref().is_none_or(|want| same_file(want, &p)) => break,
                        Ok(Change::Rescan) | Err(broadcast::error::RecvError::Lagged(_)) => break,
                        Ok(_) => continue,
                        Err(broadcast::error::RecvError::Closed) => return None,
                    },
                    _ = stop.changed() => return None,
                }
            }
            // One fetch for a burst of writes.
            while rx.try_recv().is_ok() {}
            let event = Event::default().event("change").data("changed");
            Some((Ok(event), (rx, stop, path)))
        });
        Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
    }
}
