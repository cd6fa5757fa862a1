//! The `impsim` binary end to end (SPEC §4): exit codes, and an outcome written while the
//! engine runs that is byte for byte the library's outcome.
#![cfg(not(target_arch = "wasm32"))]

mod common;

fn impsim(args: &[&str], stdin: &str) -> (i32, String, String) {
    common::impsim(args, stdin.as_bytes())
}

#[test]
fn streamed_outcome_equals_the_library_outcome() {
    let mut texts: Vec<String> = impersonation_core::presets::PRESETS
        .iter()
        .map(|p| p.json.to_string())
        .collect();
    // Several thousand events cross many stream batches.
    texts.push(impersonation_core::synthetic::wide(5_000).to_json_string());
    // Names that need escaping: quotes, backslashes, control characters, non-ASCII.
    texts.push(
        r#"{"format":"impersonation-scenario/1","title":"q\"\\ \u0001 é","machines":["W"],
            "accounts":{"a\"b":{}},"processes":{"p\\x":{"machine":"W","account":"a\"b","kind":"user"}},
            "run":{"process":"p\\x","steps":[{"do":"whoami","label":"l\"\n\t"}]}}"#
            .to_string(),
    );
    // Expectations judged on events of the first and the last stream batch.
    let mut wide = impersonation_core::synthetic::wide(5_000);
    wide.run.steps[0].label = Some("first".into());
    wide.run.steps.last_mut().unwrap().label = Some("last".into());
    let text = wide.to_json_string();
    let text = format!(
        "{},\"expect\":{{\"last\":{{\"status\":\"ok\"}},\"first\":{{\"level\":null}}}}}}",
        &text[..text.len() - 1]
    );
    texts.push(text);
    for text in texts {
        let (code, out, err) = impsim(&["run", "-"], &text);
        let outcome = impersonation_core::run_json(&text).unwrap();
        assert_eq!(code, if outcome.unmet() { 3 } else { 0 }, "{err}");
        assert_eq!(out.trim_end(), outcome.to_json_string());
    }
}

/// SPEC §8.1: `impsim run` exits 3 when the scenario ran but an expectation is unmet, with the
/// whole outcome on stdout, as JSON or as text.
#[test]
fn an_unmet_expectation_exits_3() {
    let scenario = |want: &str| {
        format!(
            r#"{{"format":"impersonation-scenario/1","title":"t","machines":["W"],
                "processes":{{"p":{{"machine":"W","account":"LocalSystem"}}}},
                "run":{{"process":"p","steps":[{{"do":"whoami","label":"me"}}]}},
                "expect":{{"me":{{"identity":"{want}"}}}}}}"#
        )
    };
    let (code, out, err) = impsim(&["run", "-"], &scenario("alice"));
    assert_eq!((code, err.as_str()), (3, ""));
    assert!(
        out.ends_with(
            "\"expectations\":[{\"label\":\"me\",\"field\":\"identity\",\"want\":\"alice\",\
             \"got\":\"NT AUTHORITY\\\\SYSTEM\",\"met\":false}]}\n"
        ),
        "{out}"
    );
    let (code, out, _) = impsim(&["run", "-", "--text"], &scenario("alice"));
    assert_eq!(code, 3);
    assert!(
        out.ends_with("expect \"me\" identity: UNMET, want alice, got NT AUTHORITY\\SYSTEM\n"),
        "{out}"
    );
    let (code, out, _) = impsim(&["run", "-"], &scenario("LocalSystem"));
    assert_eq!(code, 0);
    assert!(out.ends_with("\"met\":true}]}\n"), "{out}");
    let (code, out, _) = impsim(&["run", "-", "--text"], &scenario("localsystem"));
    assert_eq!(code, 0);
    assert!(out.ends_with("identity: met, want localsystem, got NT AUTHORITY\\SYSTEM\n"));
    // An expectation naming no step makes the scenario invalid: exit 2.
    let (code, _, err) = impsim(
        &["run", "-"],
        &scenario("x").replace("{\"me\":", "{\"you\":"),
    );
    assert_eq!(
        (code, err.as_str()),
        (2, "error: expect.you: no step has the label \"you\"\n")
    );
}

