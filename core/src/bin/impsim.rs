//! `impsim`: the command-line face of the engine (SPEC §4).
//!
//! ```text
//! impsim run FILE [--text]   simulate a scenario (FILE may be - for stdin)
//! impsim check FILE          validate only
//! impsim rules               list the rule catalogue
//! impsim rule ID             one rule with its sources
//! impsim presets             list the presets; impsim preset ID prints one
//! ```
//! Exit codes: 0 success, 1 unreadable input or bad usage, 2 invalid scenario.

use std::io::{self, Read, Write};
use std::process::ExitCode;

use impersonation_core::{presets, rules, Error};

const USAGE: &str =
    "usage: impsim run FILE [--text] | check FILE | rules | rule ID | presets | preset ID
  run FILE         simulate FILE (a scenario in format impersonation-scenario/1; - reads stdin)
                   and print the outcome JSON; --text prints a readable trace instead
  check FILE       validate FILE and print its problems
  rules            list every rule ID with its title
  rule ID          print one rule's text and sources
  presets          list the example scenarios
  preset ID        print one example scenario's JSON
exit codes: 0 ok, 1 unreadable input or bad usage, 2 invalid scenario";

/// Decoding deep documents recurses; give it room. (The depth itself is capped before parsing.)
const STACK_BYTES: usize = 512 * 1024 * 1024;

fn main() -> ExitCode {
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
                    .map(|s| s.title)
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

fn read_input(file: &str) -> Result<String, u8> {
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
    String::from_utf8(bytes).map_err(|e| {
        eprintln!(
            "error: $: the file is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        );
        2
    })
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
    let scenario = match impersonation_core::parse(&input) {
        Ok(s) => s,
        Err(e) => return report(&e),
    };
    drop(input);
    let outcome = impersonation_core::simulate(&scenario);
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let written = if text {
        out.write_all(impersonation_core::text::render(&scenario, &outcome).as_bytes())
    } else {
        serde_json::to_writer(&mut out, &outcome)
            .map_err(io::Error::from)
            .and_then(|()| out.write_all(b"\n"))
    };
    // Dropping the scenario's step tree and the events is left to process exit.
    std::mem::forget(scenario);
    std::mem::forget(outcome);
    match written.and_then(|()| out.flush()) {
        Ok(()) => 0,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("error: cannot write the outcome: {e}");
            1
        }
    }
}

fn check(file: &str) -> u8 {
    let input = match read_input(file) {
        Ok(s) => s,
        Err(code) => return code,
    };
    match impersonation_core::parse(&input) {
        Ok(s) => print_out(&format!("ok: {}\n", s.title)),
        Err(e) => report(&e),
    }
}

fn print_out(s: &str) -> u8 {
    let mut out = io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => 0,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => 0,
        Err(_) => 1,
    }
}
