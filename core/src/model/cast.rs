//! The cast schema (SPEC §2.1–2.3, §7.3, §7.4): which fields an account, its constrained
//! delegation, a process, its `com` and `http` settings and a resource take, in the order the
//! format lists them, what each field holds, which are required, and how a field is read from
//! and written to a typed entry.
//!
//! This is the one place that knows a cast entry's fields, as model/schema.rs is for steps. The
//! tree decoder, the encoder, the re-read check and the playground's cast editor all go through
//! it. The defaults are the entries' blanks ([`Account::BLANK`], [`Process::BLANK`],
//! [`Resource::BLANK`]): a field whose value is its blank's is left out when written.

use super::enums::*;
use super::scenario::*;
use crate::rules::RuleId;

use CastField as F;

/// What a cast field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CastShape {
    /// A name: a string that is not blank.
    Name,
    /// An array of names.
    Names,
    /// A word of a vocabulary: these spellings.
    Word(&'static [&'static str]),
    /// `true` or `false`.
    Flag,
    /// An object of these fields, held by the entry itself (a process's `com` and `http`).
    Object(CastEntry),
    /// An account's delegation: `"none"`, `"unconstrained"`, or an object of these fields (its
    /// constrained delegation).
    Choice(CastEntry),
}

/// A cast field's value as an entry holds it ([`CastFields::get`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CastGot<'a> {
    Str(&'a str),
    Flag(bool),
    List(&'a [String]),
    /// An object whose fields the entry holds ([`CastShape::Object`], [`CastShape::Choice`]).
    Object,
}

/// A cast field's value as a reader or an editor hands it over ([`CastFields::set`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CastVal<'a> {
    Str(&'a str),
    Flag(bool),
    List(Vec<String>),
}

/// What a set of cast fields belongs to: an entry kind, or an object inside one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CastEntry {
    Account,
    /// An account's `delegation` object (constrained delegation).
    Delegation,
    Process,
    /// A process's `com`: what it passed to CoInitializeSecurity.
    Com,
    /// A process's `http` (SPEC §7.3).
    Http,
    Resource,
}

const ACCOUNT: [F; 6] = [
    F::Spns,
    F::Delegation,
    F::AllowedToAct,
    F::Sensitive,
    F::ProtectedUsers,
    F::Admin,
];
const DELEGATION: [F; 2] = [F::Constrained, F::AnyProtocol];
const PROCESS: [F; 6] = [
    F::Machine,
    F::Account,
    F::Kind,
    F::Com,
    F::Threading,
    F::Http,
];
const COM: [F; 3] = [F::AuthnLevel, F::ImpLevel, F::Cloaking];
const HTTP: [F; 3] = [F::KernelMode, F::UseAppPoolCredentials, F::RunsAsClient];
const RESOURCE: [F; 3] = [F::Machine, F::Allow, F::Spn];

/// The fields of each entry by JSON name (what the decoder's "unknown field" message lists).
pub const ACCOUNT_FIELDS: &[&str] = &F::spell(ACCOUNT);
pub const DELEGATION_FIELDS: &[&str] = &F::spell(DELEGATION);
pub const PROCESS_FIELDS: &[&str] = &F::spell(PROCESS);
pub const COM_FIELDS: &[&str] = &F::spell(COM);
pub const HTTP_FIELDS: &[&str] = &F::spell(HTTP);
pub const RESOURCE_FIELDS: &[&str] = &F::spell(RESOURCE);

impl CastEntry {
    /// Its fields, in the format's order.
    pub const fn fields(self) -> &'static [CastField] {
        match self {
            CastEntry::Account => &ACCOUNT,
            CastEntry::Delegation => &DELEGATION,
            CastEntry::Process => &PROCESS,
            CastEntry::Com => &COM,
            CastEntry::Http => &HTTP,
            CastEntry::Resource => &RESOURCE,
        }
    }

    /// Its fields' JSON names, in [`CastEntry::fields`]' order.
    pub const fn names(self) -> &'static [&'static str] {
        match self {
            CastEntry::Account => ACCOUNT_FIELDS,
            CastEntry::Delegation => DELEGATION_FIELDS,
            CastEntry::Process => PROCESS_FIELDS,
            CastEntry::Com => COM_FIELDS,
            CastEntry::Http => HTTP_FIELDS,
            CastEntry::Resource => RESOURCE_FIELDS,
        }
    }
}

