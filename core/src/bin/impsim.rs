//! `impsim`: the command-line face of the engine (SPEC §4).
//!
//! ```text
//! impsim run FILE [--text]   simulate a scenario (FILE may be - for stdin)
//! impsim check FILE          validate only
//! impsim review FILE [--json] the security review (SPEC §8.3)
//! impsim fix FILE [--max-changes N] [--max-proposals N] [--json]   the fix finder (SPEC §8.2)
//! impsim rules [--json]      list the rule catalogue (--json: the playground's rules.json)
//! impsim rule ID             one rule with its sources
//! impsim presets             list the presets; impsim preset ID prints one
//! impsim render FILE --svg [--dark] [-o OUT]   the sequence diagram as a standalone SVG
//! ```
//! Exit codes: 0 success, 1 unreadable input or bad usage, 2 invalid scenario, 3 (run) an
//! expectation of the scenario is unmet.
//!
//! Unsafe code lives in [`sys`] only (the allocator, the memory policy, mapped files).
#![deny(unsafe_code)]

#[path = "impsim/sys.rs"]
mod sys;

use std::io::{self, Read, Write};
use std::process::ExitCode;

use impersonation_core::model::expect::Expectations;
use impersonation_core::model::Vocabulary;
use impersonation_core::{presets, rules, Error};

