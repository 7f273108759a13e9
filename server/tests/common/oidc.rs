//! A real OpenID Provider for the tests (`end2end/oidc/provider.mjs`: the certified npm package
//! `oidc-provider` from end2end's lockfile, with its development login form), and a browser that
//! goes through a single sign-on the way a person's browser does: cookies per site, every
//! redirect followed by hand, the login form filled in at the provider.

use std::collections::{BTreeMap, HashMap};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use super::{TestServer, workspace_root};

/// The secret of convene's client at the provider.
pub const CLIENT_SECRET: &str = "the client secret of the tests";

/// The provider's process; stopped when dropped.
pub struct Provider {
    pub issuer: String,
    child: Child,
}

impl Provider {
    /// The settings that point a site at the provider that will listen on `port`: admins are the
    /// group `convene-admins`, event managers `event-team`, the door `door-crew`.
    pub fn settings(port: u16) -> Vec<(&'static str, String)> {
        vec![
            ("CONVENE_OIDC_ISSUER", format!("http://127.0.0.1:{port}")),
            ("CONVENE_OIDC_CLIENT_ID", "convene".to_owned()),
            ("CONVENE_OIDC_CLIENT_SECRET", CLIENT_SECRET.to_owned()),
            ("CONVENE_OIDC_SCOPES", "email groups".to_owned()),
            ("CONVENE_OIDC_ADMIN_GROUPS", "convene-admins".to_owned()),
            ("CONVENE_OIDC_EVENT_MANAGER_GROUPS", "event-team".to_owned()),
            ("CONVENE_OIDC_DOOR_GROUPS", "/door-crew".to_owned()),
            ("CONVENE_OIDC_NAME", "Community ID".to_owned()),
        ]
    }

