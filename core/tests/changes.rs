//! The fix finder's change catalogue (SPEC §8.2, `core/src/fix/changes.rs`): the tiers and
//! approvers the SPEC gives, and every command rendered and checked for syntax: PowerShell
//! cmdlets of the ActiveDirectory module with their real parameter names, setspn, icacls, appcmd
//! and sc.exe argument forms, and each Win32 call's name, arity and constants.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::HashSet;

use impersonation_core::fix::changes::{get, Approver, Shell, CHANGES, PLACEHOLDERS};

/// Sample values, and the alternatives a change may put in each.
fn samples() -> Vec<Vec<(&'static str, &'static str)>> {
    let base = vec![
        ("account", "svcWeb"),
        ("target", "svcDB"),
        ("principals", "'APP1$','svcWeb'"),
        ("spn", "MSSQLSvc/db1.corp.local:1433"),
        ("domain", "CORP"),
        ("user", "alice"),
        ("service", "WebSvc"),
        ("site", "Default Web Site"),
        ("path", "\\\\FS1\\share"),
        ("authn_level", "PKT_PRIVACY"),
        ("imp_level", "IMPERSONATE"),
        ("authn", "GSS_KERBEROS"),
        ("eoac", "EOAC_DYNAMIC_CLOAKING"),
        ("sqos", "IMPERSONATION"),
        ("pipe", "sql\\query"),
        ("machine", "DB1"),
    ];
    let alternatives: &[(&str, &[&str])] = &[
        ("account", &["APP1$", "svc-app_2"]),
        ("spn", &["cifs/FS1", "HTTP/app1.corp.local"]),
        (
            "authn_level",
            &["NONE", "CONNECT", "CALL", "PKT", "PKT_INTEGRITY"],
        ),
        ("imp_level", &["ANONYMOUS", "IDENTIFY", "DELEGATE"]),
        ("authn", &["NONE", "WINNT", "GSS_NEGOTIATE", "GSS_SCHANNEL"]),
        ("eoac", &["EOAC_NONE", "EOAC_STATIC_CLOAKING"]),
        ("sqos", &["IDENTIFICATION", "DELEGATION", "ANONYMOUS"]),
        ("principals", &["'APP1$'"]),
    ];
    let mut all = vec![base.clone()];
    for (key, values) in alternatives {
        for v in *values {
            let mut s = base.clone();
            s.iter_mut().find(|(k, _)| k == key).unwrap().1 = v;
            all.push(s);
        }
    }
    all
}

#[test]
fn tiers_and_approvers_are_the_specs() {
    let want: &[(&str, u8, Approver)] = &[
        ("impersonate_step", 0, Approver::ApplicationOwner),
        ("process_com", 0, Approver::ApplicationOwner),
        ("call_blanket", 0, Approver::ApplicationOwner),
        ("rpc_binding", 0, Approver::ApplicationOwner),
        ("pipe_level", 0, Approver::ApplicationOwner),
        ("http_process", 0, Approver::ApplicationOwner),
        ("acl_entry", 0, Approver::ResourceOwner),
        ("spn_register", 0, Approver::AccountOwner),
        ("spn_move", 0, Approver::AccountOwner),
        ("spn_remove", 0, Approver::AccountOwner),
        ("process_account", 1, Approver::ApplicationOwner),
        ("run_as_service", 1, Approver::ApplicationOwner),
        ("rbcd", 1, Approver::ResourceOwner),
        ("kcd", 2, Approver::DomainAdmin),
        ("kcd_any_protocol", 3, Approver::DomainAdmin),
        ("client_delegate", 4, Approver::ApplicationOwner),
        ("explicit_credentials", 4, Approver::ApplicationOwner),
        ("clear_sensitive", 5, Approver::DomainAdmin),
        ("leave_protected_users", 5, Approver::DomainAdmin),
        ("unconstrained", 6, Approver::DomainAdmin),
    ];
    let got: Vec<(&str, u8, Approver)> =
        CHANGES.iter().map(|k| (k.id, k.tier, k.approver)).collect();
    assert_eq!(got, want);
    assert!(CHANGES.windows(2).all(|w| w[0].tier <= w[1].tier));
    assert!(Approver::ApplicationOwner < Approver::ResourceOwner);
    assert!(Approver::ResourceOwner < Approver::DomainAdmin);
    assert_eq!(get("rbcd").map(|k| k.tier), Some(1));
    assert!(get("nothing").is_none());
    for k in CHANGES {
        assert!(!k.commands.is_empty() && !k.what.is_empty(), "{}", k.id);
    }
}

