//! The documentation pages the rules cite: every source of the study (rules.md §0), with its
//! title and address as the study gives them. Where the study names only a file in one of the
//! MicrosoftDocs repositories, the address is that path as given.
use super::Source;

pub static SOURCES: &[Source] = &[
    Source {
        id: "S1",
        title: "Impersonation Level Constants (COM)",
        url: "https://learn.microsoft.com/en-us/windows/desktop/com/com-impersonation-level-constants",
    },
    Source {
        id: "S2",
        title: "Impersonation Levels (COM)",
        url: "https://learn.microsoft.com/en-us/windows/win32/com/impersonation-levels",
    },
    Source {
        id: "S3",
        title: "[MS-LSAD] 2.2.3.5 SECURITY_IMPERSONATION_LEVEL",
        url: "https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-lsad/720cea10-cee2-4c45-9084-c6fa7d67d18d",
    },
    Source {
        id: "S4",
        title: "Impersonation Levels (Authorization)",
        url: "https://learn.microsoft.com/en-us/windows/win32/secauthz/impersonation-levels",
    },
    Source {
        id: "S5",
        title: "SECURITY_IMPERSONATION_LEVEL enumeration (winnt.h)",
        url: "https://learn.microsoft.com/en-us/windows/win32/api/winnt/ne-winnt-security_impersonation_level",
    },
    Source {
        id: "S6",
        title: "[MS-RPCE] 2.2.1.1.9 Impersonation Level",
        url: "https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-rpce/fd5d5c6e-80f4-49b5-887f-4ce844cc62c4",
    },
    Source {
        id: "S7",
        title: "[MS-RPCE] 2.2.1.1.10 Transport-Layer Impersonation Level",
        url: "https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-rpce/119d6768-d499-440c-ab0c-44c35176f12a",
    },
    Source {
        id: "S8",
        title: "[MS-RPCE] 3.3.3.4.3.2 Abstract Interface RpcImpersonateClient",
        url: "https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-rpce/4f90ff39-50dc-41a8-9799-a1e50cfab17f",
    },
    Source {
        id: "S9",
        title: "RpcImpersonateClient function (rpcdce.h)",
        url: "https://learn.microsoft.com/en-us/windows/desktop/api/Rpcdce/nf-rpcdce-rpcimpersonateclient",
    },
    Source {
        id: "S10",
        title: "RpcRevertToSelf function",
        url: "https://learn.microsoft.com/en-us/windows/win32/api/rpcdce/nf-rpcdce-rpcreverttoself",
    },
    Source {
        id: "S11",
        title: "RpcRevertToSelfEx function",
        url: "https://learn.microsoft.com/en-us/windows/win32/api/rpcdce/nf-rpcdce-rpcreverttoselfex",
    },
    Source {
        id: "S12",
        title: "RPC_SECURITY_QOS structure (rpcdce.h)",
        url: "https://learn.microsoft.com/es-es/windows/win32/api/rpcdce/ns-rpcdce-rpc_security_qos",
    },
    Source {
        id: "S13",
        title: "Quality of Service (RPC)",
        url: "https://learn.microsoft.com/en-us/windows/win32/rpc/quality-of-service",
    },
    Source {
        id: "S14",
        title: "Client Impersonation (RPC)",
        url: "https://learn.microsoft.com/en-us/windows/win32/rpc/client-impersonation",
    },
    Source {
        id: "S15",
        title: "Choosing Security QOS Options",
        url: "https://learn.microsoft.com/en-us/windows/win32/rpc/choosing-security-qos-options",
    },
    Source {
        id: "S16",
        title: "Using Transport-Level Security on the Client",
        url: "https://learn.microsoft.com/zh-cn/windows/win32/rpc/using-transport-level-security-on-the-client",
    },
    Source {
        id: "S17",
        title: "Authentication-Level Constants (RPC)",
        url: "https://learn.microsoft.com/en-us/windows/win32/rpc/authentication-level-constants",
    },
    Source {
        id: "S18",
        title: "Authentication Level Constants (COM)",
        url: "https://learn.microsoft.com/en-us/windows/win32/com/com-authentication-level-constants",
    },
    Source {
        id: "S19",
        title: "Authentication Levels (RPC)",
        url: "https://learn.microsoft.com/en-us/windows/win32/rpc/authentication-levels",
    },
    Source {
        id: "S20",
        title: "RpcBindingSetAuthInfoEx function",
        url: "https://learn.microsoft.com/en-us/windows/win32/api/rpcdce/nf-rpcdce-rpcbindingsetauthinfoexw",
    },
    Source {
        id: "S21",
        title: "RpcBindingSetAuthInfo function",
        url: "https://learn.microsoft.com/en-us/windows/win32/api/rpcdce/nf-rpcdce-rpcbindingsetauthinfow",
    },
    Source {
        id: "S22",
        title: "COM and Security Packages",
        url: "https://learn.microsoft.com/en-au/windows/win32/com/com-and-security-packages",
    },
    Source {
        id: "S23",
        title: "NTLMSSP (COM)",
        url: "https://techshelps.github.io/MSDN/COM/devdoc/live/com/comext_9qgg.htm",
    },
    Source {
        id: "S24",
        title: "Kerberos v5 Protocol (COM)",
        url: "https://learn.microsoft.com/en-us/windows/win32/com/kerberos-v5-protocol",
    },
    Source {
        id: "S25",
        title: "Schannel (COM)",
        url: "https://learn.microsoft.com/en-us/windows/win32/com/schannel",
    },
    Source {
        id: "S26",
        title: "Snego",
        url: "https://learn.microsoft.com/en-us/windows/win32/com/snego",
    },
    Source {
        id: "S27",
        title: "Cloaking",
        url: "https://learn.microsoft.com/en-us/Windows/Win32/com/cloaking",
    },
    Source {
        id: "S28",
        title: "Cloaking (Component Services)",
        url: "https://learn.microsoft.com/en-us/windows/win32/cossdk/cloaking",
    },
    Source {
        id: "S29",
        title: "Delegation and Impersonation (COM)",
        url: "https://learn.microsoft.com/en-us/windows/win32/com/delegation-and-impersonation",
    },
    Source {
        id: "S30",
        title: "Impersonation (COM)",
        url: "https://learn.microsoft.com/en-us/windows/win32/com/impersonation",
    },
    Source {
        id: "S31",
        title: "Security Blanket Negotiation",
        url: "https://learn.microsoft.com/en-us/windows/win32/com/security-blanket-negotiation",
    },
    Source {
        id: "S32",
        title: "COM Security Defaults",
        url: "https://learn.microsoft.com/en-us/windows/win32/com/com-security-defaults",
    },
    Source {
        id: "S33",
        title: "EOLE_AUTHENTICATION_CAPABILITIES enumeration",
        url: "https://learn.microsoft.com/en-us/windows/win32/api/objidl/ne-objidl-eole_authentication_capabilities",
    },
    Source {
        id: "S34",
        title: "CoInitializeSecurity function",
        url: "https://learn.microsoft.com/en-us/windows/win32/api/combaseapi/nf-combaseapi-coinitializesecurity",
    },
    Source {
        id: "S35",
        title: "CoSetProxyBlanket function",
        url: "https://learn.microsoft.com/en-us/windows/win32/api/combaseapi/nf-combaseapi-cosetproxyblanket",
    },
    Source {
        id: "S36",
        title: "IClientSecurity::SetBlanket",
        url: "https://learn.microsoft.com/en-us/windows/win32/api/objidlbase/nf-objidlbase-iclientsecurity-setblanket",
    },
    Source {
        id: "S37",
        title: "IServerSecurity::ImpersonateClient",
        url: "https://learn.microsoft.com/en-us/windows/win32/api/objidlbase/nf-objidlbase-iserversecurity-impersonateclient",
    },
    Source {
        id: "S38",
        title: "IServerSecurity::RevertToSelf",
        url: "https://learn.microsoft.com/en-us/windows/win32/api/objidlbase/nf-objidlbase-iserversecurity-reverttoself",
    },
    Source {
        id: "S39",
        title: "IServerSecurity::IsImpersonating",
        url: "https://learn.microsoft.com/en-us/windows/win32/api/objidlbase/nf-objidlbase-iserversecurity-isimpersonating",
    },
    Source {
        id: "S40",
        title: "IServerSecurity::QueryBlanket",
        url: "https://learn.microsoft.com/en-us/windows/win32/api/objidlbase/nf-objidlbase-iserversecurity-queryblanket",
    },
    Source {
        id: "S41",
        title: "CoImpersonateClient function",
        url: "https://learn.microsoft.com/en-us/windows/win32/api/combaseapi/nf-combaseapi-coimpersonateclient",
    },
    Source {
        id: "S42",
        title: "CoRevertToSelf function",
        url: "https://learn.microsoft.com/en-us/windows/win32/api/combaseapi/nf-combaseapi-coreverttoself",
    },
    Source {
        id: "S43",
        title: "CoQueryClientBlanket function",
        url: "https://learn.microsoft.com/en-us/windows/win32/api/combaseapi/nf-combaseapi-coqueryclientblanket",
    },
    Source {
        id: "S44",
        title: "Impersonation and Asynchronous Calls",
        url: "https://learn.microsoft.com/en-us/windows/win32/com/impersonation-and-asynchronous-calls",
    },
    Source {
        id: "S45",
        title: "Client Impersonation (Authorization)",
        url: "https://learn.microsoft.com/en-us/windows/win32/secauthz/client-impersonation",
    },
    Source {
        id: "S46",
        title: "Impersonation Tokens",
        url: "https://learn.microsoft.com/en-us/windows/win32/secauthz/impersonation-tokens",
    },
    Source {
        id: "S47",
        title: "How DACLs Control Access to an Object",
        url: "https://learn.microsoft.com/en-us/windows/desktop/SecAuthZ/how-dacls-control-access-to-an-object",
    },
    Source {
        id: "S48",
        title: "OpenThreadToken function",
        url: "https://learn.microsoft.com/en-us/windows/win32/api/processthreadsapi/nf-processthreadsapi-openthreadtoken",
    },
    Source {
        id: "S49",
        title: "ImpersonateNamedPipeClient function",
        url: "https://learn.microsoft.com/en-us/windows/desktop/api/namedpipeapi/nf-namedpipeapi-impersonatenamedpipeclient",
    },
    Source {
        id: "S50",
        title: "Impersonating a Named Pipe Client",
        url: "https://learn.microsoft.com/en-us/windows/win32/ipc/impersonating-a-named-pipe-client",
    },
    Source {
        id: "S51",
        title: "CreateFileW function (SQOS flags table)",
        url: "https://learn.microsoft.com/en-us/windows/win32/api/fileapi/nf-fileapi-createfilew",
    },
    Source {
        id: "S52",
        title: "DuplicateTokenEx function / DuplicateToken function",
        url: "https://docs.microsoft.com/en-us/windows/win32/api/securitybaseapi/nf-securitybaseapi-duplicatetokenex",
    },
    Source {
        id: "S53",
        title: "ImpersonateLoggedOnUser function",
        url: "https://learn.microsoft.com/en-us/windows/win32/api/securitybaseapi/nf-securitybaseapi-impersonateloggedonuser",
    },
    Source {
        id: "S54",
        title: "ImpersonateAnonymousToken function",
        url: "https://learn.microsoft.com/en-us/windows/win32/api/securitybaseapi/nf-securitybaseapi-impersonateanonymoustoken",
    },
    Source {
        id: "S55",
        title: "SeCreateClientSecurity function (ntifs.h)",
        url: "https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ntifs/nf-ntifs-secreateclientsecurity",
    },
    Source {
        id: "S56",
        title: "PsImpersonateClient function (ntifs.h), current remarks; docs PR",
        url: "https://learn.microsoft.com/zh-cn/windows-hardware/drivers/ddi/ntifs/nf-ntifs-psimpersonateclient",
    },
    Source {
        id: "S57",
        title: "Impersonate a client after authentication (security policy setting)",
        url: "https://learn.microsoft.com/de-de/previous-versions/windows/it-pro/windows-10/security/threat-protection/security-policy-settings/impersonate-a-client-after-authentication",
    },
    Source {
        id: "S58",
        title: "Context Requirements (SSPI)",
        url: "https://learn.microsoft.com/en-us/windows/desktop/SecAuthN/context-requirements",
    },
    Source {
        id: "S59",
        title: "[MS-KILE] 3.3.5.1 Request Flag Ticket-issuing Behavior",
        url: "https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-kile/f5993d64-a280-4555-9fcc-922fb934fc27",
    },
    Source {
        id: "S60",
        title: "[MS-KILE] 3.2.5.1 Request Flags Details",
        url: "https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-kile/3affa503-59b5-47b6-92aa-ec4b9cf04982",
    },
    Source {
        id: "S61",
        title: "[MS-SFU] KDC processing of S4U2self",
        url: "https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-sfu/ad98268b-f75b-42c3-b09b-959282770642",
    },
    Source {
        id: "S62",
        title: "[MS-SFU] 3.1.5.2.1 Sends S4U2proxy KRB_TGS_REQ",
        url: "https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-sfu/ddb2cafd-1f01-4834-b52a-d4a5b34cd960",
    },
    Source {
        id: "S63",
        title: "[MS-SFU] 3.2.5.2.1 Using ServicesAllowedToSendForwardedTicketsTo",
        url: "https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-sfu/6d76bf10-3c48-4e14-9992-df1bd456455e",
    },
    Source {
        id: "S64",
        title: "[MS-SFU] 3.2.5.2.3 Using ServicesAllowedToReceiveForwardedTicketsFrom",
        url: "https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-sfu/dd1b47f9-580c-4c4e-8f34-4485b9728331",
    },
    Source {
        id: "S65",
        title: "[MS-SFU] 4.3 S4U2proxy Example",
        url: "https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-sfu/c920c148-8a9c-42e9-b8e9-db5755cd281b",
    },
    Source {
        id: "S66",
        title: "[MS-SFU] 3.2.1 Abstract Data Model",
        url: "https://learn.microsoft.com/zh-cn/openspecs/windows_protocols/ms-sfu/0b4d13c4-d459-4598-8f08-1584ca1e24c9",
    },
    Source {
        id: "S67",
        title: "Kerberos Constrained Delegation Overview",
        url: "https://learn.microsoft.com/nb-no/windows-server/security/kerberos/kerberos-constrained-delegation-overview",
    },
    Source {
        id: "S68",
        title: "Protected Users Security Group",
        url: "https://learn.microsoft.com/en-us/windows-server/security/credentials-protection-and-management/protected-users-security-group",
    },
    Source {
        id: "S69",
        title: "Allow a user to be trusted for delegation for specific services (WS2003)",
        url: "https://learn.microsoft.com/en-us/previous-versions/windows/it-pro/windows-server-2003/cc757194(v=ws.10)",
    },
    Source {
        id: "S70",
        title: "Delegating authentication (WS2003)",
        url: "http://technet.microsoft.com/pt-br/library/cc739740(v=ws.10).aspx",
    },
    Source {
        id: "S71",
        title: "Kerberos Policy (SecAuthN)",
        url: "https://learn.microsoft.com/en-us/windows/win32/secauthn/kerberos-policy",
    },
    Source {
        id: "S72",
        title: "Understanding Kerberos Double Hop (AskDS blog)",
        url: "https://learn.microsoft.com/en-us/archive/blogs/askds/understanding-kerberos-double-hop",
    },
    Source {
        id: "S73",
        title: "KB183545 XWEB: NTLM Authentication Fails Between Two Computers with OWA",
        url: "http://support.microsoft.com/kb/183545",
    },
    Source {
        id: "S74",
        title: "KB2443455 connectivity issues if SQL Server service account delegation is misconfigured",
        url: "https://support.microsoft.com/en-us/help/2443455/you-may-experience-connectivity-issues-if-sql-server-service-account-d",
    },
    Source {
        id: "S75",
        title: "NetworkService Account ; LocalService Account",
        url: "https://learn.microsoft.com/en-us/windows/win32/Services/networkservice-account",
    },
    Source {
        id: "S76",
        title: "Client Logon Sessions",
        url: "https://learn.microsoft.com/windows/desktop/SecAuthZ/client-logon-sessions",
    },
    Source {
        id: "S77",
        title: "[MS-NRPC] 3.1.4.7 Calling Methods Not Requiring Session-Key Establishment",
        url: "https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-nrpc/6b7f7a1c-83b7-452c-9b7b-2ece221e236d",
    },
    Source {
        id: "S78",
        title: "KB Q126645 PRB: Access Denied When Opening a Named Pipe from a Service",
        url: "https://helparchive.huntertur.net/document/38548",
    },
    Source {
        id: "S79",
        title: "KB5004442 DCOM Server Security Feature Bypass hardening",
        url: "https://support.microsoft.com/en-us/topic/kb5004442-manage-changes-for-windows-dcom-server-security-feature-bypass-cve-2021-26414-f1400b52-c141-43d2-941e-37ed901c769c",
    },
    Source {
        id: "S80",
        title: "Wine server/token.c token_duplicate() (code corpus, id 4646615400)",
        url: "https://gitlab.winehq.org/wine/wine/-/blob/master/server/token.c",
    },
    Source {
        id: "S81",
        title: "GitHub issues showing DuplicateTokenEx error 1346 after impersonation without SeImpersonatePrivilege",
        url: "https://github.com/BeichenDream/BadPotato/issues/1",
    },
    Source {
        id: "S82",
        title: "MIT krb5 commit \"S4U2Proxy evidence tickets needn't be forwardable\"",
        url: "https://github.com/krb5/krb5/commit/e131d339b81a22bfc91ab96990c3be9e7779200e",
    },
    Source {
        id: "S83",
        title: "AccessCheck function",
        url: "https://learn.microsoft.com/en-us/windows/win32/api/securitybaseapi/nf-securitybaseapi-accesscheck",
    },
    Source {
        id: "S84",
        title: "RPC_C_IMP_LEVEL_xxx (older COM SDK text)",
        url: "https://techshelps.github.io/MSDN/COM/devdoc/live/com/enums_2jco.htm",
    },
    Source {
        id: "S85",
        title: "[MS-NLMP] 2.2.2.5 NEGOTIATE (flag NTLMSSP_NEGOTIATE_IDENTIFY, \"requests an identify level token\")",
        url: "https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-nlmp/99d90ff4-957f-4c8a-80e4-5bfe5a9a9832",
    },
    Source {
        id: "S86",
        title: "[MS-SMB] 2.2.4.9.1 Client Request Extensions (SECURITY_DELEGATION added to the CREATE ImpersonationLevel field)",
        url: "https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-smb/8e14ed93-f275-44d1-bc46-dfaf296c91b1",
    },
    Source {
        id: "S87",
        title: "KERB_S4U_LOGON structure (KERB_S4U_LOGON_FLAG_IDENTIFY \"Requests the identity token\")",
        url: "https://learn.microsoft.com/en-us/windows/desktop/api/ntsecapi/ns-ntsecapi-kerb_s4u_logon",
    },
    Source {
        id: "S88",
        title: "ImpersonateClient function (LSA, for security packages), with the same four-condition list as S49",
        url: "https://learn.microsoft.com/en-us/previous-versions/windows/desktop/legacy/aa375494(v=vs.85)",
    },
    Source {
        id: "S89",
        title: "LocalSystem Account (\"The service presents the computer's credentials to remote servers\"). Seen only through secondary copies of the page text in the code corpus.",
        url: "https://learn.microsoft.com/windows/win32/services/localsystem-account",
    },
    Source {
        id: "S90",
        title: "sPNMappings attribute (host SPN aliases); [MS-DRSR] 4.1.4.2.19",
        url: "https://learn.microsoft.com/en-us/windows/win32/adschema/a-spnmappings",
    },
    Source {
        id: "S91",
        title: "KDC event 11: duplicate names (\"may result in authentication failures or downgrades to NTLM\")",
        url: "https://learn.microsoft.com/en-us/previous-versions/windows/it-pro/windows-server-2008-r2-and-2008/cc733945(v=ws.10)",
    },
    Source {
        id: "S92",
        title: "Kerberos authentication problems: service principal name (SPN) issues, parts 1 and 2 (AskDS)",
        url: "https://techcommunity.microsoft.com/t5/ask-the-directory-services-team/kerberos-authentication-problems-8211-service-principal-name-spn/ba-p/395433",
    },
    Source {
        id: "S93",
        title: "SQL Server: Register a Service Principal Name for Kerberos Connections",
        url: "https://learn.microsoft.com/en-us/sql/database-engine/configure-windows/register-a-service-principal-name-for-kerberos-connections",
    },
    Source {
        id: "S94",
        title: "[MS-SMB2] client authentication with the SPN cifs/<server>",
        url: "https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-smb2/",
    },
    Source {
        id: "S95",
        title: "Defender for Identity: print spooler service on domain controllers (a DC's credential exposed to a host trusted for unconstrained delegation)",
        url: "https://learn.microsoft.com/en-us/defender-for-identity/security-assessment-print-spooler",
    },
    Source {
        id: "S96",
        title: "IIS windowsAuthentication (useKernelMode, useAppPoolCredentials)",
        url: "https://learn.microsoft.com/en-us/iis/configuration/system.webserver/security/authentication/windowsauthentication/",
    },
    Source {
        id: "S97",
        title: "IIS basicAuthentication (logonMethod, default ClearText)",
        url: "https://learn.microsoft.com/en-us/iis/configuration/system.webserver/security/authentication/basicauthentication",
    },
    Source {
        id: "S98",
        title: "Making the second hop in PowerShell Remoting",
        url: "https://learn.microsoft.com/en-us/powershell/scripting/learn/remoting/ps-remoting-second-hop",
    },
    Source {
        id: "S99",
        title: "Protected Users security group (CredSSP does not cache plain-text credentials)",
        url: "https://learn.microsoft.com/en-us/windows-server/security/credentials-protection-and-management/protected-users-security-group",
    },
    Source {
        id: "S100",
        title: "Chrome policy AuthNegotiateDelegateAllowlist (the browser delegates only to listed servers)",
        url: "https://chromeenterprise.google/policies/#AuthNegotiateDelegateAllowlist",
    },
    Source {
        id: "S101",
        title: "Application pool identities (present the computer account on the network)",
        url: "https://learn.microsoft.com/en-us/iis/manage/configuring-security/application-pool-identities",
    },
];
