//! Every rule of the study, in its order (rules.md §2 to §13), each told in our own words: what
//! the rule says and how the simulator applies it. The AM-* entries name the scenario option
//! (SPEC §2.6) that switches their reading, where there is one.
use super::{Coverage, Rule};

/// A rule the engine applies.
const fn sim(
    id: &'static str,
    title: &'static str,
    text: &'static str,
    sources: &'static [&'static str],
) -> Rule {
    Rule {
        id,
        title: shown_title(id, title),
        text: data(text),
        sources: data_list(sources),
        coverage: Coverage::Simulated,
    }
}

/// A rule the engine does not model, and why.
const fn not(
    id: &'static str,
    title: &'static str,
    text: &'static str,
    sources: &'static [&'static str],
    why: &'static str,
) -> Rule {
    Rule {
        id,
        title: shown_title(id, title),
        text: data(text),
        sources: data_list(sources),
        coverage: Coverage::NotSimulated(data(why)),
    }
}

/// A rule's title. The security review's findings (SR-*) are never cited by an outcome, so
/// their titles are data like the texts, left out of the playground's wasm.
const fn shown_title(id: &'static str, title: &'static str) -> &'static str {
    match id.as_bytes() {
        [b'S', b'R', b'-', ..] => data(title),
        _ => title,
    }
}

/// A text of the catalogue: empty without the `embedded-data` feature, so that the playground's
/// wasm does not carry it (it fetches `rules.json` instead).
const fn data(text: &'static str) -> &'static str {
    if cfg!(feature = "embedded-data") {
        text
    } else {
        ""
    }
}

/// A rule's source IDs: none without the `embedded-data` feature.
const fn data_list(list: &'static [&'static str]) -> &'static [&'static str] {
    if cfg!(feature = "embedded-data") {
        list
    } else {
        &[]
    }
}

/// The catalogue table, written once: each entry `Variant => sim("ID", title, text, sources)` (or
/// `not(.., why)`) makes a [`RuleId`] variant (so that go-to-definition on `RuleId::Kd6` in the
/// engine lands on its entry here), its spelling for [`RuleId::as_str`], and its [`Rule`] in
/// [`RULES`], in the same order (as the `http` crate's `status_codes!` does for status codes).
macro_rules! rules {
    ($($variant:ident => $kind:ident($id:literal, $title:literal, $($rest:expr),+ $(,)?)),+ $(,)?) => {
        /// A rule of the catalogue, as the engine cites it; [`RuleId::as_str`] spells it as the
        /// outcome does (`"KD-6"`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum RuleId {
            $(#[doc = concat!("`", $id, "`: ", $title)] $variant,)+
        }

        impl RuleId {
            /// Every rule, in the catalogue's order.
            pub const ALL: &'static [RuleId] = &[$(RuleId::$variant),+];
        }

        pub static RULES: &[Rule] = &[$($kind($id, $title, $($rest),+)),+];
    };
}