impl CastField {
    /// What the field holds.
    pub const fn shape(self) -> CastShape {
        match self {
            F::Spns | F::AllowedToAct | F::Constrained | F::Allow => CastShape::Names,
            F::Machine | F::Account | F::Spn => CastShape::Name,
            F::Delegation => CastShape::Choice(CastEntry::Delegation),
            F::Com => CastShape::Object(CastEntry::Com),
            F::Http => CastShape::Object(CastEntry::Http),
            F::Kind => CastShape::Word(<ProcessKind as Vocabulary>::NAMES),
            F::Threading => CastShape::Word(<Threading as Vocabulary>::NAMES),
            F::AuthnLevel => CastShape::Word(<AuthnLevel as Vocabulary>::NAMES),
            F::ImpLevel => CastShape::Word(<ImpLevel as Vocabulary>::NAMES),
            F::Cloaking => CastShape::Word(<Cloaking as Vocabulary>::NAMES),
            F::Sensitive
            | F::ProtectedUsers
            | F::Admin
            | F::AnyProtocol
            | F::KernelMode
            | F::UseAppPoolCredentials
            | F::RunsAsClient => CastShape::Flag,
        }
    }

    /// Whether an entry that takes the field must have it: a process's machine and account, a
    /// resource's machine and ACL, the SPNs of a constrained delegation.
    pub const fn required(self) -> bool {
        matches!(self, F::Machine | F::Account | F::Allow | F::Constrained)
    }

    /// What the decoder says when a required field is missing.
    pub const fn missing(self) -> &'static str {
        match self {
            F::Constrained => "missing required field (the list of SPNs it may delegate to)",
            _ => "missing required field",
        }
    }

    /// Why the field refuses `"default"`, a word of its vocabulary: CoInitializeSecurity takes
    /// explicit levels (a `com` setting; for the impersonation level, BL-1).
    pub const fn refuses_default(self) -> Option<&'static str> {
        match self {
            F::AuthnLevel => Some("CoInitializeSecurity takes an explicit level; leave the field out for the default \"connect\""),
            F::ImpLevel => Some("RPC_C_IMP_LEVEL_DEFAULT is not allowed in CoInitializeSecurity (BL-1); leave the field out for the default \"identify\""),
            _ => None,
        }
    }

    /// How the playground's cast editor names the field.
    pub const fn title(self) -> &'static str {
        match self {
            F::Spns => "SPNs",
            F::Delegation => "Delegation",
            F::AllowedToAct => "Allowed to act on behalf (RBCD)",
            F::Sensitive => "Sensitive, cannot be delegated",
            F::ProtectedUsers => "Protected Users",
            F::Admin => "Admin (Domain Admins or another privileged group)",
            F::Constrained => "May delegate to (SPNs)",
            F::AnyProtocol => "Use any authentication protocol (protocol transition)",
            F::Machine => "Machine",
            F::Account => "Account",
            F::Kind => "Kind",
            F::Com => "CoInitializeSecurity",
            F::Threading => "Threading",
            F::Http => "HTTP",
            F::AuthnLevel => "CoInitializeSecurity authn level",
            F::ImpLevel => "CoInitializeSecurity imp level",
            F::Cloaking => "Cloaking",
            F::KernelMode => "HTTP: kernel-mode authentication",
            F::UseAppPoolCredentials => "HTTP: useAppPoolCredentials",
            F::RunsAsClient => "HTTP: runs as the client",
            F::Allow => "ACL: allowed principals",
            F::Spn => "SPN when opened remotely",
        }
    }

    /// The rule that says what the field changes, where one rule does (the playground shows it
    /// by the field): a process's kind, whether it holds SeImpersonatePrivilege (PR-3); its
    /// threading, whether impersonation nests (CO-3); its http settings, which key decrypts a
    /// ticket (HT-2) and whether the request runs as the client (HT-7).
    pub const fn rule(self) -> Option<RuleId> {
        match self {
            F::Kind => Some(RuleId::Pr3),
            F::Threading => Some(RuleId::Co3),
            F::KernelMode | F::UseAppPoolCredentials => Some(RuleId::Ht2),
            F::RunsAsClient => Some(RuleId::Ht7),
            _ => None,
        }
    }
}

/// What holds a cast entry's fields: an account, a process or a resource. A process holds the
/// fields of its `com` and `http` objects, an account those of its constrained delegation.
pub trait CastFields {
    /// Which fields it takes.
    fn entry(&self) -> CastEntry;
    /// An entry of its kind with every field at its default ([`Account::BLANK`],
    /// [`Process::BLANK`], [`Resource::BLANK`]).
    fn blank(&self) -> &'static dyn CastFields;
    /// The value of a field; `None` for an optional one it lacks (a resource's `spn`), or a field
    /// not its own. An object's value is [`CastGot::Object`] when it is there.
    fn get(&self, f: CastField) -> Option<CastGot<'_>>;
    /// Sets a field; `None` (and no change) when the value is not one the field takes. An
    /// optional name set to `""` is taken away.
    fn set(&mut self, f: CastField, v: CastVal) -> Option<()>;
}

