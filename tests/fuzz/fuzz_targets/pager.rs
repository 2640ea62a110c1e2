//! Any bytes as a pager payload, detected or for each source: no panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = incident::pager::parse(None, data);
    for s in ["pagerduty", "alertmanager", "opsgenie", "grafana"] {
        if let Ok(source) = s.parse() {
            let _ = incident::pager::parse(Some(source), data);
        }
    }
});