#[test]
fn templates_use_only_known_placeholders_and_render_them_all() {
    let known: HashSet<&str> = PLACEHOLDERS.iter().map(|(k, _)| *k).collect();
    for k in CHANGES {
        for c in k.commands {
            let mut rest = c.template;
            while let Some(open) = rest.find('{') {
                let after = &rest[open + 1..];
                let name: String = after
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if after[name.len()..].starts_with('}') {
                    assert!(known.contains(name.as_str()), "{}: {{{name}}}", k.id);
                }
                rest = after;
            }
            let text = c.render(&samples()[0]);
            for name in &known {
                assert!(!text.contains(&format!("{{{name}}}")), "{}: {text}", k.id);
            }
        }
    }
}

#[test]
fn every_command_is_well_formed() {
    let mut fails = Vec::new();
    let mut shells = HashSet::new();
    for values in samples() {
        for k in CHANGES {
            for c in k.commands {
                shells.insert(c.shell.as_str());
                let text = c.render(&values);
                let checked = match c.shell {
                    Shell::PowerShell => powershell(&text),
                    Shell::Cmd => cmd(&text),
                    Shell::Code => code(&text),
                };
                if let Err(why) = checked {
                    fails.push(format!("{}: {why}\n    {text}", k.id));
                }
            }
        }
    }
    assert!(fails.is_empty(), "{}", fails.join("\n"));
    assert_eq!(shells.len(), 3);
}

#[test]
fn the_checkers_catch_mistakes() {
    assert!(
        powershell("Set-ADAccountControl -Identity 'svcWeb' -TrustedForDelegation $true").is_ok()
    );
    assert!(
        powershell("Set-ADAccountControl -Identity 'svcWeb' -TrustedForDelegaton $true").is_err()
    );
    assert!(
        powershell("Set-ADAccountControl -Identity 'svcWeb -TrustedForDelegation $true").is_err()
    );
    assert!(
        powershell("Set-ADUser -Identity 'a' -Add @{'msDS-AllowedToDelegateTo'='x/y'").is_err()
    );
    assert!(powershell("Set-ADAccountControl -TrustedForDelegation $true").is_err());
    assert!(cmd("setspn -S HTTP/app1 svcWeb").is_ok());
    assert!(cmd("setspn -S app1 svcWeb").is_err());
    assert!(cmd("setspn -A HTTP/app1").is_err());
    assert!(cmd("sc.exe config WebSvc obj=\"CORP\\alice\"").is_err());
    assert!(cmd("sc.exe create WebSvc binPath= \"C:\\a.exe\" obj= \"CORP\\alice\"").is_ok());
    assert!(cmd("sc.exe create WebSvc binPath=\"C:\\a.exe\" obj= \"CORP\\alice\"").is_err());
    assert!(cmd("icacls \"\\\\FS1\\share\" /grant \"CORP\\alice:(R)\"").is_ok());
    assert!(cmd("icacls \\\\FS1\\share /grant alice:R").is_err());
    assert!(code("CoImpersonateClient();").is_ok());
    assert!(code("CoImpersonateClient(x);").is_err());
    assert!(code("CoSetProxyBlanket(p, RPC_C_AUTHN_GSS_KERBEROS);").is_err());
    assert!(code("CoInitializeSecurity(NULL, -1, NULL, NULL, RPC_C_AUTHN_LEVEL_PKT_PRIVACI, RPC_C_IMP_LEVEL_IDENTIFY, NULL, EOAC_NONE, NULL);").is_err());
    assert!(code("RpcImpersonateClient(hBinding)").is_err());
}

// ---- PowerShell -------------------------------------------------------------------------

/// The cmdlets the catalogue uses and their parameters (ActiveDirectory module).
const CMDLETS: &[(&str, &[&str])] = &[
    (
        "Set-ADAccountControl",
        &[
            "Identity",
            "TrustedForDelegation",
            "TrustedToAuthForDelegation",
            "AccountNotDelegated",
        ],
    ),
    (
        "Set-ADUser",
        &[
            "Identity",
            "Add",
            "Remove",
            "PrincipalsAllowedToDelegateToAccount",
        ],
    ),
    (
        "Set-ADComputer",
        &[
            "Identity",
            "Add",
            "Remove",
            "PrincipalsAllowedToDelegateToAccount",
        ],
    ),
    ("Remove-ADGroupMember", &["Identity", "Members", "Confirm"]),
];

