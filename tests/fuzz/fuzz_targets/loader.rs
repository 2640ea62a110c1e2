//! Any bytes as an incident file: load, refresh and render must not panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("incident-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("INC-1.jsonl");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    if let Ok(mut f) = incident::store::IncidentFile::open(&path) {
        let _ = f.refresh();
        let _ = serde_json::to_string(f.incident());
        let _ = incident::export::render(f.incident(), incident::export::Format::Markdown);
    }
});
