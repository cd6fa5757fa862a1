//! The example scenarios shipped with the playground: each a scenario file in `core/presets/`,
//! checked by the tests (`tests/presets.rs`). The two seed examples come first: the apartment
//! nesting of IServerSecurity::ImpersonateClient and the ncalrpc one-hop exception of
//! "Client Impersonation (RPC)".

/// A preset: an id (its file name), its title and one-sentence description (the scenario's own,
/// repeated here; `tests/presets.rs` checks they match), the group and the one-line lesson the
/// playground's picker lists it under, and its scenario JSON text.
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    pub id: &'static str,
    pub title: &'static str,
    /// Empty without the `embedded-data` feature: the playground shows the scenario's own
    /// once it is opened, and the lesson before.
    pub description: &'static str,
    /// The picker's heading for it; presets of a group are listed together, groups in the order
    /// of their first preset.
    pub group: &'static str,
    /// What it teaches, in one short line.
    pub lesson: &'static str,
    /// Empty without the `embedded-data` feature: the playground fetches `presets/<id>.json`.
    pub json: &'static str,
}

const fn preset(
    id: &'static str,
    title: &'static str,
    description: &'static str,
    (group, lesson): (&'static str, &'static str),
    json: &'static str,
) -> Preset {
    let embedded = cfg!(feature = "embedded-data");
    Preset {
        id,
        title,
        description: if embedded { description } else { "" },
        group,
        lesson,
        json: if embedded { json } else { "" },
    }
}

const NESTING: &str = "Nesting on a COM thread";
const HOPS: &str = "How far an identity travels";
const KERBEROS: &str = "Kerberos delegation";
const TOKENS: &str = "Cloaking and privileges";
const PLUMBING: &str = "SPNs, SMB and web servers";