const USAGE: &str = "usage: impsim run FILE [--text] | check FILE | review FILE [--json]
              | fix FILE [--max-changes N] [--max-proposals N] [--json]
              | render FILE --svg [--dark] [-o OUT]
              | rules [--json] | rule ID | presets | preset ID
  run FILE         simulate FILE (a scenario in format impersonation-scenario/1; - reads stdin)
                   and print the outcome JSON; --text prints a readable trace instead;
                   exits 3 when an expectation of its `expect` is unmet
  check FILE       validate FILE and print its problems
  fix FILE         the smallest sets of changes after which every expectation of FILE is
                   met, safest first, with the commands that make them (at most 3 changes
                   and 5 proposals unless --max-changes / --max-proposals say otherwise);
                   --json prints format impersonation-fixes/1; exits 3 when none is found
  review FILE      the security review of FILE: what its delegation settings, SPNs, accounts
                   and run expose, each finding with its severity, sources and fix; --json
                   prints format impersonation-review/1
  render FILE --svg
                   draw FILE's sequence diagram as a standalone SVG (the playground's picture,
                   light theme; --dark for the dark one) on stdout, or into OUT with -o OUT
  rules            list every rule ID with its title; --json prints every rule's text,
                   reason if not simulated and sources (the playground's rules.json)
  rule ID          print one rule's text and sources
  presets          list the example scenarios
  preset ID        print one example scenario's JSON
exit codes: 0 ok, 1 unreadable input or bad usage, 2 invalid scenario,
            3 the scenario ran but an expectation (its \"expect\") is unmet (run), or no
            set of changes meets them all (fix)";

/// Decoding deep documents recurses; give it room. (The depth itself is capped before parsing.)
const STACK_BYTES: usize = 512 * 1024 * 1024;

fn main() -> ExitCode {
    sys::set_up_memory();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let worker = std::thread::Builder::new()
        .name("impsim".into())
        .stack_size(STACK_BYTES)
        .spawn(move || run(&args));
    match worker.map(|h| h.join()) {
        Ok(Ok(code)) => ExitCode::from(code),
        _ => {
            eprintln!("error: $: internal error (please report this input)");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> u8 {
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    match a.as_slice() {
        ["run", file] => simulate(file, false),
        ["run", file, "--text"] | ["run", "--text", file] => simulate(file, true),
        ["check", file] => check(file),
        ["fix", rest @ ..] => fix(rest),
        ["review", file] => review(file, false),
        ["review", file, "--json"] | ["review", "--json", file] => review(file, true),
        ["render", rest @ ..] => render(rest),
        ["rules"] => {
            let mut out = String::new();
            for r in rules::RULES {
                let mark = match r.coverage {
                    rules::Coverage::Simulated => "",
                    rules::Coverage::NotSimulated(_) => "  (not simulated)",
                };
                out.push_str(&format!("{:<6} {}{}\n", r.id, r.title, mark));
            }
            print_out(&out)
        }
        ["rules", "--json"] => print_out(&rules::catalogue_json()),
        ["rule", id] => match rules::get(id) {
            Some(r) => {
                let mut out = format!("{} {}\n\n{}\n", r.id, r.title, r.text);
                if let rules::Coverage::NotSimulated(why) = r.coverage {
                    out.push_str(&format!("\nNot simulated: {why}\n"));
                }
                out.push_str("\nSources:\n");
                for s in r.source_list() {
                    out.push_str(&format!("  [{}] {}\n       {}\n", s.id, s.title, s.url));
                }
                print_out(&out)
            }
            None => {
                eprintln!("error: no rule \"{id}\"; `impsim rules` lists them");
                1
            }
        },
        ["presets"] => {
            let mut out = String::new();
            for p in presets::PRESETS {
                let title = impersonation_core::parse(p.json)
                    .map(|s| s.title.clone())
                    .unwrap_or_default();
                out.push_str(&format!("{:<28} {}\n", p.id, title));
            }
            print_out(&out)
        }
        ["preset", id] => match presets::get(id) {
            Some(p) => print_out(p.json),
            None => {
                eprintln!("error: no preset \"{id}\"; `impsim presets` lists them");
                1
            }
        },
        ["--help"] | ["-h"] | ["help"] => print_out(&format!("{USAGE}\n")),
        _ => {
            eprintln!("{USAGE}");
            1
        }
    }
}

/// A scenario's text: read from stdin, or a file mapped into memory.
enum Input {
    Read(String),
    #[cfg(unix)]
    Mapped(sys::mapped::Map),
}

impl std::ops::Deref for Input {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Input::Read(s) => s,
            #[cfg(unix)]
            Input::Mapped(m) => m.text(),
        }
    }
}

fn read_input(file: &str) -> Result<Input, u8> {
    if file != "-" {
        // A file over the size limit is refused from its length, before it is read or mapped.
        if let Ok(meta) = std::fs::metadata(file) {
            if meta.is_file() {
                let len = usize::try_from(meta.len()).unwrap_or(usize::MAX);
                impersonation_core::model::decode::check_size(len).map_err(|e| report(&e))?;
            }
        }
        #[cfg(unix)]
        if let Some(map) = sys::mapped::Map::open(file) {
            return map.map(Input::Mapped).map_err(not_utf8);
        }
    }
    read_bytes(file).map(Input::Read)
}

fn not_utf8(e: std::str::Utf8Error) -> u8 {
    eprintln!(
        "error: $: the file is not UTF-8 text (invalid byte at offset {})",
        e.valid_up_to()
    );
    2
}

fn read_bytes(file: &str) -> Result<String, u8> {
    let mut bytes = Vec::new();
    let read = if file == "-" {
        io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::File::open(file).and_then(|mut f| f.read_to_end(&mut bytes).map(|_| ()))
    };
    if let Err(e) = read {
        eprintln!("error: cannot read {file}: {e}");
        return Err(1);
    }
    String::from_utf8(bytes).map_err(|e| not_utf8(e.utf8_error()))
}

/// A scenario file read and checked, or the exit code after the messages (1 unreadable, 2
/// invalid).
fn read_scenario(file: &str) -> Result<impersonation_core::Checked, u8> {
    let input = read_input(file)?;
    impersonation_core::parse(&input).map_err(|e| report(&e))
}

fn report(e: &Error) -> u8 {
    let mut err = io::stderr().lock();
    for p in e.problems() {
        let _ = writeln!(err, "error: {p}");
    }
    2
}

fn simulate(file: &str, text: bool) -> u8 {
    let input = match read_input(file) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let timing = std::env::var_os("IMPSIM_TIMING").is_some();
    let started = std::time::Instant::now();
    let scenario = match impersonation_core::parse(&input) {
        Ok(s) => s,
        Err(e) => return report(&e),
    };
    let parsed = started.elapsed();
    drop(input);
    let written = if text {
        let outcome = impersonation_core::simulate(&scenario);
        let mut out = io::BufWriter::new(io::stdout().lock());
        let r = out
            .write_all(impersonation_core::text::render(&scenario, &outcome).as_bytes())
            .and_then(|()| out.flush());
        let unmet = outcome.unmet();
        std::mem::forget(outcome);
        r.map(|()| unmet)
    } else {
        write_json(&scenario)
    };
    if timing {
        eprintln!(
            "impsim: parse {:.0} ms, simulate and write {:.0} ms",
            parsed.as_secs_f64() * 1e3,
            (started.elapsed() - parsed).as_secs_f64() * 1e3
        );
    }
    // Dropping a large step tree is left to process exit.
    std::mem::forget(scenario);
    match written {
        Ok(false) => 0,
        // SPEC §8.1: the scenario ran, but an expectation is unmet.
        Ok(true) => 3,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("error: cannot write the outcome: {e}");
            1
        }
    }
}

/// Writes the outcome JSON as the engine produces it: the engine runs on this thread and hands
/// batches of final events to a writer thread, so simulation and serialization overlap and the
/// whole outcome is never in memory. The bytes are exactly `serde_json::to_writer(&outcome)`.
/// The expectations are checked as the batches go by; true when one is unmet.
fn write_json(scenario: &impersonation_core::Checked) -> io::Result<bool> {
    const BATCH: usize = 1024;
    type Batch = Vec<impersonation_core::Event>;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(8);
    // Written batches come back, events and all, to be dropped on the engine's thread: freeing
    // memory on the thread that allocated it is much cheaper for the allocator than freeing it
    // on another (mimalloc then also reuses it at once), and the Vec is reused.
    let (back_tx, back_rx) = std::sync::mpsc::channel::<Batch>();
    std::thread::scope(|scope| {
        let writer = scope.spawn(move || -> io::Result<()> {
            let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
            write!(
                out,
                "{{\"format\":\"{}\",\"events\":[",
                impersonation_core::model::OUTCOME_FORMAT
            )?;
            let mut first = true;
            for batch in rx {
                for e in &batch {
                    if !first {
                        out.write_all(b",")?;
                    }
                    first = false;
                    write_event(&mut out, e)?;
                }
                if let Err(unused) = back_tx.send(batch) {
                    std::mem::forget(unused.0);
                }
            }
            out.write_all(b"]")?;
            out.flush()
        });
        let mut open = true;
        let mut expectations = Expectations::new(scenario);
        // The engine's own buffer of final events is sent as it is, swapped for a written one.
        impersonation_core::simulate_batches(scenario, BATCH, &mut |events| {
            if !open || events.is_empty() {
                return;
            }
            if !expectations.is_empty() {
                events.iter().for_each(|e| expectations.observe(e));
            }
            let next = match back_rx.try_recv() {
                Ok(mut written) => {
                    written.clear();
                    written
                }
                Err(_) => Vec::with_capacity(BATCH + 1),
            };
            let full = std::mem::replace(events, next);
            open = tx.send(full).is_ok();
        });
        drop(tx);
        let written = writer
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("writer thread failed")));
        // The last batches are left to process exit.
        std::mem::forget(back_rx);
        written?;
        let verdicts = expectations.finish();
        let mut out = io::stdout().lock();
        if !verdicts.is_empty() {
            out.write_all(b",\"expectations\":")?;
            serde_json::to_writer(&mut out, &verdicts)?;
        }
        out.write_all(b"}\n")?;
        out.flush()?;
        Ok(verdicts.iter().any(|x| !x.met))
    })
}