#[test]
fn exit_codes_follow_the_spec() {
    let (code, out, err) = impsim(&["run", "-"], "{\"format\": 1}");
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.lines().all(|l| l.starts_with("error: ")), "{err}");
    assert!(err.contains("error: format: expected \"impersonation-scenario/1\""));
    let (code, _, err) = impsim(&["run", "/nonexistent/file.json"], "");
    assert_eq!(code, 1, "{err}");
    let (code, out, _) = impsim(
        &["run", "-", "--text"],
        impersonation_core::presets::PRESETS[0].json,
    );
    assert_eq!(code, 0);
    assert!(out.contains("events, 0 not ok"), "{out}");
    let (code, out, _) = impsim(&["rules"], "");
    assert_eq!(code, 0);
    assert!(out.lines().count() >= 90);
    let (code, _, _) = impsim(&["bogus"], "");
    assert_eq!(code, 1);
}

/// Files of a megabyte and more are mapped into memory instead of read (`impsim/sys.rs`, `mapped`):
/// the same outcome as from stdin, and the same message for a file that is not UTF-8.
#[test]
fn large_files_give_the_same_outcome_and_messages() {
    let dir = std::env::temp_dir().join(format!("impsim-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = impersonation_core::synthetic::wide(40_000).to_json_string();
    assert!(text.len() > 1 << 20);
    let file = dir.join("wide.json");
    std::fs::write(&file, &text).unwrap();
    let path = file.to_str().unwrap();
    let (code, from_file, err) = impsim(&["run", path], "");
    assert_eq!(code, 0, "{err}");
    let (code, from_stdin, _) = impsim(&["run", "-"], &text);
    assert_eq!(code, 0);
    assert_eq!(from_file, from_stdin);
    let (code, out, _) = impsim(&["check", path], "");
    assert_eq!((code, out.as_str()), (0, "ok: Synthetic: 40000 steps\n"));

    let mut bytes = text.into_bytes();
    let at = bytes.len() - 100;
    bytes[at] = 0xff;
    std::fs::write(&file, &bytes).unwrap();
    let (code, out, err) = impsim(&["run", path], "");
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_eq!(
        err,
        format!("error: $: the file is not UTF-8 text (invalid byte at offset {at})\n")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_file_over_the_size_limit_is_refused_without_being_read() {
    use impersonation_core::model::decode::MAX_INPUT_BYTES;
    // A sparse file one byte over the limit whose first byte is not UTF-8: read (or mapped),
    // it would be refused as "not UTF-8 text"; its length alone refuses it first.
    let path = std::env::temp_dir().join(format!("impsim-oversize-{}.json", std::process::id()));
    let file = std::fs::File::create(&path).unwrap();
    std::io::Write::write_all(&mut &file, &[0xff]).unwrap();
    file.set_len(MAX_INPUT_BYTES as u64 + 1).unwrap();
    let (code, out, err) = impsim(&["run", path.to_str().unwrap()], "");
    std::fs::remove_file(&path).unwrap();
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (
            2,
            "",
            "error: $: the document is 268435457 bytes; the limit is 268435456 bytes\n"
        )
    );
}

/// SPEC §8.4: `impsim review FILE [--json]` exits 0 with the findings, readable or as JSON.
#[test]
fn review_prints_the_findings() {
    let preset = impersonation_core::presets::get("kcd-any-protocol")
        .unwrap()
        .json;
    let (code, out, err) = impsim(&["review", "-", "--json"], preset);
    assert_eq!((code, err.as_str()), (0, ""));
    let checked = impersonation_core::parse(preset).unwrap();
    assert_eq!(
        out,
        impersonation_core::review::review(&checked).to_json_string() + "\n"
    );
    assert!(out.starts_with(r#"{"format":"impersonation-review/1","findings":[{"id":"SR-3","severity":"medium","subject":"svcWeb","title":"Protocol transition (use any authentication protocol)","#));
    let (code, out, _) = impsim(&["review", "-"], preset);
    assert_eq!(code, 0);
    assert!(
        out.starts_with(
            "Constrained delegation with protocol transition: 3 findings\n\n\
             [medium] SR-3 Protocol transition (use any authentication protocol)\n    \
             subject: svcWeb\n"
        ),
        "{out}"
    );
    assert!(out.contains("    fix: Delegate with Kerberos only, or with resource-based delegation on the targets: Set-ADAccountControl -Identity 'svcWeb' -TrustedToAuthForDelegation $false\n"), "{out}");
    let clean = impersonation_core::presets::get("ntlm-double-hop")
        .unwrap()
        .json;
    let (code, out, _) = impsim(&["review", "-"], clean);
    assert_eq!((code, out.as_str()), (0, "NTLM double hop: no findings\n"));
    let (code, _, err) = impsim(&["review", "-"], "{}");
    assert_eq!(code, 2, "{err}");
}