/// Every preset; the playground's picker shows them by group, groups in the order of their
/// first preset here.
pub static PRESETS: &[Preset] = &[
    preset(
        "seed-apartment-nesting",
        "Apartment nesting: A serves D while it waits for C",
        "Server A impersonates its caller B and calls C; while it waits, a call from D runs nested on A's apartment thread, impersonates D and reverts, and when C replies A's thread is back on B's token, as IServerSecurity::ImpersonateClient describes.",
        (NESTING, "A call served while A waits cannot undo its impersonation of B."),
        include_str!("../../presets/seed-apartment-nesting.json"),
    ),
    preset(
        "seed-ncalrpc-one-hop",
        "The ncalrpc exception: LB, RB and C",
        "Client A reaches local server LB over ncalrpc at Impersonate; LB impersonates and calls remote server RB, which can act as A on its own machine but cannot present A to a third machine C, unless LB asks for Delegate (Client Impersonation, RPC).",
        (HOPS, "A local ncalrpc call at Impersonate reaches one more machine, no further."),
        include_str!("../../presets/seed-ncalrpc-one-hop.json"),
    ),
    preset(
        "iis-sql-missing-spn",
        "IIS to SQL Server: the missing SPN",
        "Alice opens an IIS site on WEB1 that queries SQL Server on DB1 as her: the first instance's MSSQLSvc/db1.corp.example:1433 is registered on no account, so the query falls back to NTLM and arrives as ANONYMOUS LOGON, and the second instance, whose SPN is registered, gets Kerberos but still sees ANONYMOUS LOGON because nobody may delegate alice (the double hop).",
        (PLUMBING, "A missing SPN means NTLM; with Kerberos the second hop still needs delegation."),
        include_str!("../../presets/iis-sql-missing-spn.json"),
    ),
    preset(
        "iis-file-share-kcd",
        "IIS to a file share with constrained delegation",
        "An intranet site on WEB1 runs as svcWeb, which holds HTTP/intranet.corp.example and may delegate to cifs/FS1: under kernel-mode authentication HTTP.sys decrypts with WEB1$'s key and the sign-in fails with KRB_AP_ERR_MODIFIED, with useAppPoolCredentials svcWeb decrypts the ticket and its constrained delegation opens the share as alice, and the default site, whose tickets WEB1$ decrypts, reaches the share only as ANONYMOUS LOGON because WEB1$ may not delegate.",
        (PLUMBING, "In kernel mode the computer account decrypts the ticket and must do the delegating."),
        include_str!("../../presets/iis-file-share-kcd.json"),
    ),
    preset(
        "powershell-second-hop",
        "PowerShell's second hop",
        "Alice enters a PowerShell session on SRV1, where WinRM runs her commands in her own network logon: the share on FS1 sees ANONYMOUS LOGON because that logon holds no credentials and nobody may delegate her, while over CredSSP the session holds her password and opens the share as alice.",
        (PLUMBING, "A WinRM session holds no credentials: the second hop needs CredSSP or delegation."),
        include_str!("../../presets/powershell-second-hop.json"),
    ),
    preset(
        "printer-bug",
        "The printer bug",
        "A print spooler on the domain controller DC1 is made to open a named pipe on APP1, whose computer account is trusted for unconstrained delegation: SMB asks Kerberos for delegation, so DC1$'s own TGT lands on APP1, and a service there can impersonate DC1$ and open what only the domain controller may open.",
        (PLUMBING, "A DC that connects to an unconstrained host hands it the DC's own TGT."),
        include_str!("../../presets/printer-bug.json"),
    ),
    preset(
        "duplicate-spn",
        "Duplicate SPN",
        "MSSQLSvc/db1.corp.example:1433 is registered on both svcSql and an old account svcSqlOld: the KDC refuses the name as a duplicate, so the report server's Negotiate connection quietly falls back to NTLM and a client that insists on Kerberos fails.",
        (PLUMBING, "Two accounts with one SPN: the KDC refuses it and Negotiate falls back to NTLM."),
        include_str!("../../presets/duplicate-spn.json"),
    ),
    preset(
        "ntlm-double-hop",
        "NTLM double hop",
        "Alice reaches a web server on APP1 with NTLM at Impersonate: the server can act as alice on APP1, but NTLM cannot carry her any further, so the share on FS1 and the database on DB1 see ANONYMOUS LOGON or refuse the call.",
        (HOPS, "NTLM stops at the first server: the next hop sees ANONYMOUS LOGON."),
        include_str!("../../presets/ntlm-double-hop.json"),
    ),
    preset(
        "kerberos-unconstrained",
        "Kerberos unconstrained delegation",
        "Alice calls a web server on APP1 with Kerberos at Delegate; its account is trusted for delegation, so it receives her TGT, and with dynamic cloaking both the database on DB1 and the share on FS1 see alice.",
        (KERBEROS, "A server trusted for delegation gets the client's TGT and goes anywhere as her."),
        include_str!("../../presets/kerberos-unconstrained.json"),
    ),
    preset(
        "kcd-kerberos-only",
        "Constrained delegation, Kerberos only",
        "The web service may delegate to SQL on DB1 only: when alice signs in with Kerberos the S4U2proxy request succeeds, when she signs in with NTLM there is no forwardable evidence ticket and the KDC refuses, and the share on FS1 is refused either way because it is not in the list.",
        (KERBEROS, "Constrained delegation reaches only the listed services, after a Kerberos sign-in."),
        include_str!("../../presets/kcd-kerberos-only.json"),
    ),
    preset(
        "kcd-any-protocol",
        "Constrained delegation with protocol transition",
        "With \"Use any authentication protocol\" the web service can reach SQL on DB1 as alice even after an NTLM sign-in, through S4U2self and S4U2proxy, but the share on FS1 is still refused (STATUS_NOT_FOUND) because it is not in the list, so SMB falls back and FS1 sees ANONYMOUS LOGON.",
        (KERBEROS, "Protocol transition lets constrained delegation follow an NTLM sign-in too."),
        include_str!("../../presets/kcd-any-protocol.json"),
    ),
    preset(
        "rbcd",
        "Resource-based constrained delegation",
        "The database account lists the web service's account in allowed_to_act, so the web service reaches DB1 as alice even after an NTLM sign-in, while FS1, which trusts another front end, refuses it.",
        (KERBEROS, "With resource-based delegation the back end decides who may act for its users."),
        include_str!("../../presets/rbcd.json"),
    ),
    preset(
        "cloaking-static-vs-dynamic",
        "Static versus dynamic cloaking",
        "Server B calls C through two proxies while impersonating alice, after reverting, and while impersonating bob: the statically cloaked proxy keeps the identity of its first call, the dynamically cloaked one follows the thread.",
        (TOKENS, "Static cloaking keeps a proxy's first identity; dynamic cloaking follows the thread."),
        include_str!("../../presets/cloaking-static-vs-dynamic.json"),
    ),
    preset(
        "no-seimpersonate",
        "RPC server without SeImpersonatePrivilege",
        "An RPC server run by bob as an ordinary program gets only an Identify-level token for alice, so it cannot open her file or duplicate the token, while the same call to a service gives it a full Impersonate token.",
        (TOKENS, "Without SeImpersonatePrivilege a server gets only an Identify-level token."),
        include_str!("../../presets/no-seimpersonate.json"),
    ),
    preset(
        "traditional-nesting",
        "Without apartment nesting",
        "The apartment example again with traditional_nesting on, so that D's revert leaves A on its own token when C replies, followed by the Win32 rule: after LogonUser and ImpersonateLoggedOnUser for bob and then dave, one revert returns to the process token.",
        (NESTING, "With traditional nesting one revert drops every impersonation."),
        include_str!("../../presets/traditional-nesting.json"),
    ),
];

/// The preset with this id.
pub fn get(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}