rules! {
    // ---- Impersonation levels (LV) ----
    Lv1 => sim(
        "LV-1",
        "What each level lets a server do",
        "What a server can do with its client's token depends on the token's level. At Anonymous \
         it learns nothing; at Identify it can read the client's SIDs and run access checks, but \
         cannot open objects, call GetUserName or open the thread token without OpenAsSelf; at \
         Impersonate it can open objects on its own machine; at Delegate it can also act as the \
         client on other machines. The simulator checks every use of a token (open_thread_token, \
         access, access_check, whoami, outgoing calls) against this matrix.",
        &["S1", "S2", "S3", "S12", "S27", "S48", "S83"],
    ),
    Lv2 => sim(
        "LV-2",
        "Anonymous is promoted off the local transport",
        "A COM client that asks for Anonymous over anything other than local IPC is given \
         Identify instead, without being told. The simulator raises Anonymous to Identify on \
         every call that leaves the caller's machine; AM-1 covers providers that go further.",
        &["S2", "S12"],
    ),
    Lv3 => sim(
        "LV-3",
        "Identify is the COM default",
        "A COM client that never called CoInitializeSecurity and never set a blanket calls at \
         Identify. A blanket's DEFAULT level stands for the process's CoInitializeSecurity level, \
         or Identify when there was none. In a scenario a process's com.imp_level defaults to \
         identify, and a COM call whose imp_level is \"default\" takes it.",
        &["S2", "S32", "S36"],
    ),
    Lv4 => sim(
        "LV-4",
        "Impersonate reaches one machine boundary",
        "An Impersonate-level token is good for objects on the server's own machine. A server \
         that received it from a remote client cannot present that client to a further machine, \
         while a server on the same machine as the client's logon can reach exactly one other \
         machine as the client. The simulator records where each logon session lives and lets a \
         session on the caller's own machine authenticate to one more machine.",
        &["S2"],
    ),
    Lv5 => sim(
        "LV-5",
        "What Delegate needs",
        "Delegate-level impersonation works only if the client asked for Delegate, the client's \
         account is not marked sensitive, the server's account is trusted for delegation, and \
         every party is in a domain. When all of that holds the client's credentials can travel \
         any number of hops. The simulator checks these conditions on every hop that requests \
         delegate.",
        &["S2"],
    ),
    Lv6 => sim(
        "LV-6",
        "The client chooses the level",
        "The impersonation level of an outgoing COM call is the one the client specified; it is \
         not negotiated, and the server cannot change it. The simulator takes each call's level \
         from the call, its proxy or the caller's CoInitializeSecurity, never from the callee.",
        &["S31", "S34"],
    ),
    Lv7 => not(
        "LV-7",
        "A server cannot read the level from the blanket",
        "CoQueryClientBlanket and IServerSecurity::QueryBlanket do not report the impersonation \
         level; a server that needs it must impersonate and query its thread token. The \
         playground shows the token's level on each event instead.",
        &["S4", "S40", "S43"],
        "The scenario format has no QueryBlanket step; the outcome reports the thread token's \
         level on every event.",
    ),
    Lv8 => sim(
        "LV-8",
        "Impersonate is the Win32 default",
        "Named-pipe, RPC and DDE servers impersonate at Impersonate unless the client chooses \
         otherwise, and transport-level RPC security on ncacn_np and ncalrpc defaults to the same \
         level. DCOM differs: its default is Identify (LV-3). A raw RPC or pipe call whose \
         imp_level is \"default\" is simulated at impersonate.",
        &["S4", "S16"],
    ),
    Lv9 => sim(
        "LV-9",
        "Providers may raise the level",
        "The documentation allows a security provider or transport to raise the requested level \
         quietly, without saying which ones do. By default the simulator raises nothing beyond \
         LV-2; the option provider_bumps_to_impersonate imitates the providers that do (AM-1).",
        &["S15"],
    ),
    // ---- SeImpersonatePrivilege (PR) ----
    Pr1 => sim(
        "PR-1",
        "When impersonation is granted in full",
        "An impersonation call gets the full level the client allowed if any one of these holds: \
         the level is Identify or lower; the server holds SeImpersonatePrivilege; the token was \
         made from a password by LogonUser in the server's own logon session; or the client is \
         the same user as the server. The simulator checks these four conditions on every \
         impersonate and logon_user step.",
        &["S49", "S53", "S88"],
    ),
    Pr2 => sim(
        "PR-2",
        "Otherwise only Identify",
        "When no condition of PR-1 holds, RpcImpersonateClient still reports success, but the \
         thread is given an Identify-level token. The simulator applies this to RPC, named-pipe \
         and COM impersonation alike (AM-14), so a server running as an ordinary user sees its \
         clients at Identify.",
        &["S9", "S56"],
    ),
    Pr3 => sim(
        "PR-3",
        "Who holds SeImpersonatePrivilege",
        "Administrators, LOCAL SERVICE, NETWORK SERVICE and the SERVICE group hold the privilege; \
         services started by the Service Control Manager and COM servers launched under an \
         account are in SERVICE. Ordinary interactive users do not hold it. In a scenario, \
         processes of kind \"service\" hold it and processes of kind \"user\" do not.",
        &["S57", "S75"],
    ),
    // ---- Deriving tokens (TK) ----
    Tk1 => sim(
        "TK-1",
        "Duplicating cannot raise the level",
        "DuplicateTokenEx cannot make a token of a higher level than its source, nor a primary \
         token from an Identify or Anonymous one. Microsoft's Win32 pages are silent on this, \
         but the kernel documentation and observed behaviour agree (AM-6). A duplicate_token \
         step that asks for more fails with ERROR_BAD_IMPERSONATION_LEVEL.",
        &["S52", "S55", "S80", "S81"],
    ),
    Tk2 => sim(
        "TK-2",
        "Kernel capture of a client's context",
        "When the kernel captures the security context of an impersonating client thread, it \
         refuses a token at Identify or Anonymous, and, when the server is remote, any token \
         below Delegation, with STATUS_BAD_IMPERSONATION_LEVEL. It is the kernel's form of the \
         one-boundary limit. The simulator applies it when an impersonating thread reaches \
         another machine with a token whose level cannot travel there.",
        &["S55"],
    ),
    Tk3 => sim(
        "TK-3",
        "OpenThreadToken and OpenAsSelf",
        "With OpenAsSelf the check on the token uses the process's own context, so a thread \
         impersonating at Identify can still open its token; without it, opening an Identify \
         token fails. An Anonymous-level token can never be opened (ERROR_CANT_OPEN_ANONYMOUS). \
         The open_thread_token step follows these rules.",
        &["S48"],
    ),
    // ---- Authentication levels (AL) ----
    Al1 => sim(
        "AL-1",
        "Automatic level upgrades",
        "A level a transport cannot provide is raised to the next one it can: CALL becomes PKT \
         on connection-oriented protocols, and datagram transports use PKT for CONNECT and CALL. \
         ncalrpc always runs at PKT_PRIVACY, whatever was requested. Call events report the \
         effective level after these upgrades.",
        &["S17", "S18"],
    ),
    Al2 => sim(
        "AL-2",
        "COM authentication level negotiation",
        "A COM proxy uses the higher of the client's and the server's CoInitializeSecurity \
         levels, and a server refuses calls below its own level; processes that never call \
         CoInitializeSecurity use CONNECT. In a scenario a process's com.authn_level is both its \
         client default and its minimum as a server. The 2021 DCOM hardening, which raises \
         activation requests to PKT_INTEGRITY, concerns activation and is not modelled.",
        &["S31", "S32", "S34", "S36", "S79"],
    ),
    Al3 => sim(
        "AL-3",
        "COM impersonation needs authentication",
        "CoImpersonateClient fails on a call made at authentication level NONE, and \
         IServerSecurity::ImpersonateClient returns only S_OK or E_FAIL. A blanket at level NONE \
         must also name authentication service NONE. The simulator fails an impersonate step \
         inside an unauthenticated COM call with E_FAIL.",
        &["S35", "S36", "S37", "S41"],
    ),
    Al4 => sim(
        "AL-4",
        "Raw RPC is unauthenticated unless asked",
        "An RPC binding carries no authentication until the client calls \
         RpcBindingSetAuthInfo(Ex), where RPC_C_AUTHN_DEFAULT means NTLM, and both sides must \
         use the same level. In a scenario, a raw RPC call whose authn is \"default\" is \
         unauthenticated.",
        &["S19", "S20", "S21"],
    ),
    Al5 => sim(
        "AL-5",
        "Impersonating an unauthenticated call",
        "On an unauthenticated ncacn_ip_tcp call the server cannot impersonate, and \
         RpcImpersonateClient fails (RPC_S_NO_CONTEXT_AVAILABLE, AM-9). Over ncacn_np and \
         ncalrpc the transport's own Windows security still identifies the client, at \
         Impersonate by default. A remote pipe reached through an SMB null session shows the \
         server NT AUTHORITY\\ANONYMOUS LOGON.",
        &["S7", "S15", "S16", "S54", "S77", "S78"],
    ),
    Al6 => sim(
        "AL-6",
        "Schannel needs authentication",
        "Schannel does not work at authentication level NONE. A call or blanket that combines \
         the two is refused.",
        &["S25"],
    ),
    // ---- Security packages (PK) ----
    Pk => sim(
        "PK",
        "Security packages compared",
        "NTLM, Kerberos, Negotiate and Schannel differ in mutual authentication, in the levels \
         they allow on one machine and across machines, in delegation and in cloaking. NTLM \
         cannot delegate across computers; Kerberos is the only package that delegates and it \
         needs the right principal name; Negotiate behaves as whichever package it picked; \
         Schannel allows only Impersonate and no cloaking. The simulator looks up the package \
         actually used on each hop in this table.",
        &[
            "S1", "S2", "S12", "S14", "S15", "S20", "S22", "S23", "S24", "S25", "S26", "S32",
            "S33", "S34", "S35", "S36", "S58",
        ],
    ),
    Pk1 => sim(
        "PK-1",
        "Which package COM chooses",
        "COM prefers Kerberos, falls back to NTLM, never picks Schannel on its own, and does not \
         try another package when the first one fails. In the simulator, default or negotiate \
         authentication uses Kerberos when the callee is on another machine and the call's SPN \
         belongs to a known account, and NTLM otherwise.",
        &["S2", "S32", "S36"],
    ),
    Pk2 => sim(
        "PK-2",
        "What the server learns about its client",
        "With NTLM or Kerberos, CoQueryClientBlanket gives the server the client's domain and \
         user name, and impersonation gives it a token for that user. The outcome's seen_as is \
         that name.",
        &["S23", "S24", "S43"],
    ),
    // ---- COM blanket (BL) ----
    Bl1 => not(
        "BL-1",
        "CoInitializeSecurity runs once per process",
        "A process initializes COM security exactly once, explicitly or implicitly when it first \
         marshals an interface; a second call fails with RPC_E_TOO_LATE. The DEFAULT \
         impersonation level is not accepted there.",
        &["S34"],
        "A process's com settings are its single CoInitializeSecurity call, so a second call \
         cannot be expressed; validation refuses a com.imp_level of \"default\".",
    ),
    Bl2 => sim(
        "BL-2",
        "The negotiated proxy blanket",
        "Unless told otherwise, a proxy uses an authentication service both sides support, the \
         higher of the two authentication levels, and the client's impersonation level, \
         capabilities and identity. Values given to SetBlanket are used as they are, unless they \
         are the DEFAULT constants. The simulator resolves a call's \"default\" fields this way \
         and uses explicit ones unchanged.",
        &["S31"],
    ),
    Bl3 => sim(
        "BL-3",
        "Blankets that are refused",
        "CoSetProxyBlanket and SetBlanket refuse unknown capability flags, both cloaking flags \
         together, cloaking with explicit credentials or with Schannel, and level NONE with an \
         authentication service other than NONE (E_INVALIDARG). Kerberos with a missing or wrong \
         principal name passes SetBlanket, but the call then fails. The simulator applies these \
         checks to set_blanket steps and to call fields.",
        &["S24", "S25", "S33", "S35", "S36"],
    ),
    Bl4 => sim(
        "BL-4",
        "COM ignores EOAC_MUTUAL_AUTH",
        "COM disregards the mutual-authentication flag, because packages able to authenticate \
         the server, such as Kerberos, always do. The simulator ignores mutual_auth on COM calls \
         and counts COM Kerberos as mutually authenticated.",
        &["S33"],
    ),
    Bl5 => not(
        "BL-5",
        "Blanket changes and calls in progress",
        "SetBlanket changes the blanket for every user of that proxy, while calls already under \
         way keep the blanket they started with; IClientSecurity::CopyProxy gives a private \
         copy.",
        &["S36"],
        "Calls run one after another, so a blanket change never meets a call in progress, and \
         CopyProxy is not modelled; a named proxy is shared by all steps of its process.",
    ),
    Bl6 => not(
        "BL-6",
        "Explicit credentials on a blanket",
        "Given explicit credentials for a call on the same computer, CoSetProxyBlanket has RPC \
         log that user on and make the call with the resulting token. Without credentials the \
         proxy keeps its current identity, the process token or an impersonation token.",
        &["S35"],
        "Blankets in the scenario format carry no credentials, so every proxy follows the \
         cloaking table; logon_user covers acting with a password.",
    ),
    Bl7 => sim(
        "BL-7",
        "No access control on a COM server",
        "With no security descriptor and neither an AppID nor an access-control object, \
         CoInitializeSecurity admits every caller, anonymous ones included; an empty DACL admits \
         nobody and a NULL DACL everybody. Simulated COM servers have no access ACL, so only the \
         authentication-level minimum (AL-2) can turn a call away.",
        &["S34"],
    ),
    // ---- Cloaking (CL) ----
    Cl => sim(
        "CL",
        "Which identity a COM callee sees",
        "The identity a COM call presents depends on the proxy's cloaking flag, on whether the \
         calling thread is impersonating, and, for static cloaking, on whether the proxy has \
         already fixed an identity. Without cloaking the callee sees the process token; with \
         dynamic cloaking, the current thread token or else the process token; with static \
         cloaking, the identity the proxy captured. The simulator decides the presented identity \
         of every COM call with this table.",
        &["S27"],
    ),
    Cl1 => sim(
        "CL-1",
        "No cloaking: the process identity",
        "A server that calls out while impersonating still presents its own process identity \
         unless it enables cloaking; in a chain A, B, C where B does not cloak, C sees B. The \
         simulator presents the caller's process token on every uncloaked COM call.",
        &["S1", "S28", "S29"],
    ),
    Cl2 => sim(
        "CL-2",
        "Static cloaking captures once",
        "With static cloaking set by CoInitializeSecurity, each proxy captures the thread token, \
         or the process token, on its first call and keeps it. With static cloaking set by \
         SetBlanket, the capture happens at that SetBlanket, and each later SetBlanket captures \
         again. The simulator remembers the captured identity for each named proxy.",
        &["S27", "S33"],
    ),
    Cl3 => sim(
        "CL-3",
        "Dynamic cloaking follows the thread",
        "With dynamic cloaking every call presents the thread token of that moment, or the \
         process token when the thread is not impersonating, and the client re-authenticates \
         only when the identity changed. Only clients can set it. The simulator reads the thread \
         token afresh on every call through such a proxy.",
        &["S27", "S33"],
    ),
    Cl4 => sim(
        "CL-4",
        "Cloaking needs a usable token",
        "Cloaking is useful only when the original client allowed Impersonate or Delegate; with \
         an Identify or Anonymous token the server cannot make a cloaked call. The simulator \
         fails a cloaked call made with such a token.",
        &["S27"],
    ),
    Cl5 => sim(
        "CL-5",
        "Cloaking at Impersonate crosses one boundary",
        "If the original client allowed only Impersonate, an intermediate server can cloak \
         across one machine boundary in all. With A, B and C on one machine it works; with B on \
         another machine than A and C, A to B works and B's cloaked call to C fails; with \
         Delegate it may succeed. The simulator fails such a cloaked COM call when the presented \
         token holds no credentials for the target machine (AM-4).",
        &["S27"],
    ),
    Cl6 => sim(
        "CL-6",
        "Several boundaries need cloaking and Delegate",
        "To carry a client's identity across several machines, a server must both cloak and hold \
         a Delegate-level token. With Delegate but no cloaking the next server still sees the \
         calling process. The simulator requires both before a further machine sees the \
         original client.",
        &["S27"],
    ),
    Cl7 => sim(
        "CL-7",
        "The documentation's A, B, C, D chains",
        "In a chain A, B, C, D with static cloaking in B and C, the proxy's identity is fixed by \
         B's first call, so on later calls D sees B; with dynamic cloaking D sees A. Scenarios \
         with named proxies reproduce both outcomes.",
        &["S27"],
    ),
    Cl8 => sim(
        "CL-8",
        "Process-wide cloaking",
        "When CoInitializeSecurity enables cloaking for the whole process, a server that wants to \
         call with its own identity must stop impersonating before it calls. In the simulator a \
         process's com.cloaking applies to each of its COM calls unless the call or a \
         set_blanket overrides it.",
        &["S27"],
    ),
    Cl9 => sim(
        "CL-9",
        "RPC tracks identity instead of cloaking",
        "Raw RPC and named pipes have no cloaking flag; identity tracking plays that part (RP-6), \
         and with dynamic tracking each call uses the calling thread's credentials of that \
         moment. The scenario format accepts cloaking on COM calls only and tracking on RPC and \
         pipe calls only.",
        &["S13"],
    ),
    // ---- COM server-side impersonation (CO) ----
    Co1 => sim(
        "CO-1",
        "ImpersonateClient puts the client on the thread",
        "IServerSecurity::ImpersonateClient and CoImpersonateClient give the current thread a \
         token for the caller, and access checks then use that token; RevertToSelf puts back the \
         thread's earlier token. The impersonate and revert steps of a COM call do exactly this.",
        &["S37"],
    ),
    Co2 => sim(
        "CO-2",
        "COM reverts at the end of each call",
        "If a method returns while still impersonating, COM reverts on its behalf. In the \
         simulator every incoming call saves the thread token on entry and restores it on \
         return, so the next call served on that thread starts without the client's token.",
        &["S37", "S38", "S41"],
    ),
    Co3 => sim(
        "CO-3",
        "Impersonation nests in an apartment",
        "Win32 impersonation is traditionally last-one-wins, but a COM apartment keeps \
         impersonation across nested calls: if server A impersonates its caller B, calls C, \
         serves a call from D that impersonates and reverts, then receives C's reply, A's thread \
         is back on B's token, not A's. The simulator serves a call that reaches a waiting STA \
         thread nested on that thread and restores the outer token afterwards; the option \
         traditional_nesting turns this off to show the Win32 behaviour.",
        &["S37"],
    ),
    Co4 => sim(
        "CO-4",
        "How COM revert works",
        "The first ImpersonateClient on a thread that is not impersonating saves the token the \
         thread had, possibly none; RevertToSelf restores exactly that token, and one revert \
         undoes any number of ImpersonateClient calls, after which IsImpersonating is false. \
         CoRevertToSelf does the same through the current call context. The simulator keeps the \
         saved token per incoming call.",
        &["S38", "S41", "S42"],
    ),
    Co5 => sim(
        "CO-5",
        "A foreign token change makes revert undefined",
        "If the thread token was changed during a COM call by other means, such as SetThreadToken, \
         ImpersonateLoggedOnUser or RpcImpersonateClient, the result of \
         IServerSecurity::RevertToSelf is not defined. The simulator does not guess: it flags \
         such a revert as undefined and cites this rule.",
        &["S38"],
    ),
    Co6 => sim(
        "CO-6",
        "Each nested call gets its token back",
        "RevertToSelf acts only on the current method invocation: each nested invocation may \
         impersonate on its own, and COM restores every outer invocation's token before \
         returning to it. The simulator keeps one saved token per frame; the option \
         traditional_nesting disables the restore, so that returning from a nested call leaves \
         whatever the inner call set.",
        &["S38"],
    ),
    Co7 => not(
        "CO-7",
        "Call contexts and threads",
        "An IServerSecurity object can be used from any thread of the apartment until its call \
         completes, but impersonation belongs to a single thread: reverting on one thread does \
         not affect another.",
        &["S38"],
        "Every step of a call runs on the thread serving that call, so no step uses another \
         thread's call context; calls served on separate threads keep separate tokens.",
    ),
    Co8 => not(
        "CO-8",
        "Impersonation in asynchronous calls",
        "In an asynchronous COM call the server can no longer impersonate once \
         ISynchronize::Signal has completed; a token set before Signal stays until RevertToSelf \
         or the return of the Begin_ method, whichever comes first.",
        &["S44"],
        "The scenario format has synchronous calls only.",
    ),
    Co9 => sim(
        "CO-9",
        "Return values of the COM server calls",
        "ImpersonateClient and RevertToSelf return S_OK or E_FAIL, IsImpersonating returns TRUE \
         or FALSE, and CoImpersonateClient returns the standard codes. A failed COM impersonate \
         step shows E_FAIL, and an event's level shows whether the thread is impersonating.",
        &["S37", "S38", "S39", "S41"],
    ),
    // ---- RPC (RP) ----
    Rp1 => sim(
        "RP-1",
        "RpcImpersonateClient",
        "RpcImpersonateClient makes the thread impersonate the client of the call it is serving. \
         It returns RPC_S_OK, or an error such as RPC_S_NO_CALL_ACTIVE, RPC_S_CANNOT_SUPPORT or \
         RPC_S_NO_CONTEXT_AVAILABLE when the server may not impersonate. An impersonate step \
         inside a raw RPC call is simulated as this function.",
        &["S9"],
    ),
    Rp2 => sim(
        "RP-2",
        "RPC impersonation does not nest",
        "An RPC impersonation lasts until the next RpcImpersonateClient or RpcRevertToSelf, and \
         the revert always returns the thread to the process's own identity: impersonating X, \
         then Y, then reverting once leaves the process token, not X. In the simulator RPC and \
         pipe reverts always go back to the process token, unlike COM's (CO-4).",
        &["S8", "S10"],
    ),
    Rp3 => not(
        "RP-3",
        "Impersonating a call served on another thread",
        "A server can impersonate the client of a call served on another thread by passing that \
         call's binding handle, and must then end it with RpcRevertToSelfEx on the same handle; \
         RpcRevertToSelfEx with a null handle is the same as RpcRevertToSelf.",
        &["S9", "S11"],
        "Steps impersonate only the call their own thread serves; the format has no call \
         handles.",
    ),
    Rp4 => sim(
        "RP-4",
        "Check whether impersonation worked",
        "When RpcImpersonateClient, ImpersonateNamedPipeClient or ImpersonateLoggedOnUser fails, \
         the thread does not take on the client, so whatever it does next runs with the server's \
         own rights. The simulator leaves the thread without the client's token after a failed \
         impersonation.",
        &["S9", "S49", "S53"],
    ),
    Rp5 => sim(
        "RP-5",
        "Mutual authentication",
        "If the client asks for mutual authentication and the package cannot give it, or the \
         server's identity cannot be established, the call fails with RPC_S_SEC_PKG_ERROR; NTLM \
         nevertheless reports success without really doing it. Real mutual authentication comes \
         from Kerberos (also through Negotiate) and Schannel and needs a well-formed server \
         principal name. A raw RPC or pipe call's mutual_auth field is checked this way.",
        &["S12", "S15", "S20"],
    ),
    Rp6 => sim(
        "RP-6",
        "Identity tracking",
        "Under static tracking, the default, the binding's security context is built once and \
         later changes of the calling thread's identity are ignored; under dynamic tracking each \
         call uses the thread's credentials of that moment. The simulator remembers the identity \
         of each named binding under static tracking; the moment it is captured is AM-10.",
        &["S12", "S13"],
    ),
    Rp7 => sim(
        "RP-7",
        "When delegation cannot be established",
        "If a client asks for delegation and no context supporting it can be built, the call \
         fails with RPC_S_SEC_PKG_ERROR, unless the client set \
         RPC_C_QOS_CAPABILITIES_IGNORE_DELEGATE_FAILURE, in which case it goes through without \
         delegation. The call field ignore_delegate_failure is that flag; COM's behaviour is \
         AM-11.",
        &["S12"],
    ),
    Rp8 => sim(
        "RP-8",
        "Delegation needs Kerberos, mutual authentication and a trusted server",
        "Only Kerberos delegates, only when mutual authentication was requested, and only to a \
         server account trusted for delegation. A Delegate request without mutual \
         authentication, over NTLM to another machine, or to an untrusted server therefore fails \
         with RPC_S_SEC_PKG_ERROR on raw RPC, unless delegation failures are ignored (RP-7).",
        &["S14", "S58"],
    ),
    Rp9 => sim(
        "RP-9",
        "The ncalrpc exception",
        "A server reached over ncalrpc may act for its client on one remote call even at \
         Impersonate, because it runs where the client's logon lives. In the documentation's \
         example, client A calls local server LB, LB calls remote server RB as A, and RB can use \
         A's identity only on its own machine, not towards a third one, unless LB asked for \
         Delegate. The simulator lets a token whose logon session is on the caller's machine \
         authenticate to exactly one other machine.",
        &["S14"],
    ),
    Rp10 => sim(
        "RP-10",
        "Transport-level security",
        "On ncacn_np and ncalrpc, security options can be given in the string binding (level, \
         static or dynamic tracking, effective-only); other transports ignore them. The default \
         level is Impersonate, and pipes track statically when remote and dynamically when local. \
         The simulator uses Impersonate as the default level on these transports.",
        &["S16"],
    ),
    Rp11 => not(
        "RP-11",
        "RPC_C_NO_CREDENTIALS",
        "The anonymous credential handle RPC_C_NO_CREDENTIALS is accepted only with Schannel.",
        &["S20"],
        "The scenario format has no way to give a binding a credential handle.",
    ),
    // ---- Kerberos delegation (KD) ----
    Kd1 => sim(
        "KD-1",
        "Unconstrained delegation",
        "When a service account is trusted for delegation, the KDC marks its tickets \
         OK-AS-DELEGATE, and a client that asked for Delegate sends along a forwardable TGT. The \
         server can then obtain tickets as the user for any service, and the next server sees \
         the user, authenticated by Kerberos; each further hop needs the same conditions again. \
         The simulator gives the callee's logon a forwarded TGT when all of them hold.",
        &["S1", "S2", "S58", "S59", "S60", "S70", "S72"],
    ),
    Kd2 => sim(
        "KD-2",
        "Sensitive accounts cannot be delegated",
        "For a user marked \"Account is sensitive and cannot be delegated\", the KDC issues no \
         forwardable or proxiable tickets, so there is no TGT forwarding, no classic constrained \
         delegation and no resource-based constrained delegation. The account field sensitive \
         turns this on; RBCD then fails with STATUS_ACCOUNT_RESTRICTION.",
        &["S2", "S59", "S61", "S62", "S64", "S71"],
    ),
    Kd3 => sim(
        "KD-3",
        "Protected Users",
        "With domain controllers at the 2012 R2 level or later, members of Protected Users are \
         treated like sensitive accounts and cannot be delegated, constrained or not. They also \
         cannot use NTLM, DES or RC4, and their TGTs are not renewed past four hours. The \
         account field protected_users turns this on.",
        &["S59", "S68"],
    ),
    Kd4 => sim(
        "KD-4",
        "Classic constrained delegation",
        "An account given a list of services (msDS-AllowedToDelegateTo) may ask the KDC, through \
         S4U2proxy, for a ticket in the user's name to one of them; the client does not request \
         Delegate for this. The KDC answers KDC_ERR_BADOPTION with STATUS_NOT_SUPPORTED when the \
         list is empty, and with STATUS_NO_MATCH when the target is not listed or the evidence \
         ticket is not forwardable. On success the back end sees the user.",
        &["S58", "S63", "S65", "S67", "S71"],
    ),
    Kd5 => sim(
        "KD-5",
        "\"Kerberos only\" versus \"any authentication protocol\"",
        "\"Use any authentication protocol\" (protocol transition) lets the front end obtain a \
         forwardable ticket for a user who reached it by NTLM or another protocol, while \
         \"Kerberos only\" works only when the user really arrived by Kerberos; otherwise \
         S4U2proxy fails with STATUS_NO_MATCH. In a scenario the any_protocol flag of the \
         account's constrained delegation chooses between the two.",
        &["S61", "S67", "S69", "S87"],
    ),
    Kd6 => sim(
        "KD-6",
        "Resource-based constrained delegation",
        "Here the back-end account lists the front ends allowed to act for users \
         (msDS-AllowedToActOnBehalfOfOtherIdentity), and the KDC checks the front end against \
         it; a front end not listed gets KDC_ERR_BADOPTION with STATUS_NOT_FOUND. RBCD always \
         permits protocol transition, so any first-hop protocol works, except for sensitive \
         users and Protected Users (STATUS_ACCOUNT_RESTRICTION). In a scenario this is the back \
         end's allowed_to_act list.",
        &["S62", "S64", "S67", "S82"],
    ),
    Kd7 => sim(
        "KD-7",
        "The NTLM double hop",
        "NTLM never sends the password, so a server holding a user's NTLM token cannot use it to \
         authenticate anywhere else. The next machine sees NT AUTHORITY\\ANONYMOUS LOGON, or a \
         cloaked COM call fails (AM-4). The simulator gives a network logon without forwarded \
         credentials no way to authenticate further.",
        &["S23", "S73", "S74"],
    ),
    Kd8 => not(
        "KD-8",
        "Lifetime of a delegated ticket",
        "A delegated Kerberos token can be used off the server's machine only for a limited time, \
         between five minutes and eight hours, and only on that machine afterwards.",
        &["S24"],
        "The simulation has no clock, so forwarded tickets never expire.",
    ),
    Kd9 => sim(
        "KD-9",
        "Acting with the client's password",
        "A server that knows the client's password can call LogonUser and receive a token with \
         full credentials, which reaches remote machines as the client with no hop limit from \
         impersonation levels. The logon_user step does this, and calls presenting such a token \
         report the delegation \"credentials\".",
        &["S76"],
    ),
    // ---- Named pipes (NP) ----
    Np1 => sim(
        "NP-1",
        "ImpersonateNamedPipeClient",
        "The server end of a pipe impersonates the client whose message it read last, and ends \
         with RevertToSelf; PR-1 decides whether it gets the full level. An impersonate step \
         inside a pipe call is simulated as this function.",
        &["S49"],
    ),
    Np2 => sim(
        "NP-2",
        "Pipe levels and SQOS flags",
        "A pipe server impersonates at Impersonate by default; the client can lower or raise the \
         level by passing SECURITY_SQOS_PRESENT and a level flag when it opens the pipe. In a \
         scenario the pipe call's imp_level stands for that flag, and \"default\" means \
         Impersonate.",
        &["S50", "S51"],
    ),
    Np3 => sim(
        "NP-3",
        "Level of a remote pipe",
        "One page says that for a remote pipe the client's flags are ignored and the level \
         follows the server account's delegation setting, which the RPC and SMB specifications \
         contradict. By default the simulator lets the client's level travel (AM-3); the option \
         remote_pipe_level_from_server_account applies this rule instead.",
        &["S4", "S7", "S86"],
    ),
    Np4 => not(
        "NP-4",
        "Null sessions on remote pipes",
        "Windows restricts null-session access to remote pipes (RestrictNullSessAccess, \
         NullSessionPipes), so a service connecting anonymously can be refused even by a pipe \
         with a NULL DACL unless the pipe is listed.",
        &["S78"],
        "The format has no null-session pipe list; an anonymous caller is judged by resource \
         ACLs only.",
    ),
    // ---- Access checks and service identities (AC) ----
    Ac1 => sim(
        "AC-1",
        "Which token an access check uses",
        "Access checks use the process's primary token, unless the thread is impersonating, in \
         which case they use the thread's token. Every access and access_check step uses the \
         thread's effective token.",
        &["S4", "S30", "S37", "S47"],
    ),
    Ac2 => not(
        "AC-2",
        "Checks that ignore impersonation",
        "A few operations use the primary token even on an impersonating thread: a child process \
         inherits the process token, and privilege checks such as SE_TCB_NAME and SE_AUDIT_NAME \
         look at the primary token. OpenThreadToken lets the caller choose (TK-3).",
        &["S4"],
        "The format has no CreateProcess or privilege-check step; OpenThreadToken's choice is \
         simulated under TK-3.",
    ),
    Ac3 => not(
        "AC-3",
        "Owner of objects created while impersonating",
        "An object created while impersonating gets the client token's default owner.",
        &["S4"],
        "Steps open existing objects only; nothing is created.",
    ),
    Ac4 => sim(
        "AC-4",
        "AccessCheck",
        "AccessCheck evaluates an impersonation token against a security descriptor without \
         opening anything; it needs TOKEN_QUERY on the token, a NULL DACL grants access, and \
         group SIDs that are not enabled are ignored. An access_check step tests the thread \
         token against the resource's allow list and works even at Identify.",
        &["S47", "S83"],
    ),
    Ac5 => sim(
        "AC-5",
        "The anonymous token and Everyone",
        "The ANONYMOUS LOGON token is not a member of Everyone unless the \
         EveryoneIncludesAnonymous policy is set; ImpersonateAnonymousToken gives a thread that \
         token, for instance to reach a remote server anonymously. By default a resource that \
         allows Everyone still refuses ANONYMOUS LOGON; the option everyone_includes_anonymous \
         lets it in.",
        &["S54"],
    ),
    Ac6 => sim(
        "AC-6",
        "Service accounts on the network",
        "Without cloaking, a service's process identity is what a remote server sees: \
         LocalService appears as ANONYMOUS LOGON, while NetworkService and LocalSystem present \
         the computer account (for example CORP\\APP1$), a member of Everyone and Authenticated \
         Users. A domain service account appears as itself.",
        &["S75", "S89"],
    ),
    // ---- Ambiguities (AM) ----
    Am1 => sim(
        "AM-1",
        "Anonymous or Identify over a remote transport",
        "Sources disagree on whether providers raise Anonymous or Identify to Impersonate away \
         from the local transport. Default: Anonymous becomes Identify off the machine (LV-2) \
         and Identify is honoured. The option provider_bumps_to_impersonate makes NTLM off \
         ncalrpc, Negotiate, Kerberos and Schannel treat both as Impersonate instead.",
        &["S2", "S6", "S12", "S85"],
    ),
    Am2 => sim(
        "AM-2",
        "Impersonating an anonymous client",
        "Sources disagree on whether a server can impersonate an Anonymous client at all. Fixed \
         reading, no option: ImpersonateClient succeeds with an Anonymous-level token, opening \
         that token fails with ERROR_CANT_OPEN_ANONYMOUS, and every access as the client fails.",
        &["S1", "S2", "S3", "S12"],
    ),
    Am3 => sim(
        "AM-3",
        "Level of a remote named pipe",
        "One page says the server account's delegation flag sets a remote pipe's level, while \
         the protocol specifications say SMB carries the client's level. Default: the client's \
         requested level travels, and Delegate takes effect only where Kerberos delegation is \
         possible (KD-1). The option remote_pipe_level_from_server_account takes the level from \
         the server account's delegation setting instead.",
        &["S4", "S7", "S86"],
    ),
    Am4 => sim(
        "AM-4",
        "A network token used for a further hop",
        "Sources differ on what happens when a server uses a network logon that holds no \
         credentials towards another machine. Fixed reading, no option: a cloaked COM call fails \
         with E_ACCESSDENIED; SMB and other NTLM-capable paths authenticate as ANONYMOUS LOGON, \
         and the remote ACL decides; a Kerberos-only RPC fails with RPC_S_SEC_PKG_ERROR; kernel \
         context capture gives ERROR_BAD_IMPERSONATION_LEVEL.",
        &["S23", "S27", "S55", "S73", "S74"],
    ),
    Am5 => sim(
        "AM-5",
        "Delegate requested by a server holding a local token",
        "The documentation does not say plainly who must request Delegate to cross several \
         machines. Fixed reading, no option: a server holding a local token backed by the \
         client's full logon session, as in the ncalrpc case, may itself request Delegate on its \
         next hop, as the RPC documentation's LB and RB example says.",
        &["S14", "S27"],
    ),
    Am6 => sim(
        "AM-6",
        "Duplicating a token to a higher level",
        "The Win32 pages do not say whether DuplicateTokenEx can raise a level; kernel pages and \
         observed behaviour say it cannot. Fixed reading, no option: raising the level, or \
         asking for a primary token from an Identify or Anonymous token, fails with \
         ERROR_BAD_IMPERSONATION_LEVEL.",
        &["S52", "S55", "S56", "S80", "S81"],
    ),
    Am7 => sim(
        "AM-7",
        "Error when an Identify token opens an object",
        "The documentation says an Identify token cannot open objects but names no error. Fixed \
         reading, no option: opening an object, GetUserName, or OpenThreadToken without \
         OpenAsSelf fails with ERROR_BAD_IMPERSONATION_LEVEL; only OpenThreadToken on an \
         Anonymous token gives ERROR_CANT_OPEN_ANONYMOUS.",
        &["S1", "S48"],
    ),
    Am8 => sim(
        "AM-8",
        "Error for a call below the server's minimum level",
        "CoInitializeSecurity's page says COM fails calls below the server's authentication \
         level without naming the error. Fixed reading, no option: such a call fails with \
         E_ACCESSDENIED.",
        &["S34"],
    ),
    Am9 => sim(
        "AM-9",
        "Impersonating an unauthenticated TCP call",
        "The documentation allows two errors when a server impersonates an unauthenticated \
         ncacn_ip_tcp call. Fixed reading, no option: RpcImpersonateClient fails with \
         RPC_S_NO_CONTEXT_AVAILABLE.",
        &["S9", "S77"],
    ),
    Am10 => sim(
        "AM-10",
        "When static tracking captures the identity",
        "One page says a static binding takes its identity when RpcBindingSetAuthInfo is called, \
         another that the context is built once, when first needed. Default: the identity is \
         captured when the binding's security is set, that is at a set_blanket on the named \
         binding, or at its first call if there was none. The option \
         static_tracking_at_first_call always captures at the binding's first call.",
        &["S12", "S13"],
    ),
    Am11 => sim(
        "AM-11",
        "COM and a Delegate request that cannot be honoured",
        "COM's pages do not say what happens when Delegate cannot be granted (NTLM to another \
         machine, an untrusted server, a sensitive user). Default: raw RPC fails with \
         RPC_S_SEC_PKG_ERROR unless delegation failures are ignored, while a COM call goes \
         through without delegation, at Impersonate. The option com_fails_on_delegate_failure \
         makes the COM call fail with RPC_S_SEC_PKG_ERROR too.",
        &["S12", "S35", "S36"],
    ),
    Am12 => sim(
        "AM-12",
        "Which ticket carries OK-AS-DELEGATE",
        "One specification says the client looks for OK-AS-DELEGATE on the TGT, another puts the \
         flag on the service's tickets. Fixed reading, no option: the TGT is forwarded only when \
         the target service's account is trusted for delegation.",
        &["S59", "S60"],
    ),
    Am13 => sim(
        "AM-13",
        "RBCD with a non-forwardable evidence ticket",
        "Sources disagree on whether resource-based constrained delegation accepts a \
         non-forwardable evidence ticket. Fixed reading, no option: it is accepted for ordinary \
         users, and refused with STATUS_ACCOUNT_RESTRICTION for sensitive users and members of \
         Protected Users.",
        &["S62", "S64", "S67", "S82"],
    ),
    Am14 => sim(
        "AM-14",
        "COM impersonation and SeImpersonatePrivilege",
        "The privilege rule is written for RPC and named pipes only. Fixed reading, no option: \
         CoImpersonateClient follows PR-2 as well, and COM servers started under an account hold \
         the privilege through the SERVICE group.",
        &["S9", "S49", "S57"],
    ),
    // ---- The security review (SR, SPEC §8.3): findings, not engine rules ----
    Sr1 => sim(
        "SR-1",
        "Unconstrained delegation on a server that is not a domain controller",
        "An account trusted for unconstrained delegation receives the TGT of every user who \
         calls it at Delegate and can then act as that user anywhere (KD-1). Only domain \
         controllers need it, and Windows gives it to them. Whoever controls such a server, or \
         makes a domain controller authenticate to it, holds those TGTs. Reported for every \
         account with delegation \"unconstrained\" that is not a domain controller's.",
        &["S59", "S60", "S70", "S72"],
    ),
    Sr2 => sim(
        "SR-2",
        "Constrained delegation to a service of a domain controller",
        "Constrained delegation lets a front end obtain tickets as its users for the listed \
         services (KD-4); when one of them runs on a domain controller, a compromised front end \
         acts as any of its users there, administrators included, and with protocol transition \
         it needs no sign-in from them at all (KD-5). Reported instead of SR-3 for the same \
         grant.",
        &["S63", "S67", "S69"],
    ),
    Sr3 => sim(
        "SR-3",
        "Protocol transition (use any authentication protocol)",
        "With TRUSTED_TO_AUTH_FOR_DELEGATION a front end obtains a forwardable ticket for any \
         user without that user's password or ticket (S4U2self, KD-5) and delegates it to every \
         listed service. It is needed only when clients cannot use Kerberos; Kerberos-only \
         constrained delegation or resource-based delegation exposes less.",
        &["S61", "S67", "S69"],
    ),
    Sr4 => sim(
        "SR-4",
        "Resource-based delegation to a domain controller",
        "The accounts listed in a domain controller's msDS-AllowedToActOnBehalfOfOtherIdentity \
         obtain tickets as any user who is not protected, administrators included, for every \
         service of that domain controller (KD-6). Whoever controls one of them controls the \
         domain.",
        &["S64", "S67"],
    ),
    Sr5 => not(
        "SR-5",
        "Delegation to an SPN that nobody owns",
        "A constrained delegation entry that names an SPN no account holds grants nothing \
         today, but whoever registers that SPN on an account they control receives the \
         delegated tickets. Stale entries should be removed.",
        &["S63", "S67"],
        "It needs the SPN owners of SPEC section 7.1, which the review does not resolve yet.",
    ),
    Sr6 => not(
        "SR-6",
        "Duplicate SPNs",
        "When two accounts list the same SPN the KDC refuses tickets for it, so Kerberos falls \
         back to NTLM or fails and delegation to that service stops working. setspn -X lists \
         the duplicates; setspn -D removes the wrong one.",
        &["S63", "S67"],
        "It needs the SPN owners of SPEC section 7.1, which the review does not resolve yet.",
    ),
    Sr7 => sim(
        "SR-7",
        "SPNs on a user account (Kerberoasting)",
        "Any domain user may request a service ticket for any SPN, and the ticket is encrypted \
         with a key derived from the password of the account that holds the SPN. For a user \
         account that password can be guessed offline; computer accounts and group managed \
         service accounts have long random ones.",
        &["S24", "S71"],
    ),
    Sr8 => sim(
        "SR-8",
        "A privileged account that can be delegated",
        "The tickets of an administrator who is neither marked sensitive nor in Protected Users \
         can be forwarded to, or obtained by, any server trusted for delegation, which then acts \
         as that administrator (KD-2, KD-3). Privileged accounts should be marked \"Account is \
         sensitive and cannot be delegated\" or be members of Protected Users.",
        &["S59", "S68", "S71"],
    ),
    Sr9 => sim(
        "SR-9",
        "A client hands its TGT to a server",
        "A call at Delegate to a server trusted for unconstrained delegation forwards the \
         client's TGT with it (KD-1): the server can act as the client anywhere until the ticket \
         expires (KD-8). Reported for each call of the run that forwarded a TGT.",
        &["S24", "S58", "S60", "S72"],
    ),
    Sr10 => sim(
        "SR-10",
        "A service logs users on with their passwords",
        "A service that logs a user on with the user's password (LogonUser, KD-9) holds \
         credentials that work on every machine and bypass every delegation setting. Kerberos \
         delegation to the services it needs exposes less. Reported for each logon_user step a \
         service ran.",
        &["S53", "S76"],
    ),
    Sr11 => sim(
        "SR-11",
        "A LocalSystem service on a machine trusted for unconstrained delegation",
        "A service running as LocalSystem acts as its machine's computer account. When that \
         account is trusted for unconstrained delegation and the machine is not a domain \
         controller, the service can use every TGT delivered to the machine, a domain \
         controller's own included when one is made to authenticate there. Reported instead of \
         SR-1 for that machine's account.",
        &["S59", "S72", "S89"],
    ),
}

