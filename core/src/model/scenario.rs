//! The scenario, format `impersonation-scenario/1` (SPEC §2), as typed Rust values.
//!
//! Every field holds the value the JSON gave or its documented default; choices whose default
//! depends on context (`"default"` levels, an unset transport or SPN) stay explicit here and are
//! resolved by the engine, so that a scenario exported again reads as the user wrote it.

use crate::rules::RuleId;
use indexmap::IndexMap;

use super::enums::*;

/// The exact value of the `format` field.
pub const SCENARIO_FORMAT: &str = "impersonation-scenario/1";

/// Built-in accounts: they need no declaration (SPEC §2.1).
pub const BUILTIN_ACCOUNTS: [&str; 4] = [
    "LocalSystem",
    "NetworkService",
    "LocalService",
    "ApplicationPoolIdentity",
];

/// Groups a resource's `allow` list may name (AC-5).
pub const GROUPS: [&str; 3] = ["Everyone", "Authenticated Users", "ANONYMOUS LOGON"];

#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub title: String,
    pub description: Option<String>,
    pub domain: String,
    pub options: Options,
    pub machines: Vec<String>,
    /// SPEC §7.4: the machines that are domain controllers (their computer accounts are trusted
    /// for unconstrained delegation and own `ldap/`, `GC/` and `DNS/` SPNs without listing them).
    pub domain_controllers: Vec<String>,
    pub accounts: IndexMap<String, Account>,
    pub processes: IndexMap<String, Process>,
    pub resources: IndexMap<String, Resource>,
    pub run: Run,
    /// Expectations by step label (SPEC §8.1), in the document's order. A list, not a map:
    /// there are a few, and a map type of its own would cost the playground's download.
    pub expect: Vec<(String, Vec<super::expect::Expect>)>,
}

/// The AM-* switches of rules.md §13 (SPEC §2.6). All false by default except AM-3's (§7.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// AM-1: some providers treat Anonymous and Identify as Impersonate off ncalrpc.
    pub provider_bumps_to_impersonate: bool,
    /// AM-3 / NP-3: a remote pipe's level comes from the server account's delegation flag.
    pub remote_pipe_level_from_server_account: bool,
    /// AM-11: a COM call whose DELEGATE cannot be honoured fails with RPC_S_SEC_PKG_ERROR.
    pub com_fails_on_delegate_failure: bool,
    /// AM-10: static identity tracking captures at the first call, not at RpcBindingSetAuthInfo.
    pub static_tracking_at_first_call: bool,
    /// AC-5: the anonymous token includes Everyone.
    pub everyone_includes_anonymous: bool,
    /// AM-15: S4U2proxy without the resource-based delegation bit (a front end before 2012).
    pub s4u_without_rbcd_bit: bool,
    /// Turns off CO-3 and CO-6: no save and restore across nested calls.
    pub traditional_nesting: bool,
}

impl Default for Options {
    fn default() -> Options {
        let mut o = Options {
            provider_bumps_to_impersonate: false,
            remote_pipe_level_from_server_account: false,
            com_fails_on_delegate_failure: false,
            static_tracking_at_first_call: false,
            everyone_includes_anonymous: false,
            s4u_without_rbcd_bit: false,
            traditional_nesting: false,
        };
        for (name, _) in Options::ON_BY_DEFAULT {
            o.set(name, true);
        }
        o
    }
}

