//! Share links (SPEC §5a): `#s=<unpadded base64url of raw DEFLATE of the scenario JSON>` and
//! `#json=<unpadded base64url of the JSON>`. (To be implemented with the playground.)
