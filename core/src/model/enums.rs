//! The closed vocabularies of the scenario format (SPEC §2), each with its JSON spelling.
//!
//! Every enum here round-trips through [`Vocabulary::as_str`] and [`Vocabulary::parse`], and
//! lists its spellings in [`Vocabulary::ALL`] so that error messages and the playground's
//! pickers can show every choice.

/// A closed set of JSON strings.
pub trait Vocabulary: Sized + Copy + 'static {
    /// Every value, in the order the documentation lists them.
    const ALL: &'static [Self];
    /// Their JSON spellings, in the same order.
    const NAMES: &'static [&'static str];
    /// The JSON spelling.
    fn as_str(self) -> &'static str;
    /// The value spelled `s`, if any.
    fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.as_str() == s)
    }
    /// `"a", "b" or "c"`, for error messages.
    fn choices() -> String {
        choices(Self::NAMES)
    }
}

/// `"a", "b" or "c"`: the spellings of a vocabulary, for error messages (one function for every
/// vocabulary, not one per type).
pub fn choices(spellings: &[&str]) -> String {
    let names: Vec<String> = spellings.iter().map(|v| format!("\"{v}\"")).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {}", rest.join(", "), last),
        _ => names.join(""),
    }
}

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }
        impl Vocabulary for $name {
            const ALL: &'static [Self] = &[$(Self::$variant),+];
            const NAMES: &'static [&'static str] = &[$($text),+];
            fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }
            // A match is faster than the default's search, and larger: for the fast reader,
            // which is not in the playground.
            #[cfg(feature = "fast-read")]
            fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some(Self::$variant),)+ _ => None }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl $name {
            /// The spellings of `words`, at compile time (a schema's list of field names).
            #[allow(dead_code)]
            pub(crate) const fn spell<const N: usize>(words: [Self; N]) -> [&'static str; N] {
                let mut out = [""; N];
                let mut i = 0;
                while i < N {
                    out[i] = <Self as Vocabulary>::NAMES[words[i] as usize];
                    i += 1;
                }
                out
            }
        }
    };
}

vocabulary! {
    /// What a step does: its `do` (SPEC §2.4). Which fields each kind takes is
    /// [`StepKind::fields`] (model/schema.rs).
    StepKind {
        Call = "call",
        Impersonate = "impersonate",
        Revert = "revert",
        LogonUser = "logon_user",
        SetBlanket = "set_blanket",
        Access = "access",
        AccessCheck = "access_check",
        OpenThreadToken = "open_thread_token",
        DuplicateToken = "duplicate_token",
        Whoami = "whoami",
    }
}

vocabulary! {
    /// Every field a step or a `meanwhile` entry may have (SPEC §2.4, §2.5), named after its
    /// JSON key; what each holds and which kinds take it is model/schema.rs.
    StepField {
        Do = "do",
        Label = "label",
        To = "to",
        From = "from",
        Api = "api",
        Transport = "transport",
        Authn = "authn",
        AuthnLevel = "authn_level",
        ImpLevel = "imp_level",
        MutualAuth = "mutual_auth",
        Spn = "spn",
        Cloaking = "cloaking",
        Tracking = "tracking",
        IgnoreDelegateFailure = "ignore_delegate_failure",
        Proxy = "proxy",
        Steps = "steps",
        Meanwhile = "meanwhile",
        Account = "account",
        Resource = "resource",
        AsSelf = "as_self",
        Level = "level",
    }
}

vocabulary! {
    /// Every field of a cast entry (an account, its constrained delegation, a process, its `com`
    /// and `http` settings, a resource; SPEC §2.1–2.3, §7.3, §7.4), named after its JSON key;
    /// what each holds and which entry takes it is model/cast.rs.
    CastField {
        Spns = "spns",
        Delegation = "delegation",
        AllowedToAct = "allowed_to_act",
        Sensitive = "sensitive",
        ProtectedUsers = "protected_users",
        Admin = "admin",
        Constrained = "constrained",
        AnyProtocol = "any_protocol",
        Machine = "machine",
        Account = "account",
        Kind = "kind",
        Com = "com",
        Threading = "threading",
        Http = "http",
        AuthnLevel = "authn_level",
        ImpLevel = "imp_level",
        Cloaking = "cloaking",
        KernelMode = "kernel_mode",
        UseAppPoolCredentials = "use_app_pool_credentials",
        RunsAsClient = "runs_as_client",
        Allow = "allow",
        Spn = "spn",
    }
}

vocabulary! {
    /// A process's kind (SPEC §2.2): whether it holds SeImpersonatePrivilege (PR-3).
    ProcessKind { Service = "service", User = "user" }
}

vocabulary! {
    /// COM apartment of a process (CO-3).
    Threading { Sta = "sta", Mta = "mta" }
}

vocabulary! {
    /// Which API family a call and its server-side impersonation use.
    Api { Com = "com", Rpc = "rpc", Pipe = "pipe", Http = "http" }
}