impl Options {
    /// Every switch: its JSON name and the rule it selects.
    pub const FIELDS: [(&'static str, RuleId); 7] = [
        ("provider_bumps_to_impersonate", RuleId::Am1),
        ("remote_pipe_level_from_server_account", RuleId::Am3),
        ("com_fails_on_delegate_failure", RuleId::Am11),
        ("static_tracking_at_first_call", RuleId::Am10),
        ("everyone_includes_anonymous", RuleId::Ac5),
        ("s4u_without_rbcd_bit", RuleId::Am15),
        ("traditional_nesting", RuleId::Co3),
    ];

    /// The switches on by default, and the rule that puts each on. SM-2: the changed AM-3 reads
    /// a remote pipe's level from the server's account by default.
    pub const ON_BY_DEFAULT: [(&'static str, RuleId); 1] =
        [("remote_pipe_level_from_server_account", RuleId::Sm2)];

    /// The rule that puts the switch `name` on by default, if one does.
    pub fn on_by_default(name: &str) -> Option<RuleId> {
        Options::ON_BY_DEFAULT
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, rule)| *rule)
    }

    /// The switch `name`, to read or to set.
    fn slot(&mut self, name: &str) -> Option<&mut bool> {
        Some(match name {
            "provider_bumps_to_impersonate" => &mut self.provider_bumps_to_impersonate,
            "remote_pipe_level_from_server_account" => {
                &mut self.remote_pipe_level_from_server_account
            }
            "com_fails_on_delegate_failure" => &mut self.com_fails_on_delegate_failure,
            "static_tracking_at_first_call" => &mut self.static_tracking_at_first_call,
            "everyone_includes_anonymous" => &mut self.everyone_includes_anonymous,
            "s4u_without_rbcd_bit" => &mut self.s4u_without_rbcd_bit,
            "traditional_nesting" => &mut self.traditional_nesting,
            _ => return None,
        })
    }

    pub fn get(&self, name: &str) -> Option<bool> {
        let mut copy = *self;
        copy.slot(name).map(|on| *on)
    }

    pub fn set(&mut self, name: &str, value: bool) -> bool {
        self.slot(name).map(|on| *on = value).is_some()
    }
}

/// A domain account, or a computer account `<MACHINE>$` given delegation settings (SPEC §2.1).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Account {
    pub spns: Vec<String>,
    pub delegation: Delegation,
    pub allowed_to_act: Vec<String>,
    pub sensitive: bool,
    pub protected_users: bool,
    /// SPEC §7.4: a member of Domain Admins or another privileged group.
    pub admin: bool,
}

/// The account's delegation setting in Active Directory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Delegation {
    #[default]
    None,
    /// TRUSTED_FOR_DELEGATION.
    Unconstrained,
    /// msDS-AllowedToDelegateTo; `any_protocol` is TRUSTED_TO_AUTH_FOR_DELEGATION.
    Constrained {
        services: Vec<String>,
        any_protocol: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Process {
    pub machine: String,
    pub account: String,
    pub kind: ProcessKind,
    pub com: ComSecurity,
    pub threading: Threading,
    /// SPEC §7.3: how the process serves HTTP.
    pub http: HttpSettings,
}

/// A web server's Windows authentication settings (SPEC §7.3, HT-2, HT-7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpSettings {
    /// HTTP.sys decrypts Kerberos tickets with the computer account's key (HT-2).
    pub kernel_mode: bool,
    /// With kernel mode: the process account's key instead (useAppPoolCredentials).
    pub use_app_pool_credentials: bool,
    /// The request runs in a process of the client's own network logon (WinRM, HT-7).
    pub runs_as_client: bool,
}

impl HttpSettings {
    /// HT-2: kernel-mode authentication is on by default in IIS.
    pub const DEFAULT: HttpSettings = HttpSettings {
        kernel_mode: true,
        use_app_pool_credentials: false,
        runs_as_client: false,
    };
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings::DEFAULT
    }
}

/// What the process passed to CoInitializeSecurity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ComSecurity {
    pub authn_level: AuthnLevel,
    pub imp_level: ImpLevel,
    pub cloaking: Cloaking,
}

impl ComSecurity {
    pub const DEFAULT: ComSecurity = ComSecurity {
        authn_level: AuthnLevel::Connect,
        imp_level: ImpLevel::Identify,
        cloaking: Cloaking::None,
    };
}