/// One event as JSON, byte for byte what `serde_json::to_writer` writes for it (the fields in
/// the order `Event` declares them; absent optional fields left out), without serde's per-field
/// machinery: most strings need no escaping and are copied as they are. `core/tests/cli.rs`
/// compares the result with the library's serialization.
fn write_event(out: &mut impl Write, e: &impersonation_core::Event) -> io::Result<()> {
    /// Whether `s` needs JSON escapes: a branch-free test of 16 bytes at a time, which the
    /// compiler turns into vector instructions (explanations are long).
    fn needs_escape(s: &str) -> bool {
        let special = |b: &u8| (*b < 0x20) | (*b == b'"') | (*b == b'\\');
        let mut chunks = s.as_bytes().chunks_exact(16);
        for chunk in &mut chunks {
            if chunk.iter().fold(false, |acc, b| acc | special(b)) {
                return true;
            }
        }
        chunks.remainder().iter().any(special)
    }
    fn text(out: &mut impl Write, s: &str) -> io::Result<()> {
        if needs_escape(s) {
            serde_json::to_writer(&mut *out, s).map_err(io::Error::from)
        } else {
            out.write_all(b"\"")?;
            out.write_all(s.as_bytes())?;
            out.write_all(b"\"")
        }
    }
    fn opt(out: &mut impl Write, s: Option<&str>) -> io::Result<()> {
        match s {
            Some(s) => text(out, s),
            None => out.write_all(b"null"),
        }
    }
    out.write_all(b"{\"step\":")?;
    text(out, &e.step)?;
    out.write_all(b",\"label\":")?;
    opt(out, e.label.as_deref())?;
    out.write_all(b",\"do\":")?;
    text(out, e.action)?;
    out.write_all(b",\"process\":")?;
    text(out, &e.process)?;
    out.write_all(b",\"status\":")?;
    text(out, e.status.as_str())?;
    out.write_all(b",\"identity\":")?;
    text(out, &e.identity)?;
    out.write_all(b",\"level\":")?;
    opt(out, e.level.map(|l| l.as_str()))?;
    out.write_all(b",\"rules\":[")?;
    for (i, r) in e.rules.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        text(out, r.as_str())?;
    }
    out.write_all(b"],\"explain\":")?;
    text(out, &e.explain)?;
    if let Some(to) = &e.to {
        out.write_all(b",\"to\":")?;
        text(out, to)?;
    }
    if let Some(a) = e.authn {
        out.write_all(b",\"authn\":")?;
        text(out, a.as_str())?;
    }
    if let Some(a) = e.authn_level {
        out.write_all(b",\"authn_level\":")?;
        text(out, a.as_str())?;
    }
    if let Some(seen) = &e.seen_as {
        out.write_all(b",\"seen_as\":")?;
        opt(out, seen.as_deref())?;
    }
    if let Some(level) = e.seen_level {
        out.write_all(b",\"seen_level\":")?;
        opt(out, level.map(|l| l.as_str()))?;
    }
    if let Some(d) = e.delegation {
        out.write_all(b",\"delegation\":")?;
        text(out, d.as_str())?;
    }
    if let Some(k) = e.kdc_status {
        out.write_all(b",\"kdc_status\":")?;
        text(out, k.as_str())?;
    }
    out.write_all(b"}")
}