vocabulary! {
    /// RPC protocol sequence.
    Transport { Ncalrpc = "ncalrpc", NcacnIpTcp = "ncacn_ip_tcp", NcacnNp = "ncacn_np" }
}

vocabulary! {
    /// Authentication service requested on a call (`default` resolves per SPEC §2.5).
    Authn {
        Default = "default",
        None = "none",
        Ntlm = "ntlm",
        Kerberos = "kerberos",
        Negotiate = "negotiate",
        Schannel = "schannel",
        /// HTTP only (SPEC §7.3, HT-6): the password, logged on by the server.
        Basic = "basic",
        /// HTTP only (SPEC §7.3, CR-1): the client delegates its credentials.
        Credssp = "credssp",
    }
}

vocabulary! {
    /// Authentication level, ordered from weakest to strongest (AL-1, §1.3 of rules.md).
    /// `Default` sorts first and is never an effective level.
    AuthnLevel {
        Default = "default",
        None = "none",
        Connect = "connect",
        Call = "call",
        Pkt = "pkt",
        PktIntegrity = "pkt_integrity",
        PktPrivacy = "pkt_privacy",
    }
}

vocabulary! {
    /// Impersonation level requested by a client (RPC_C_IMP_LEVEL_*), ordered.
    /// `Default` sorts first and is never an effective level.
    ImpLevel {
        Default = "default",
        Anonymous = "anonymous",
        Identify = "identify",
        Impersonate = "impersonate",
        Delegate = "delegate",
    }
}

impl Authn {
    /// The packages a call of `api` may not ask for (SPEC §7.3): basic and credssp are HTTP's
    /// alone, and HTTP takes no schannel. `None` is a `set_blanket` step (a proxy or a binding),
    /// never HTTP. Validation ([`Authn::fits`]) and the playground's choices both read this.
    pub fn unfit(api: Option<Api>) -> &'static [&'static str] {
        match api {
            Some(Api::Http) => &["schannel"],
            _ => &["basic", "credssp"],
        }
    }

    /// Whether a call of `api` may ask for this package ([`Authn::unfit`]).
    pub fn fits(self, api: Option<Api>) -> bool {
        !Self::unfit(api).contains(&self.as_str())
    }
}

impl ImpLevel {
    /// The levels a call of `api` may not ask for: an HTTP client impersonates or, allowed to
    /// delegate, delegates (SPEC §7.3).
    pub fn unfit(api: Api) -> &'static [&'static str] {
        match api {
            Api::Http => &["anonymous", "identify"],
            _ => &[],
        }
    }

    /// Whether a call of `api` may ask for this level ([`ImpLevel::unfit`]).
    pub fn fits(self, api: Api) -> bool {
        !Self::unfit(api).contains(&self.as_str())
    }
}

vocabulary! {
    /// COM cloaking capability (EOAC_STATIC_CLOAKING / EOAC_DYNAMIC_CLOAKING).
    Cloaking { None = "none", Static = "static", Dynamic = "dynamic" }
}

vocabulary! {
    /// RPC and named-pipe identity tracking (RP-6).
    Tracking { Static = "static", Dynamic = "dynamic" }
}

vocabulary! {
    /// The `level` of a `duplicate_token` step (DuplicateTokenEx, TK-1).
    DupLevel { Identify = "identify", Impersonate = "impersonate", Delegate = "delegate", Primary = "primary" }
}

/// The level of an impersonation token (SECURITY_IMPERSONATION_LEVEL), as the outcome spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TokenLevel {
    Anonymous,
    Identify,
    Impersonate,
    Delegate,
}

impl TokenLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenLevel::Anonymous => "anonymous",
            TokenLevel::Identify => "identify",
            TokenLevel::Impersonate => "impersonate",
            TokenLevel::Delegate => "delegate",
        }
    }
    /// The Windows name, for explanations ("SecurityImpersonation").
    pub fn windows_name(self) -> &'static str {
        match self {
            TokenLevel::Anonymous => "Anonymous",
            TokenLevel::Identify => "Identification",
            TokenLevel::Impersonate => "Impersonation",
            TokenLevel::Delegate => "Delegation",
        }
    }
    /// The token level a non-default requested level asks for.
    pub fn from_requested(level: ImpLevel) -> Option<TokenLevel> {
        match level {
            ImpLevel::Default => None,
            ImpLevel::Anonymous => Some(TokenLevel::Anonymous),
            ImpLevel::Identify => Some(TokenLevel::Identify),
            ImpLevel::Impersonate => Some(TokenLevel::Impersonate),
            ImpLevel::Delegate => Some(TokenLevel::Delegate),
        }
    }
}