impl Default for ComSecurity {
    fn default() -> Self {
        ComSecurity::DEFAULT
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    pub machine: String,
    pub allow: Vec<String>,
    /// `None`: `cifs/<MACHINE>`.
    pub spn: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub process: String,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub label: Option<String>,
    pub action: Action,
}

/// What a step does: its `do` field and the fields that go with it (SPEC §2.4).
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Boxed: a call is four times the size of any other action, and most steps are not calls
    /// (a step is 56 bytes instead of 160: a million-step scenario takes 100 MB less memory).
    Call(Box<Call>),
    Impersonate,
    Revert,
    LogonUser {
        account: String,
    },
    SetBlanket(SetBlanket),
    Access {
        resource: String,
    },
    AccessCheck {
        resource: String,
    },
    OpenThreadToken {
        as_self: bool,
    },
    DuplicateToken {
        level: DupLevel,
    },
    Whoami,
}

impl Action {
    /// The `do` spelling.
    pub fn name(&self) -> &'static str {
        self.kind().as_str()
    }

    /// Every `do` spelling, in SPEC order ([`StepKind`]'s).
    pub const NAMES: [&'static str; 10] = {
        let names = <StepKind as Vocabulary>::NAMES;
        assert!(names.len() == 10);
        let mut out = [""; 10];
        let mut i = 0;
        while i < 10 {
            out[i] = names[i];
            i += 1;
        }
        out
    };
}

/// An outgoing call (SPEC §2.5). In a `call` step `peer` is the callee (`to`); in a `meanwhile`
/// entry it is the caller (`from`), and the callee is the process waiting for the enclosing call.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub peer: String,
    pub api: Api,
    pub transport: Option<Transport>,
    pub authn: Authn,
    pub authn_level: AuthnLevel,
    pub imp_level: ImpLevel,
    pub mutual_auth: bool,
    /// `None`: the default SPN; `Some("")`: a NULL principal name.
    pub spn: Option<String>,
    /// `None`: the caller process's `com.cloaking` (COM only).
    pub cloaking: Option<Cloaking>,
    /// `None`: static (RPC and pipes).
    pub tracking: Option<Tracking>,
    pub ignore_delegate_failure: bool,
    pub proxy: Option<String>,
    pub steps: Vec<Step>,
    pub meanwhile: Vec<Meanwhile>,
}

/// A call that arrives at the caller while it waits for the enclosing call's reply
/// (the D of CO-3). `call.peer` is the process making it (`from`).
#[derive(Debug, Clone, PartialEq)]
pub struct Meanwhile {
    pub label: Option<String>,
    pub call: Call,
}

impl Call {
    /// A call with every field at its default ([`Call::BLANK`]).
    pub fn new(peer: impl Into<String>) -> Call {
        Call {
            peer: peer.into(),
            ..Call::BLANK
        }
    }
}

/// CoSetProxyBlanket on a named proxy (or RpcBindingSetAuthInfoEx on a named binding).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetBlanket {
    pub proxy: String,
    pub authn: Option<Authn>,
    pub authn_level: Option<AuthnLevel>,
    pub imp_level: Option<ImpLevel>,
    pub cloaking: Option<Cloaking>,
}

impl Scenario {
    /// An empty scenario with one machine and one process: the playground's blank start.
    pub fn blank() -> Scenario {
        let mut processes = IndexMap::new();
        processes.insert(
            "client".to_string(),
            Process {
                machine: "WS1".into(),
                account: "alice".into(),
                kind: ProcessKind::User,
                com: ComSecurity::default(),
                threading: Threading::Sta,
                http: HttpSettings::default(),
            },
        );
        let mut accounts = IndexMap::new();
        accounts.insert("alice".to_string(), Account::default());
        Scenario {
            title: "Untitled scenario".into(),
            description: None,
            domain: "CORP".into(),
            options: Options::default(),
            machines: vec!["WS1".into()],
            domain_controllers: Vec::new(),
            accounts,
            processes,
            resources: IndexMap::new(),
            run: Run {
                process: "client".into(),
                steps: vec![Step {
                    label: None,
                    action: Action::Whoami,
                }],
            },
            expect: Vec::new(),
        }
    }
}
