//! Organizer sign-in through the community's identity provider (OpenID Connect, e.g. Keycloak):
//! which role a person's groups give, where the groups are in the ID token, and the short-lived
//! record of a sign-in on its way (kept in a cookie between leaving for the provider and coming
//! back). The protocol itself (discovery, PKCE, token checks) is the `openidconnect` crate's.

use serde_json::Value;

use crate::admin::Role;

/// Which groups (as the provider names them in the groups claim) give which role. A person in
/// groups of several roles gets the widest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleGroups {
    pub admin: Vec<String>,
    pub event_manager: Vec<String>,
    pub door: Vec<String>,
}

impl RoleGroups {
    /// From the three settings, each a comma-separated list of group names.
    pub fn parse(admin: &str, event_manager: &str, door: &str) -> RoleGroups {
        RoleGroups {
            admin: group_list(admin),
            event_manager: group_list(event_manager),
            door: group_list(door),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.admin.is_empty() && self.event_manager.is_empty() && self.door.is_empty()
    }

    /// The widest role one of `groups` gives, if any. Keycloak names groups by their path
    /// (`/convene/admins`) when "full group path" is on, and by name otherwise: a setting
    /// matches either way, with or without the leading slash.
    pub fn role_for(&self, groups: &[String]) -> Option<Role> {
        let member = |names: &[String]| {
            groups
                .iter()
                .any(|group| names.iter().any(|name| same_group(name, group)))
        };
        [
            (Role::Admin, &self.admin),
            (Role::EventManager, &self.event_manager),
            (Role::Door, &self.door),
        ]
        .into_iter()
        .find(|(_, names)| member(names))
        .map(|(role, _)| role)
    }
}

fn same_group(setting: &str, claimed: &str) -> bool {
    setting.trim_start_matches('/') == claimed.trim_start_matches('/')
}

fn group_list(setting: &str) -> Vec<String> {
    setting
        .split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The strings at `path` in the ID token's claims: `groups`, or a dotted path into nested
/// objects such as Keycloak's `realm_access.roles`. A list gives its strings, a single string
/// itself, anything else nothing.
pub fn claim_values(claims: &Value, path: &str) -> Vec<String> {
    let found = path
        .split('.')
        .try_fold(claims, |value, key| value.as_object()?.get(key));
    match found {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        Some(Value::String(one)) => vec![one.clone()],
        _ => Vec::new(),
    }
}

/// Whether `url` may be the issuer: `https`, or `http` on this machine only (a provider in a
/// test or a development setup), never an address with credentials, a query or a fragment.
pub fn acceptable_issuer(url: &str) -> bool {
    let Some((scheme, rest)) = url.split_once("://") else {
        return false;
    };
    let host_and_port = rest.split('/').next().unwrap_or_default();
    let host = host_and_port
        .rsplit_once(':')
        .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
        .map_or(host_and_port, |(host, _)| host);
    let plain = !host.is_empty() && !rest.contains(['@', '?', '#', ' ']);
    match scheme {
        "https" => plain,
        "http" => plain && matches!(host, "localhost" | "127.0.0.1" | "[::1]"),
        _ => false,
    }
}

/// A sign-in on its way to the provider: what the answer must match (`state`, `nonce`), the
/// PKCE verifier for exchanging its code, and the admin page to go to afterwards. Kept in an
/// HttpOnly cookie for a few minutes; all but `next` are random words made by convene.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingSignIn {
    pub state: String,
    pub nonce: String,
    pub verifier: String,
    pub next: String,
}

impl PendingSignIn {
    /// The cookie's value: the four parts joined by `~`, which none of the random words holds
    /// (they are base64url); `next` is last, so it may hold anything.
    pub fn to_cookie(&self) -> String {
        format!(
            "{}~{}~{}~{}",
            self.state,
            self.nonce,
            self.verifier,
            crate::paths::encode_query_value(&self.next)
        )
    }

