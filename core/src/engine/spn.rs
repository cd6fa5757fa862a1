//! Service principal names as Active Directory resolves them (SPEC §7.1, SP-1..SP-6): the form
//! `class/host[:port][/name]`, who owns one (the account listing it, else the computer account
//! through the sPNMappings host aliases, else nobody), and duplicates.

use super::world::{AccountId, MachineId};

/// Who the KDC finds behind an SPN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// One account: tickets are encrypted with its key (SP-1, SP-2).
    Account(AccountId),
    /// Nobody: KDC_ERR_S_PRINCIPAL_UNKNOWN (SP-3).
    Nobody,
    /// Listed by two accounts (the first two found): the KDC refuses it (SP-4).
    Duplicate(AccountId, AccountId),
}

impl Owner {
    /// The single owner, if there is one.
    pub fn account(self) -> Option<AccountId> {
        match self {
            Owner::Account(a) => Some(a),
            _ => None,
        }
    }

    /// `self` once `id` lists the SPN too.
    pub fn listed_by(self, id: AccountId) -> Owner {
        match self {
            Owner::Nobody => Owner::Account(id),
            Owner::Account(a) if a != id => Owner::Duplicate(a, id),
            other => other,
        }
    }
}

/// The service classes Active Directory maps to `HOST` by default (sPNMappings, SP-2), one
/// string split on spaces (a table of 54 `&str` would cost the wasm 432 bytes of pointers).
const HOST_ALIASES: &str = concat!(
    "host alerter appmgmt cisvc clipsrv browser dhcp dnscache replicator eventlog ",
    "eventsystem policyagent oakley dmserver dns mcsvc fax msiserver ias messenger ",
    "netlogon netman netdde netddedsm nmagent plugplay protectedstorage rasman ",
    "rpclocator rpc rpcss remoteaccess rsvp samss scardsvr scesrv seclogon scm dcom ",
    "cifs spooler snmp schedule tapisrv trksvr trkwks ups time wins www http w3svc ",
    "iisadmin msdtc"
);

/// The SPNs a domain controller's computer account owns without listing them (SPEC §7.4).
pub const DC_CLASSES: [&str; 3] = ["ldap", "gc", "dns"];

/// The machine an SPN nobody lists falls to through the host aliases (SP-2): only the form
/// `class/host`, no port and no service name, with an aliased class and a host that is one of
/// `machines` or starts with its name and a dot (an FQDN).
// SP-2, silently: the owner found here is the one SP-3/SP-5 decisions cite.
pub fn alias_machine<'m>(
    spn: &str,
    machines: impl Iterator<Item = (MachineId, &'m String)>,
) -> Option<MachineId> {
    let (class, host) = spn.split_once('/')?;
    if host.contains([':', '/']) || class.is_empty() {
        return None;
    }
    if !HOST_ALIASES
        .split(' ')
        .any(|c| c.eq_ignore_ascii_case(class))
    {
        return None;
    }
    machines
        .filter(|(_, m)| names_machine(host, m))
        .map(|(id, _)| id)
        .next()
}

/// Whether an SPN's host part names machine `m`: equal to it, or `m.` and a domain (SP-2).
fn names_machine(host: &str, m: &str) -> bool {
    host.len() >= m.len()
        && host.is_char_boundary(m.len())
        && host[..m.len()].eq_ignore_ascii_case(m)
        && (host.len() == m.len() || host.as_bytes()[m.len()] == b'.')
}

/// A delegation list allows an SPN only by exact (case-insensitive) equality.
// SP-6, silently: KD-4's refusal names the list; this is where the match is exact.
pub fn listed(list: &[String], spn: &str) -> bool {
    list.iter().any(|s| s.eq_ignore_ascii_case(spn))
}

#[cfg(test)]
mod tests {
    use super::super::ids::Id;
    use super::*;

    fn machines() -> Vec<String> {
        vec!["DB1".into(), "APP1".into()]
    }

    fn alias(spn: &str) -> Option<usize> {
        let m = machines();
        alias_machine(
            spn,
            m.iter()
                .enumerate()
                .map(|(i, n)| (MachineId::from_index(i), n)),
        )
        .map(|id| id.index())
    }

    #[test]
    fn host_aliases_reach_the_computer_account_only_in_their_plain_form() {
        assert_eq!(alias("HOST/DB1"), Some(0));
        assert_eq!(alias("cifs/db1.corp.example"), Some(0));
        assert_eq!(alias("HTTP/app1"), Some(1));
        assert_eq!(alias("http/app10"), None);
        assert_eq!(alias("MSSQLSvc/DB1"), None);
        assert_eq!(alias("cifs/DB1:445"), None);
        assert_eq!(alias("cifs/DB1/corp"), None);
        assert_eq!(alias("cifs"), None);
        assert_eq!(alias("/DB1"), None);
        assert_eq!(HOST_ALIASES.split(' ').count(), 54);
        assert!(!HOST_ALIASES.contains("  ") && !HOST_ALIASES.ends_with(' '));
    }

    #[test]
    fn delegation_lists_match_exactly() {
        let list = vec!["MSSQLSvc/db1".to_string()];
        assert!(listed(&list, "mssqlsvc/DB1"));
        assert!(!listed(&list, "MSSQLSvc/db1.corp.example:1433"));
    }
}