/// `render FILE --svg [--dark] [-o OUT]`, the options in any order.
fn render(args: &[&str]) -> u8 {
    let (mut file, mut svg, mut dark, mut out) = (None, false, false, None);
    let mut it = args.iter();
    while let Some(&a) = it.next() {
        match a {
            "--svg" => svg = true,
            "--dark" => dark = true,
            "-o" => match it.next() {
                Some(o) => out = Some(*o),
                None => return usage_error("-o needs a file name"),
            },
            _ if file.is_none() && (a == "-" || !a.starts_with('-')) => file = Some(a),
            _ => return usage_error(&format!("render: unknown argument \"{a}\"")),
        }
    }
    let Some(file) = file else {
        return usage_error("render needs a scenario FILE");
    };
    if !svg {
        return usage_error("render needs an output format: --svg");
    }
    let scenario = match read_scenario(file) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let outcome = impersonation_core::simulate(&scenario);
    let theme = if dark {
        &impersonation_core::diagram::svg::Theme::DARK
    } else {
        &impersonation_core::diagram::svg::Theme::LIGHT
    };
    let picture = impersonation_core::diagram::svg_of(&scenario, &outcome, theme);
    match out {
        None => print_out(&picture),
        Some(path) => match std::fs::write(path, picture) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("error: cannot write {path}: {e}");
                1
            }
        },
    }
}

fn usage_error(what: &str) -> u8 {
    eprintln!("error: {what}\n{USAGE}");
    1
}

fn check(file: &str) -> u8 {
    match read_scenario(file) {
        Ok(s) => print_out(&format!("ok: {}\n", s.title)),
        Err(code) => code,
    }
}

