//! Organizer sign-in through a real OpenID Provider that the test starts (`common::oidc`: npm
//! `oidc-provider`, certified, from end2end's lockfile): each person gets the role their groups
//! give, at every sign-in; someone in no mapped group is refused with a clear page and loses the
//! access they had; and every answer that does not come back as it went out (another state, no
//! pending sign-in, a used or expired code, an ID token for another audience, signed with
//! another key, with another nonce or expired) signs nobody in.

mod common;

use common::oidc::{Browser, Page, Provider};
use common::{TestServer, free_port, readable, retry_after, run_convene};
use serde_json::json;

/// A demo site pointed at the provider that will listen on `port`, with `extra` settings.
fn site_for(port: u16, extra: &[(&str, &str)]) -> TestServer {
    let settings = Provider::settings(port);
    let env: Vec<(&str, &str)> = settings
        .iter()
        .map(|(var, value)| (*var, value.as_str()))
        .chain(extra.iter().copied())
        .collect();
    TestServer::demo_with(&env)
}

fn signed_in_as(page: &Page) -> String {
    let text = readable(&page.body);
    let start = text.find("Signed in as ").expect("the signed-in line");
    let end = text[start..].find(')').expect("the role") + start + 1;
    text[start..end].to_owned()
}

/// Completes a sign-in as `login` and returns the page it ends at (and where).
async fn sign_in(browser: &mut Browser, site: &TestServer, login: &str) -> (String, Page) {
    let callback = browser.sign_in_at_provider(site, login, "/admin").await;
    browser.follow(&callback).await
}

fn assert_refused(page: &Page, status: u16, text: &str, browser: &Browser, site: &TestServer) {
    assert_eq!(page.status, status, "{}", readable(&page.body));
    assert!(
        readable(&page.body).contains(text),
        "{}",
        readable(&page.body)
    );
    assert_eq!(
        browser.cookie(&site.url("/"), "convene_session"),
        None,
        "nobody is signed in"
    );
}