    /// Starts the provider on `port` with convene's client for `site` registered; `None`
    /// without end2end's npm packages (the check says SKIPPED, and fails in CI).
    pub async fn start(port: u16, site: &TestServer) -> Option<Provider> {
        let end2end = workspace_root().join("end2end");
        if !end2end.join("node_modules/oidc-provider").exists() {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "oidc-provider is missing: run the tests with `cargo xtask test` (npm ci in end2end/)"
            );
            eprintln!("SKIPPED: the single sign-on check (no end2end/node_modules: npm ci there)");
            return None;
        }
        let child = Command::new("node")
            .arg(end2end.join("oidc/provider.mjs"))
            .env("OIDC_PORT", port.to_string())
            .env("OIDC_CLIENT_SECRET", CLIENT_SECRET)
            .env("OIDC_REDIRECT_URI", site.url("/admin/sso/callback"))
            .env("OIDC_POST_LOGOUT_URI", site.url("/admin/sign-in"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the OpenID Provider (node)");
        let provider = Provider {
            issuer: format!("http://127.0.0.1:{port}"),
            child,
        };
        let discovery = format!("{}/.well-known/openid-configuration", provider.issuer);
        for _ in 0..600 {
            let answer = reqwest::get(&discovery).await;
            if answer.is_ok_and(|r| r.status().is_success()) {
                return Some(provider);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the OpenID Provider did not answer within a minute");
    }

    /// Gives the login `login` these claims (`email`, `email_verified`, `groups`) and, for the
    /// refusal tests, `tamper` or `codeSeconds` (see provider.mjs).
    pub async fn account(&self, login: &str, claims: Value) {
        let answer = reqwest::Client::new()
            .put(format!("{}/test/accounts/{login}", self.issuer))
            .json(&claims)
            .send()
            .await
            .expect("PUT the account");
        assert_eq!(answer.status(), 204);
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One answer, read whole.
#[derive(Debug)]
pub struct Page {
    pub status: u16,
    /// The redirect's target, made absolute.
    pub location: Option<String>,
    pub body: String,
}

/// A browser: cookies per origin, nothing followed by itself.
pub struct Browser {
    http: reqwest::Client,
    jars: HashMap<String, BTreeMap<String, String>>,
}

fn origin(url: &str) -> String {
    let parsed = reqwest::Url::parse(url).expect("an absolute URL");
    parsed.origin().ascii_serialization()
}

impl Default for Browser {
    fn default() -> Self {
        Browser {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            jars: HashMap::new(),
        }
    }
}

impl Browser {
    /// The cookie `name` this browser holds for the site of `url`.
    pub fn cookie(&self, url: &str, name: &str) -> Option<String> {
        self.jars.get(&origin(url))?.get(name).cloned()
    }

    pub async fn get(&mut self, url: &str) -> Page {
        let request = self.http.get(url);
        self.send(url, request).await
    }

    pub async fn post_form(&mut self, url: &str, fields: &[(&str, &str)]) -> Page {
        let request = self
            .http
            .post(url)
            .header("origin", origin(url))
            .form(fields);
        self.send(url, request).await
    }

    async fn send(&mut self, url: &str, request: reqwest::RequestBuilder) -> Page {
        let jar = self.jars.entry(origin(url)).or_default();
        let cookies = jar
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ");
        let request = if cookies.is_empty() {
            request
        } else {
            request.header("cookie", cookies)
        };
        let response = request.send().await.expect("request");
        for set in response.headers().get_all("set-cookie") {
            let set = set.to_str().expect("a cookie");
            let (pair, attributes) = set.split_once(';').unwrap_or((set, ""));
            let (name, value) = pair.split_once('=').expect("name=value");
            let gone = value.is_empty() || attributes.to_lowercase().contains("max-age=0");
            if gone {
                jar.remove(name.trim());
            } else {
                jar.insert(name.trim().to_owned(), value.to_owned());
            }
        }
        let location = response.headers().get("location").map(|to| {
            let base = reqwest::Url::parse(url).expect("URL");
            base.join(to.to_str().expect("location"))
                .expect("a redirect target")
                .to_string()
        });
        Page {
            status: response.status().as_u16(),
            location,
            body: response.text().await.expect("body"),
        }
    }

    /// Starts a single sign-on on `site` (for the admin page `next`), signs in at the provider as
    /// `login`, and stops where the provider sends the browser back: the callback's address,
    /// with its `code` and `state`.
    pub async fn sign_in_at_provider(
        &mut self,
        site: &TestServer,
        login: &str,
        next: &str,
    ) -> String {
        let mut here = site.url(&format!("/admin/sso/start?next={next}"));
        let mut page = self.get(&here).await;
        let callback = site.url("/admin/sso/callback");
        for _ in 0..12 {
            match (page.status, page.location.clone()) {
                (300..=399, Some(to)) if to.starts_with(&callback) => return to,
                (300..=399, Some(to)) => {
                    here = to;
                    page = self.get(&here).await;
                }
                (200, _) if page.body.contains("name=\"login\"") => {
                    let action = form_action(&page.body);
                    here = reqwest::Url::parse(&here)
                        .and_then(|base| base.join(&action))
                        .expect("the form's address")
                        .to_string();
                    let fields = [("prompt", "login"), ("login", login), ("password", "any")];
                    page = self.post_form(&here, &fields).await;
                }
                _ => panic!("the sign-in stopped at {here}: {page:?}"),
            }
        }
        panic!("the sign-in went round in circles");
    }

    /// Goes on to `url` and follows the site's redirects to the page they end at.
    pub async fn follow(&mut self, url: &str) -> (String, Page) {
        let mut at = url.to_owned();
        for _ in 0..5 {
            let page = self.get(&at).await;
            match page.location.clone() {
                Some(to) if page.status / 100 == 3 => at = to,
                _ => return (at, page),
            }
        }
        panic!("too many redirects from {url}");
    }
}

/// Where the provider's login form posts to.
fn form_action(html: &str) -> String {
    let start = html.find("action=\"").expect("a form") + "action=\"".len();
    let end = html[start..].find('"').expect("the end of the address") + start;
    html[start..end].replace("&amp;", "&")
}
