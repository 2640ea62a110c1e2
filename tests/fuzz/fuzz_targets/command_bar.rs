//! Any text typed after `:`: parsing and completion must not panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(line) = std::str::from_utf8(data) {
        let _ = incident::tui::command::parse(line, "alice");
        let _ = incident::tui::command::complete(&format!(":{line}"), &["bob".into()], &["db".into()]);
    }
});