impl dyn CastFields + '_ {
    /// Whether a field is at its blank's value (the encoder leaves it out): a list when empty,
    /// an object when each of its fields is.
    pub fn at_default(&self, f: CastField) -> bool {
        match (f.shape(), self.get(f)) {
            (CastShape::Object(inner), _) => inner.fields().iter().all(|&g| self.at_default(g)),
            (_, Some(CastGot::List(l))) => l.is_empty(),
            (_, got) => match (got, self.blank().get(f)) {
                (Some(CastGot::Str(a)), Some(CastGot::Str(b))) => a == b,
                (Some(CastGot::Flag(a)), Some(CastGot::Flag(b))) => a == b,
                (got, blank) => got.is_none() && blank.is_none(),
            },
        }
    }

    /// Puts a field back at its blank's value (an object's fields each).
    pub fn clear(&mut self, f: CastField) {
        if let CastShape::Object(inner) = f.shape() {
            return inner.fields().iter().for_each(|&g| self.clear(g));
        }
        let v = match self.blank().get(f) {
            Some(CastGot::Str(s)) => CastVal::Str(s),
            Some(CastGot::Flag(on)) => CastVal::Flag(on),
            Some(CastGot::List(_)) => CastVal::List(Vec::new()),
            Some(CastGot::Object) | None => CastVal::Str(""),
        };
        _ = self.set(f, v);
    }
}

static ACCOUNT_BLANK: Account = Account::BLANK;
static PROCESS_BLANK: Process = Process::BLANK;
static RESOURCE_BLANK: Resource = Resource::BLANK;

impl Account {
    /// An account with every field at its default: no SPN, no delegation, no flag.
    pub const BLANK: Account = Account {
        spns: Vec::new(),
        delegation: Delegation::None,
        allowed_to_act: Vec::new(),
        sensitive: false,
        protected_users: false,
        admin: false,
    };
}

impl Process {
    /// A process with every field at its default (SPEC §2.2, §7.3) and no machine or account:
    /// the one statement of a process's defaults.
    pub const BLANK: Process = Process {
        machine: String::new(),
        account: String::new(),
        kind: ProcessKind::Service,
        com: ComSecurity::DEFAULT,
        threading: Threading::Sta,
        http: HttpSettings::DEFAULT,
    };
}

impl Resource {
    /// A resource with no machine, an empty ACL and the default SPN.
    pub const BLANK: Resource = Resource {
        machine: String::new(),
        allow: Vec::new(),
        spn: None,
    };
}

impl CastFields for Account {
    fn entry(&self) -> CastEntry {
        CastEntry::Account
    }

    fn blank(&self) -> &'static dyn CastFields {
        &ACCOUNT_BLANK
    }

    fn get(&self, f: CastField) -> Option<CastGot<'_>> {
        let constrained = match &self.delegation {
            Delegation::Constrained {
                services,
                any_protocol,
            } => Some((services, *any_protocol)),
            _ => None,
        };
        Some(match f {
            F::Spns => CastGot::List(&self.spns),
            F::AllowedToAct => CastGot::List(&self.allowed_to_act),
            F::Sensitive => CastGot::Flag(self.sensitive),
            F::ProtectedUsers => CastGot::Flag(self.protected_users),
            F::Admin => CastGot::Flag(self.admin),
            F::Delegation => match self.delegation {
                Delegation::None => CastGot::Str("none"),
                Delegation::Unconstrained => CastGot::Str("unconstrained"),
                Delegation::Constrained { .. } => CastGot::Object,
            },
            F::Constrained => CastGot::List(constrained.map_or(&[][..], |c| c.0)),
            F::AnyProtocol => CastGot::Flag(constrained.is_some_and(|c| c.1)),
            _ => return None,
        })
    }

    /// `delegation`: `"none"`, `"unconstrained"` or `"constrained"` (which keeps a constrained
    /// delegation's settings); `constrained` and `any_protocol` set a constrained delegation's.
    fn set(&mut self, f: CastField, v: CastVal) -> Option<()> {
        let d = &mut self.delegation;
        match (f, v, d) {
            (F::Spns, CastVal::List(l), _) => self.spns = l,
            (F::AllowedToAct, CastVal::List(l), _) => self.allowed_to_act = l,
            (F::Sensitive, CastVal::Flag(on), _) => self.sensitive = on,
            (F::ProtectedUsers, CastVal::Flag(on), _) => self.protected_users = on,
            (F::Admin, CastVal::Flag(on), _) => self.admin = on,
            (F::Constrained, CastVal::List(l), Delegation::Constrained { services, .. }) => {
                *services = l
            }
            (F::AnyProtocol, CastVal::Flag(on), Delegation::Constrained { any_protocol, .. }) => {
                *any_protocol = on
            }
            (F::Delegation, CastVal::Str(w), d) => match w {
                "none" => *d = Delegation::None,
                "unconstrained" => *d = Delegation::Unconstrained,
                "constrained" if matches!(d, Delegation::Constrained { .. }) => {}
                "constrained" => {
                    *d = Delegation::Constrained {
                        services: Vec::new(),
                        any_protocol: false,
                    }
                }
                _ => return None,
            },
            _ => return None,
        }
        Some(())
    }
}