#[cfg(test)]
mod tests {
    use super::super::{get, Coverage, RULES, SOURCES};
    use std::collections::HashSet;

    /// Each family of rules.md and how many numbered rules it has.
    const FAMILIES: [(&str, usize); 14] = [
        ("LV", 9),
        ("PR", 3),
        ("TK", 3),
        ("AL", 6),
        ("PK", 2),
        ("BL", 7),
        ("CL", 9),
        ("CO", 9),
        ("RP", 11),
        ("KD", 9),
        ("NP", 4),
        ("AC", 6),
        ("AM", 14),
        ("SR", 11),
    ];

    #[test]
    fn every_rule_of_the_study_is_there_in_order() {
        let mut expected = Vec::new();
        for (family, count) in FAMILIES {
            if family == "PK" || family == "CL" {
                expected.push(family.to_string());
            }
            for n in 1..=count {
                expected.push(format!("{family}-{n}"));
            }
        }
        let actual: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        assert_eq!(actual, expected);
        assert_eq!(RULES.len(), 105);
    }

    #[test]
    fn families_are_complete() {
        for (family, count) in FAMILIES {
            let numbered = RULES
                .iter()
                .filter(|r| {
                    r.id.strip_prefix(family)
                        .and_then(|rest| rest.strip_prefix('-'))
                        .is_some_and(|n| n.parse::<usize>().is_ok())
                })
                .count();
            assert_eq!(numbered, count, "family {family}");
        }
        assert!(get("PK").is_some(), "the PK table");
        assert!(get("CL").is_some(), "the CL table");
    }

