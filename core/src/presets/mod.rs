//! The example scenarios shipped with the playground: each a scenario file in `core/presets/`,
//! checked by the tests (`tests/presets.rs`). The two seed examples come first: the apartment
//! nesting of IServerSecurity::ImpersonateClient and the ncalrpc one-hop exception of
//! "Client Impersonation (RPC)".

/// A preset: an id (its file name), and its scenario JSON text.
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    pub id: &'static str,
    pub json: &'static str,
}

/// Every preset, in the order the playground's picker shows them.
pub static PRESETS: &[Preset] = &[
    Preset {
        id: "seed-apartment-nesting",
        json: include_str!("../../presets/seed-apartment-nesting.json"),
    },
    Preset {
        id: "seed-ncalrpc-one-hop",
        json: include_str!("../../presets/seed-ncalrpc-one-hop.json"),
    },
    Preset {
        id: "ntlm-double-hop",
        json: include_str!("../../presets/ntlm-double-hop.json"),
    },
    Preset {
        id: "kerberos-unconstrained",
        json: include_str!("../../presets/kerberos-unconstrained.json"),
    },
    Preset {
        id: "kcd-kerberos-only",
        json: include_str!("../../presets/kcd-kerberos-only.json"),
    },
    Preset {
        id: "kcd-any-protocol",
        json: include_str!("../../presets/kcd-any-protocol.json"),
    },
    Preset {
        id: "rbcd",
        json: include_str!("../../presets/rbcd.json"),
    },
    Preset {
        id: "cloaking-static-vs-dynamic",
        json: include_str!("../../presets/cloaking-static-vs-dynamic.json"),
    },
    Preset {
        id: "no-seimpersonate",
        json: include_str!("../../presets/no-seimpersonate.json"),
    },
    Preset {
        id: "traditional-nesting",
        json: include_str!("../../presets/traditional-nesting.json"),
    },
];

/// The preset with this id.
pub fn get(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}