impl std::fmt::Display for TokenLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for TokenLevel {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_each_api_may_ask_for() {
        let names = |api| -> Vec<&str> {
            Authn::ALL
                .iter()
                .filter(|a| a.fits(api))
                .map(|a| a.as_str())
                .collect()
        };
        let plain = [
            "default",
            "none",
            "ntlm",
            "kerberos",
            "negotiate",
            "schannel",
        ];
        assert_eq!(names(None), plain);
        assert_eq!(names(Some(Api::Rpc)), plain);
        assert_eq!(
            names(Some(Api::Http)),
            [
                "default",
                "none",
                "ntlm",
                "kerberos",
                "negotiate",
                "basic",
                "credssp"
            ]
        );
        let http: Vec<&str> = ImpLevel::ALL
            .iter()
            .filter(|l| l.fits(Api::Http))
            .map(|l| l.as_str())
            .collect();
        assert_eq!(http, ["default", "impersonate", "delegate"]);
        assert!(ImpLevel::ALL.iter().all(|l| l.fits(Api::Com)));
    }

    #[test]
    fn spellings_round_trip() {
        for v in AuthnLevel::ALL {
            assert_eq!(AuthnLevel::parse(v.as_str()), Some(*v));
        }
        assert_eq!(ImpLevel::parse("delegate"), Some(ImpLevel::Delegate));
        assert_eq!(ImpLevel::parse("Delegate"), None);
    }

    #[test]
    fn outcome_values_serialize_and_compare_as_their_spelling() {
        let row = (
            Status::ErrorBadImpersonationLevel,
            Some(KdcStatus::NoMatch),
            DelegationKind::Rbcd,
            Authn::Kerberos,
            AuthnLevel::PktPrivacy,
        );
        assert_eq!(
            serde_json::to_string(&row).unwrap(),
            r#"["ERROR_BAD_IMPERSONATION_LEVEL","STATUS_NO_MATCH","rbcd","kerberos","pkt_privacy"]"#
        );
        assert_eq!(Status::Ok, "ok");
        assert_eq!("ok", Status::Ok);
        assert!(Status::EAccessDenied != "ok");
        assert_eq!(Status::KdcErrBadOption.to_string(), "KDC_ERR_BADOPTION");
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(*s));
        }
    }

    #[test]
    fn choices_read_as_a_list() {
        assert_eq!(Cloaking::choices(), r#""none", "static" or "dynamic""#);
        assert_eq!(ProcessKind::choices(), r#""service" or "user""#);
    }

    #[test]
    fn levels_are_ordered() {
        assert!(AuthnLevel::Connect < AuthnLevel::PktPrivacy);
        assert!(TokenLevel::Identify < TokenLevel::Impersonate);
    }
}

vocabulary! {
    /// An event's `status` (SPEC §3): `ok` or the Windows error the step met.
    Status {
        Ok = "ok",
        EAccessDenied = "E_ACCESSDENIED",
        EInvalidArg = "E_INVALIDARG",
        EFail = "E_FAIL",
        ErrorAccessDenied = "ERROR_ACCESS_DENIED",
        ErrorBadImpersonationLevel = "ERROR_BAD_IMPERSONATION_LEVEL",
        ErrorCantOpenAnonymous = "ERROR_CANT_OPEN_ANONYMOUS",
        ErrorNoToken = "ERROR_NO_TOKEN",
        RpcSSecPkgError = "RPC_S_SEC_PKG_ERROR",
        RpcSNoCallActive = "RPC_S_NO_CALL_ACTIVE",
        RpcSNoContextAvailable = "RPC_S_NO_CONTEXT_AVAILABLE",
        SecELogonDenied = "SEC_E_LOGON_DENIED",
        KdcErrBadOption = "KDC_ERR_BADOPTION",
        KrbApErrModified = "KRB_AP_ERR_MODIFIED",
        SecETargetUnknown = "SEC_E_TARGET_UNKNOWN",
        SecENoCredentials = "SEC_E_NO_CREDENTIALS",
    }
}

vocabulary! {
    /// How a callee came to see the identity it sees (the outcome's `delegation`).
    DelegationKind {
        None = "none",
        Local = "local",
        Credentials = "credentials",
        Unconstrained = "unconstrained",
        Constrained = "constrained",
        Rbcd = "rbcd",
    }
}

vocabulary! {
    /// The NTSTATUS a KDC gave with `KDC_ERR_BADOPTION` (the outcome's `kdc_status`).
    KdcStatus {
        AccountRestriction = "STATUS_ACCOUNT_RESTRICTION",
        NotFound = "STATUS_NOT_FOUND",
        NotSupported = "STATUS_NOT_SUPPORTED",
        NoMatch = "STATUS_NO_MATCH",
    }
}

/// The outcome spells these as their JSON strings, and they compare with that spelling
/// (`e.status == "ok"`), as the `http` crate's `StatusCode` compares with a `u16`.
macro_rules! outcome_spelling {
    ($($name:ident),+) => {$(
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
        impl PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                *self == other.as_str()
            }
        }
    )+};
}

vocabulary! {
    /// An event field an expectation may name (SPEC §8.1), in the order the format lists them.
    ExpectField {
        Status = "status",
        Identity = "identity",
        Level = "level",
        SeenAs = "seen_as",
        SeenLevel = "seen_level",
        Delegation = "delegation",
        Authn = "authn",
        KdcStatus = "kdc_status",
    }
}

outcome_spelling!(
    Status,
    KdcStatus,
    DelegationKind,
    Authn,
    AuthnLevel,
    ExpectField
);
