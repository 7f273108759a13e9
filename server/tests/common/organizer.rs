//! An organizer's browser for the HTTP tests: an account made with `convene admin create`, its
//! session cookie, and this site's Origin on every form post.

use super::{TestServer, readable, run_convene};

/// The password of the accounts the tests make.
pub const PASSWORD: &str = "a long enough password";

/// An organizer's browser: the session cookie and this site's Origin on every request.
pub struct Organizer<'a> {
    pub site: &'a TestServer,
    pub cookie: String,
}

impl<'a> Organizer<'a> {
    /// Creates an account with `convene admin create` and signs in through the form.
    pub async fn sign_in(site: &'a TestServer, email: &str, role: &str) -> Organizer<'a> {
        let output = run_convene(
            &["admin", "create", "--email", email, "--role", role],
            &[
                ("DATABASE_URL", &site.database_url()),
                ("CONVENE_ADMIN_PASSWORD", PASSWORD),
            ],
        );
        assert!(output.status.success(), "{output:?}");
        let response = post(
            site,
            "/admin/sign-in",
            &[("email", email), ("password", PASSWORD)],
            None,
        )
        .await;
        assert_eq!(response.status(), 303);
        let cookie = response.headers()["set-cookie"]
            .to_str()
            .expect("cookie")
            .split(';')
            .next()
            .expect("name=value")
            .to_owned();
        Organizer { site, cookie }
    }

    pub async fn get(&self, path: &str) -> (u16, String) {
        let response = TestServer::client()
            .get(self.site.url(path))
            .header("cookie", &self.cookie)
            .send()
            .await
            .expect("GET");
        let status = response.status().as_u16();
        (status, readable(&response.text().await.expect("body")))
    }

    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
        let response = post(self.site, path, fields, Some(&self.cookie)).await;
        answer(response).await
    }
}

/// A form post from this site's pages (with its Origin), signed in or not.
pub async fn post(
    site: &TestServer,
    path: &str,
    fields: &[(&str, &str)],
    cookie: Option<&str>,
) -> reqwest::Response {
    let mut request = TestServer::client()
        .post(site.url(path))
        .header("origin", site.base_url.trim_end_matches('/'))
        .form(fields);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.expect("POST")
}

/// The status, and the redirect's target or the page's readable text.
pub async fn answer(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    match response.headers().get("location") {
        Some(location) => (status, location.to_str().expect("location").to_owned()),
        None => (status, readable(&response.text().await.expect("body"))),
    }
}