#[tokio::test]
async fn each_person_gets_the_role_of_their_groups_at_every_sign_in() {
    let port = free_port();
    let site = site_for(port, &[]);
    let Some(provider) = Provider::start(port, &site).await else {
        return;
    };
    let person = |email: &str, verified: bool, groups: &[&str]| json!({ "email": email, "email_verified": verified, "groups": groups });
    provider
        .account(
            "ada",
            person("ada.sso@example.org", true, &["convene-admins"]),
        )
        .await;
    provider
        .account(
            "grace",
            person("grace@example.org", true, &["/door-crew", "event-team"]),
        )
        .await;
    provider
        .account("nobody", person("nobody@example.org", true, &["staff"]))
        .await;
    provider
        .account(
            "imposter",
            person("organizer@example.org", false, &["convene-admins"]),
        )
        .await;
    provider
        .account(
            "owner",
            person("organizer@example.org", true, &["event-team"]),
        )
        .await;

    // The sign-in page offers the provider beside the password form.
    let (_, sign_in_page) = site.text("/admin/sign-in").await;
    assert!(sign_in_page.contains("href=\"/admin/sso/start?next=/admin\""));
    assert!(readable(&sign_in_page).contains("Sign in with Community ID"));
    assert!(sign_in_page.contains("name=\"password\""));

    // Ada is in the admins' group: an admin account is made, and she lands where she wanted.
    let mut ada = Browser::default();
    let callback = ada
        .sign_in_at_provider(&site, "ada", "/admin/organizers")
        .await;
    assert!(callback.contains("code=") && callback.contains("state="));
    let (at, organizers) = ada.follow(&callback).await;
    assert!(at.ends_with("/admin/organizers"), "{at}");
    assert_eq!(organizers.status, 200);
    assert_eq!(
        signed_in_as(&organizers),
        "Signed in as ada.sso@example.org (Admin)"
    );

    // Grace is in the door's and the event managers' groups: the wider role.
    let mut grace = Browser::default();
    let (_, home) = sign_in(&mut grace, &site, "grace").await;
    assert_eq!(
        signed_in_as(&home),
        "Signed in as grace@example.org (Event manager)"
    );
    let webhooks = grace.get(&site.url("/admin/webhooks")).await;
    assert_eq!(
        webhooks.status, 403,
        "event managers do not manage webhooks"
    );

    // Taken out of the event managers' group, her next sign-in gives her the door's role only.
    provider
        .account("grace", person("grace@example.org", true, &["door-crew"]))
        .await;
    let (_, home) = sign_in(&mut grace, &site, "grace").await;
    assert_eq!(signed_in_as(&home), "Signed in as grace@example.org (Door)");

    // In no mapped group any more: refused with the reason, and the session she had ends.
    provider
        .account("grace", person("grace@example.org", true, &[]))
        .await;
    let mut grace_elsewhere = Browser::default();
    let (_, refused) = sign_in(&mut grace_elsewhere, &site, "grace").await;
    assert_refused(
        &refused,
        403,
        "in none of the groups that give access",
        &grace_elsewhere,
        &site,
    );
    let old_session = grace.get(&site.url("/admin")).await;
    assert_eq!(old_session.status, 303, "her earlier session has ended");

    // Someone in no mapped group gets no account at all.
    let mut nobody = Browser::default();
    let (_, refused) = sign_in(&mut nobody, &site, "nobody").await;
    assert_refused(&refused, 403, "none of the groups", &nobody, &site);

    // An address of an account made here is only taken over when the provider vouches for it.
    let mut imposter = Browser::default();
    let (_, refused) = sign_in(&mut imposter, &site, "imposter").await;
    assert_refused(&refused, 409, "has not confirmed", &imposter, &site);
    let mut owner = Browser::default();
    let (_, home) = sign_in(&mut owner, &site, "owner").await;
    assert_eq!(
        signed_in_as(&home),
        "Signed in as organizer@example.org (Event manager)",
        "the demo organizer's account, with the role of the owner's groups"
    );

    // The organizers' list and the account log tell what happened, by convene itself.
    let organizers = readable(&ada.get(&site.url("/admin/organizers")).await.body);
    assert!(organizers.contains("<td>ada.sso@example.org</td>"));
    for gone in ["grace@example.org", "nobody@example.org"] {
        assert!(!organizers.contains(gone), "{gone} has no access");
    }
    let audit = readable(&ada.get(&site.url("/admin/audit")).await.body);
    for line in [
        "grace@example.org added, as Event manager",
        "role of grace@example.org changed from Event manager to Door",
        "access of grace@example.org taken away",
        "role of organizer@example.org changed from Admin to Event manager",
    ] {
        assert!(audit.contains(line), "{line}: {audit}");
    }

    // The accounts move with the data: exported and imported with the organizers, the
    // single-sign-on accounts (no password) are taken as they are.
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("dump.json");
    let file = file.to_string_lossy();
    let exported = run_convene(
        &["export", &file],
        &[("DATABASE_URL", &site.database_url())],
    );
    assert!(exported.status.success(), "{exported:?}");
    let dump = std::fs::read_to_string(&*file).expect("the dump");
    assert!(dump.contains("\"sso_subject\": \"ada\""), "{dump}");
    let target = format!("sqlite:{}", dir.path().join("copy.db").display());
    let imported = run_convene(
        &["import", "--with-organizers", &file],
        &[("DATABASE_URL", &target)],
    );
    assert!(imported.status.success(), "{imported:?}");

    // Signing out ends the session here and offers the provider's end-session page, which
    // takes convene's client and way back.
    let out = ada.post_form(&site.url("/admin/sign-out"), &[]).await;
    assert_eq!(out.status, 303);
    let (_, signed_out) = ada
        .follow(&out.location.expect("to the sign-in page"))
        .await;
    assert!(readable(&signed_out.body).contains("Also sign out at Community ID"));
    let end = ada.get(&site.url("/admin/sso/sign-out")).await;
    let end_session = end.location.expect("to the provider");
    assert!(
        end_session.starts_with(&format!("{}/session/end?", provider.issuer)),
        "{end_session}"
    );
    assert!(end_session.contains("client_id=convene"), "{end_session}");
    let confirm = ada.get(&end_session).await;
    assert_eq!(
        confirm.status, 200,
        "the provider accepts it: {}",
        confirm.body
    );
    assert_eq!(ada.get(&site.url("/admin")).await.status, 303, "signed out");
}

