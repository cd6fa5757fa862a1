//! Share links (SPEC §5a): any bytes as a URL fragment for `decode_fragment`, and as the raw
//! DEFLATE stream of an `#s=` link (so that the inflater sees arbitrary streams, not only the
//! few that happen to be valid base64url). Nothing may panic, hang or allocate past the 16 MiB
//! limit; every valid text round-trips through `encode_s` and `encode_json`.
#![no_main]

use impersonation_core::link::{
    base64url_encode, decode_fragment, encode_json, encode_s, MAX_DECODED_BYTES,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The bytes as a fragment, as a URL would carry them.
    let fragment = String::from_utf8_lossy(data);
    if let Ok(json) = decode_fragment(&fragment) {
        assert!(json.len() <= MAX_DECODED_BYTES);
    }
    // The bytes as the DEFLATE stream of an #s= link, and as the text of a #json= link.
    let encoded = base64url_encode(data);
    match decode_fragment(&format!("#s={encoded}")) {
        Ok(json) => assert!(json.len() <= MAX_DECODED_BYTES),
        Err(e) => {
            let _ = e.to_string();
        }
    }
    if !data.is_empty() {
        match (
            decode_fragment(&format!("#json={encoded}")),
            std::str::from_utf8(data),
        ) {
            (Ok(json), Ok(text)) => assert_eq!(json, text),
            (Err(_), Err(_)) => {}
            (got, utf8) => panic!("#json= disagrees with UTF-8: {got:?} vs {utf8:?}"),
        }
    }
    // Round trips of valid text.
    if let Ok(text) = std::str::from_utf8(data) {
        let s = decode_fragment(&format!("#s={}", encode_s(text))).expect("#s= round trip");
        assert_eq!(s, text);
        if !text.is_empty() {
            let j =
                decode_fragment(&format!("json={}", encode_json(text))).expect("#json= round trip");
            assert_eq!(j, text);
        }
    }
});