/// Splits at spaces outside single quotes and `@{...}`; an unclosed quote or brace is an error.
fn ps_tokens(text: &str) -> Result<Vec<String>, String> {
    let (mut tokens, mut cur, mut quote, mut brace) = (Vec::new(), String::new(), false, 0);
    for c in text.chars() {
        match c {
            '\'' => quote = !quote,
            '{' if !quote => brace += 1,
            '}' if !quote => brace -= 1,
            ' ' if !quote && brace == 0 => {
                if !cur.is_empty() {
                    tokens.push(std::mem::take(&mut cur));
                }
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    if quote || brace != 0 {
        return Err("an unclosed quote or brace".into());
    }
    tokens.push(cur);
    Ok(tokens)
}

/// A parameter's value: a quoted string, a list of them, a boolean or null, or a hashtable of
/// one quoted attribute and value.
fn ps_value(v: &str) -> bool {
    let quoted = |s: &str| s.len() >= 2 && s.starts_with('\'') && s.ends_with('\'');
    matches!(v, "$true" | "$false" | "$null")
        || v.split(',').all(quoted)
        || v.strip_prefix("@{")
            .and_then(|x| x.strip_suffix('}'))
            .and_then(|x| x.split_once('='))
            .is_some_and(|(k, val)| k == "'msDS-AllowedToDelegateTo'" && quoted(val))
}

fn powershell(text: &str) -> Result<(), String> {
    let tokens = ps_tokens(text)?;
    let (cmdlet, args) = tokens.split_first().ok_or("empty")?;
    let params = CMDLETS
        .iter()
        .find(|(name, _)| name == cmdlet)
        .map(|(_, p)| *p)
        .ok_or(format!("unknown cmdlet {cmdlet}"))?;
    let mut seen = HashSet::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let p = a
            .strip_prefix('-')
            .ok_or(format!("{a} is not a parameter"))?;
        let (name, inline) = match p.split_once(':') {
            Some((n, v)) => (n, Some(v)),
            None => (p, None),
        };
        if !params.contains(&name) {
            return Err(format!("{cmdlet} has no parameter -{name}"));
        }
        if !seen.insert(name) {
            return Err(format!("-{name} given twice"));
        }
        let value = match inline {
            Some(v) => v,
            None => it.next().ok_or(format!("-{name} needs a value"))?,
        };
        if !ps_value(value) {
            return Err(format!("-{name}: {value} is not a value"));
        }
    }
    if !seen.contains("Identity") {
        return Err("no -Identity".into());
    }
    Ok(())
}

// ---- cmd.exe ----------------------------------------------------------------------------

fn is_spn(s: &str) -> bool {
    let mut parts = s.split('/');
    let class = parts.next().unwrap_or("");
    let host = parts.next().unwrap_or("");
    !class.is_empty() && !host.is_empty() && !s.contains(' ')
}

fn cmd(text: &str) -> Result<(), String> {
    let words: Vec<&str> = text.split(' ').collect();
    match words.as_slice() {
        ["setspn", "-X"] => Ok(()),
        ["setspn", "-S" | "-D", spn, account] if is_spn(spn) && !account.is_empty() => Ok(()),
        ["setspn", ..] => Err("setspn takes -X, or -S/-D with an SPN and an account".into()),
        ["icacls", ..] => {
            // icacls "PATH" /grant "DOMAIN\user:(R)"
            let rest = text.strip_prefix("icacls \"").ok_or("the path is quoted")?;
            let (path, rest) = rest.split_once("\" /grant \"").ok_or("then /grant")?;
            let grant = rest.strip_suffix('"').ok_or("the grant is quoted")?;
            let (who, perm) = grant.rsplit_once(':').ok_or("user:(perm)")?;
            let ok = !path.is_empty()
                && who
                    .split_once('\\')
                    .is_some_and(|(d, u)| !d.is_empty() && !u.is_empty())
                && matches!(perm, "(R)" | "(M)" | "(F)");
            ok.then_some(())
                .ok_or("icacls PATH /grant DOMAIN\\user:(R)".into())
        }
        ["appcmd", "set", "config", ..] => {
            let rest = text
                .strip_prefix("appcmd set config \"")
                .ok_or("the site is quoted")?;
            let (site, rest) = rest.split_once("\" ").ok_or("a quoted site")?;
            let ok = !site.is_empty()
                && rest
                    == "-section:system.webServer/security/authentication/windowsAuthentication \
                        /useAppPoolCredentials:true /commit:apphost";
            ok.then_some(())
                .ok_or("appcmd's section and attribute".into())
        }
        ["sc.exe", "config", service, "obj=", account @ ..] => {
            let account = account.join(" ");
            let ok = !service.is_empty()
                && account.starts_with('"')
                && account.ends_with('"')
                && account.contains('\\');
            ok.then_some(())
                .ok_or("sc.exe config NAME obj= \"DOMAIN\\user\" (a space after obj=)".into())
        }
        ["sc.exe", "create", service, "binPath=", ..] => {
            // sc.exe create NAME binPath= "PATH" obj= "DOMAIN\user" (a space after each =)
            let rest = text
                .strip_prefix(&format!("sc.exe create {service} binPath= \""))
                .ok_or("a quoted binPath")?;
            let (path, account) = rest.split_once("\" obj= \"").ok_or("then obj=")?;
            let ok = !path.is_empty()
                && account.strip_suffix('"').is_some_and(|a| {
                    a.split_once('\\')
                        .is_some_and(|(d, u)| !d.is_empty() && !u.is_empty())
                });
            ok.then_some(())
                .ok_or("sc.exe create NAME binPath= \"PATH\" obj= \"DOMAIN\\user\"".into())
        }
        _ => Err(format!("unknown command {}", words[0])),
    }
}

// ---- code lines -------------------------------------------------------------------------

/// Win32 calls and their number of parameters.
const CALLS: &[(&str, usize)] = &[
    ("CoImpersonateClient", 0),
    ("RpcImpersonateClient", 1),
    ("ImpersonateNamedPipeClient", 1),
    ("CoInitializeSecurity", 9),
    ("CoSetProxyBlanket", 8),
    ("RpcBindingSetAuthInfoEx", 7),
    ("CreateFileW", 7),
    ("LogonUserW", 6),
    ("ImpersonateLoggedOnUser", 1),
];

/// The SDK's names the lines may use.
const CONSTANTS: &[&str] = &[
    "NULL",
    "RPC_C_AUTHN_LEVEL_NONE",
    "RPC_C_AUTHN_LEVEL_CONNECT",
    "RPC_C_AUTHN_LEVEL_CALL",
    "RPC_C_AUTHN_LEVEL_PKT",
    "RPC_C_AUTHN_LEVEL_PKT_INTEGRITY",
    "RPC_C_AUTHN_LEVEL_PKT_PRIVACY",
    "RPC_C_IMP_LEVEL_ANONYMOUS",
    "RPC_C_IMP_LEVEL_IDENTIFY",
    "RPC_C_IMP_LEVEL_IMPERSONATE",
    "RPC_C_IMP_LEVEL_DELEGATE",
    "RPC_C_AUTHN_NONE",
    "RPC_C_AUTHN_WINNT",
    "RPC_C_AUTHN_GSS_KERBEROS",
    "RPC_C_AUTHN_GSS_NEGOTIATE",
    "RPC_C_AUTHN_GSS_SCHANNEL",
    "RPC_C_AUTHZ_NONE",
    "EOAC_NONE",
    "EOAC_STATIC_CLOAKING",
    "EOAC_DYNAMIC_CLOAKING",
    "RPC_SECURITY_QOS",
    "RPC_C_SECURITY_QOS_VERSION",
    "RPC_C_QOS_CAPABILITIES_MUTUAL_AUTH",
    "RPC_C_QOS_IDENTITY_STATIC",
    "RPC_C_QOS_IDENTITY_DYNAMIC",
    "RPC_WSTR",
    "GENERIC_READ",
    "GENERIC_WRITE",
    "OPEN_EXISTING",
    "SECURITY_SQOS_PRESENT",
    "SECURITY_ANONYMOUS",
    "SECURITY_IDENTIFICATION",
    "SECURITY_IMPERSONATION",
    "SECURITY_DELEGATION",
    "LOGON32_LOGON_INTERACTIVE",
    "LOGON32_PROVIDER_DEFAULT",
];

/// The line without its string literals (`L"..."`, with C escapes).
fn without_strings(text: &str) -> Result<String, String> {
    let (mut out, mut in_str, mut escaped) = (String::new(), false, false);
    for c in text.chars() {
        if in_str {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_str = false,
                _ => {}
            }
        } else if c == '"' {
            in_str = true;
            out.push('S');
        } else {
            out.push(c);
        }
    }
    if in_str {
        return Err("an unclosed string".into());
    }
    Ok(out)
}

fn code(text: &str) -> Result<(), String> {
    let line = without_strings(text)?;
    let body = line.strip_suffix(';').ok_or("a statement ends with ;")?;
    for word in body.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
        let shouting = word.len() > 1
            && word.contains('_')
            && word
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
        if (shouting || word == "NULL") && !CONSTANTS.contains(&word) {
            return Err(format!("unknown constant {word}"));
        }
    }
    if let Some(init) = body.strip_prefix("RPC_SECURITY_QOS qos = {") {
        let fields = init.strip_suffix('}').ok_or("a braced initialiser")?;
        return (fields.split(',').count() == 4)
            .then_some(())
            .ok_or("RPC_SECURITY_QOS has 4 fields".into());
    }
    let (name, args) = body.split_once('(').ok_or("a call")?;
    let args = args.strip_suffix(')').ok_or("the call's parentheses")?;
    let arity = CALLS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, a)| *a)
        .ok_or(format!("unknown function {name}"))?;
    let mut depth = 0;
    let mut count = usize::from(!args.trim().is_empty());
    for c in args.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => count += 1,
            _ => {}
        }
        if depth < 0 {
            return Err("unbalanced parentheses".into());
        }
    }
    if depth != 0 || count != arity {
        return Err(format!("{name} takes {arity} arguments, found {count}"));
    }
    Ok(())
}