#[tokio::test]
async fn an_answer_that_does_not_come_back_as_it_went_out_signs_nobody_in() {
    let port = free_port();
    let site = site_for(port, &[]);
    let Some(provider) = Provider::start(port, &site).await else {
        return;
    };
    let admin = |email: &str| json!({ "email": email, "email_verified": true, "groups": ["convene-admins"] });
    provider.account("ada", admin("ada.sso@example.org")).await;
    let refusal = "could not be completed";

    // Another state than the one that went out: refused, and the pending sign-in is used up,
    // so the true answer that follows is refused too.
    let mut browser = Browser::default();
    let callback = browser.sign_in_at_provider(&site, "ada", "/admin").await;
    let state = query_value(&callback, "state");
    let tampered = callback.replace(&state, "forged-state");
    let (_, page) = browser.follow(&tampered).await;
    assert_refused(&page, 400, refusal, &browser, &site);
    let (_, page) = browser.follow(&callback).await;
    assert_refused(&page, 400, refusal, &browser, &site);

    // An answer carried to another browser (a forced sign-in): no sign-in is pending there.
    let mut first = Browser::default();
    let callback = first.sign_in_at_provider(&site, "ada", "/admin").await;
    let mut victim = Browser::default();
    let (_, page) = victim.follow(&callback).await;
    assert_refused(&page, 400, refusal, &victim, &site);

    // A code that was used already: the provider refuses it, convene signs nobody in.
    let mut browser = Browser::default();
    let used = browser.sign_in_at_provider(&site, "ada", "/admin").await;
    let (_, home) = browser.follow(&used).await;
    assert_eq!(home.status, 200, "the first use signs in");
    let mut again = Browser::default();
    let fresh = again.sign_in_at_provider(&site, "ada", "/admin").await;
    let replayed = fresh.replace(&query_value(&fresh, "code"), &query_value(&used, "code"));
    let (_, page) = again.follow(&replayed).await;
    assert_refused(&page, 400, refusal, &again, &site);

    // The provider says no (the person cancelled there).
    let mut browser = Browser::default();
    let callback = browser.sign_in_at_provider(&site, "ada", "/admin").await;
    let state = query_value(&callback, "state");
    let denied = site.url(&format!(
        "/admin/sso/callback?error=access_denied&state={state}"
    ));
    let (_, page) = browser.follow(&denied).await;
    assert_refused(&page, 400, refusal, &browser, &site);

    // A code that expired before it came back (brought back at once, the same code works).
    let mut slow = admin("slow@example.org");
    slow["codeSeconds"] = json!(2);
    provider.account("slowpoke", slow).await;
    let mut browser = Browser::default();
    let callback = browser
        .sign_in_at_provider(&site, "slowpoke", "/admin")
        .await;
    tokio::time::sleep(std::time::Duration::from_secs(4)).await;
    let (_, page) = browser.follow(&callback).await;
    assert_refused(&page, 400, refusal, &browser, &site);
    let mut prompt = Browser::default();
    let (_, home) = sign_in(&mut prompt, &site, "slowpoke").await;
    assert_eq!(home.status, 200, "in time, the code works");

    // ID tokens that fail their checks: for another client, signed with a key the provider
    // does not publish, with another nonce, expired.
    for tamper in ["aud", "key", "nonce", "exp"] {
        let login = format!("mallory-{tamper}");
        let mut claims = admin(&format!("{login}@example.org"));
        claims["tamper"] = json!(tamper);
        provider.account(&login, claims).await;
        let mut browser = Browser::default();
        let callback = browser.sign_in_at_provider(&site, &login, "/admin").await;
        let (_, page) = browser.follow(&callback).await;
        assert_refused(&page, 400, refusal, &browser, &site);
    }

    // Random answers at the callback, with a sign-in pending: never an error of ours, nobody
    // signed in.
    let odd = [
        "",
        "x",
        "%00",
        "%FF%FE",
        "\u{0}",
        "ä€😀",
        "&",
        "=",
        "%",
        "a;b",
        "<script>",
        "' OR 1=1",
    ];
    let mut seed: u64 = 0x5eed_0001;
    let mut pick = |n: usize| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (seed >> 33) as usize % n
    };
    let mut browser = Browser::default();
    let callback = browser.sign_in_at_provider(&site, "ada", "/admin").await;
    let true_state = query_value(&callback, "state");
    for _ in 0..40 {
        let mut query = Vec::new();
        for name in ["code", "state", "error", "iss", "code"] {
            if pick(3) > 0 {
                let value = match pick(4) {
                    0 => true_state.clone(),
                    _ => odd[pick(odd.len())].repeat(1 + pick(3)),
                };
                query.push(format!("{name}={}", urlencode(&value)));
            }
        }
        let url = site.url(&format!("/admin/sso/callback?{}", query.join("&")));
        let page = browser.get(&url).await;
        assert!(
            (300..500).contains(&page.status),
            "{} at {url}",
            page.status
        );
        assert_eq!(browser.cookie(&url, "convene_session"), None, "{url}");
        // The pending sign-in is used up by any answer: start again for the next one.
        let _ = browser.sign_in_at_provider(&site, "ada", "/admin").await;
    }

    // A page elsewhere as where to go afterwards is not followed: the admin home instead.
    let mut browser = Browser::default();
    let callback = browser
        .sign_in_at_provider(&site, "ada", "https://evil.example/admin")
        .await;
    let (at, page) = browser.follow(&callback).await;
    assert_eq!(
        (at.as_str(), page.status),
        (site.url("/admin").as_str(), 200)
    );

    // None of them got an account; the one true sign-in did.
    let mut ada = Browser::default();
    let (_, _) = sign_in(&mut ada, &site, "ada").await;
    let organizers = readable(&ada.get(&site.url("/admin/organizers")).await.body);
    assert!(organizers.contains("ada.sso@example.org"), "{organizers}");
    assert!(!organizers.contains("mallory-"), "{organizers}");
}