    #[test]
    fn ids_are_unique() {
        let mut seen = HashSet::new();
        for r in RULES {
            assert!(
                seen.insert(r.id.to_ascii_uppercase()),
                "duplicate rule {}",
                r.id
            );
        }
        let mut seen = HashSet::new();
        for s in SOURCES {
            assert!(seen.insert(s.id), "duplicate source {}", s.id);
        }
    }

    #[test]
    fn sources_are_s1_to_s89_in_order() {
        let ids: Vec<&str> = SOURCES.iter().map(|s| s.id).collect();
        let expected: Vec<String> = (1..=89).map(|n| format!("S{n}")).collect();
        assert_eq!(ids, expected);
        for s in SOURCES {
            assert!(!s.title.trim().is_empty(), "{} has no title", s.id);
            assert!(!s.url.trim().is_empty(), "{} has no address", s.id);
        }
    }

    #[test]
    fn every_cited_source_resolves() {
        for r in RULES {
            assert!(!r.sources.is_empty(), "{} cites no source", r.id);
            for id in r.sources {
                assert!(
                    SOURCES.iter().any(|s| s.id == *id),
                    "{} cites unknown source {id}",
                    r.id
                );
            }
            assert_eq!(r.source_list().count(), r.sources.len(), "{}", r.id);
        }
    }