/// `fix FILE [--max-changes N] [--max-proposals N] [--json]` (SPEC §8.4): exit 0 when a fix was
/// found or every expectation is met, 3 when none was found, 2 for an invalid scenario.
fn fix(args: &[&str]) -> u8 {
    let (mut file, mut json) = (None, false);
    let mut limits = impersonation_core::fix::Limits::default();
    let mut it = args.iter();
    while let Some(&a) = it.next() {
        match a {
            "--json" => json = true,
            "--max-changes" | "--max-proposals" => {
                let Some(n) = it
                    .next()
                    .and_then(|n| n.parse::<usize>().ok())
                    .filter(|n| *n > 0)
                else {
                    return usage_error(&format!("{a} needs a positive number"));
                };
                match a {
                    "--max-changes" => limits.max_changes = n,
                    _ => limits.max_proposals = n,
                }
            }
            _ if file.is_none() && (a == "-" || !a.starts_with('-')) => file = Some(a),
            _ => return usage_error(&format!("fix: unknown argument \"{a}\"")),
        }
    }
    let Some(file) = file else {
        return usage_error("fix needs a scenario FILE");
    };
    let scenario = match read_scenario(file) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let fixes = impersonation_core::fix::find(&scenario, limits);
    let printed = match json {
        true => print_out(&(fixes.to_json_string() + "\n")),
        false => print_out(&fixes_text(&scenario.title, &fixes)),
    };
    match (printed, fixes.found()) {
        (0, false) => 3,
        (code, _) => code,
    }
}

fn fixes_text(title: &str, fixes: &impersonation_core::fix::Fixes) -> String {
    let mut out = format!("{title}: {}\n", fixes.explain);
    for (n, p) in fixes.proposals.iter().enumerate() {
        let worst = p.changes.iter().map(|c| c.tier).max().unwrap_or(0);
        out.push_str(&format!(
            "\n{}. tier {worst}, {}\n",
            n + 1,
            impersonation_core::text::count(p.changes.len(), "change")
        ));
        for c in &p.changes {
            out.push_str(&format!(
                "   [{} tier {}, {}] {}: {} -> {}\n     {}\n",
                c.kind, c.tier, c.approver, c.path, c.before, c.after, c.sentence
            ));
            for cmd in &c.commands {
                out.push_str(&format!("     {}> {}\n", cmd.shell, cmd.text));
            }
        }
        let ids = |list: &[impersonation_core::review::Finding]| {
            let ids: Vec<String> = list
                .iter()
                .map(|f| format!("{} {}", f.id, f.subject))
                .collect();
            ids.join(", ")
        };
        if !p.findings_added.is_empty() {
            out.push_str(&format!("   adds: {}\n", ids(&p.findings_added)));
        }
        if !p.findings_removed.is_empty() {
            out.push_str(&format!("   removes: {}\n", ids(&p.findings_removed)));
        }
    }
    out
}

/// `review FILE [--json]` (SPEC §8.4): exit 0 with the findings, 2 for an invalid scenario.
fn review(file: &str, json: bool) -> u8 {
    let scenario = match read_scenario(file) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let review = impersonation_core::review::review(&scenario);
    if json {
        return print_out(&(review.to_json_string() + "\n"));
    }
    let findings = &review.findings;
    let mut out = match findings.len() {
        0 => format!("{}: no findings\n", scenario.title),
        n => format!(
            "{}: {}\n",
            scenario.title,
            impersonation_core::text::count(n, "finding")
        ),
    };
    for f in findings {
        let severity = serde_json::to_string(&f.severity).unwrap_or_default();
        out.push_str(&format!(
            "\n[{}] {} {}\n    subject: {}\n    {}\n    fix: {}\n",
            severity.trim_matches('"'),
            f.id,
            f.title,
            f.subject,
            f.explain,
            f.fix
        ));
        for s in &f.sources {
            out.push_str(&format!("    [{}] {} {}\n", s.id, s.title, s.url));
        }
    }
    print_out(&out)
}

fn print_out(s: &str) -> u8 {
    let mut out = io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => 0,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => 0,
        Err(_) => 1,
    }
}
