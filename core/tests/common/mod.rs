//! Helpers shared by the integration tests (`mod common;`): a deep chain written as text, and
//! the real `impsim` binary run with some input.
#![allow(dead_code)]

pub mod generate;

/// A scenario whose run is a chain of `depth` nested calls, client → web → app → web → ...,
/// each impersonating its caller, with a `whoami` at the bottom. Written as text, iteratively:
/// neither building nor serializing it recurses.
pub fn chain_text(depth: usize) -> String {
    let head = r#"{"format":"impersonation-scenario/1","title":"chain","machines":["WS1","APP1"],"accounts":{"alice":{}},"processes":{"client":{"machine":"WS1","account":"alice","kind":"user"},"web":{"machine":"APP1","account":"LocalSystem"},"app":{"machine":"APP1","account":"LocalSystem"}},"run":{"process":"client","steps":["#;
    let mut t = String::with_capacity(head.len() + depth * 80 + 64);
    t.push_str(head);
    for level in 0..depth {
        let to = if level % 2 == 0 { "web" } else { "app" };
        t.push_str(r#"{"do":"call","to":""#);
        t.push_str(to);
        t.push_str(r#"","imp_level":"impersonate","steps":[{"do":"impersonate"},"#);
    }
    t.push_str(r#"{"do":"whoami"}"#);
    for _ in 0..depth {
        t.push_str("]}");
    }
    t.push_str("]}}");
    t
}

/// Runs `impsim` with `args`, `stdin` on its standard input: (exit code, stdout, stderr).
#[cfg(not(target_arch = "wasm32"))]
pub fn impsim(args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_impsim"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("impsim starts");
    let mut input = child.stdin.take().expect("stdin");
    let bytes = stdin.to_vec();
    // A separate writer, so that a child that writes before it has read everything cannot
    // deadlock the test.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&bytes);
    });
    let out = child.wait_with_output().expect("impsim runs");
    writer.join().expect("stdin writer");
    let code = out.status.code().unwrap_or_else(|| {
        panic!("impsim was killed by a signal: {:?}", out.status);
    });
    (
        code,
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A small deterministic random generator (xorshift64*) for the generated-scenario tests: a
/// seed gives the same scenario on every machine and in every run.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Whether a deciding setting's path names a field of the scenario: its entry exists (account,
/// process, resource, step or meanwhile entry) and the last key is a field that entry has (it
/// may be absent from the JSON and take its default). Returns why not.
pub fn setting_resolves(scenario: &serde_json::Value, path: &str) -> Result<(), String> {
    let mut keys: Vec<String> = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("[\"") {
            let end = r.find("\"]").ok_or("unclosed quoted key")?;
            keys.push(r[..end].replace("\\\"", "\""));
            rest = &r[end + 2..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']').ok_or("unclosed index")?;
            keys.push(r[..end].to_string());
            rest = &r[end + 1..];
        } else {
            let r = rest.strip_prefix('.').unwrap_or(rest);
            let end = r.find(['.', '[']).unwrap_or(r.len());
            keys.push(r[..end].to_string());
            rest = &r[end..];
        }
    }
    let (last, entry) = keys.split_last().ok_or("empty path")?;
    let mut cur = scenario;
    let defaults = serde_json::json!({});
    for (depth, k) in entry.iter().enumerate() {
        cur = match k.parse::<usize>() {
            Ok(i) => cur.get(i),
            // `options` and a process's `com` and `http` may be left out: every field takes
            // its default.
            Err(_)
                if (k.as_str(), depth) == ("options", 0)
                    || (k.as_str(), depth) == ("com", 2)
                    || (k.as_str(), depth) == ("http", 2) =>
            {
                Some(cur.get(k.as_str()).unwrap_or(&defaults))
            }
            Err(_) => cur.get(k.as_str()),
        }
        .ok_or_else(|| format!("{path}: no entry {k}"))?;
    }
    use impersonation_core::model::decode as d;
    let fields: Vec<&str> = match (entry.first().map(String::as_str), entry.len()) {
        (Some("accounts"), 2) => d::ACCOUNT_FIELDS.to_vec(),
        (Some("processes"), 2) => d::PROCESS_FIELDS.to_vec(),
        (Some("processes"), 3) if entry[2] == "com" => d::COM_FIELDS.to_vec(),
        (Some("processes"), 3) if entry[2] == "http" => d::HTTP_FIELDS.to_vec(),
        (Some("resources"), 2) => d::RESOURCE_FIELDS.to_vec(),
        (Some("options"), 1) => impersonation_core::model::Options::FIELDS
            .iter()
            .map(|(name, _)| *name)
            .collect(),
        (Some("run"), _) if cur.get("from").is_some() => d::MEANWHILE_FIELDS.to_vec(),
        (Some("run"), _) => match cur.get("do").and_then(|d| d.as_str()) {
            Some("call") => d::CALL_FIELDS.to_vec(),
            Some("set_blanket") => d::BLANKET_FIELDS.to_vec(),
            Some(kind) => {
                let own = match kind {
                    "duplicate_token" => "level",
                    "open_thread_token" => "as_self",
                    "access" | "access_check" => "resource",
                    "logon_user" => "account",
                    _ => "do",
                };
                vec!["do", "label", own]
            }
            None => return Err(format!("{path}: not a step")),
        },
        _ => vec![],
    };
    if fields.contains(&last.as_str()) {
        Ok(())
    } else {
        Err(format!("{path}: {last} is not a field of that entry"))
    }
}