impl CastFields for Process {
    fn entry(&self) -> CastEntry {
        CastEntry::Process
    }

    fn blank(&self) -> &'static dyn CastFields {
        &PROCESS_BLANK
    }

    fn get(&self, f: CastField) -> Option<CastGot<'_>> {
        let (com, http) = (&self.com, &self.http);
        Some(match f {
            F::Machine => CastGot::Str(&self.machine),
            F::Account => CastGot::Str(&self.account),
            F::Kind => CastGot::Str(self.kind.as_str()),
            F::Threading => CastGot::Str(self.threading.as_str()),
            F::Com | F::Http => CastGot::Object,
            F::AuthnLevel => CastGot::Str(com.authn_level.as_str()),
            F::ImpLevel => CastGot::Str(com.imp_level.as_str()),
            F::Cloaking => CastGot::Str(com.cloaking.as_str()),
            F::KernelMode => CastGot::Flag(http.kernel_mode),
            F::UseAppPoolCredentials => CastGot::Flag(http.use_app_pool_credentials),
            F::RunsAsClient => CastGot::Flag(http.runs_as_client),
            _ => return None,
        })
    }

    fn set(&mut self, f: CastField, v: CastVal) -> Option<()> {
        let (com, http) = (&mut self.com, &mut self.http);
        match (f, v) {
            (F::Machine, CastVal::Str(s)) => self.machine = s.to_string(),
            (F::Account, CastVal::Str(s)) => self.account = s.to_string(),
            (F::Kind, CastVal::Str(s)) => self.kind = ProcessKind::parse(s)?,
            (F::Threading, CastVal::Str(s)) => self.threading = Threading::parse(s)?,
            (F::AuthnLevel, CastVal::Str(s)) => com.authn_level = AuthnLevel::parse(s)?,
            (F::ImpLevel, CastVal::Str(s)) => com.imp_level = ImpLevel::parse(s)?,
            (F::Cloaking, CastVal::Str(s)) => com.cloaking = Cloaking::parse(s)?,
            (F::KernelMode, CastVal::Flag(on)) => http.kernel_mode = on,
            (F::UseAppPoolCredentials, CastVal::Flag(on)) => http.use_app_pool_credentials = on,
            (F::RunsAsClient, CastVal::Flag(on)) => http.runs_as_client = on,
            _ => return None,
        }
        Some(())
    }
}

impl CastFields for Resource {
    fn entry(&self) -> CastEntry {
        CastEntry::Resource
    }

    fn blank(&self) -> &'static dyn CastFields {
        &RESOURCE_BLANK
    }

    fn get(&self, f: CastField) -> Option<CastGot<'_>> {
        match f {
            F::Machine => Some(CastGot::Str(&self.machine)),
            F::Allow => Some(CastGot::List(&self.allow)),
            F::Spn => self.spn.as_deref().map(CastGot::Str),
            _ => None,
        }
    }

    fn set(&mut self, f: CastField, v: CastVal) -> Option<()> {
        match (f, v) {
            (F::Machine, CastVal::Str(s)) => self.machine = s.to_string(),
            (F::Allow, CastVal::List(l)) => self.allow = l,
            (F::Spn, CastVal::Str(s)) => self.spn = (!s.is_empty()).then(|| s.to_string()),
            _ => return None,
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_lists_its_fields_once_and_names_them() {
        let all = [
            CastEntry::Account,
            CastEntry::Delegation,
            CastEntry::Process,
            CastEntry::Com,
            CastEntry::Http,
            CastEntry::Resource,
        ];
        for entry in all {
            let names: Vec<&str> = entry.fields().iter().map(|f| f.as_str()).collect();
            assert_eq!(entry.names(), names);
        }
        // Every field belongs to some entry.
        for f in <CastField as Vocabulary>::ALL {
            assert!(all.iter().any(|e| e.fields().contains(f)), "{f}");
        }
    }
}