#[tokio::test]
async fn without_passwords_only_single_sign_on_opens_and_a_provider_that_is_down_says_so() {
    // Nothing listens where the provider should be.
    let site = site_for(free_port(), &[("CONVENE_PASSWORD_SIGN_IN", "false")]);
    let (status, page) = site.text("/admin/sign-in").await;
    assert_eq!(status, 200);
    assert!(!page.contains("name=\"password\""), "no password form");
    assert!(readable(&page).contains("Sign in with Community ID"));
    let mut browser = Browser::default();
    let password = browser
        .post_form(
            &site.url("/admin/sign-in"),
            &[
                ("email", "organizer@example.org"),
                ("password", "anything at all"),
            ],
        )
        .await;
    assert_eq!(password.status, 403);
    assert!(readable(&password.body).contains("switched off"));

    let start = browser.get(&site.url("/admin/sso/start?next=/admin")).await;
    assert_eq!(start.status, 503);
    assert!(readable(&start.body).contains("cannot be reached"));
    let answer = site.get("/admin/sso/start").await;
    assert!(retry_after(&answer).is_some(), "says when to try again");
}

/// The value of `name` in `url`'s query.
fn query_value(url: &str, name: &str) -> String {
    reqwest::Url::parse(url)
        .expect("URL")
        .query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
        .unwrap_or_else(|| panic!("no {name} in {url}"))
}

fn urlencode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
