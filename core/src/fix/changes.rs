//! The change catalogue of SPEC §8.2, as data: every kind of edit the fix finder may propose, with
//! its risk tier (0 safest .. 6 riskiest), who must approve it, the scenario field it edits and
//! the commands that make the same change in the real world. A command is a template whose
//! `{placeholders}` [`Command::render`] fills from the change (`tests/changes.rs` renders every
//! one and checks its syntax: PowerShell parameters, setspn, icacls, appcmd, sc.exe, and the
//! arity and constants of every Win32 call).

/// Who must agree to a change; ranked in this order (SPEC §8.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Approver {
    ApplicationOwner,
    ResourceOwner,
    /// An SPN may be registered by a domain admin or by the account's owner.
    AccountOwner,
    DomainAdmin,
}

impl Approver {
    pub fn as_str(self) -> &'static str {
        match self {
            Approver::ApplicationOwner => "application owner",
            Approver::ResourceOwner => "resource owner",
            Approver::AccountOwner => "domain admin or the account's owner",
            Approver::DomainAdmin => "domain admin",
        }
    }
}

/// Where a command runs: the `shell` of SPEC §8.4's `commands`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shell {
    /// Windows PowerShell with the ActiveDirectory module.
    PowerShell,
    /// cmd.exe: setspn, icacls, appcmd, sc.exe.
    Cmd,
    /// A line of the application's C or C++ code.
    Code,
}

impl Shell {
    pub fn as_str(self) -> &'static str {
        match self {
            Shell::PowerShell => "powershell",
            Shell::Cmd => "cmd",
            Shell::Code => "c",
        }
    }
}

/// A command template: `{name}` stands for a value of the change (see [`PLACEHOLDERS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Command {
    pub shell: Shell,
    pub template: &'static str,
}

/// The placeholders templates may use, and what each stands for.
pub const PLACEHOLDERS: &[(&str, &str)] = &[
    (
        "account",
        "an account's sAMAccountName (APP1$ for a computer account)",
    ),
    ("target", "the account of the service delegated to"),
    (
        "principals",
        "the accounts allowed to act, existing ones included, quoted and comma-separated",
    ),
    ("spn", "a service principal name"),
    ("domain", "the scenario's domain"),
    ("user", "a user's name without its domain"),
    ("service", "the Windows service name of a process"),
    ("site", "the IIS site of a web server process"),
    ("path", "a resource's path, \\\\MACHINE\\share for a share"),
    (
        "authn_level",
        "an RPC_C_AUTHN_LEVEL_ suffix: CONNECT, PKT_PRIVACY, ...",
    ),
    (
        "imp_level",
        "an RPC_C_IMP_LEVEL_ suffix: IDENTIFY, IMPERSONATE, DELEGATE",
    ),
    (
        "authn",
        "an RPC_C_AUTHN_ suffix: GSS_KERBEROS, GSS_NEGOTIATE, WINNT",
    ),
    (
        "eoac",
        "EOAC_NONE, EOAC_STATIC_CLOAKING or EOAC_DYNAMIC_CLOAKING",
    ),
    (
        "sqos",
        "a SECURITY_ pipe level: IDENTIFICATION, IMPERSONATION, DELEGATION",
    ),
    ("pipe", "a pipe's name"),
    ("machine", "a machine's name"),
];

