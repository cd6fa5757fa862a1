//! The example scenarios shipped with the playground: each a scenario file in `core/presets/`,
//! checked by the tests (`tests/presets.rs`). The two seed examples come first: the apartment
//! nesting of IServerSecurity::ImpersonateClient and the ncalrpc one-hop exception of
//! "Client Impersonation (RPC)".

/// A preset: an id (its file name), its title and one-sentence description (the scenario's own,
/// repeated here so that the playground's picker needs no scenario text; `tests/presets.rs`
/// checks they match), and its scenario JSON text.
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    pub id: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    /// Empty without the `embedded-data` feature: the playground fetches `presets/<id>.json`.
    pub json: &'static str,
}

const fn preset(
    id: &'static str,
    title: &'static str,
    description: &'static str,
    json: &'static str,
) -> Preset {
    Preset {
        id,
        title,
        description,
        json: if cfg!(feature = "embedded-data") {
            json
        } else {
            ""
        },
    }
}

/// Every preset, in the order the playground's picker shows them.
pub static PRESETS: &[Preset] = &[
    preset(
        "seed-apartment-nesting",
        "Apartment nesting: A serves D while it waits for C",
        "Server A impersonates its caller B and calls C; while it waits, a call from D runs nested on A's apartment thread, impersonates D and reverts, and when C replies A's thread is back on B's token, as IServerSecurity::ImpersonateClient describes.",
        include_str!("../../presets/seed-apartment-nesting.json"),
    ),
    preset(
        "seed-ncalrpc-one-hop",
        "The ncalrpc exception: LB, RB and C",
        "Client A reaches local server LB over ncalrpc at Impersonate; LB impersonates and calls remote server RB, which can act as A on its own machine but cannot present A to a third machine C, unless LB asks for Delegate (Client Impersonation, RPC).",
        include_str!("../../presets/seed-ncalrpc-one-hop.json"),
    ),
    preset(
        "ntlm-double-hop",
        "NTLM double hop",
        "Alice reaches a web server on APP1 with NTLM at Impersonate: the server can act as alice on APP1, but NTLM cannot carry her any further, so the share on FS1 and the database on DB1 see ANONYMOUS LOGON or refuse the call.",
        include_str!("../../presets/ntlm-double-hop.json"),
    ),
    preset(
        "kerberos-unconstrained",
        "Kerberos unconstrained delegation",
        "Alice calls a web server on APP1 with Kerberos at Delegate; its account is trusted for delegation, so it receives her TGT, and with dynamic cloaking both the database on DB1 and the share on FS1 see alice.",
        include_str!("../../presets/kerberos-unconstrained.json"),
    ),
    preset(
        "kcd-kerberos-only",
        "Constrained delegation, Kerberos only",
        "The web service may delegate to SQL on DB1 only: when alice signs in with Kerberos the S4U2proxy request succeeds, when she signs in with NTLM there is no forwardable evidence ticket and the KDC refuses, and the share on FS1 is refused either way because it is not in the list.",
        include_str!("../../presets/kcd-kerberos-only.json"),
    ),
    preset(
        "kcd-any-protocol",
        "Constrained delegation with protocol transition",
        "With \"Use any authentication protocol\" the web service can reach SQL on DB1 as alice even after an NTLM sign-in, through S4U2self and S4U2proxy, but the share on FS1 is still refused with STATUS_NO_MATCH because it is not in the list.",
        include_str!("../../presets/kcd-any-protocol.json"),
    ),
    preset(
        "rbcd",
        "Resource-based constrained delegation",
        "The database account lists the web service's account in allowed_to_act, so the web service reaches DB1 as alice even after an NTLM sign-in, while FS1, which trusts another front end, refuses it.",
        include_str!("../../presets/rbcd.json"),
    ),
    preset(
        "cloaking-static-vs-dynamic",
        "Static versus dynamic cloaking",
        "Server B calls C through two proxies while impersonating alice, after reverting, and while impersonating bob: the statically cloaked proxy keeps the identity of its first call, the dynamically cloaked one follows the thread.",
        include_str!("../../presets/cloaking-static-vs-dynamic.json"),
    ),
    preset(
        "no-seimpersonate",
        "RPC server without SeImpersonatePrivilege",
        "An RPC server run by bob as an ordinary program gets only an Identify-level token for alice, so it cannot open her file or duplicate the token, while the same call to a service gives it a full Impersonate token.",
        include_str!("../../presets/no-seimpersonate.json"),
    ),
    preset(
        "traditional-nesting",
        "Without apartment nesting",
        "The apartment example again with traditional_nesting on, so that D's revert leaves A on its own token when C replies, followed by the Win32 rule: after LogonUser and ImpersonateLoggedOnUser for bob and then dave, one revert returns to the process token.",
        include_str!("../../presets/traditional-nesting.json"),
    ),
];

/// The preset with this id.
pub fn get(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}