    pub fn from_cookie(value: &str) -> Option<PendingSignIn> {
        let mut parts = value.splitn(4, '~');
        let mut word = || {
            parts
                .next()
                .filter(|part| {
                    !part.is_empty()
                        && part
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                })
                .map(str::to_owned)
        };
        let (state, nonce, verifier) = (word()?, word()?, word()?);
        let next = crate::paths::decode_query_value(parts.next()?)?;
        Some(PendingSignIn {
            state,
            nonce,
            verifier,
            next,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn groups(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn the_widest_role_of_ones_groups_wins() {
        let roles = RoleGroups::parse("convene-admins", "events, summit-team", "door");
        assert_eq!(
            roles.event_manager,
            groups(&["events", "summit-team"]),
            "spaces around names are not part of them"
        );
        assert_eq!(
            roles.role_for(&groups(&["door", "summit-team"])),
            Some(Role::EventManager)
        );
        assert_eq!(
            roles.role_for(&groups(&["door", "convene-admins"])),
            Some(Role::Admin)
        );
        assert_eq!(roles.role_for(&groups(&["door"])), Some(Role::Door));
        assert_eq!(roles.role_for(&groups(&["staff", "Door"])), None, "exact");
        assert_eq!(roles.role_for(&[]), None);
    }

    #[test]
    fn a_group_matches_by_name_or_by_keycloak_path() {
        let roles = RoleGroups::parse("/convene-admins", "events", "");
        assert_eq!(
            roles.role_for(&groups(&["convene-admins"])),
            Some(Role::Admin)
        );
        assert_eq!(
            roles.role_for(&groups(&["/events"])),
            Some(Role::EventManager)
        );
        assert_eq!(
            roles.role_for(&groups(&["/parent/events"])),
            None,
            "a subgroup of another name is another group"
        );
        assert!(RoleGroups::parse(" , ", "", "").is_empty());
    }

    #[test]
    fn groups_are_read_from_a_claim_or_a_path_into_one() {
        let claims = json!({
            "groups": ["a", "b", 3],
            "realm_access": {"roles": ["admin-role"]},
            "single": "one",
            "nothing": null
        });
        assert_eq!(
            claim_values(&claims, "groups"),
            groups(&["a", "b"]),
            "what is no string is left out"
        );
        assert_eq!(
            claim_values(&claims, "realm_access.roles"),
            groups(&["admin-role"])
        );
        assert_eq!(claim_values(&claims, "single"), groups(&["one"]));
        assert!(claim_values(&claims, "nothing").is_empty());
        assert!(claim_values(&claims, "missing.deeper").is_empty());
        assert!(
            claim_values(&claims, "groups.0").is_empty(),
            "no list index"
        );
    }

    #[test]
    fn the_issuer_is_https_or_on_this_machine() {
        for good in [
            "https://id.example.org/realms/scs",
            "https://id.example.org:8443/realms/scs",
            "http://127.0.0.1:4455",
            "http://localhost:8080/realms/test",
        ] {
            assert!(acceptable_issuer(good), "{good}");
        }
        for bad in [
            "http://id.example.org/realms/scs",
            "ftp://id.example.org",
            "https://user:pw@id.example.org",
            "https://id.example.org/?x=1",
            "https://",
            "id.example.org",
            "http://127.0.0.1.evil.example",
            "",
        ] {
            assert!(!acceptable_issuer(bad), "{bad}");
        }
    }

    #[test]
    fn a_pending_sign_in_survives_its_cookie_and_a_tampered_one_does_not() {
        let pending = PendingSignIn {
            state: "s-1_A".to_owned(),
            nonce: "n2".to_owned(),
            verifier: "v3".to_owned(),
            next: "/admin/events/x?notice=a~b&c=d".to_owned(),
        };
        let cookie = pending.to_cookie();
        assert!(!cookie.contains([';', ' ', ',']), "a plain cookie value");
        assert_eq!(PendingSignIn::from_cookie(&cookie), Some(pending));
        for bad in [
            "",
            "a~b~c",
            "a~~c~%2Fadmin",
            "a b~c~d~%2Fadmin",
            "a~b~c~%FF",
        ] {
            assert_eq!(PendingSignIn::from_cookie(bad), None, "{bad}");
        }
    }
}