impl Command {
    /// The command with every `{name}` replaced by its value in `values`; a placeholder without
    /// a value is left as it is (the tests make sure none is).
    pub fn render(&self, values: &[(&str, &str)]) -> String {
        let mut out = String::with_capacity(self.template.len() + 32);
        let mut rest = self.template;
        while let Some(open) = rest.find('{') {
            let name_end = rest[open..].find('}').map(|i| open + i);
            let value = name_end.and_then(|end| {
                let name = &rest[open + 1..end];
                values
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v, end))
            });
            match value {
                Some((v, end)) => {
                    out.push_str(&rest[..open]);
                    out.push_str(v);
                    rest = &rest[end + 1..];
                }
                None => {
                    out.push_str(&rest[..=open]);
                    rest = &rest[open + 1..];
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// A kind of change (SPEC §8.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangeKind {
    /// Its name in a proposal's `kind`.
    pub id: &'static str,
    /// 0 safest .. 6 riskiest. A grant whose target is a domain controller's service is proposed
    /// at tier 6 whatever its kind's tier.
    pub tier: u8,
    pub approver: Approver,
    /// The scenario field it edits, as a path pattern.
    pub edits: &'static str,
    /// What it does, in a few words.
    pub what: &'static str,
    pub commands: &'static [Command],
}

const fn ps(template: &'static str) -> Command {
    Command {
        shell: Shell::PowerShell,
        template,
    }
}

const fn cmd(template: &'static str) -> Command {
    Command {
        shell: Shell::Cmd,
        template,
    }
}

const fn code(template: &'static str) -> Command {
    Command {
        shell: Shell::Code,
        template,
    }
}

const fn kind(
    id: &'static str,
    (tier, approver): (u8, Approver),
    edits: &'static str,
    what: &'static str,
    commands: &'static [Command],
) -> ChangeKind {
    ChangeKind {
        id,
        tier,
        approver,
        edits,
        what,
        commands,
    }
}

use Approver::*;

/// Every kind of change, safest first.
pub static CHANGES: &[ChangeKind] = &[
    kind(
        "impersonate_step",
        (0, ApplicationOwner),
        "run.steps[..].steps[..]",
        "the server impersonates its caller before the step",
        &[
            code("CoImpersonateClient();"),
            code("RpcImpersonateClient(hBinding);"),
            code("ImpersonateNamedPipeClient(hPipe);"),
        ],
    ),
    kind(
        "process_com",
        (0, ApplicationOwner),
        "processes.{process}.com",
        "the process's CoInitializeSecurity: level, impersonation level, cloaking",
        &[code(
            "CoInitializeSecurity(NULL, -1, NULL, NULL, RPC_C_AUTHN_LEVEL_{authn_level}, \
             RPC_C_IMP_LEVEL_{imp_level}, NULL, {eoac}, NULL);",
        )],
    ),
    kind(
        "call_blanket",
        (0, ApplicationOwner),
        "run.steps[..]",
        "the call's blanket: authentication service, SPN, impersonation level, cloaking",
        &[code(
            "CoSetProxyBlanket(pProxy, RPC_C_AUTHN_{authn}, RPC_C_AUTHZ_NONE, L\"{spn}\", \
             RPC_C_AUTHN_LEVEL_{authn_level}, RPC_C_IMP_LEVEL_{imp_level}, NULL, {eoac});",
        )],
    ),
    kind(
        "rpc_binding",
        (0, ApplicationOwner),
        "run.steps[..]",
        "the RPC binding authenticates with Kerberos to the SPN",
        &[
            code(
                "RPC_SECURITY_QOS qos = { RPC_C_SECURITY_QOS_VERSION, \
                 RPC_C_QOS_CAPABILITIES_MUTUAL_AUTH, RPC_C_QOS_IDENTITY_STATIC, \
                 RPC_C_IMP_LEVEL_{imp_level} };",
            ),
            code(
                "RpcBindingSetAuthInfoEx(hBinding, (RPC_WSTR)L\"{spn}\", \
                 RPC_C_AUTHN_LEVEL_{authn_level}, RPC_C_AUTHN_GSS_KERBEROS, NULL, \
                 RPC_C_AUTHZ_NONE, &qos);",
            ),
        ],
    ),
    kind(
        "pipe_level",
        (0, ApplicationOwner),
        "run.steps[..].imp_level",
        "the pipe client's security quality of service",
        &[code(
            "CreateFileW(L\"\\\\\\\\{machine}\\\\pipe\\\\{pipe}\", GENERIC_READ | GENERIC_WRITE, 0, \
             NULL, OPEN_EXISTING, SECURITY_SQOS_PRESENT | SECURITY_{sqos}, NULL);",
        )],
    ),
    kind(
        "http_process",
        (0, ApplicationOwner),
        "processes.{process}.http",
        "the web server decrypts Kerberos tickets with its application pool's account",
        &[cmd(
            "appcmd set config \"{site}\" \
             -section:system.webServer/security/authentication/windowsAuthentication \
             /useAppPoolCredentials:true /commit:apphost",
        )],
    ),
    kind(
        "acl_entry",
        (0, ResourceOwner),
        "resources.{resource}.allow",
        "the resource's ACL grants the account",
        &[cmd("icacls \"{path}\" /grant \"{domain}\\{user}:(R)\"")],
    ),
    kind(
        "spn_register",
        (0, AccountOwner),
        "accounts.{account}.spns",
        "register the SPN on the account (-S refuses a duplicate)",
        &[cmd("setspn -S {spn} {account}")],
    ),
    kind(
        "spn_move",
        (0, AccountOwner),
        "accounts.{account}.spns",
        "take the SPN off the wrong account and register it on the right one",
        &[
            cmd("setspn -D {spn} {target}"),
            cmd("setspn -S {spn} {account}"),
        ],
    ),
    kind(
        "spn_remove",
        (0, AccountOwner),
        "accounts.{account}.spns",
        "remove a duplicate SPN (setspn -X lists them)",
        &[cmd("setspn -X"), cmd("setspn -D {spn} {account}")],
    ),
    kind(
        "process_account",
        (1, ApplicationOwner),
        "processes.{process}.account",
        "run the process under another account",
        &[cmd("sc.exe config {service} obj= \"{domain}\\{user}\"")],
    ),
    kind(
        "run_as_service",
        (1, ApplicationOwner),
        "processes.{process}.kind",
        "run the program as a service: services hold SeImpersonatePrivilege (PR-3)",
        &[cmd("sc.exe create {service} binPath= \"{path}\" obj= \"{domain}\\{user}\"")],
    ),
    kind(
        "rbcd",
        (1, ResourceOwner),
        "accounts.{target}.allowed_to_act",
        "the target's account lets the front end act on behalf of its users (the cmdlet \
         replaces the list: the command repeats the accounts already in it)",
        &[
            ps("Set-ADComputer -Identity '{target}' -PrincipalsAllowedToDelegateToAccount {principals}"),
            ps("Set-ADUser -Identity '{target}' -PrincipalsAllowedToDelegateToAccount {principals}"),
        ],
    ),
    kind(
        "kcd",
        (2, DomainAdmin),
        "accounts.{account}.delegation",
        "constrained delegation to the SPN, Kerberos only",
        &[
            ps("Set-ADUser -Identity '{account}' -Add @{'msDS-AllowedToDelegateTo'='{spn}'}"),
            ps("Set-ADComputer -Identity '{account}' -Add @{'msDS-AllowedToDelegateTo'='{spn}'}"),
        ],
    ),
    kind(
        "kcd_any_protocol",
        (3, DomainAdmin),
        "accounts.{account}.delegation",
        "constrained delegation to the SPN with protocol transition",
        &[
            ps("Set-ADUser -Identity '{account}' -Add @{'msDS-AllowedToDelegateTo'='{spn}'}"),
            ps("Set-ADComputer -Identity '{account}' -Add @{'msDS-AllowedToDelegateTo'='{spn}'}"),
            ps("Set-ADAccountControl -Identity '{account}' -TrustedToAuthForDelegation $true"),
        ],
    ),
    kind(
        "client_delegate",
        (4, ApplicationOwner),
        "run.steps[..].imp_level",
        "the client lets the server delegate its identity",
        &[
            code(
                "CoSetProxyBlanket(pProxy, RPC_C_AUTHN_GSS_KERBEROS, RPC_C_AUTHZ_NONE, \
                 L\"{spn}\", RPC_C_AUTHN_LEVEL_{authn_level}, RPC_C_IMP_LEVEL_DELEGATE, NULL, \
                 {eoac});",
            ),
            code(
                "RPC_SECURITY_QOS qos = { RPC_C_SECURITY_QOS_VERSION, \
                 RPC_C_QOS_CAPABILITIES_MUTUAL_AUTH, RPC_C_QOS_IDENTITY_STATIC, \
                 RPC_C_IMP_LEVEL_DELEGATE };",
            ),
            code(
                "RpcBindingSetAuthInfoEx(hBinding, (RPC_WSTR)L\"{spn}\", \
                 RPC_C_AUTHN_LEVEL_{authn_level}, RPC_C_AUTHN_{authn}, NULL, RPC_C_AUTHZ_NONE, \
                 &qos);",
            ),
        ],
    ),
    kind(
        "explicit_credentials",
        (4, ApplicationOwner),
        "run.steps[..].steps[..]",
        "the server logs the user on with the user's password",
        &[
            code(
                "LogonUserW(L\"{user}\", L\"{domain}\", pszPassword, LOGON32_LOGON_INTERACTIVE, \
                 LOGON32_PROVIDER_DEFAULT, &hToken);",
            ),
            code("ImpersonateLoggedOnUser(hToken);"),
        ],
    ),
    kind(
        "clear_sensitive",
        (5, DomainAdmin),
        "accounts.{account}.sensitive",
        "the account may be delegated again (never proposed for an admin account)",
        &[ps("Set-ADAccountControl -Identity '{account}' -AccountNotDelegated $false")],
    ),
    kind(
        "leave_protected_users",
        (5, DomainAdmin),
        "accounts.{account}.protected_users",
        "the account leaves Protected Users (never proposed for an admin account)",
        &[ps("Remove-ADGroupMember -Identity 'Protected Users' -Members '{account}' -Confirm:$false")],
    ),
    kind(
        "unconstrained",
        (6, DomainAdmin),
        "accounts.{account}.delegation",
        "the account is trusted for delegation to any service",
        &[ps("Set-ADAccountControl -Identity '{account}' -TrustedForDelegation $true")],
    ),
];

/// The kind named `id`.
pub fn get(id: &str) -> Option<&'static ChangeKind> {
    CHANGES.iter().find(|k| k.id == id)
}