    #[test]
    fn lookup_ignores_case() {
        assert_eq!(get("kd-4").map(|r| r.id), Some("KD-4"));
        assert_eq!(get("Am-11").map(|r| r.id), Some("AM-11"));
        assert_eq!(get("pk").map(|r| r.id), Some("PK"));
        assert!(get("KD-10").is_none());
        assert!(get("").is_none());
    }

    #[test]
    fn texts_are_short_plain_prose() {
        for r in RULES {
            assert!(
                !r.title.is_empty() && r.title.len() <= 80,
                "{} title: {:?}",
                r.id,
                r.title
            );
            let sentences = r.text.matches(". ").count() + 1;
            assert!(
                (1..=5).contains(&sentences) && r.text.ends_with('.'),
                "{} text should be a few sentences: {:?}",
                r.id,
                r.text
            );
            assert!(!r.text.contains("  "), "{} has a double space", r.id);
            if let Coverage::NotSimulated(why) = r.coverage {
                assert!(
                    why.ends_with('.') && !why.contains("  "),
                    "{}: {why:?}",
                    r.id
                );
            }
        }
    }

    #[test]
    fn every_option_is_named_by_its_rule() {
        for (option, rule) in crate::model::Options::FIELDS {
            let r = rule.rule();
            assert!(
                r.text.contains(option),
                "{rule} should name the option {option}"
            );
            assert_eq!(r.coverage, Coverage::Simulated, "{rule}");
        }
        // traditional_nesting switches off both CO-3 and CO-6.
        assert!(get("CO-6").unwrap().text.contains("traditional_nesting"));
    }
}
