//! The organizers' side over HTTP against the real binary: every admin route refuses anonymous
//! and cross-site callers, sign-in and its limits, capacity changes with promotion (and mails at
//! a real SMTP server), the invariant under concurrent registrations, organizer actions with
//! their audit lines, check-in, the CSV export read back with a CSV parser, and the mail log.

mod common;

use common::organizer::post;
use common::smtp::SmtpServer;
use common::{TestServer, readable, retry_after, run_convene};
use futures::future::join_all;
use serde_json::json;

const EVENT: &str = "/admin/events/hackathon-3";
const PASSWORD: &str = "a long enough password";

/// An organizer's browser: the session cookie and this site's Origin on every request.
struct Organizer<'a> {
    site: &'a TestServer,
    cookie: String,
}

impl<'a> Organizer<'a> {
    /// Creates an organizer with `convene admin create` and signs in through the form.
    async fn sign_in(site: &'a TestServer, email: &str) -> Organizer<'a> {
        create_organizer(site, email, "admin");
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
            .to_owned();
        for attribute in ["HttpOnly", "SameSite=Lax", "Path=/admin", "Max-Age=43200"] {
            assert!(cookie.contains(attribute), "{attribute} in {cookie}");
        }
        assert!(!cookie.contains("Secure"), "http base URL: no Secure flag");
        let cookie = cookie.split(';').next().expect("name=value").to_owned();
        Organizer { site, cookie }
    }

    async fn get(&self, path: &str) -> (u16, String) {
        self.get_in("en", path).await
    }

    /// The page as an organizer whose browser asks for `language` sees it.
    async fn get_in(&self, language: &str, path: &str) -> (u16, String) {
        let response = TestServer::client()
            .get(self.site.url(path))
            .header("cookie", &self.cookie)
            .header("accept-language", language)
            .send()
            .await
            .expect("GET");
        let status = response.status().as_u16();
        (status, readable(&response.text().await.expect("body")))
    }

    async fn post(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        post(self.site, path, fields, Some(&self.cookie)).await
    }
}

async fn register(site: &TestServer, n: usize, name: &str) -> u16 {
    let person =
        json!({ "name": name, "email": format!("person{n}@example.org"), "consent": true });
    site.post_json("/api/v1/events/hackathon-3/registrations", &person)
        .await
        .0
}

async fn registrations(site: &TestServer) -> Vec<store::Registration> {
    let store = store::Store::connect(&site.database_url())
        .await
        .expect("db");
    let slug = domain::EventSlug::parse("hackathon-3").expect("slug");
    let id = store.event_id(&slug).await.expect("query").expect("event");
    let all = store.registrations_of(id).await.expect("registrations");
    store.close().await;
    all
}

fn count(all: &[store::Registration], status: domain::RegistrationStatus) -> usize {
    all.iter().filter(|r| r.status == status).count()
}

/// Every organizer page.
const ADMIN_PAGES: [&str; 19] = [
    "/admin",
    "/admin/mail",
    "/admin/organizers",
    "/admin/account",
    "/admin/audit",
    "/admin/webhooks",
    EVENT,
    "/admin/events/hackathon-3/check-in",
    "/admin/events/hackathon-3/topics",
    "/admin/events/new",
    "/admin/events/hackathon-3/edit",
    "/admin/events/hackathon-3/preview",
    "/admin/events/hackathon-3/registrations/1",
    "/admin/events/hackathon-3/registrations.csv",
    "/admin/events/no-such-event",
    "/admin/events/hackathon-3/scan",
    "/admin/tickets/0000000000",
    "/admin/events/scs-community-call/agenda",
    "/admin/events/scs-community-call/agenda/2023-10-19",
];

/// Every organizer form post and server function.
const ADMIN_ACTIONS: [&str; 47] = [
    "/admin/sign-out",
    "/admin/events",
    "/admin/events/hackathon-3/edit",
    "/admin/events/hackathon-3/delete",
    "/admin/events/hackathon-3/publish",
    "/admin/events/hackathon-3/cancel",
    "/admin/events/hackathon-3/occurrence",
    "/admin/events/hackathon-3/broadcast",
    "/admin/events/hackathon-3/capacity",
    "/admin/events/hackathon-3/registration",
    "/admin/events/hackathon-3/registrations/1/promote",
    "/admin/events/hackathon-3/registrations/1/cancel",
    "/admin/events/hackathon-3/registrations/1/resend",
    "/admin/events/hackathon-3/registrations/1/check-in",
    "/admin/events/hackathon-3/registrations/1/erase",
    "/admin/events/hackathon-3/erase",
    "/admin/mail/1/retry",
    "/admin/organizers",
    "/admin/account/password",
    "/admin/organizers/1/remove",
    "/admin/organizers/1/role",
    "/admin/api/load_organizers",
    "/admin/api/load_audit",
    "/admin/webhooks",
    "/admin/webhooks/1/resume",
    "/admin/webhooks/1/remove",
    "/admin/api/load_webhooks",
    "/admin/events/hackathon-3/topics/1/accept",
    "/admin/events/hackathon-3/topics/1/hide",
    "/admin/events/hackathon-3/topics/1/merge",
    "/admin/events/hackathon-3/topics/order",
    "/admin/api/load_admin_topics",
    "/admin/api/load_event_form",
    "/admin/api/load_organizer",
    "/admin/api/load_account",
    "/admin/api/load_admin_events",
    "/admin/api/load_admin_event",
    "/admin/api/load_admin_person",
    "/admin/api/load_check_in",
    "/admin/api/load_mail_log",
    "/admin/events/hackathon-3/scan",
    "/admin/api/load_scan",
    "/admin/events/scs-community-call/agenda",
    "/admin/events/scs-community-call/agenda/sections/1/up",
    "/admin/events/scs-community-call/agenda/sections/1/items",
    "/admin/api/load_admin_agenda",
    "/admin/api/load_admin_call",
];

#[tokio::test]
async fn every_admin_route_refuses_anonymous_and_cross_site_callers() {
    let site = TestServer::demo();
    let pages = ADMIN_PAGES;
    for page in pages {
        let response = site.get(page).await;
        assert_eq!(response.status(), 303, "{page}");
        let location = response.headers()["location"].to_str().expect("location");
        assert!(
            location.starts_with("/admin/sign-in?next="),
            "{page} -> {location}"
        );
    }
    let actions = ADMIN_ACTIONS;
    for action in actions {
        let response = post(&site, action, &[("capacity", "1")], None).await;
        assert_eq!(response.status(), 401, "{action}");
    }
    // A forged or expired cookie is no session.
    let forged = post(&site, actions[1], &[], Some("convene_session=forged")).await;
    assert_eq!(forged.status(), 401);
    assert_eq!(site.get("/admin/sign-in").await.status(), 200);
    // Without single sign-on settings, its pages are not there (and never an error).
    for path in [
        "/admin/sso/start",
        "/admin/sso/callback?code=x&state=y",
        "/admin/sso/sign-out",
    ] {
        assert_eq!(site.get(path).await.status(), 404, "{path}");
    }

    // Signed in, a post from another site is still refused, and changes nothing.
    let organizer = Organizer::sign_in(&site, "ada@example.org").await;
    let cross_site = TestServer::client()
        .post(site.url("/admin/events/hackathon-3/capacity"))
        .header("cookie", &organizer.cookie)
        .header("origin", "https://evil.example")
        .form(&[("capacity", "0")])
        .send()
        .await
        .expect("POST");
    assert_eq!(cross_site.status(), 403);
    let no_origin = TestServer::client()
        .post(site.url("/admin/events/hackathon-3/capacity"))
        .header("cookie", &organizer.cookie)
        .form(&[("capacity", "0")])
        .send()
        .await
        .expect("POST");
    assert_eq!(no_origin.status(), 403, "no Origin and no Referer");
    let (status, page) = organizer.get(EVENT).await;
    assert_eq!(status, 200);
    assert!(page.contains("<dd>40</dd>"), "capacity unchanged: {page}");
    // The admin pages and their data are there once signed in.
    for page in pages.iter().take(8) {
        assert_eq!(organizer.get(page).await.0, 200, "{page}");
    }
    assert_eq!(organizer.get("/admin/events/no-such-event").await.0, 404);
}

#[tokio::test]
async fn sign_in_says_the_same_for_an_unknown_address_and_a_wrong_password() {
    let site = TestServer::demo();
    let organizer = Organizer::sign_in(&site, "grace@example.org").await;
    let wrong = post(
        &site,
        "/admin/sign-in",
        &[
            ("email", "grace@example.org"),
            ("password", "not the password"),
        ],
        None,
    )
    .await;
    assert_eq!(wrong.status(), 401);
    let wrong = readable(&wrong.text().await.expect("body"));
    let unknown = post(
        &site,
        "/admin/sign-in",
        &[
            ("email", "nobody@example.org"),
            ("password", "not the password"),
        ],
        None,
    )
    .await;
    assert_eq!(unknown.status(), 401);
    let unknown = readable(&unknown.text().await.expect("body"));
    let message = "The e-mail address or the password is not right.";
    assert!(wrong.contains(message) && unknown.contains(message));
    assert!(
        !wrong.contains("not the password"),
        "a password is never echoed"
    );

    let empty = post(
        &site,
        "/admin/sign-in",
        &[("email", ""), ("password", "")],
        None,
    )
    .await;
    assert_eq!(empty.status(), 422);

    // The organizers' bar stands between the header and the main content: the first control in
    // the main content is the page's own, and signing out is the bar's last.
    let (_, home) = organizer.get("/admin").await;
    let bar = home.find("class=\"admin-bar\"").expect("the bar");
    let main = home.find("<main").expect("main");
    let sign_out = home.find("action=\"/admin/sign-out\"").expect("sign out");
    assert!(bar < sign_out && sign_out < main, "{home}");
    let (_, sign_in) = TestServer::client()
        .get(site.url("/admin/sign-in"))
        .send()
        .await
        .map(|r| (r.status(), r))
        .expect("GET");
    let sign_in = sign_in.text().await.expect("body");
    assert!(
        !sign_in.contains("class=\"admin-bar\""),
        "no bar before signing in"
    );

    // Signing out ends the session on the server, not only in the browser.
    let out = organizer.post("/admin/sign-out", &[]).await;
    assert_eq!(out.status(), 303);
    assert!(
        out.headers()["set-cookie"]
            .to_str()
            .expect("cookie")
            .contains("Max-Age=0")
    );
    assert_eq!(organizer.get("/admin").await.0, 303);
}

/// Signs in through the form from the client address `client` (the server stands behind a
/// proxy in these tests, so `X-Forwarded-For` says where a request comes from).
async fn sign_in_from(
    site: &TestServer,
    client: &str,
    email: &str,
    password: &str,
) -> reqwest::Response {
    TestServer::client()
        .post(site.url("/admin/sign-in"))
        .header("origin", site.base_url.trim_end_matches('/'))
        .header("x-forwarded-for", client)
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .expect("POST")
}

const PROXIED: &[(&str, &str)] = &[("CONVENE_BEHIND_PROXY", "true")];

#[tokio::test]
async fn ten_failed_sign_ins_stop_that_client_but_not_the_organizer() {
    let site = TestServer::demo_with(PROXIED);
    Organizer::sign_in(&site, "grace@example.org").await;
    let attacker = "198.51.100.1";
    for n in 0..10 {
        // At most four per account, so only the per-client limit can bite.
        let email = if n < 4 {
            "grace@example.org".to_owned()
        } else {
            format!("nobody{n}@example.org")
        };
        let response = sign_in_from(&site, attacker, &email, "a wrong password").await;
        assert_eq!(response.status(), 401, "failure {n}");
    }
    let stopped = sign_in_from(&site, attacker, "grace@example.org", PASSWORD).await;
    assert_eq!(
        stopped.status(),
        429,
        "the client's limit, whatever the password"
    );
    let wait = retry_after(&stopped).expect("Retry-After");
    assert!((1..=15 * 60).contains(&wait), "{wait}");
    let page = readable(&stopped.text().await.expect("body"));
    assert!(page.contains("Too many failed attempts."), "{page}");

    let grace = sign_in_from(&site, "203.0.113.9", "grace@example.org", PASSWORD).await;
    assert_eq!(grace.status(), 303, "the organizer, from her own address");
}

#[tokio::test]
async fn wrong_passwords_slow_an_account_down_without_locking_it_out_and_success_resets() {
    let site = TestServer::demo_with(PROXIED);
    Organizer::sign_in(&site, "grace@example.org").await;
    let mut statuses = Vec::new();
    for _ in 0..10 {
        let response = sign_in_from(&site, "198.51.100.1", "grace@example.org", "guess").await;
        let status = response.status().as_u16();
        if status == 429 {
            let wait = retry_after(&response).expect("Retry-After on 429");
            assert!((1..=300).contains(&wait), "{wait}");
        }
        statuses.push(status);
    }
    assert_eq!(
        statuses[..5],
        [401; 5],
        "five mistakes are free: {statuses:?}"
    );
    assert!(
        statuses[5..].iter().all(|&s| s == 401 || s == 429) && statuses.contains(&429),
        "then each attempt waits for the delay: {statuses:?}"
    );

    // The right password from elsewhere works once the short delay has passed: no lock-out.
    let mut answer = 0;
    for _ in 0..3 {
        let response = sign_in_from(&site, "203.0.113.9", "grace@example.org", PASSWORD).await;
        answer = response.status().as_u16();
        if answer != 429 {
            break;
        }
        let wait = retry_after(&response).expect("Retry-After");
        assert!(wait <= 8, "a short delay, not a lock-out: {wait} s");
        tokio::time::sleep(std::time::Duration::from_millis(wait * 1000 + 100)).await;
    }
    assert_eq!(answer, 303, "the organizer signed in");

    // The success forgot the failures: five mistakes are free again, then the delay.
    for n in 0..5 {
        let response = sign_in_from(&site, "192.0.2.77", "grace@example.org", "guess").await;
        assert_eq!(response.status(), 401, "mistake {n} after the success");
    }
    let delayed = sign_in_from(&site, "192.0.2.77", "grace@example.org", PASSWORD).await;
    assert_eq!(
        delayed.status(),
        429,
        "inside the delay the password is not even checked"
    );
    assert!(retry_after(&delayed).is_some());
}

#[tokio::test]
async fn the_demo_organizer_gets_a_fresh_password_printed_at_start() {
    let mut site = TestServer::demo();
    let line = site.next_output_line();
    assert!(line.contains("organizer@example.org"), "{line}");
    let password = line
        .split("with the password ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("a password on the line");
    assert!(password.len() >= 16, "{password}");
    let response = post(
        &site,
        "/admin/sign-in",
        &[("email", "organizer@example.org"), ("password", password)],
        None,
    )
    .await;
    assert_eq!(response.status(), 303);
}

#[tokio::test]
async fn raising_capacity_offers_seats_to_the_waitlist_and_mails_them_lowering_cancels_nobody() {
    let smtp = SmtpServer::start().await;
    let site = TestServer::demo_without_registration_limits(&[("CONVENE_SMTP_URL", &smtp.url())]);
    for n in 0..42 {
        assert_eq!(register(&site, n, &format!("Person {n}")).await, 201);
    }
    smtp.wait_for(42, 20).await;
    let organizer = Organizer::sign_in(&site, "ada@example.org").await;

    let response = organizer
        .post(&format!("{EVENT}/capacity"), &[("capacity", "41")])
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        "/admin/events/hackathon-3?notice=capacity&count=1"
    );
    let all = registrations(&site).await;
    assert_eq!(count(&all, domain::RegistrationStatus::Waitlisted), 1);
    let promoted = all
        .iter()
        .find(|r| r.name == "Person 40")
        .expect("person 40");
    // The demo hackathon offers a freed seat for a day.
    assert_eq!(promoted.status, domain::RegistrationStatus::Offered);
    let mails = smtp.wait_for(43, 20).await;
    let mail = mails
        .iter()
        .find(|m| {
            m.recipients.iter().any(|r| r.contains("person40@"))
                && m.subject().starts_with("A seat is offered to you")
        })
        .expect("the offer mail");
    assert!(mail.manage_link().is_some() && mail.confirm_link().is_some());

    let (_, page) = organizer
        .get(&format!("{EVENT}?notice=capacity&count=1"))
        .await;
    assert!(
        page.contains("Capacity saved. 1 people moved up from the waitlist."),
        "{page}"
    );
    assert!(page.contains("40 → 41"), "the change is in the event's log");
    assert!(page.contains("ada@example.org"), "with who made it");

    let response = organizer
        .post(&format!("{EVENT}/capacity"), &[("capacity", "30")])
        .await;
    assert_eq!(response.status(), 303);
    let all = registrations(&site).await;
    assert_eq!(
        count(&all, domain::RegistrationStatus::Cancelled),
        0,
        "nobody is cancelled"
    );
    let (_, page) = organizer.get(EVENT).await;
    assert!(
        page.contains("11 more people hold a seat than the capacity allows"),
        "{page}"
    );
    assert_eq!(register(&site, 100, "Late").await, 201);
    let late = registrations(&site)
        .await
        .into_iter()
        .find(|r| r.name == "Late")
        .expect("late");
    assert_eq!(
        late.status,
        domain::RegistrationStatus::Waitlisted,
        "no new seat while over"
    );

    for (input, message) in [
        ("-1", "Enter 0 or more."),
        ("forty", "Enter a whole number, like 40."),
        ("100001", "Enter at most 100000."),
    ] {
        let response = organizer
            .post(&format!("{EVENT}/capacity"), &[("capacity", input)])
            .await;
        assert_eq!(response.status(), 422, "{input}");
        let page = readable(&response.text().await.expect("body"));
        let at = page
            .find("id=\"field-capacity-error\"")
            .expect("an error next to the field");
        assert!(page[at..].contains(message), "{message}");
    }
    let (_, page) = organizer.get(EVENT).await;
    assert!(
        page.contains("41 → 30") && !page.contains("→ -1"),
        "invalid input changed nothing"
    );
}

#[tokio::test]
async fn capacity_changes_during_a_rush_never_overbook() {
    let site = TestServer::demo_without_registration_limits(&[]);
    let organizer = Organizer::sign_in(&site, "ada@example.org").await;
    let mut n = 0;
    let mut previous = 40usize;
    for capacity in [45u32, 20, 60, 35, 80, 50] {
        let site = &site;
        let burst = (0..15).map(|_| {
            n += 1;
            let name = format!("Rush {n}");
            let index = 1000 + n;
            async move { register(site, index, &name).await }
        });
        let path = format!("{EVENT}/capacity");
        let value = capacity.to_string();
        let fields = [("capacity", value.as_str())];
        let change = organizer.post(&path, &fields);
        let (statuses, response) = futures::join!(join_all(burst), change);
        assert!(statuses.iter().all(|&s| s == 201), "{statuses:?}");
        assert_eq!(response.status(), 303);

        let all = registrations(site).await;
        let seated = all.iter().filter(|r| r.status.holds_seat()).count();
        let waiting = count(&all, domain::RegistrationStatus::Waitlisted);
        let capacity = capacity as usize;
        // Seats were taken under the old capacity or the new one, never beyond both (lowering
        // cancels nobody); and nobody waits while a seat is free.
        assert!(
            seated <= capacity.max(previous),
            "{seated} seated, capacity {previous} -> {capacity}"
        );
        if seated < capacity {
            assert_eq!(
                waiting, 0,
                "a free seat with people waiting at capacity {capacity}"
            );
        }
        assert_eq!(
            seated + waiting,
            all.len(),
            "every registration is seated or waiting"
        );
        previous = capacity;
    }
    assert_eq!(registrations(&site).await.len(), 90);
}

#[tokio::test]
async fn organizers_promote_cancel_resend_and_check_in_with_an_audit_trail() {
    let site = TestServer::demo_without_registration_limits(&[]);
    for n in 0..41 {
        assert_eq!(register(&site, n, &format!("Person {n}")).await, 201);
    }
    assert_eq!(register(&site, 41, "Waiting Winnie").await, 201);
    let organizer = Organizer::sign_in(&site, "ada@example.org").await;
    let all = registrations(&site).await;
    let winnie = all
        .iter()
        .find(|r| r.name == "Waiting Winnie")
        .expect("winnie")
        .id;
    let person0 = all.iter().find(|r| r.name == "Person 0").expect("p0").id;
    let person = |id: i64| format!("{EVENT}/registrations/{id}");

    let response = organizer
        .post(&format!("{}/promote", person(winnie)), &[("reason", "")])
        .await;
    assert_eq!(response.status(), 422);
    let response = organizer
        .post(
            &format!("{}/promote", person(winnie)),
            &[("reason", "Speaker of the opening talk")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let all = registrations(&site).await;
    let promoted = all.iter().find(|r| r.id == winnie).expect("winnie");
    assert_eq!(promoted.status, domain::RegistrationStatus::Confirmed);
    let waiting_head = all.iter().find(|r| r.name == "Person 40").expect("p40");
    assert_eq!(
        waiting_head.status,
        domain::RegistrationStatus::Waitlisted,
        "skipped, still first"
    );
    let (_, page) = organizer.get(&person(winnie)).await;
    assert!(page.contains("promoted_by_organizer"), "{page}");
    assert!(page.contains("Speaker of the opening talk"));
    assert!(page.contains("ada@example.org"));
    let (_, event_page) = organizer.get(EVENT).await;
    assert!(
        event_page.contains("40 → 41 (Waiting Winnie)"),
        "capacity grew by one, logged"
    );

    let response = organizer
        .post(
            &format!("{}/check-in", person(person0)),
            &[("arrived", "true"), ("back", "check-in")],
        )
        .await;
    assert_eq!(response.status(), 303);
    // Back at the list, at the person's place, named.
    let location =
        format!("{EVENT}/check-in?q=&show=all&notice=checked_in&count={person0}#person-{person0}");
    assert_eq!(response.headers()["location"], location);
    let (_, door) = organizer
        .get(location.split('#').next().expect("path"))
        .await;
    assert!(door.contains("Person 0 arrived."), "{door}");
    assert!(door.contains(&format!("id=\"person-{person0}\"")), "{door}");
    assert!(door.contains("1 of 41 arrived"), "{door}");
    assert!(door.contains("40 still expected"), "{door}");
    // Searched and filtered, with or without JavaScript (a GET form).
    let (_, expected) = organizer
        .get(&format!("{EVENT}/check-in?show=expected"))
        .await;
    assert!(
        !expected.contains(&format!("id=\"person-{person0}\"")),
        "arrived: not expected"
    );
    assert!(expected.contains("40 shown"), "{expected}");
    let (_, arrived) = organizer
        .get(&format!("{EVENT}/check-in?show=arrived"))
        .await;
    assert!(arrived.contains(&format!("id=\"person-{person0}\"")));
    assert!(arrived.contains("1 shown"), "{arrived}");
    let (_, found) = organizer
        .get(&format!("{EVENT}/check-in?q=person%201"))
        .await;
    // "person 1" finds Person 1 and Person 10 to 19 (names and addresses contain it).
    assert!(
        found.contains(">Person 1<") && found.contains(">Person 19<"),
        "{found}"
    );
    assert!(!found.contains(">Person 2<"), "{found}");
    assert!(
        found.contains("value=\"person 1\""),
        "the search stays in its field"
    );
    // Marking someone arrived in a filtered list returns to it, naming them though the filter
    // now hides them.
    let response = organizer
        .post(
            &format!("{}/check-in", person(person0)),
            &[
                ("arrived", "false"),
                ("back", "check-in"),
                ("q", "person 0"),
                ("show", "arrived"),
            ],
        )
        .await;
    let location = response.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    assert!(
        location.starts_with(&format!(
            "{EVENT}/check-in?q=person%200&show=arrived&notice="
        )),
        "{location}"
    );
    let (_, filtered) = organizer
        .get(location.split('#').next().expect("path"))
        .await;
    assert!(filtered.contains("0 shown"), "{filtered}");
    assert!(
        filtered.contains("Person 0 is no longer marked as arrived."),
        "the notice names them: {filtered}"
    );
    let response = organizer
        .post(
            &format!("{}/check-in", person(person0)),
            &[("arrived", "true"), ("back", "check-in")],
        )
        .await;
    assert_eq!(response.status(), 303);
    // Names in the order people read them: Person 2 before Person 10.
    let at = |name: &str| {
        door.find(&format!("<span class=\"check-in-name\">{name}</span>"))
            .or_else(|| door.find(&format!("<span class=\"check-in-name\">{name}<")))
            .unwrap_or_else(|| panic!("{name} on the door list: {door}"))
    };
    assert!(at("Person 2") < at("Person 10"), "natural order");
    assert!(at("Person 10") < at("Person 11"));
    assert!(at("Person 39") < at("Waiting Winnie"));
    let response = organizer
        .post(
            &format!("{}/check-in", person(waiting_head.id)),
            &[("arrived", "true")],
        )
        .await;
    assert_eq!(response.status(), 409, "only seated people arrive");

    let response = organizer
        .post(&format!("{}/resend", person(person0)), &[])
        .await;
    assert_eq!(response.status(), 303);
    let response = organizer
        .post(&format!("{}/cancel", person(person0)), &[])
        .await;
    assert_eq!(response.status(), 303);
    let all = registrations(&site).await;
    assert_eq!(
        all.iter().find(|r| r.id == person0).expect("p0").status,
        domain::RegistrationStatus::Cancelled
    );
    assert_eq!(
        all.iter()
            .find(|r| r.name == "Person 40")
            .expect("p40")
            .status,
        domain::RegistrationStatus::Offered,
        "the freed seat is offered to the head of the waitlist"
    );
    let (_, history) = organizer.get(&person(person0)).await;
    for line in [
        "checked_in",
        "link_resent_by_organizer",
        "cancelled_by_organizer",
        "without mail",
    ] {
        assert!(history.contains(line), "{line} in the history");
    }
    let response = organizer
        .post(&format!("{}/cancel", person(person0)), &[])
        .await;
    assert_eq!(response.status(), 409, "already cancelled");
    let response = organizer
        .post(&format!("{EVENT}/registrations/99999/cancel"), &[])
        .await;
    assert_eq!(response.status(), 404);

    // Search by name, e-mail or organisation.
    let (_, found) = organizer.get(&format!("{EVENT}?q=winnie")).await;
    assert!(found.contains("Waiting Winnie") && !found.contains("Person 12<"));
}

#[tokio::test]
async fn the_csv_export_reads_back_and_defuses_formulas() {
    let site = TestServer::demo();
    let people = [
        json!({ "name": "Zoë Müller, PhD", "email": "zoe@example.org", "consent": true,
                "organisation": "=HYPERLINK(\"http://evil.example\",\"click\")",
                "notes": "line one\nline \"two\"", "answers": { "tshirt": "M", "diet": "+vegan" } }),
        json!({ "name": "@Bob", "email": "bob@example.org", "consent": true, "organisation": "-1+2" }),
    ];
    for person in &people {
        let (status, body) = site
            .post_json("/api/v1/events/hackathon-3/registrations", person)
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let organizer = Organizer::sign_in(&site, "ada@example.org").await;
    let response = TestServer::client()
        .get(site.url(&format!("{EVENT}/registrations.csv")))
        .header("cookie", &organizer.cookie)
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .expect("header")
            .starts_with("attachment")
    );
    let body = response.text().await.expect("body");
    let body = body
        .strip_prefix('\u{feff}')
        .expect("a UTF-8 byte-order mark for Excel");
    assert!(body.contains("\r\n"), "CRLF records");
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        &header[..5],
        ["id", "name", "email", "organisation", "status"]
    );
    assert!(header.contains(&"tshirt".to_owned()) && header.contains(&"diet".to_owned()));
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a record")).collect();
    assert_eq!(rows.len(), 2);
    let column = |name: &str| header.iter().position(|h| h == name).expect("column");
    let zoe = &rows[0];
    assert_eq!(&zoe[column("name")], "Zoë Müller, PhD");
    assert_eq!(
        &zoe[column("organisation")],
        "'=HYPERLINK(\"http://evil.example\",\"click\")"
    );
    assert_eq!(&zoe[column("notes")], "line one\nline \"two\"");
    assert_eq!(&zoe[column("diet")], "'+vegan");
    assert_eq!(&zoe[column("tshirt")], "M");
    assert_eq!(&zoe[column("status")], "pending_email");
    let bob = &rows[1];
    assert_eq!(&bob[column("name")], "'@Bob");
    assert_eq!(&bob[column("organisation")], "'-1+2");
    for row in &rows {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "{cell:?} would run as a formula"
            );
        }
    }
}

#[tokio::test]
async fn a_failed_mail_is_listed_and_sent_again_on_request() {
    let mut smtp = SmtpServer::start().await;
    smtp.stop();
    let site = TestServer::demo_with(&[
        ("CONVENE_SMTP_URL", &smtp.url()),
        ("CONVENE_MAIL_MAX_ATTEMPTS", "1"),
    ]);
    assert_eq!(register(&site, 1, "Mia Mail").await, 201);
    let organizer = Organizer::sign_in(&site, "ada@example.org").await;
    let mut page = String::new();
    for _ in 0..100 {
        page = organizer.get("/admin/mail").await.1;
        if page.contains("Send again now") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(page.contains("person1@example.org"), "{page}");
    let id = page
        .split("id=\"mail-")
        .filter_map(|rest| rest.split('"').next())
        .find(|id| id.parse::<i64>().is_ok())
        .expect("a mail row")
        .to_owned();
    let row = page
        .split(&format!("id=\"mail-{id}\""))
        .nth(1)
        .and_then(|rest| rest.split("</tr>").next())
        .expect("the row");
    assert!(row.contains(">failed<"), "{row}");

    smtp.resume().await;
    let response = organizer
        .post(&format!("/admin/mail/{id}/retry"), &[])
        .await;
    assert_eq!(response.status(), 303);
    let mails = smtp.wait_for(1, 20).await;
    assert!(
        mails[0]
            .recipients
            .iter()
            .any(|r| r.contains("person1@example.org"))
    );
    let response = organizer
        .post(&format!("/admin/mail/{id}/retry"), &[])
        .await;
    assert_eq!(response.status(), 409, "a sent mail is not sent twice");
}

#[tokio::test]
async fn organizers_accept_hide_merge_and_order_topics() {
    let site = TestServer::demo();
    let organizer = Organizer::sign_in(&site, "ada@example.org").await;
    let board = || async {
        let board: serde_json::Value = site
            .get("/events/hackathon-3/topics.json")
            .await
            .json()
            .await
            .expect("JSON");
        board
    };
    let initial = board().await;
    let id = |board: &serde_json::Value, title: &str| -> i64 {
        board["topics"]
            .as_array()
            .expect("topics")
            .iter()
            .find(|t| t["title"] == title)
            .and_then(|t| t["id"].as_i64())
            .unwrap_or_else(|| panic!("{title} in {board}"))
    };
    let clusters = id(&initial, "Cluster stacks on OpenStack with Cluster API");
    let keycloak = id(&initial, "Federated identity with Keycloak");
    let status = id(&initial, "Status page API: first clients");
    let topics = format!("{EVENT}/topics");

    for topic in [status, clusters] {
        let response = organizer
            .post(&format!("{topics}/{topic}/accept"), &[])
            .await;
        assert_eq!(response.status(), 303);
        assert_eq!(
            response.headers()["location"],
            format!("{topics}?notice=topic_accepted")
        );
    }
    let response = organizer
        .post(
            &format!("{topics}/order"),
            &[
                (&format!("position.{clusters}"), "1"),
                (&format!("position.{status}"), "2"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let ordered = board().await;
    assert_eq!(ordered["topics"][0]["id"], clusters, "{ordered}");
    assert_eq!(ordered["topics"][1]["id"], status);
    let response = organizer
        .post(
            &format!("{topics}/order"),
            &[(&format!("position.{clusters}"), "first")],
        )
        .await;
    assert_eq!(response.status(), 422);

    let response = organizer
        .post(&format!("{topics}/{keycloak}/hide"), &[("reason", "")])
        .await;
    assert_eq!(response.status(), 422, "a reason is required");
    let response = organizer
        .post(
            &format!("{topics}/{keycloak}/merge"),
            &[("target", &keycloak.to_string())],
        )
        .await;
    assert_eq!(response.status(), 409);
    let page = readable(&response.text().await.expect("body"));
    assert!(
        page.contains("This topic cannot be merged that way."),
        "{page}"
    );
    let response = organizer
        .post(
            &format!("{topics}/{keycloak}/merge"),
            &[("target", &status.to_string())],
        )
        .await;
    assert_eq!(response.status(), 303);
    let merged = board().await;
    let entry = merged["topics"]
        .as_array()
        .expect("topics")
        .iter()
        .find(|t| t["id"] == keycloak)
        .expect("the merged topic")
        .clone();
    assert_eq!(entry["status"], "merged");
    assert_eq!(entry["merged_into"], status);
    let response = organizer
        .post(
            &format!("{topics}/{clusters}/hide"),
            &[("reason", "Covered by the SIG call")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let (_, page) = organizer.get(&topics).await;
    assert!(page.contains("Covered by the SIG call"), "{page}");
    let (_, event_page) = organizer.get(EVENT).await;
    for action in [
        "topic_accepted",
        "agenda_ordered",
        "topic_merged",
        "topic_hidden",
    ] {
        assert!(
            event_page.contains(&format!("title=\"{action}\"")),
            "{action} in the change log"
        );
    }
    assert!(
        event_page
            .contains("Cluster stacks on OpenStack with Cluster API: Covered by the SIG call")
    );
    let response = organizer
        .post("/admin/events/scs-community-call/topics/1/accept", &[])
        .await;
    assert_eq!(response.status(), 404, "an event without topics");
}

/// The value of the hidden field `name` in a page.
fn hidden_value(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker).expect("the field") + marker.len();
    page[start..].split('"').next().expect("a value").to_owned()
}

#[tokio::test]
async fn a_message_is_previewed_tested_and_sent_once_through_the_outbox() {
    let smtp = SmtpServer::start().await;
    let site = TestServer::demo_without_registration_limits(&[("CONVENE_SMTP_URL", &smtp.url())]);
    for n in 0..42 {
        assert_eq!(register(&site, n, &format!("Person {n}")).await, 201);
    }
    // Three of the seated confirm their address.
    let mails = smtp.wait_for(42, 20).await;
    for mail in mails.iter().take(3) {
        let link = mail.confirm_link().expect("a confirm link");
        let path = link
            .split_once("/r/")
            .map(|(_, t)| format!("/r/{t}"))
            .expect("path");
        assert_eq!(post(&site, &path, &[], None).await.status(), 303);
    }
    smtp.wait_for(45, 20).await;
    let organizer = Organizer::sign_in(&site, "ada@example.org").await;
    let broadcast = format!("{EVENT}/broadcast");

    let response = organizer
        .post(&broadcast, &[("subject", "Room change"), ("message", "")])
        .await;
    assert_eq!(response.status(), 422);
    let page = readable(&response.text().await.expect("body"));
    assert!(page.contains("Choose who gets the message."), "{page}");
    assert!(page.contains("id=\"field-message-error\""));

    // The form's button shows whom it reaches, by where they stand; nothing goes out.
    let message = [
        ("seated", "on"),
        ("waiting", "on"),
        ("subject", "Room change"),
        ("message", "We moved to\nroom 2."),
    ];
    let response = organizer.post(&broadcast, &message).await;
    assert_eq!(response.status(), 200);
    let page = readable(&response.text().await.expect("body"));
    assert!(
        page.contains(
            "It goes to 42 people: 3 with a confirmed seat, 37 whose seat is not confirmed \
             yet, 2 on the waitlist."
        ),
        "{page}"
    );
    let stored = registrations(&site).await;
    let with = |status| stored.iter().filter(|r| r.status == status).count();
    use domain::RegistrationStatus::{Confirmed, PendingEmail, Waitlisted};
    assert_eq!(
        (with(Confirmed), with(PendingEmail), with(Waitlisted)),
        (3, 37, 2),
        "the preview counts what is stored"
    );

    // The registration curve: one day so far, its line points at the counts (40 seated is the
    // top of the chart, 2 waiting near the bottom), the same in the table.
    let (_, event_page) = organizer.get(EVENT).await;
    assert!(
        event_page.contains("Registrations over time"),
        "{event_page}"
    );
    assert!(
        event_page.contains("points=\"330.0,10.0\" fill=\"none\" class=\"curve-seated\""),
        "{event_page}"
    );
    assert!(event_page.contains("points=\"330.0,171.5\" fill=\"none\" class=\"curve-waiting\""));
    assert!(event_page.contains("points=\"330.0,180.0\" fill=\"none\" class=\"curve-dropped\""));
    let table = event_page
        .split("id=\"curve-table\"")
        .nth(1)
        .expect("the table");
    let today = table.split("<tbody>").nth(1).expect("rows");
    let cells: Vec<&str> = today
        .split("<td>")
        .skip(1)
        .take(4)
        .map(|cell| cell.split('<').next().unwrap_or_default())
        .collect();
    assert_eq!(
        cells,
        ["40", "3", "2", "0"],
        "seated, confirmed, waiting, dropped"
    );
    assert!(page.contains("Send to 42 people"));
    let key = hidden_value(&page, "key");
    assert_eq!(key.len(), 64, "{key}");

    // A test goes to the organizer alone, and the preview stays with its key.
    let with_key = |step: &'static str, waiting_only: bool| {
        let mut fields: Vec<(&str, &str)> = if waiting_only {
            vec![("waiting", "on"), ("subject", "Room change")]
        } else {
            message[..3].to_vec()
        };
        fields.extend([("message", "We moved to\nroom 2."), ("step", step)]);
        fields
    };
    let mut fields = with_key("test", false);
    fields.push(("key", &key));
    let response = organizer.post(&broadcast, &fields).await;
    assert_eq!(response.status(), 200);
    let page = readable(&response.text().await.expect("body"));
    assert!(
        page.contains("A test went to ada@example.org. Nobody else got it."),
        "{page}"
    );
    assert_eq!(
        hidden_value(&page, "key"),
        key,
        "the same message, the same key"
    );
    let mails = smtp.wait_for(46, 20).await;
    let test = mails.last().expect("the test");
    assert_eq!(test.recipients, ["ada@example.org"]);
    assert_eq!(test.subject(), "[Third Community Hackathon] Room change");

    // "Change the message" is the form again, as it was.
    let response = organizer.post(&broadcast, &with_key("edit", false)).await;
    assert_eq!(response.status(), 200);
    let page = readable(&response.text().await.expect("body"));
    assert!(page.contains("value=\"Room change\""), "{page}");
    assert!(page.contains("Preview before sending"));

    // Send without a key (a hand-made post): the preview, nothing sent.
    let response = organizer.post(&broadcast, &with_key("send", true)).await;
    assert_eq!(response.status(), 200);
    let page = readable(&response.text().await.expect("body"));
    assert!(page.contains("It goes to 2 people"), "{page}");
    let waiting_key = hidden_value(&page, "key");
    assert_ne!(waiting_key, key, "a new preview, a new key");

    // Sent, then the same post again (a double click): it goes out once.
    let mut fields = with_key("send", true);
    fields.push(("key", &waiting_key));
    for notice in ["broadcast", "broadcast_already_sent"] {
        let response = organizer.post(&broadcast, &fields).await;
        assert_eq!(response.status(), 303);
        assert_eq!(
            response.headers()["location"],
            format!("{EVENT}?notice={notice}&count=2")
        );
    }
    let (_, page) = organizer
        .get(&format!("{EVENT}?notice=broadcast_already_sent&count=2"))
        .await;
    assert!(
        page.contains("This message was sent already, to 2 people"),
        "{page}"
    );
    let mails = smtp.wait_for(48, 20).await;
    let messages: Vec<_> = mails
        .iter()
        .filter(|m| m.subject() == "[Third Community Hackathon] Room change")
        .filter(|m| m.recipients != ["ada@example.org"])
        .collect();
    assert_eq!(messages.len(), 2, "only the two waiting people, once");
    for mail in &messages {
        let to = mail.recipients.join(",");
        assert!(to.contains("person40@") || to.contains("person41@"), "{to}");
        let text = mail.text().replace("\r\n", "\n");
        assert!(text.contains("We moved to\nroom 2."), "{text}");
        assert!(
            mail.manage_link().is_none(),
            "no secret link in a broadcast"
        );
    }
    let (_, page) = organizer
        .get(&format!("{EVENT}?notice=broadcast&count=2"))
        .await;
    assert!(page.contains("Your message is on its way to 2 people."));
    assert!(page.contains("2 (waiting): Room change"), "logged once");
    assert_eq!(page.matches("2 (waiting): Room change").count(), 1);
    // The mail log shows the message as one line that opens its recipients, and filters by
    // event, kind and status.
    let (_, log) = organizer
        .get("/admin/mail?event=hackathon-3&kind=broadcast")
        .await;
    assert_eq!(log.matches("class=\"mail-group\"").count(), 1, "{log}");
    assert!(log.contains("2 recipients"), "{log}");
    assert!(
        !log.contains("Confirm your seat"),
        "other kinds are filtered out"
    );
    let (_, log) = organizer.get("/admin/mail?kind=broadcast_test").await;
    assert!(log.contains("ada@example.org") && !log.contains("mail-group"));
    let (_, log) = organizer.get("/admin/mail?event=scs-community-call").await;
    assert!(!log.contains("Room change"), "another event's mails only");
    let (status, log) = organizer
        .get("/admin/mail?event=%3Cb%3E&kind=x&status=y")
        .await;
    assert_eq!(status, 200);
    assert!(
        !log.contains("<b>") && !log.contains("mail-group"),
        "nothing matches"
    );
    // A NUL byte (which PostgreSQL refuses in text) in any filter is an answer, not a 500.
    for query in ["event=a%00b", "kind=a%00b", "status=a%00b"] {
        let (status, log) = organizer.get(&format!("/admin/mail?{query}")).await;
        assert_eq!(status, 200, "{query}: {log}");
        assert!(!log.contains("mail-group"), "{query}: nothing matches");
    }
    let outbox = store::Store::connect(&site.database_url())
        .await
        .expect("db");
    assert_eq!(
        outbox.mail_log(500).await.expect("log").len(),
        48,
        "no mail beyond these"
    );
    outbox.close().await;
}

#[tokio::test]
async fn organizers_create_edit_unpublish_and_delete_events() {
    let site = TestServer::demo();
    let organizer = Organizer::sign_in(&site, "ada@example.org").await;
    let fields = |extra: &[(&'static str, &'static str)]| {
        let mut fields: Vec<(&str, &str)> = vec![
            ("title", "Fourth Community Hackathon"),
            ("slug", "hackathon-4"),
            ("kind", "hackathon"),
            ("summary", "Two days in Berlin"),
            ("description", "We **build**."),
            ("time_zone", "Europe/Berlin"),
            ("starts_at", "2027-03-10T09:00"),
            ("ends_at", "2027-03-11T17:00"),
            ("venue", "Berlin"),
            ("registration", "on"),
            ("capacity", "25"),
            ("waitlist", "on"),
            ("topics", "on"),
            ("published", "on"),
        ];
        for (name, value) in extra {
            fields.retain(|(n, _)| n != name);
            fields.push((name, value));
        }
        fields
    };

    // Bad input: every problem next to its field, nothing created.
    let bad = fields(&[
        ("ends_at", "2027-03-09T09:00"),
        ("online_url", "javascript:alert(1)"),
        ("slug", "scs-community-call"),
    ]);
    let response = organizer.post("/admin/events", &bad).await;
    assert_eq!(response.status(), 422);
    let page = readable(&response.text().await.expect("body"));
    for (field, message) in [
        ("ends_at", "The end must be after the start."),
        ("online_url", "Enter a web address starting with https://."),
    ] {
        let at = page
            .find(&format!("id=\"field-{field}-error\""))
            .unwrap_or_else(|| panic!("{field}: {page}"));
        assert!(page[at..].contains(message), "{message}");
    }
    assert_eq!(site.get("/events/hackathon-4").await.status(), 404);
    let taken = fields(&[("slug", "scs-community-call")]);
    let response = organizer.post("/admin/events", &taken).await;
    assert_eq!(response.status(), 422);
    assert!(
        readable(&response.text().await.expect("body"))
            .contains("Another event has this address already.")
    );

    // The summary names each field whose message does not say which.
    let nameless = fields(&[
        ("slug", ""),
        ("title", ""),
        ("starts_at", ""),
        ("ends_at", ""),
    ]);
    let response = organizer.post("/admin/events", &nameless).await;
    assert_eq!(response.status(), 422);
    let page = readable(&response.text().await.expect("body"));
    let summary = page
        .split_once("class=\"error-summary\"")
        .and_then(|(_, rest)| rest.split_once("</div>"))
        .map(|(summary, _)| summary.to_owned())
        .expect("an error summary");
    for line in [
        "Title: This field is required.",
        "Address: This field is required.",
        "Starts: ",
        "Ends: ",
    ] {
        assert!(summary.contains(line), "{line} in {summary}");
    }

    let response = organizer.post("/admin/events", &fields(&[])).await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        "/admin/events/hackathon-4/edit?notice=event_saved"
    );
    let (status, public) = site.text("/events/hackathon-4").await;
    assert_eq!(status, 200);
    let public = readable(&public);
    assert!(
        public.contains("Fourth Community Hackathon") && public.contains("<strong>build</strong>")
    );
    assert!(
        public.contains("Wed, 10 Mar 2027, 09:00"),
        "local time in Berlin: {public}"
    );
    let (status, _) = site.text("/events/hackathon-4/topics").await;
    assert_eq!(status, 200, "a topic board");
    let api: serde_json::Value = site
        .get("/api/v1/events/hackathon-4")
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(api["registration"]["capacity"], 25);

    // Edit: new title, unpublished; the capacity stays (it has its own form).
    let edit = fields(&[
        ("title", "Fourth Hackathon"),
        ("published", ""),
        ("capacity", "99"),
    ]);
    let response = organizer
        .post("/admin/events/hackathon-4/edit", &edit)
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        site.get("/events/hackathon-4").await.status(),
        404,
        "unpublished"
    );
    let (_, form) = organizer.get("/admin/events/hackathon-4/edit").await;
    assert!(form.contains("value=\"Fourth Hackathon\""));
    let (_, admin_page) = organizer.get("/admin/events/hackathon-4").await;
    assert!(admin_page.contains("<dd>25</dd>"), "capacity unchanged");
    // Unpublished, organizers see its page as a preview, marked as such; nobody else does.
    assert!(admin_page.contains("href=\"/admin/events/hackathon-4/preview\""));
    let (status, preview) = organizer.get("/admin/events/hackathon-4/preview").await;
    assert_eq!(status, 200);
    assert!(
        preview.contains("Preview: this event is not published."),
        "{preview}"
    );
    assert!(preview.contains("<h1>Fourth Hackathon</h1>"), "{preview}");
    // The edit form says it is not published and publishes it in one click, logged once.
    let (_, form) = organizer.get("/admin/events/hackathon-4/edit").await;
    assert!(
        form.contains("Not published: visitors do not see this event yet"),
        "{form}"
    );
    assert!(form.contains("action=\"/admin/events/hackathon-4/publish\""));
    for _ in 0..2 {
        let response = organizer
            .post("/admin/events/hackathon-4/publish", &[])
            .await;
        assert_eq!(
            response.headers()["location"],
            "/admin/events/hackathon-4/edit?notice=event_published"
        );
    }
    assert_eq!(
        site.get("/events/hackathon-4").await.status(),
        200,
        "published"
    );
    let (_, form) = organizer
        .get("/admin/events/hackathon-4/edit?notice=event_published")
        .await;
    assert!(form.contains("The event is published: visitors see it now."));
    assert!(!form.contains("/publish\""), "nothing left to publish");
    let published = store::Store::connect(&site.database_url())
        .await
        .expect("db");
    let hackathon_4 = domain::EventSlug::parse("hackathon-4").expect("slug");
    let id = published
        .event_id(&hackathon_4)
        .await
        .expect("query")
        .expect("event");
    let lines = published.event_log(id).await.expect("log");
    let publishing = lines
        .iter()
        .filter(|l| {
            matches!(
                l.change().expect("a typed line"),
                Some(domain::audit::EventChange::Saved { before: Some(before), after })
                    if !before.published && after.published
            )
        })
        .count();
    assert_eq!(publishing, 1, "one audit line: {lines:?}");
    published.close().await;
    let stranger = site.get("/admin/events/hackathon-4/preview").await;
    assert_eq!(stranger.status(), 303, "signed out: to the sign-in page");
    let (status, _) = organizer.get("/admin/events/no-such-event/preview").await;
    assert_eq!(status, 404);
    assert!(
        admin_page.contains("Fourth Community Hackathon") || admin_page.contains("event changed")
    );

    // A series from a rule.
    let series = fields(&[
        ("slug", "sig-rust"),
        ("title", "SIG Rust"),
        ("kind", "meeting"),
        ("starts_at", "2027-01-07T15:00"),
        ("ends_at", "2027-01-07T16:00"),
        ("recurrence", "FREQ=WEEKLY;BYDAY=TH"),
        ("registration", ""),
        ("topics", ""),
    ]);
    assert_eq!(organizer.post("/admin/events", &series).await.status(), 303);
    let (status, page) = site.text("/events/sig-rust").await;
    assert_eq!(status, 200);
    assert!(readable(&page).contains("Every Thursday"), "{page}");
    // The repeats picker writes the rule from the first date, the address comes from the
    // title, and the form reads both back.
    let fortnightly = fields(&[
        ("slug", ""),
        ("title", "SIG Docs"),
        ("kind", "meeting"),
        ("starts_at", "2027-01-05T10:00"),
        ("ends_at", "2027-01-05T11:00"),
        ("repeat", "weekly"),
        ("repeat_every", "2"),
        ("registration", ""),
        ("topics", ""),
    ]);
    let response = organizer.post("/admin/events", &fortnightly).await;
    assert_eq!(
        response.headers()["location"],
        "/admin/events/sig-docs/edit?notice=event_saved"
    );
    let (_, form) = organizer.get("/admin/events/sig-docs/edit").await;
    assert!(
        form.contains("value=\"FREQ=WEEKLY;INTERVAL=2;BYDAY=TU\""),
        "{form}"
    );
    let weekly = form
        .find("<option value=\"weekly\"")
        .expect("the weekly choice");
    assert!(form[weekly..weekly + 40].contains("selected"), "{form}");
    let response = organizer.post("/admin/events", &fortnightly).await;
    assert_eq!(
        response.headers()["location"],
        "/admin/events/sig-docs-2/edit?notice=event_saved",
        "a taken address made from the title gets a number"
    );
    let occurrence = "/admin/events/sig-rust/occurrence";
    let response = organizer
        .post(occurrence, &[("date", "2027-01-15"), ("change", "cancel")])
        .await;
    assert_eq!(
        response.status(),
        422,
        "a Friday is not a date of the series"
    );
    assert!(
        readable(&response.text().await.expect("body"))
            .contains("The series does not take place on this date.")
    );
    let response = organizer
        .post(occurrence, &[("date", "2027-01-14"), ("change", "cancel")])
        .await;
    assert_eq!(response.status(), 303);
    let (_, date) = site.text("/events/sig-rust/2027-01-14").await;
    assert!(readable(&date).contains("Cancelled"), "{date}");
    // Its notes change alone: still cancelled, the notes on its page, a line in the log.
    let response = organizer
        .post(
            occurrence,
            &[
                ("date", "2027-01-14"),
                ("change", "notes"),
                (
                    "notes",
                    "## Minutes\n\nNo call: <script>x</script>see you next week.",
                ),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let (_, date) = site.text("/events/sig-rust/2027-01-14").await;
    let date = readable(&date);
    assert!(
        date.contains("Cancelled") && date.contains("see you next week"),
        "{date}"
    );
    assert!(!date.contains("<script>x"), "Markdown made safe: {date}");
    let (_, admin_page) = organizer.get("/admin/events/sig-rust").await;
    assert!(
        admin_page.contains("Notes of Thursday, 14 January 2027 written"),
        "{admin_page}"
    );
    let response = organizer
        .post(
            occurrence,
            &[
                ("date", "2027-01-21"),
                ("change", "move"),
                ("moved_starts_at", "2027-01-22T15:00"),
                ("moved_ends_at", "2027-01-22T16:00"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let (_, date) = site.text("/events/sig-rust/2027-01-21").await;
    let date = readable(&date);
    assert!(
        date.contains("Moved") && date.contains("Fri, 22 Jan 2027"),
        "{date}"
    );
    let feed = site
        .get("/events/sig-rust/event.ics")
        .await
        .text()
        .await
        .expect("ics");
    assert!(feed.contains("STATUS:CANCELLED"), "the feed follows");
    // The series has its admin page like any event: its next dates (marked), the form that
    // changes one, its links and its log; nothing about registration.
    let response = organizer
        .post(occurrence, &[("date", "2027-01-28"), ("change", "cancel")])
        .await;
    assert_eq!(
        response.headers()["location"],
        "/admin/events/sig-rust?notice=occurrence_changed",
        "back to the series' admin page"
    );
    let (status, admin_page) = organizer.get("/admin/events/sig-rust").await;
    assert_eq!(status, 200, "{admin_page}");
    assert!(admin_page.contains("<h1>SIG Rust</h1>"), "{admin_page}");
    assert!(
        admin_page.contains("Every Thursday"),
        "the rule, not the first date"
    );
    assert!(admin_page.contains("People do not register for this event"));
    assert!(
        admin_page.contains("href=\"/events/sig-rust/2027-01-14\""),
        "{admin_page}"
    );
    assert!(admin_page.contains("action=\"/admin/events/sig-rust/occurrence\""));
    assert!(admin_page.contains("href=\"/admin/events/sig-rust/edit\""));
    assert!(!admin_page.contains("capacity-heading") && !admin_page.contains("/check-in"));
    let (_, edit_page) = organizer.get("/admin/events/sig-rust/edit").await;
    assert!(
        !edit_page.contains("/occurrence\""),
        "one place to change a date"
    );
    let (_, home) = organizer.get("/admin").await;
    assert!(
        home.contains("href=\"/admin/events/sig-rust\""),
        "listed with its page"
    );

    // Delete: only without registrations.
    assert_eq!(register(&site, 1, "Someone").await, 201);
    let response = organizer
        .post("/admin/events/hackathon-3/delete", &[])
        .await;
    assert_eq!(response.status(), 409);
    assert_eq!(site.get("/events/hackathon-3").await.status(), 200);
    let response = organizer.post("/admin/events/sig-rust/delete", &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        "/admin?notice=event_deleted"
    );
    assert_eq!(site.get("/events/sig-rust").await.status(), 404);
}

#[tokio::test]
async fn cancelling_an_event_mails_everyone_registered_and_marks_it_everywhere() {
    let smtp = SmtpServer::start().await;
    let site = TestServer::demo_with(&[("CONVENE_SMTP_URL", &smtp.url())]);
    let organizer = Organizer::sign_in(&site, "ada@example.org").await;
    let response = organizer
        .post(&format!("{EVENT}/capacity"), &[("capacity", "2")])
        .await;
    assert_eq!(response.status(), 303);
    for n in 0..3 {
        assert_eq!(register(&site, n, &format!("Person {n}")).await, 201);
    }
    smtp.wait_for(3, 20).await;
    let all = registrations(&site).await;
    assert_eq!(count(&all, domain::RegistrationStatus::Waitlisted), 1);

    // Too long a message and no confirmation: errors next to the fields, and nothing changes.
    let long = "x".repeat(5001);
    let response = organizer
        .post(&format!("{EVENT}/cancel"), &[("message", &long)])
        .await;
    assert_eq!(response.status(), 422);
    let page = readable(&response.text().await.expect("body"));
    for (field, message) in [
        ("message", "Use at most 5000 characters."),
        ("confirm", "Tick the box to confirm."),
    ] {
        let at = page
            .find(&format!("id=\"field-{field}-error\""))
            .unwrap_or_else(|| panic!("an error next to {field}: {page}"));
        assert!(page[at..].contains(message), "{message}");
    }
    assert!(
        page.contains("value=\"Third Community Hackathon\""),
        "the event form keeps its saved values beside the refused form"
    );
    let all = registrations(&site).await;
    assert_eq!(count(&all, domain::RegistrationStatus::Cancelled), 0);

    let response = organizer
        .post(
            &format!("{EVENT}/cancel"),
            &[
                ("message", "The venue flooded. We will announce a new date."),
                ("confirm", "on"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        format!("{EVENT}/edit?notice=event_cancelled&count=3")
    );
    let all = registrations(&site).await;
    assert_eq!(count(&all, domain::RegistrationStatus::Cancelled), 3);

    let mails = smtp.wait_for(6, 20).await;
    let cancelled: Vec<_> = mails
        .iter()
        .filter(|m| m.subject() == "Cancelled: Third Community Hackathon")
        .collect();
    assert_eq!(cancelled.len(), 3, "the seated and the waiting are mailed");
    for mail in cancelled {
        assert!(
            mail.text().contains("The venue flooded."),
            "{}",
            mail.text()
        );
        assert!(mail.raw.contains("STATUS:CANCELLED"), "calendars drop it");
        assert!(mail.manage_link().is_none());
    }

    // Everywhere the event shows, it says so; nobody can register.
    let (status, public) = site.text("/events/hackathon-3").await;
    assert_eq!(status, 200, "the page stays");
    assert!(readable(&public).contains("This event is cancelled."));
    let feed = site
        .get("/events/hackathon-3/event.ics")
        .await
        .text()
        .await
        .expect("ics");
    assert!(feed.contains("STATUS:CANCELLED"), "{feed}");
    let api: serde_json::Value = site
        .get("/api/v1/events/hackathon-3")
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(api["registration"]["open"], false);
    assert_eq!(register(&site, 9, "Late").await, 410, "registration closed");
    let (_, home) = site.text("/").await;
    let home = readable(&home);
    let title = home
        .find("Third Community Hackathon")
        .expect("still listed");
    let card_start = home[..title].rfind("<li").expect("its card");
    let card_end = title + home[title..].find("</li>").expect("card end");
    let card = &home[card_start..card_end];
    assert!(
        card.contains("card-cancelled") && card.contains("Cancelled"),
        "{card}"
    );

    // Once is enough, and registration stays closed.
    let again = organizer
        .post(&format!("{EVENT}/cancel"), &[("confirm", "on")])
        .await;
    assert_eq!(again.status(), 409);
    let reopen = organizer
        .post(&format!("{EVENT}/registration"), &[("open", "true")])
        .await;
    assert_eq!(reopen.status(), 409);
    let (_, edit) = organizer
        .get(&format!("{EVENT}/edit?notice=event_cancelled&count=3"))
        .await;
    assert!(edit.contains("The event is cancelled; 3 people are being mailed."));
    assert!(edit.contains("This event was cancelled on"));
    let (_, page) = organizer.get(EVENT).await;
    assert!(
        page.contains("event cancelled")
            && page.contains("3 mailed: The venue flooded. We will announce a new date."),
        "in the event's log: {page}"
    );
    let person = all.iter().find(|r| r.name == "Person 2").expect("person");
    let (_, history) = organizer
        .get(&format!("{EVENT}/registrations/{}", person.id))
        .await;
    assert!(history.contains("event cancelled"), "{history}");

    // The log is data: a German organizer reads it in German, status words and counts alike.
    let (_, page) = organizer.get_in("de", EVENT).await;
    assert!(
        page.contains("Veranstaltung abgesagt")
            && page.contains("3 angeschrieben: The venue flooded. We will announce a new date.")
            && !page.contains("3 mailed"),
        "the event's log in German: {page}"
    );
    let (_, history) = organizer
        .get_in("de", &format!("{EVENT}/registrations/{}", person.id))
        .await;
    assert!(
        history.contains("Veranstaltung abgesagt") && history.contains("→ Storniert"),
        "the person's history in German: {history}"
    );
}

#[tokio::test]
async fn organizers_set_the_registration_window_in_the_events_time() {
    let site = TestServer::demo();
    let organizer = Organizer::sign_in(&site, "ada@example.org").await;
    let (_, form) = organizer.get(&format!("{EVENT}/edit")).await;
    let field = |form: &str, name: &str| -> String {
        let at = form
            .find(&format!("name=\"{name}\""))
            .unwrap_or_else(|| panic!("{name} in {form}"));
        let rest = &form[at..];
        let value = rest.find("value=\"").map_or(0, |v| v + 7);
        rest[value..]
            .split('"')
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    let names = [
        "title",
        "slug",
        "summary",
        "time_zone",
        "starts_at",
        "ends_at",
        "venue",
        "confirmation_hours",
    ];
    let mut fields: Vec<(String, String)> = names
        .iter()
        .map(|name| ((*name).to_owned(), field(&form, name)))
        .collect();
    fields.push(("kind".to_owned(), "hackathon".to_owned()));
    for on in ["registration", "waitlist", "topics", "published"] {
        fields.push((on.to_owned(), "on".to_owned()));
    }
    let with = |extra: &[(&str, &str)]| -> Vec<(String, String)> {
        let mut all = fields.clone();
        all.extend(
            extra
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        all
    };
    let organizer = &organizer;
    let post = |fields: Vec<(String, String)>| async move {
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        organizer.post(&format!("{EVENT}/edit"), &pairs).await
    };

    let response = post(with(&[
        ("registration_opens_at", "2099-02-01T12:00"),
        ("registration_closes_at", "2099-01-01T12:00"),
    ]))
    .await;
    assert_eq!(response.status(), 422);
    let page = readable(&response.text().await.expect("body"));
    let at = page
        .find("id=\"field-registration_closes_at-error\"")
        .expect("an error next to the closing time");
    assert!(page[at..].contains("The end must be after the start."));

    let response = post(with(&[("registration_opens_at", "2099-02-01T12:00")])).await;
    assert_eq!(response.status(), 303);
    let (_, public) = site.text("/events/hackathon-3").await;
    assert!(
        readable(&public).contains("Registration opens on Sun, 1 Feb 2099, 12:00"),
        "in the event's zone: {public}"
    );
    assert_eq!(register(&site, 1, "Early").await, 409, "not open yet");
    let (_, form) = organizer.get(&format!("{EVENT}/edit")).await;
    assert_eq!(field(&form, "registration_opens_at"), "2099-02-01T12:00");
    let (_, page) = organizer.get(EVENT).await;
    assert!(page.contains("Registration is closed"), "{page}");

    // Open now clears a future opening; the form shows the window empty again.
    let response = organizer
        .post(&format!("{EVENT}/registration"), &[("open", "true")])
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(register(&site, 2, "Now").await, 201);
    let (_, form) = organizer.get(&format!("{EVENT}/edit")).await;
    assert_eq!(field(&form, "registration_opens_at"), "");

    // The site's own pages are not event addresses.
    let response = post(with(&[("slug", "new")])).await;
    assert_eq!(response.status(), 422);
    assert!(
        readable(&response.text().await.expect("body"))
            .contains("This address belongs to a page of the site; choose another.")
    );
}

/// Signs in through the form; the session cookie, or the status of the refusal.
async fn try_sign_in(site: &TestServer, email: &str, password: &str) -> Result<String, u16> {
    let response = post(
        site,
        "/admin/sign-in",
        &[("email", email), ("password", password)],
        None,
    )
    .await;
    match response.status().as_u16() {
        303 => Ok(response.headers()["set-cookie"]
            .to_str()
            .expect("cookie")
            .split(';')
            .next()
            .expect("name=value")
            .to_owned()),
        status => Err(status),
    }
}

#[tokio::test]
async fn organizers_add_each_other_take_access_away_and_change_their_password() {
    let site = TestServer::demo();
    let ada = Organizer::sign_in(&site, "ada@example.org").await;
    let (status, page) = ada.get("/admin/organizers").await;
    assert_eq!(status, 200);
    assert!(page.contains("ada@example.org") && page.contains("organizer@example.org"));

    // Bad input: messages next to the fields, nobody added.
    let response = ada
        .post(
            "/admin/organizers",
            &[("email", "not an address"), ("password", "short")],
        )
        .await;
    assert_eq!(response.status(), 422);
    let page = readable(&response.text().await.expect("body"));
    for (field, message) in [
        ("email", "Enter an e-mail address like name@example.org."),
        ("password", "Use at least 12 characters."),
    ] {
        let at = page
            .find(&format!("id=\"field-{field}-error\""))
            .unwrap_or_else(|| panic!("{field}: {page}"));
        assert!(page[at..].contains(message), "{message}");
    }
    assert!(
        !page.contains("value=\"short\""),
        "a password is never sent back"
    );

    let response = ada
        .post(
            "/admin/organizers",
            &[
                ("email", "Grace@Example.org"),
                ("password", PASSWORD),
                ("role", "admin"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        "/admin/organizers?notice=organizer_added"
    );
    let again = ada
        .post(
            "/admin/organizers",
            &[
                ("email", "grace@example.org"),
                ("password", PASSWORD),
                ("role", "admin"),
            ],
        )
        .await;
    assert_eq!(again.status(), 409, "one account per address, any case");
    let grace = try_sign_in(&site, "grace@example.org", PASSWORD)
        .await
        .expect("the new organizer signs in");
    let grace = Organizer {
        site: &site,
        cookie: grace,
    };
    assert_eq!(grace.get("/admin").await.0, 200);

    // Nobody takes their own access away; another organizer can, and it ends at once.
    let (_, page) = grace.get("/admin/organizers").await;
    let own_row = page.find("Grace@Example.org").expect("listed as written");
    assert!(page[own_row..].contains("You"));
    let grace_id = organizer_id(&site, "grace@example.org").await;
    let refused = grace
        .post(&format!("/admin/organizers/{grace_id}/remove"), &[])
        .await;
    assert_eq!(refused.status(), 409);
    let response = ada
        .post(&format!("/admin/organizers/{grace_id}/remove"), &[])
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(grace.get("/admin").await.0, 303, "her session ended");
    assert_eq!(
        try_sign_in(&site, "grace@example.org", PASSWORD).await,
        Err(401)
    );
    let (_, page) = ada.get("/admin/organizers").await;
    assert!(
        !page.to_lowercase().contains("grace@example.org"),
        "no longer listed"
    );
    // Added again, the account comes back with the new password.
    let response = ada
        .post(
            "/admin/organizers",
            &[
                ("email", "grace@example.org"),
                ("password", "another long password"),
                ("role", "admin"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert!(
        try_sign_in(&site, "grace@example.org", "another long password")
            .await
            .is_ok()
    );

    // Changing one's password needs the current one and ends the other sessions.
    let other_session = try_sign_in(&site, "ada@example.org", PASSWORD)
        .await
        .expect("a second session");
    let wrong = ada
        .post(
            "/admin/account/password",
            &[
                ("current_password", "not my password"),
                ("new_password", "a brand new passphrase"),
            ],
        )
        .await;
    assert_eq!(wrong.status(), 422);
    let page = readable(&wrong.text().await.expect("body"));
    let at = page
        .find("id=\"field-current_password-error\"")
        .expect("an error next to the current password");
    assert!(page[at..].contains("This is not your current password."));
    let changed = ada
        .post(
            "/admin/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "a brand new passphrase"),
            ],
        )
        .await;
    assert_eq!(changed.status(), 303);
    assert_eq!(ada.get("/admin").await.0, 200, "this session stays");
    let other = Organizer {
        site: &site,
        cookie: other_session,
    };
    assert_eq!(other.get("/admin").await.0, 303, "the other one ended");
    assert_eq!(
        try_sign_in(&site, "ada@example.org", PASSWORD).await,
        Err(401)
    );
    assert!(
        try_sign_in(&site, "ada@example.org", "a brand new passphrase")
            .await
            .is_ok()
    );
}

async fn organizer_id(site: &TestServer, email: &str) -> i64 {
    let store = store::Store::connect(&site.database_url())
        .await
        .expect("db");
    let id = store
        .organizer_by_email(email)
        .await
        .expect("query")
        .expect("organizer")
        .id;
    store.close().await;
    id
}

/// The text of the page's `<title>` element as sent, and whether the page has more than the
/// one `<title>` (a name that ended the element would start markup after it).
fn title_of(html: &str) -> &str {
    let start = html.find("<title>").expect("a <title>") + "<title>".len();
    let end = html[start..].find("</title>").expect("its end") + start;
    &html[start..end]
}

#[tokio::test]
async fn names_and_titles_with_markup_stay_text_in_every_title() {
    let site = TestServer::demo();
    let organizer = Organizer::sign_in(&site, "ada@example.org").await;
    let names = [
        "</title><img src=x onerror=alert(document.domain)>",
        "<script>alert(1)</script>",
        "Tom & Jerry &amp; Co",
    ];
    for (n, name) in names.iter().enumerate() {
        assert_eq!(register(&site, n, name).await, 201, "{name}");
    }
    let all = registrations(&site).await;
    for name in names {
        let person = all.iter().find(|r| r.name == name).expect("registered");
        let (status, html) = organizer
            .get(&format!("{EVENT}/registrations/{}", person.id))
            .await;
        assert_eq!(status, 200);
        let title = title_of(&html);
        assert!(!title.contains('<'), "escaped: {title}");
        assert!(title.contains("&lt;") || title.contains("&amp;"), "{title}");
        assert_eq!(html.matches("<title>").count(), 1);
        assert!(!html.contains("<img src=x"), "no markup from a name");
        assert!(!html.contains("<script>alert(1)"), "no markup from a name");
    }
    let (_, html) = organizer
        .get(&format!(
            "{EVENT}/registrations/{}",
            all.iter().find(|r| r.name == names[2]).expect("Tom").id
        ))
        .await;
    assert!(
        title_of(&html).contains("Tom &amp; Jerry &amp;amp; Co"),
        "an ampersand shows as typed: {}",
        title_of(&html)
    );

    // An event title with markup: on its public page, the admin pages and the form posts' pages.
    let (_, form) = organizer.get(&format!("{EVENT}/edit")).await;
    assert!(form.contains("Third Community Hackathon"));
    let title = "</title><script>alert(2)</script> & more";
    let response = organizer
        .post(
            &format!("{EVENT}/edit"),
            &[
                ("title", title),
                ("slug", "hackathon-3"),
                ("kind", "hackathon"),
                ("time_zone", "Europe/Berlin"),
                ("starts_at", "2027-03-10T09:00"),
                ("ends_at", "2027-03-11T17:00"),
                ("registration", "on"),
                ("capacity", "40"),
                ("waitlist", "on"),
                ("topics", "on"),
                ("published", "on"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303, "the event is saved");
    let mut pages = Vec::new();
    for path in [
        "/events/hackathon-3",
        "/events/hackathon-3/register",
        "/events/hackathon-3/topics",
    ] {
        pages.push((path.to_owned(), site.text(path).await));
    }
    for path in [
        EVENT.to_owned(),
        format!("{EVENT}/check-in"),
        format!("{EVENT}/topics"),
    ] {
        let page = organizer.get(&path).await;
        pages.push((path, page));
    }
    for (path, (status, html)) in pages {
        assert_eq!(status, 200, "{path}");
        assert!(
            !title_of(&html).contains('<'),
            "{path}: {}",
            title_of(&html)
        );
        assert!(!html.contains("<script>alert(2)"), "{path}");
    }
}

#[tokio::test]
async fn organizers_erase_a_person_with_a_confirm_step_and_downloads_are_logged() {
    let site = TestServer::demo();
    let (status, body) = site
        .post_json(
            "/api/v1/events/hackathon-3/registrations",
            &json!({ "name": "Eve Erasable", "email": "eve@example.org", "consent": true,
                     "organisation": "Erasure Inc" }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let eve = registrations(&site)
        .await
        .into_iter()
        .find(|r| r.name == "Eve Erasable")
        .expect("eve")
        .id;
    let organizer = Organizer::sign_in(&site, "ada@example.org").await;
    let person = |id: i64| format!("{EVENT}/registrations/{id}");
    let erase = format!("{}/erase", person(eve));

    // Without the tick nothing happens, and the form says why.
    let response = organizer.post(&erase, &[]).await;
    assert_eq!(response.status(), 422);
    let page = readable(&response.text().await.expect("body"));
    assert!(page.contains("Eve Erasable"), "{page}");
    assert!(
        registrations(&site)
            .await
            .iter()
            .any(|r| r.name == "Eve Erasable")
    );

    let response = organizer.post(&erase, &[("confirm", "on")]).await;
    assert_eq!(response.status(), 303);
    let (_, page) = organizer.get(&person(eve)).await;
    let page = readable(&page);
    assert!(page.contains("(erased)"), "{page}");
    assert!(page.contains("erased_by_organizer"), "{page}");
    for gone in ["Eve Erasable", "eve@example.org", "Erasure Inc"] {
        assert!(!page.contains(gone), "{gone} still shown");
    }
    let after = registrations(&site).await;
    let row = after.iter().find(|r| r.id == eve).expect("the row stays");
    assert_eq!(row.status, domain::RegistrationStatus::Cancelled);
    assert!(row.erased_at.is_some());
    let response = organizer.post(&erase, &[("confirm", "on")]).await;
    assert_eq!(response.status(), 409, "erased already");

    // The CSV has no trace of her, and downloading it is in the event's log.
    let csv = TestServer::client()
        .get(site.url(&format!("{EVENT}/registrations.csv")))
        .header("cookie", &organizer.cookie)
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("csv");
    assert!(!csv.contains("eve@example.org") && !csv.contains("erased.invalid"));
    let (_, audit) = organizer.get("/admin/audit").await;
    let organizers = readable(&audit);
    for logged in [
        "the registrations of Third Community Hackathon (CSV,",
        &format!("person #{eve} of Third Community Hackathon"),
    ] {
        assert!(organizers.contains(logged), "{logged}: {organizers}");
    }
    let (_, event_page) = organizer.get(EVENT).await;
    assert!(
        readable(&event_page).contains("days after the event"),
        "the page says when the data goes"
    );

    // Before the event is over, its data cannot be erased wholesale.
    let response = organizer
        .post(&format!("{EVENT}/erase"), &[("confirm", "on")])
        .await;
    assert_eq!(response.status(), 409);
}

#[tokio::test]
async fn answers_are_added_up_per_question_for_the_seated_and_everyone() {
    let site = TestServer::demo_without_registration_limits(&[]);
    // Capacity 40: the first 40 hold seats, the rest wait.
    let answers = |n: usize| match n % 4 {
        0 => json!({ "tshirt": "M", "diet": "vegan" }),
        1 => json!({ "tshirt": "L", "diet": " Vegan" }),
        2 => json!({ "tshirt": "M" }),
        _ => json!({ "diet": "vegetarian" }),
    };
    for n in 0..44 {
        let person = json!({
            "name": format!("Person {n}"),
            "email": format!("person{n}@example.org"),
            "consent": true,
            "answers": answers(n),
        });
        let (status, body) = site
            .post_json("/api/v1/events/hackathon-3/registrations", &person)
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let organizer = Organizer::sign_in(&site, "ada@example.org").await;
    let (_, page) = organizer.get(EVENT).await;
    let table = |id: &str| {
        let start = page
            .find(&format!("id=\"answers-{id}\""))
            .unwrap_or_else(|| panic!("the {id} totals: {page}"));
        let end = start + page[start..].find("</table>").expect("table end");
        // The cells' text, one space between them.
        let mut text = String::new();
        let mut in_tag = false;
        for c in readable(&page[start..end]).chars() {
            match c {
                '<' => {
                    in_tag = true;
                    text.push(' ');
                }
                '>' => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    // Counted from the registrations themselves: the page must say the same.
    let registrations = registrations(&site).await;
    let count = |key: &str, value: Option<&str>, seated_only: bool| {
        registrations
            .iter()
            .filter(|r| !seated_only || r.status.holds_seat())
            .filter(|r| {
                r.answers
                    .get(key)
                    .map(|a| a.trim().to_lowercase())
                    .filter(|a| !a.is_empty())
                    == value.map(str::to_owned)
            })
            .count()
    };
    let tshirt = table("tshirt");
    for (size, shown) in [("M", "M"), ("L", "L"), ("XS", "XS")] {
        let expected = format!(
            "{shown} {} {}",
            count("tshirt", Some(&size.to_lowercase()), true),
            count("tshirt", Some(&size.to_lowercase()), false)
        );
        assert!(tshirt.contains(&expected), "{expected} in {tshirt}");
    }
    assert!(tshirt.contains(&format!(
        "(no answer) {} {}",
        count("tshirt", None, true),
        count("tshirt", None, false)
    )));
    let diet = table("diet");
    let vegan = format!(
        "vegan {} {}",
        count("diet", Some("vegan"), true),
        count("diet", Some("vegan"), false)
    );
    assert!(diet.contains(&vegan), "{vegan} in {diet}");
    assert!(
        diet.find("vegan") < diet.find("vegetarian"),
        "most given first"
    );
    assert_eq!(
        (
            count("diet", Some("vegan"), true),
            count("diet", Some("vegan"), false)
        ),
        (20, 22)
    );
}

/// The path of a link in a mail (`/r/...`), as a browser opens it on the test site.
fn path_of(link: &str) -> String {
    link.split_once("/r/")
        .map(|(_, rest)| format!("/r/{rest}"))
        .expect("a secret link")
}

#[tokio::test]
async fn a_link_an_organizer_replaced_says_so_and_opens_nothing() {
    let smtp = SmtpServer::start().await;
    let site = TestServer::demo_with(&[("CONVENE_SMTP_URL", &smtp.url())]);
    assert_eq!(register(&site, 0, "Grace <b>Hopper</b>").await, 201);
    let first = smtp.wait_for(1, 20).await;
    let old = path_of(&first[0].manage_link().expect("a manage link"));
    let old_confirm = path_of(&first[0].confirm_link().expect("a confirm link"));
    let id = registrations(&site).await[0].id;

    let organizer = Organizer::sign_in(&site, "ada@example.org").await;
    let response = organizer
        .post(&format!("{EVENT}/registrations/{id}/resend"), &[])
        .await;
    assert_eq!(response.status(), 303);
    let mails = smtp.wait_for(2, 20).await;
    let new = path_of(&mails[1].manage_link().expect("the new link"));
    assert_ne!(old, new);

    // The old link says it was replaced, names the event (not the person) and how to get the
    // newest link; it answers 410 and opens nothing.
    let (status, page) = site.text(&old).await;
    assert_eq!(status, 410, "{page}");
    assert!(page.contains("This link was replaced"), "{page}");
    assert!(
        page.contains("Third Community Hackathon"),
        "the event: {page}"
    );
    assert!(page.contains("href=\"/events/hackathon-3\""), "{page}");
    assert!(
        !page.contains("Hopper") && !page.contains("person0@"),
        "{page}"
    );
    let (status, page) = site.text(&old_confirm).await;
    assert_eq!(status, 410, "the old confirm page too: {page}");
    let response = post(&site, &old_confirm, &[], None).await;
    assert_eq!(response.status(), 404, "the old link confirms nothing");
    assert_eq!(
        registrations(&site).await[0].status,
        domain::RegistrationStatus::PendingEmail
    );

    let (status, page) = site.text(&new).await;
    assert_eq!(status, 200);
    assert!(page.contains("Your registration"), "{page}");
    // A link that never was still gets the plain answer.
    let (status, page) = site.text("/r/never-issued-link-0000000000000").await;
    assert_eq!(status, 404);
    assert!(
        page.contains("This registration link is not valid"),
        "{page}"
    );
    assert!(!page.contains("This link was replaced"));
}

impl<'a> Organizer<'a> {
    /// Creates an organizer with `convene admin create --role ROLE` and signs in.
    async fn sign_in_as(site: &'a TestServer, email: &str, role: &str) -> Organizer<'a> {
        create_organizer(site, email, role);
        let cookie = try_sign_in(site, email, PASSWORD).await.expect("signs in");
        Organizer { site, cookie }
    }
}

/// `convene admin create --email EMAIL --role ROLE` with [`PASSWORD`].
fn create_organizer(site: &TestServer, email: &str, role: &str) {
    let output = run_convene(
        &["admin", "create", "--email", email, "--role", role],
        &[
            ("DATABASE_URL", &site.database_url()),
            ("CONVENE_ADMIN_PASSWORD", PASSWORD),
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The organizer pages each role may open (every other one is refused with 403).
fn pages_of(role: &str) -> Vec<&'static str> {
    let door = [
        "/admin",
        "/admin/account",
        "/admin/events/hackathon-3/check-in",
        "/admin/events/hackathon-3/scan",
        "/admin/tickets/0000000000",
        // The call page shows the sections an account is named for (none here).
        "/admin/events/scs-community-call/agenda/2023-10-19",
    ];
    let accounts = ["/admin/organizers", "/admin/audit", "/admin/webhooks"];
    match role {
        "door" => door.to_vec(),
        "event_manager" => ADMIN_PAGES
            .into_iter()
            .filter(|page| !accounts.contains(page))
            .collect(),
        _ => ADMIN_PAGES.to_vec(),
    }
}

/// The form posts and server functions each role may use.
fn actions_of(role: &str) -> Vec<&'static str> {
    let door = [
        "/admin/sign-out",
        "/admin/account/password",
        "/admin/events/hackathon-3/registrations/1/check-in",
        "/admin/api/load_organizer",
        "/admin/api/load_account",
        "/admin/api/load_admin_events",
        "/admin/api/load_check_in",
        "/admin/events/hackathon-3/scan",
        "/admin/api/load_scan",
        "/admin/api/load_admin_call",
    ];
    let accounts = [
        "/admin/organizers",
        "/admin/organizers/1/remove",
        "/admin/organizers/1/role",
        "/admin/api/load_organizers",
        "/admin/api/load_audit",
        "/admin/webhooks",
        "/admin/webhooks/1/resume",
        "/admin/webhooks/1/remove",
        "/admin/api/load_webhooks",
    ];
    match role {
        "door" => door.to_vec(),
        "event_manager" => ADMIN_ACTIONS
            .into_iter()
            .filter(|action| !accounts.contains(action))
            .collect(),
        _ => ADMIN_ACTIONS.to_vec(),
    }
}

#[tokio::test]
async fn each_role_is_refused_what_it_may_not_do_and_changes_nothing() {
    let site = TestServer::demo();
    for n in 0..3 {
        assert_eq!(register(&site, n, &format!("Person {n}")).await, 201);
    }
    let before = registrations(&site).await;
    for role in ["door", "event_manager", "admin"] {
        let organizer = Organizer::sign_in_as(&site, &format!("{role}@example.org"), role).await;
        let allowed = pages_of(role);
        for page in ADMIN_PAGES {
            let (status, body) = organizer.get(page).await;
            if allowed.contains(&page) {
                assert!(![401, 403].contains(&status), "{role} {page}: {status}");
            } else {
                assert_eq!(status, 403, "{role} {page}");
                assert!(
                    body.contains("does not include this page or action"),
                    "{role} {page}: the reason, on the list of events: {body}"
                );
            }
        }
        // Refused posts change nothing; allowed ones are tried only where they change nothing
        // (server functions that read).
        let allowed = actions_of(role);
        for action in ADMIN_ACTIONS {
            let reads = action.starts_with("/admin/api/");
            if allowed.contains(&action) && !reads {
                continue;
            }
            let response = organizer
                .post(action, &[("capacity", "0"), ("role", "admin")])
                .await;
            let status = response.status().as_u16();
            if allowed.contains(&action) {
                assert!(![401, 403].contains(&status), "{role} {action}: {status}");
            } else {
                assert_eq!(status, 403, "{role} {action}");
            }
        }
        assert_eq!(registrations(&site).await, before, "{role} changed nothing");
        assert_eq!(
            organizer.get("/admin").await.0,
            200,
            "{role} still signed in"
        );
    }
    let store = store::Store::connect(&site.database_url())
        .await
        .expect("db");
    let roles: Vec<(String, domain::admin::Role)> = store
        .organizers()
        .await
        .expect("organizers")
        .into_iter()
        .map(|o| (o.email, o.role))
        .collect();
    store.close().await;
    use domain::admin::Role;
    for (email, role) in [
        ("door@example.org", Role::Door),
        ("event_manager@example.org", Role::EventManager),
    ] {
        assert!(
            roles.contains(&(email.to_owned(), role)),
            "nobody raised their own role: {roles:?}"
        );
    }
}

#[tokio::test]
async fn the_door_checks_people_in_without_seeing_addresses_and_admins_steer_roles() {
    let site = TestServer::demo();
    for n in 0..3 {
        assert_eq!(register(&site, n, &format!("Person {n}")).await, 201);
    }
    let ada = Organizer::sign_in(&site, "ada@example.org").await;
    // An admin adds a door account; a role that is none is refused next to the field.
    let refused = ada
        .post(
            "/admin/organizers",
            &[
                ("email", "dora@example.org"),
                ("password", PASSWORD),
                ("role", "superuser"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let page = readable(&refused.text().await.expect("body"));
    let at = page
        .find("id=\"field-role-error\"")
        .expect("next to the role");
    assert!(page[at..].contains("Choose one of the options."));
    let added = ada
        .post(
            "/admin/organizers",
            &[
                ("email", "dora@example.org"),
                ("password", PASSWORD),
                ("role", "door"),
            ],
        )
        .await;
    assert_eq!(added.status(), 303);
    let dora = Organizer {
        site: &site,
        cookie: try_sign_in(&site, "dora@example.org", PASSWORD)
            .await
            .expect("dora signs in"),
    };

    // The door sees the events with their door lists, and no way to manage them.
    let (status, home) = dora.get("/admin").await;
    assert_eq!(status, 200);
    assert!(
        home.contains("/admin/events/hackathon-3/check-in"),
        "{home}"
    );
    assert!(!home.contains("/admin/events/new") && !home.contains("/admin/mail\""));
    assert!(
        home.contains("Signed in as dora@example.org (Door)"),
        "{home}"
    );
    let (status, door) = dora.get("/admin/events/hackathon-3/check-in").await;
    assert_eq!(status, 200);
    assert!(door.contains("Person 1"), "{door}");
    for n in 0..3 {
        assert!(
            !door.contains(&format!("person{n}@example.org")),
            "no addresses on the door list, not even in the page's data: {door}"
        );
    }
    let (_, searched) = dora
        .get("/admin/events/hackathon-3/check-in?q=person1%40example.org")
        .await;
    assert!(!searched.contains("Person 1"), "no search by address");
    let person = registrations(&site)
        .await
        .into_iter()
        .find(|r| r.name == "Person 1")
        .expect("person 1");
    let checked_in = dora
        .post(
            &format!("{EVENT}/registrations/{}/check-in", person.id),
            &[("arrived", "true"), ("back", "check-in")],
        )
        .await;
    assert_eq!(checked_in.status(), 303);
    let after = registrations(&site).await;
    let person = after.iter().find(|r| r.id == person.id).expect("person");
    assert!(person.checked_in_at.is_some());
    let (status, _) = dora.get(EVENT).await;
    assert_eq!(status, 403, "not the event's page with addresses");
    let csv = TestServer::client()
        .get(site.url(&format!("{EVENT}/registrations.csv")))
        .header("cookie", &dora.cookie)
        .send()
        .await
        .expect("GET");
    assert_eq!(csv.status(), 403, "no export");

    // An admin raises her role; it applies from her next request, session and all.
    let dora_id = organizer_id(&site, "dora@example.org").await;
    let ada_id = organizer_id(&site, "ada@example.org").await;
    let response = ada
        .post(
            &format!("/admin/organizers/{dora_id}/role"),
            &[("role", "event_manager")],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        "/admin/organizers?notice=role_changed"
    );
    assert_eq!(dora.get(EVENT).await.0, 200);
    assert_eq!(dora.get("/admin/organizers").await.0, 403, "still no admin");
    // Nobody changes their own role, so an admin always remains.
    let own = ada
        .post(
            &format!("/admin/organizers/{ada_id}/role"),
            &[("role", "door")],
        )
        .await;
    assert_eq!(own.status(), 409);
    let wrong = ada
        .post(
            &format!("/admin/organizers/{dora_id}/role"),
            &[("role", "")],
        )
        .await;
    assert_eq!(wrong.status(), 422);
    let nobody = ada
        .post("/admin/organizers/999999/role", &[("role", "door")])
        .await;
    assert_eq!(nobody.status(), 404);

    // Dora signs out; the audit page tells all of it, in both languages.
    let signed_out = dora.post("/admin/sign-out", &[]).await;
    assert_eq!(signed_out.status(), 303);
    let (status, audit) = ada.get("/admin/audit").await;
    assert_eq!(status, 200);
    for line in [
        "ada@example.org signed in",
        "dora@example.org added, as Door",
        "dora@example.org signed in",
        "role of dora@example.org changed from Door to Event manager",
        "dora@example.org signed out",
    ] {
        assert!(audit.contains(line), "{line}: {audit}");
    }
    let (_, audit) = ada.get_in("de", "/admin/audit").await;
    assert!(
        audit.contains("Rolle von dora@example.org von Einlass zu Veranstaltungsleitung geändert"),
        "{audit}"
    );
    // The command line refuses a role that is none, and creates nobody.
    let output = run_convene(
        &[
            "admin",
            "create",
            "--email",
            "eve@example.org",
            "--role",
            "root",
        ],
        &[
            ("DATABASE_URL", &site.database_url()),
            ("CONVENE_ADMIN_PASSWORD", PASSWORD),
        ],
    );
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("role"));
}

/// The `invite.ics` attached to a mail, decoded.
fn attached_calendar(mail: &common::smtp::ReceivedMail) -> String {
    use mail_parser::MimeHeaders;
    let parsed = mail.parsed();
    parsed
        .attachments()
        .find(|part| part.attachment_name() == Some("invite.ics"))
        .map(|part| String::from_utf8_lossy(part.contents()).into_owned())
        .expect("an invite.ics")
}

/// The calendar entry attached to a mail, read with an independent iCalendar parser: its UID
/// and SEQUENCE.
fn attached_entry(mail: &common::smtp::ReceivedMail) -> (String, u32) {
    let calendar: icalendar::Calendar = attached_calendar(mail).parse().expect("valid iCalendar");
    use icalendar::Component;
    let entry = calendar
        .iter()
        .find_map(|c| c.as_event())
        .expect("one VEVENT");
    let sequence = entry
        .property_value("SEQUENCE")
        .and_then(|s| s.parse().ok())
        .expect("a SEQUENCE");
    (entry.get_uid().expect("a UID").to_owned(), sequence)
}

#[tokio::test]
async fn a_moved_event_mails_everyone_concerned_once_with_the_net_change() {
    let smtp = SmtpServer::start().await;
    let site = TestServer::demo_with(&[
        ("CONVENE_SMTP_URL", &smtp.url()),
        ("CONVENE_CHANGE_MAIL_DELAY_SECONDS", "3"),
    ]);
    let organizer = Organizer::sign_in(&site, "ada@example.org").await;
    let fields = |extra: &[(&'static str, &'static str)]| {
        let mut fields: Vec<(&str, &str)> = vec![
            ("title", "Room Hackathon"),
            ("slug", "room-hack"),
            ("kind", "hackathon"),
            ("summary", "One room"),
            ("time_zone", "Europe/Berlin"),
            ("starts_at", "2027-03-10T09:00"),
            ("ends_at", "2027-03-10T17:00"),
            ("venue", "Room A"),
            ("registration", "on"),
            ("capacity", "1"),
            ("waitlist", "on"),
            ("published", "on"),
        ];
        for (name, value) in extra {
            fields.retain(|(n, _)| n != name);
            fields.push((name, value));
        }
        fields
    };
    let created = organizer.post("/admin/events", &fields(&[])).await;
    assert_eq!(created.status(), 303);
    // One seat, confirmed; one person waiting.
    for (n, name) in [(1, "Seated Sam"), (2, "Waiting Wu")] {
        let person =
            json!({ "name": name, "email": format!("person{n}@example.org"), "consent": true });
        let (status, _) = site
            .post_json("/api/v1/events/room-hack/registrations", &person)
            .await;
        assert_eq!(status, 201);
    }
    let mails = smtp.wait_for(2, 20).await;
    let confirm = mails
        .iter()
        .find_map(|m| m.confirm_link())
        .expect("a confirmation link");
    let posted = site
        .post_form(confirm.trim_start_matches(&site.base_url), &[])
        .await;
    assert_eq!(posted.status().as_u16(), 303);
    let mails = smtp.wait_for(3, 20).await;
    let (uid, sequence) = attached_entry(&mails[2]);

    // Two saves in a moment: an hour later and another room, then the room back. The edit of
    // the description alone would mail nobody.
    for extra in [
        [("starts_at", "2027-03-10T10:00"), ("venue", "Room B")],
        [("starts_at", "2027-03-10T10:00"), ("venue", "Room A")],
    ] {
        let saved = organizer
            .post("/admin/events/room-hack/edit", &fields(&extra))
            .await;
        assert_eq!(saved.status(), 303);
    }
    let mails = smtp.wait_for(5, 20).await;
    tokio::time::sleep(std::time::Duration::from_secs(5)).await;
    assert_eq!(smtp.count(), 5, "one mail each, not one per save");
    let changed: Vec<_> = mails[3..].to_vec();
    for mail in &changed {
        assert_eq!(mail.subject(), "Changed: Room Hackathon");
        let text = mail.text();
        assert!(
            text.contains("When: now ") && text.contains("10:00"),
            "{text}"
        );
        assert!(text.contains("(was ") && text.contains("09:00"), "{text}");
        assert!(!text.contains("Where:"), "the room came back: {text}");
    }
    let to = |mail: &common::smtp::ReceivedMail, who: &str| {
        mail.recipients.iter().any(|r| r.contains(who))
    };
    let seated = changed
        .iter()
        .find(|m| to(m, "person1@example.org"))
        .expect("the seated person");
    let (uid_after, sequence_after) = attached_entry(seated);
    assert_eq!(uid_after, uid, "the same calendar entry");
    assert!(sequence_after > sequence, "{sequence} -> {sequence_after}");
    let waiting = changed
        .iter()
        .find(|m| to(m, "person2@example.org"))
        .expect("the person waiting hears of a new time");
    assert!(!waiting.has_calendar_attachment(), "no seat, no invitation");

    // A new room alone reaches only the seated person.
    let saved = organizer
        .post(
            "/admin/events/room-hack/edit",
            &fields(&[("starts_at", "2027-03-10T10:00"), ("venue", "Room C")]),
        )
        .await;
    assert_eq!(saved.status(), 303);
    let mails = smtp.wait_for(6, 20).await;
    tokio::time::sleep(std::time::Duration::from_secs(5)).await;
    assert_eq!(smtp.count(), 6);
    let room = &mails[5];
    assert!(to(room, "person1@example.org"));
    let text = room.text();
    assert!(
        text.contains("Where: now Room C (was Room A)") && !text.contains("When:"),
        "{text}"
    );
}

#[tokio::test]
async fn an_online_link_for_registrants_reaches_them_and_nobody_else() {
    let smtp = SmtpServer::start().await;
    let site = TestServer::demo_with(&[("CONVENE_SMTP_URL", &smtp.url())]);
    let organizer = Organizer::sign_in(&site, "ada@example.org").await;
    const LINK: &str = "https://meet.example.org/secret-room";
    let fields = |access: &'static str| {
        vec![
            ("title", "Closed Workshop"),
            ("slug", "closed-workshop"),
            ("kind", "meeting"),
            ("summary", "Online only"),
            ("time_zone", "Europe/Berlin"),
            ("starts_at", "2027-03-10T09:00"),
            ("ends_at", "2027-03-10T12:00"),
            ("venue", "Room A"),
            ("online_url", LINK),
            ("online_access", access),
            ("registration", "on"),
            ("capacity", "1"),
            ("waitlist", "on"),
            ("published", "on"),
        ]
    };
    // A choice that is none is refused next to the field.
    let refused = organizer.post("/admin/events", &fields("friends")).await;
    assert_eq!(refused.status(), 422);
    let page = readable(&refused.text().await.expect("body"));
    assert!(page.contains("id=\"field-online_access-error\""), "{page}");
    let created = organizer.post("/admin/events", &fields("seated")).await;
    assert_eq!(created.status(), 303);

    // Public: the page, both feeds, the API.
    for path in [
        "/events/closed-workshop",
        "/events/closed-workshop/event.ics",
        "/calendar.ics",
        "/api/v1/events",
        "/api/v1/events/closed-workshop",
    ] {
        let (status, body) = site.text(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(body.contains("Closed Workshop"), "{path} lists the event");
        assert!(!body.contains("secret-room"), "{path} leaves the link out");
    }

    // Registered: one seat (its mails and page carry the link), one waiting (theirs do not).
    for (n, name) in [(1, "Seated Sam"), (2, "Waiting Wu")] {
        let person =
            json!({ "name": name, "email": format!("person{n}@example.org"), "consent": true });
        let (status, _) = site
            .post_json("/api/v1/events/closed-workshop/registrations", &person)
            .await;
        assert_eq!(status, 201);
    }
    let mails = smtp.wait_for(2, 20).await;
    let to = |who: &str| {
        mails
            .iter()
            .find(|m| m.recipients.iter().any(|r| r.contains(who)))
            .cloned()
            .expect("a mail")
    };
    let seated = to("person1@example.org");
    assert!(seated.text().contains(LINK), "{}", seated.text());
    assert!(seated.html().contains(LINK));
    let waiting = to("person2@example.org");
    assert!(
        !waiting.text().contains("secret-room"),
        "{}",
        waiting.text()
    );
    let manage = |mail: &common::smtp::ReceivedMail| {
        mail.manage_link()
            .expect("a manage link")
            .trim_start_matches(&site.base_url)
            .to_owned()
    };
    let (_, page) = site.text(&manage(&seated)).await;
    assert!(page.contains(LINK), "the registration's page shows it");
    let (_, page) = site.text(&manage(&waiting)).await;
    assert!(!page.contains("secret-room"), "not to the waitlist");

    // The confirmed seat's calendar entry carries it.
    let confirm = seated.confirm_link().expect("a confirmation link");
    let posted = site
        .post_form(confirm.trim_start_matches(&site.base_url), &[])
        .await;
    assert_eq!(posted.status().as_u16(), 303);
    let mails = smtp.wait_for(3, 20).await;
    let confirmed = &mails[2];
    assert!(confirmed.text().contains(LINK), "{}", confirmed.text());
    let ics = attached_calendar(confirmed).replace("\r\n ", "");
    assert!(ics.contains("secret-room"), "in the calendar entry: {ics}");

    // Opened to the waitlist too, the waiting person's page shows it; the public still not.
    let saved = organizer
        .post(
            "/admin/events/closed-workshop/edit",
            &fields("seated_and_waiting"),
        )
        .await;
    assert_eq!(saved.status(), 303);
    let (_, page) = site.text(&manage(&waiting)).await;
    assert!(page.contains(LINK), "the waitlist sees it now");
    let (_, public) = site.text("/events/closed-workshop").await;
    assert!(!public.contains("secret-room"));
}

/// The error message shown next to the field `name` of a page, or `None`.
fn message_of(page: &str, name: &str) -> Option<String> {
    let id = format!("id=\"field-{}-error\"", name.replace('.', "-"));
    let at = page.find(&id)?;
    let rest = &page[at..];
    let end = rest.find("</p>")?;
    Some(rest[..end].to_owned())
}

#[tokio::test]
async fn organizers_define_questions_people_answer_them_in_both_languages_and_answers_stay() {
    let site = TestServer::demo();
    let organizer = Organizer::sign_in(&site, "ada@example.org").await;
    let event = |rows: &[[(&'static str, &'static str); 6]]| {
        let mut fields: Vec<(String, String)> = [
            ("title", "Fourth Community Hackathon"),
            ("slug", "hackathon-4"),
            ("kind", "hackathon"),
            ("time_zone", "Europe/Berlin"),
            ("starts_at", "2027-03-10T09:00"),
            ("ends_at", "2027-03-11T17:00"),
            ("registration", "on"),
            ("capacity", "25"),
            ("waitlist", "on"),
            ("published", "on"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .to_vec();
        fields.push(("question_rows".to_owned(), (rows.len() + 1).to_string()));
        for (row, parts) in rows.iter().enumerate() {
            for (part, value) in parts.iter().filter(|(part, _)| !part.is_empty()) {
                fields.push((format!("question.{row}.{part}"), (*value).to_owned()));
            }
        }
        fields
    };
    let shirt = [
        ("label", "T-shirt size"),
        ("label_de", "T-Shirt-Größe"),
        ("kind", "radios"),
        ("options", "S\nM\nL"),
        ("required", "on"),
        ("hint", "Unisex cut"),
    ];
    let days = [
        ("label", "Which days will you join?"),
        ("label_de", "An welchen Tagen sind Sie dabei?"),
        ("kind", "checkboxes"),
        ("options", "Day 1\r\nDay 2"),
        ("key", "days"),
        ("", ""),
    ];
    let create = |fields: Vec<(String, String)>| {
        let organizer = &organizer;
        async move {
            let pairs: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            organizer.post("/admin/events", &pairs).await
        }
    };

    // A choice question with one choice: refused next to its field, nothing created.
    let mut one_choice = shirt;
    one_choice[3] = ("options", "S");
    let response = create(event(&[one_choice, days])).await;
    assert_eq!(response.status(), 422);
    let page = readable(&response.text().await.expect("body"));
    let message = message_of(&page, "question.0.options").expect("a message at the choices");
    assert!(
        message.contains("List at least two choices, one per line."),
        "{message}"
    );
    assert!(page.contains("Question 1, Choices (for a choice question): List at least two"));
    assert!(
        page.contains("value=\"Which days will you join?\""),
        "what was sent stays"
    );
    assert_eq!(site.get("/events/hackathon-4").await.status(), 404);

    let response = create(event(&[shirt, days])).await;
    assert_eq!(response.status(), 303);
    // The editor opens with both, their keys fixed, and an empty row for another.
    let (_, form) = organizer.get("/admin/events/hackathon-4/edit").await;
    assert!(
        form.contains("name=\"question_rows\" value=\"3\""),
        "{form}"
    );
    assert!(
        form.contains("value=\"t_shirt_size\" readonly")
            || form.contains("readonly value=\"t_shirt_size\"")
    );
    assert!(form.contains("New question"));

    // People read the questions in their language, each asked as its kind.
    let register_page = |language: &'static str| {
        let site = &site;
        async move {
            let response = TestServer::client()
                .get(site.url("/events/hackathon-4/register"))
                .header("accept-language", language)
                .send()
                .await
                .expect("GET");
            readable(&response.text().await.expect("body"))
        }
    };
    let english = register_page("en").await;
    assert!(
        english.contains("<legend>T-shirt size</legend>"),
        "{english}"
    );
    assert!(english.contains("type=\"radio\" value=\"M\""));
    assert!(english.contains("<legend>Which days will you join? (optional)</legend>"));
    assert!(english.contains("name=\"answers.days\" type=\"checkbox\" value=\"Day 2\""));
    let german = register_page("de").await;
    assert!(
        german.contains("<legend>T-Shirt-Größe</legend>"),
        "{german}"
    );
    assert!(german.contains("An welchen Tagen sind Sie dabei? (optional)"));
    assert!(
        german.contains("Unisex cut"),
        "a hint without translation: in English"
    );

    // The form's post: two ticked days, one size; a size not offered is refused by its field.
    let person = |email: &'static str, size: &'static str| {
        vec![
            ("name", "Zoë"),
            ("email", email),
            ("consent", "on"),
            ("locale", "de"),
            ("answers.t_shirt_size", size),
            ("answers.days", "Day 2"),
            ("answers.days", "Day 1"),
        ]
    };
    let response = post(
        &site,
        "/events/hackathon-4/register",
        &person("zoe@example.org", "XXL"),
        None,
    )
    .await;
    assert_eq!(response.status(), 422);
    let page = readable(&response.text().await.expect("body"));
    let message = message_of(&page, "answers.t_shirt_size").expect("a message at the size");
    assert!(
        message.contains("Wählen Sie eine der Möglichkeiten."),
        "in the language the form was sent in: {message}"
    );
    assert!(
        page.contains("value=\"Day 1\" checked"),
        "ticked days stay ticked: {page}"
    );
    let response = post(
        &site,
        "/events/hackathon-4/register",
        &person("zoe@example.org", "M"),
        None,
    )
    .await;
    assert_eq!(response.status(), 303);
    // The API takes a list for several choices.
    let (status, body) = site
        .post_json(
            "/api/v1/events/hackathon-4/registrations",
            &json!({ "name": "Bob", "email": "bob@example.org", "consent": true,
                     "answers": { "t_shirt_size": "L", "days": ["Day 1"] } }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = site
        .post_json(
            "/api/v1/events/hackathon-4/registrations",
            &json!({ "name": "Eve", "email": "eve@example.org", "consent": true,
                     "answers": { "days": ["Day 3"] } }),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body["fields"]["answers.t_shirt_size"].is_string(), "{body}");
    assert!(body["fields"]["answers.days"].is_string(), "{body}");
    let api: serde_json::Value = site
        .get("/api/v1/events/hackathon-4")
        .await
        .json()
        .await
        .expect("JSON");
    let asked = &api["registration"]["questions"];
    assert_eq!(asked[0]["key"], "t_shirt_size");
    assert_eq!(asked[0]["kind"], "radios");
    assert_eq!(asked[0]["label_de"], "T-Shirt-Größe");
    assert_eq!(asked[1]["options"], json!(["Day 1", "Day 2"]));

    // The days question goes; its answers stay in the export and on the person's page.
    let mut edit = event(&[shirt, days]);
    edit.push(("question.0.saved".to_owned(), "on".to_owned()));
    edit.push(("question.0.key".to_owned(), "t_shirt_size".to_owned()));
    edit.push(("question.1.remove".to_owned(), "on".to_owned()));
    let pairs: Vec<(&str, &str)> = edit.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let response = organizer
        .post("/admin/events/hackathon-4/edit", &pairs)
        .await;
    assert_eq!(response.status(), 303);
    let english = register_page("en").await;
    assert!(!english.contains("answers.days"), "no longer asked");
    // Bob corrects his size; his answer to the removed question stays.
    let link = common::manage_link_to(&site, "bob@example.org");
    let manage = link
        .split_once("/r/")
        .map(|(_, token)| format!("/r/{token}"))
        .expect("a link");
    let (_, correction) = site.text(&format!("{manage}/edit")).await;
    assert!(
        !correction.contains("answers.days"),
        "the form asks what the event asks"
    );
    let response = post(
        &site,
        &format!("{manage}/edit"),
        &[
            ("name", "Bob"),
            ("email", "bob@example.org"),
            ("answers.t_shirt_size", "S"),
        ],
        None,
    )
    .await;
    assert_eq!(response.status(), 303);
    let csv = organizer
        .get("/admin/events/hackathon-4/registrations.csv")
        .await
        .1;
    let csv = csv.trim_start_matches('\u{feff}');
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name} in {header:?}"))
    };
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a record")).collect();
    let zoe = rows
        .iter()
        .find(|r| &r[column("name")] == "Zoë")
        .expect("Zoë");
    assert_eq!(&zoe[column("t_shirt_size")], "M");
    assert_eq!(
        &zoe[column("days")],
        "Day 1\nDay 2",
        "in the options' order"
    );
    let bob = rows
        .iter()
        .find(|r| &r[column("name")] == "Bob")
        .expect("Bob");
    assert_eq!(&bob[column("days")], "Day 1");
    let zoe_id = &zoe[column("id")];
    let (_, person) = organizer
        .get(&format!("/admin/events/hackathon-4/registrations/{zoe_id}"))
        .await;
    assert!(
        person.contains("<dt>T-shirt size</dt> <dd>M</dd>")
            || person.contains("<dt>T-shirt size</dt><dd>M</dd>"),
        "{person}"
    );
    assert!(
        person.contains("<dt>days</dt>"),
        "a removed question by its key: {person}"
    );
}

/// What the QR code attached to a mail as `cid:ticket` holds, read from its pixels as a
/// phone's camera would.
fn ticket_in(mail: &common::smtp::ReceivedMail) -> String {
    use mail_parser::MimeHeaders;
    let parsed = mail.parsed();
    let image = parsed
        .parts
        .iter()
        .find(|part| part.content_id() == Some("ticket"))
        .expect("an image with the content id `ticket`");
    assert_eq!(
        image.content_type().map(|t| (t.ctype(), t.subtype())),
        Some(("image", Some("png")))
    );
    let mut reader = png::Decoder::new(std::io::Cursor::new(image.contents().to_vec()))
        .read_info()
        .expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size().expect("a size")];
    let frame = reader.next_frame(&mut pixels).expect("one frame");
    assert_eq!(frame.color_type, png::ColorType::Grayscale);
    let (width, height) = (frame.width as usize, frame.height as usize);
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| pixels[y * width + x]);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code");
    let (_, content) = grids[0].decode().expect("a readable QR code");
    content
}

#[tokio::test]
async fn a_ticket_from_the_confirmation_mail_checks_its_holder_in_at_the_door_once() {
    let smtp = SmtpServer::start().await;
    let site = TestServer::demo_with(&[("CONVENE_SMTP_URL", &smtp.url())]);
    assert_eq!(register(&site, 1, "Ada Ticket").await, 201);
    let asked = smtp.wait_for(1, 20).await;
    assert!(
        !asked[0].raw.contains("cid:ticket"),
        "no ticket before the seat is confirmed"
    );
    let confirm = path_of(&asked[0].confirm_link().expect("a confirm link"));
    assert_eq!(post(&site, &confirm, &[], None).await.status(), 303);
    let mails = smtp.wait_for(2, 20).await;
    let confirmed = &mails[1];
    assert!(
        confirmed.subject().starts_with("You are confirmed"),
        "{}",
        confirmed.subject()
    );

    // The ticket: a QR code holding the ticket's address, with its code written out; it is not
    // the manage link, and the manage link's secret is not in it.
    let ada = registrations(&site)
        .await
        .into_iter()
        .find(|r| r.name == "Ada Ticket")
        .expect("Ada");
    let url = ticket_in(confirmed);
    assert_eq!(
        url,
        site.url(&format!("/admin/tickets/{}", ada.ticket_code))
    );
    let grouped = format!("{}-{}", &ada.ticket_code[..5], &ada.ticket_code[5..]);
    assert!(confirmed.text().contains(&grouped), "{}", confirmed.text());
    let manage = path_of(&confirmed.manage_link().expect("a manage link"));
    let secret = manage.trim_start_matches("/r/");
    assert!(!url.contains(secret) && !secret.contains(&ada.ticket_code));
    // The holder's page shows the same ticket.
    let (status, page) = site.text(&manage).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Your ticket") && page.contains(&grouped),
        "{page}"
    );
    assert!(page.contains("<svg"), "the QR code is drawn in the page");

    // Nobody signed in is sent to sign in first, then back to the ticket.
    let ticket_path = format!("/admin/tickets/{}", ada.ticket_code);
    let response = site.get(&ticket_path).await;
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().expect("location");
    assert!(
        location.starts_with("/admin/sign-in?next=") && location.ends_with(&ada.ticket_code),
        "{location}"
    );

    // The door opens the ticket's address (a phone's camera app would): the scan page shows
    // whose it is, and checks in nobody until told to.
    let door = Organizer::sign_in_as(&site, "door@example.org", "door").await;
    let response = TestServer::client()
        .get(site.url(&ticket_path))
        .header("cookie", &door.cookie)
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), 303);
    let scan_page = format!("{EVENT}/scan?code={}", ada.ticket_code);
    assert_eq!(response.headers()["location"], scan_page.as_str());
    let (status, page) = door.get(&scan_page).await;
    assert_eq!(status, 200);
    assert!(page.contains("Holds a seat, not checked in yet"), "{page}");
    assert!(page.contains("Ada Ticket"));
    assert!(
        !page.contains("person1@example.org"),
        "no address at the door"
    );
    assert!(
        registrations(&site)
            .await
            .iter()
            .all(|r| r.checked_in_at.is_none())
    );

    // Scanned (the camera sends the whole address): checked in, once.
    let scanned = door.post(&format!("{EVENT}/scan"), &[("code", &url)]).await;
    assert_eq!(scanned.status(), 303);
    let shown = scanned.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    assert_eq!(shown, format!("{scan_page}&notice=ticket_checked_in"));
    let (_, page) = door.get(&shown).await;
    assert!(page.contains(">Checked in<"), "{page}");
    assert!(
        page.contains("Ada Ticket") && page.contains("1 of 1 arrived"),
        "{page}"
    );
    let arrived_at = registrations(&site)
        .await
        .into_iter()
        .find(|r| r.id == ada.id)
        .and_then(|r| r.checked_in_at)
        .expect("checked in");
    // Again, typed as people type it: harmless, and says since when.
    let typed = grouped.to_lowercase();
    let again = door
        .post(&format!("{EVENT}/scan"), &[("code", &typed)])
        .await;
    assert_eq!(again.headers()["location"], scan_page.as_str());
    let (_, page) = door.get(&scan_page).await;
    let clock = arrived_at
        .with_timezone(&chrono_tz::Europe::Berlin)
        .format("%H:%M")
        .to_string();
    assert!(
        page.contains(&format!("Already checked in at {clock}")),
        "{page}"
    );
    let after = registrations(&site).await;
    assert_eq!(
        after
            .iter()
            .find(|r| r.id == ada.id)
            .and_then(|r| r.checked_in_at),
        Some(arrived_at),
        "the second scan changed nothing"
    );
    let store = store::Store::connect(&site.database_url())
        .await
        .expect("db");
    let log = store.registration_log(ada.id).await.expect("log");
    store.close().await;
    assert_eq!(
        log.iter()
            .filter(|line| line.action == domain::audit::AuditAction::CheckedIn.as_str())
            .count(),
        1,
        "{log:?}"
    );

    // Someone waiting gets no seat at the door.
    let ada_admin = Organizer::sign_in(&site, "ada@example.org").await;
    let lowered = ada_admin
        .post(&format!("{EVENT}/capacity"), &[("capacity", "1")])
        .await;
    assert_eq!(lowered.status(), 303);
    assert_eq!(register(&site, 2, "Bob Waiting").await, 201);
    let bob = registrations(&site)
        .await
        .into_iter()
        .find(|r| r.name == "Bob Waiting")
        .expect("Bob");
    assert_eq!(bob.status, domain::RegistrationStatus::Waitlisted);
    let response = door
        .post(&format!("{EVENT}/scan"), &[("code", &bob.ticket_code)])
        .await;
    let (_, page) = door
        .get(response.headers()["location"].to_str().expect("location"))
        .await;
    assert!(
        page.contains("On the waitlist: no seat") && page.contains("Bob Waiting"),
        "{page}"
    );

    // A ticket of another event, and a code nobody has.
    let created = ada_admin
        .post(
            "/admin/events",
            &[
                ("title", "Second Room"),
                ("slug", "second-room"),
                ("kind", "meeting"),
                ("summary", "Another room"),
                ("time_zone", "Europe/Berlin"),
                ("starts_at", "2031-03-10T09:00"),
                ("ends_at", "2031-03-10T12:00"),
                ("registration", "on"),
                ("capacity", "5"),
                ("published", "on"),
            ],
        )
        .await;
    assert_eq!(created.status(), 303);
    for (path, code, says) in [
        (
            "/admin/events/second-room/scan",
            ada.ticket_code.as_str(),
            "Not a ticket for this event",
        ),
        (
            &format!("{EVENT}/scan"),
            "0000000000",
            "No ticket has this code",
        ),
    ] {
        let response = door.post(path, &[("code", code)]).await;
        assert_eq!(response.status(), 303, "{path} {code}");
        let (_, page) = door
            .get(response.headers()["location"].to_str().expect("location"))
            .await;
        assert!(page.contains(says), "{says}: {page}");
        assert!(!page.contains("Ada Ticket"), "nobody named: {page}");
    }
    // What is no code at all is refused next to the field, in the reader's language.
    for (code, message) in [
        ("hello", "ten letters and digits, like K7QX3-MPD9R"),
        ("", "This field is required."),
    ] {
        let refused = door.post(&format!("{EVENT}/scan"), &[("code", code)]).await;
        assert_eq!(refused.status(), 422, "{code:?}");
        let page = readable(&refused.text().await.expect("body"));
        let at = page
            .find("id=\"field-code-error\"")
            .expect("next to the field");
        assert!(page[at..].contains(message), "{message}: {page}");
    }
    let (_, german) = door.get_in("de", &format!("{EVENT}/scan")).await;
    assert!(german.contains("Tickets scannen"), "{german}");
    assert_eq!(door.get("/admin/tickets/0000000000").await.0, 404);
}

/// The registrations of the event at `slug`, by name.
async fn registrations_of(site: &TestServer, slug: &str) -> Vec<store::Registration> {
    let store = store::Store::connect(&site.database_url())
        .await
        .expect("db");
    let slug = domain::EventSlug::parse(slug).expect("slug");
    let id = store.event_id(&slug).await.expect("query").expect("event");
    let all = store.registrations_of(id).await.expect("registrations");
    store.close().await;
    all
}

#[tokio::test]
async fn a_freed_seat_is_offered_lapses_to_the_next_person_and_the_waitlist_closes() {
    use domain::RegistrationStatus::*;
    let smtp = SmtpServer::start().await;
    let site = TestServer::demo_with(&[
        ("CONVENE_SMTP_URL", &smtp.url()),
        ("CONVENE_HOUSEKEEPING_SECONDS", "1"),
    ]);
    let organizer = Organizer::sign_in(&site, "ada@example.org").await;
    let event = |offer_hours: &'static str, last_promotion: &'static str| {
        vec![
            ("title", "Small Room"),
            ("slug", "small-room"),
            ("kind", "meeting"),
            ("summary", "One seat"),
            ("time_zone", "Europe/Berlin"),
            ("starts_at", "2031-05-10T09:00"),
            ("ends_at", "2031-05-10T12:00"),
            ("registration", "on"),
            ("capacity", "1"),
            ("waitlist", "on"),
            ("offers", "on"),
            ("offer_hours", offer_hours),
            ("last_promotion_at", last_promotion),
            ("published", "on"),
        ]
    };
    // Hours that are none are refused next to their field, and nothing is saved.
    let refused = organizer.post("/admin/events", &event("0", "")).await;
    assert_eq!(refused.status(), 422);
    let page = readable(&refused.text().await.expect("body"));
    let at = page
        .find("id=\"field-offer_hours-error\"")
        .expect("next to the hours");
    assert!(page[at..].contains("Enter at least 1."), "{page}");
    assert_eq!(site.text("/events/small-room").await.0, 404);
    let created = organizer.post("/admin/events", &event("2", "")).await;
    assert_eq!(created.status(), 303);
    let (_, form) = organizer.get("/admin/events/small-room/edit").await;
    assert!(
        form.contains("name=\"offer_hours\" type=\"number\""),
        "{form}"
    );

    // One seat, two people waiting; the seated person confirms, then cancels.
    let register = |n: u32| {
        let site = &site;
        async move {
            let person = json!({
                "name": format!("Guest {n}"),
                "email": format!("guest{n}@example.org"),
                "consent": true
            });
            site.post_json("/api/v1/events/small-room/registrations", &person)
                .await
                .0
        }
    };
    for n in 1..=3 {
        assert_eq!(register(n).await, 201);
    }
    let asked = smtp
        .mail_to("guest1@example.org", "Confirm your seat", 20)
        .await;
    let confirm = path_of(&asked.confirm_link().expect("a confirm link"));
    assert_eq!(post(&site, &confirm, &[], None).await.status(), 303);
    let cancel = format!("{}/cancel", path_of(&asked.manage_link().expect("a link")));
    assert_eq!(post(&site, &cancel, &[], None).await.status(), 303);

    // The seat is offered to the first person waiting, for two hours; the page says until when.
    let offer = smtp
        .mail_to(
            "guest2@example.org",
            "A seat is offered to you: Small Room",
            20,
        )
        .await;
    assert!(offer.text().contains("Accept it by"), "{}", offer.text());
    assert!(offer.confirm_link().is_some(), "with the accept link");
    let guest = |all: &[store::Registration], n: u32| {
        all.iter()
            .find(|r| r.name == format!("Guest {n}"))
            .cloned()
            .expect("guest")
    };
    let all = registrations_of(&site, "small-room").await;
    let offered = guest(&all, 2);
    assert_eq!(offered.status, Offered);
    let deadline = offered.hold_expires_at.expect("a deadline");
    let minutes = (deadline - offered.created_at).num_minutes();
    assert!(
        (119..=125).contains(&minutes),
        "two hours after the offer: {minutes} min"
    );
    assert_eq!(guest(&all, 3).status, Waitlisted);
    let (_, page) = organizer.get("/admin/events/small-room").await;
    let at = page.find("id=\"offers\"").expect("the open offers");
    assert!(page[at..].contains("Open offers (1)"), "{page}");
    assert!(page[at..].contains("Guest 2"), "{page}");
    assert!(
        page[at..].contains("Seat offered, not accepted yet · until "),
        "{page}"
    );

    // Not accepted in time (the test moves the deadline rather than wait two hours): the
    // offer lapses and the seat goes on to the next person, both told.
    let store = store::Store::connect(&site.database_url())
        .await
        .expect("db");
    store
        .move_hold_deadline(
            offered.id,
            chrono::Utc::now() - chrono::Duration::minutes(1),
        )
        .await;
    store.close().await;
    let lapsed = smtp
        .mail_to(
            "guest2@example.org",
            "The seat offered to you at Small Room went on",
            20,
        )
        .await;
    assert!(lapsed.manage_link().is_none());
    let next = smtp
        .mail_to(
            "guest3@example.org",
            "A seat is offered to you: Small Room",
            20,
        )
        .await;
    let all = registrations_of(&site, "small-room").await;
    assert_eq!(
        (guest(&all, 2).status, guest(&all, 3).status),
        (Expired, Offered)
    );
    // The lapsed offer's link accepts nothing; the new one does, and brings the ticket.
    let late = post(&site, &confirm_path(&offer), &[], None).await;
    assert_eq!(late.status(), 410);
    let accepted = post(&site, &confirm_path(&next), &[], None).await;
    assert_eq!(accepted.status(), 303);
    let confirmed = smtp
        .mail_to("guest3@example.org", "You are confirmed", 20)
        .await;
    assert!(confirmed.raw.contains("cid:ticket") && confirmed.has_calendar_attachment());
    assert_eq!(
        guest(&registrations_of(&site, "small-room").await, 3).status,
        Confirmed
    );

    // The organizer sets the last move-up in the past: whoever still waits is told it closed,
    // and nobody new joins.
    assert_eq!(register(4).await, 201);
    let saved = organizer
        .post(
            "/admin/events/small-room/edit",
            &event("2", "2020-01-01T09:00"),
        )
        .await;
    assert_eq!(saved.status(), 303);
    smtp.mail_to(
        "guest4@example.org",
        "The waitlist for Small Room has closed",
        20,
    )
    .await;
    assert_eq!(
        guest(&registrations_of(&site, "small-room").await, 4).status,
        Expired
    );
    assert_eq!(
        register(5).await,
        409,
        "full, and the waitlist takes nobody"
    );
    let (_, page) = organizer
        .get(&format!(
            "/admin/events/small-room/registrations/{}",
            guest(&all, 2).id
        ))
        .await;
    for line in [
        "offered a seat from the waitlist",
        "offer lapsed (not accepted in time)",
    ] {
        assert!(page.contains(line), "{line}: {page}");
    }
}

/// The accept (confirm) link of a mail, as a path on the test site.
fn confirm_path(mail: &common::smtp::ReceivedMail) -> String {
    path_of(&mail.confirm_link().expect("a confirm link"))
}

#[tokio::test]
async fn a_cancelled_or_moved_date_of_a_series_mails_its_people_with_that_dates_entry() {
    use chrono::{Duration, NaiveTime, Utc};
    use domain::Lang;
    let smtp = SmtpServer::start().await;
    let site = TestServer::demo_with(&[("CONVENE_SMTP_URL", &smtp.url())]);
    let organizer = Organizer::sign_in(&site, "ada@example.org").await;
    // A weekly workshop from two weeks on (the feeds hold the year ahead), which takes
    // registrations for the whole series; one seat.
    let berlin = chrono_tz::Europe::Berlin;
    let first = Utc::now().with_timezone(&berlin).date_naive() + Duration::days(14);
    let local = |date: chrono::NaiveDate, hour: u32| {
        date.and_time(NaiveTime::from_hms_opt(hour, 0, 0).expect("time"))
    };
    let form_time = |date, hour| local(date, hour).format("%Y-%m-%dT%H:%M").to_string();
    let (starts, ends) = (form_time(first, 15), form_time(first, 16));
    use chrono::Datelike;
    let weekday =
        ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][first.weekday().num_days_from_monday() as usize];
    let rule = format!("FREQ=WEEKLY;BYDAY={weekday}");
    let created = organizer
        .post(
            "/admin/events",
            &[
                ("title", "Weekly Workshop"),
                ("slug", "weekly-workshop"),
                ("kind", "meeting"),
                ("summary", "Every week"),
                ("time_zone", "Europe/Berlin"),
                ("starts_at", &starts),
                ("ends_at", &ends),
                ("recurrence", &rule),
                ("registration", "on"),
                ("capacity", "1"),
                ("waitlist", "on"),
                ("published", "on"),
            ],
        )
        .await;
    assert_eq!(created.status(), 303);
    for (n, name, locale) in [(1, "Seated Sam", "en"), (2, "Waiting Wim", "de")] {
        let person = json!({
            "name": name,
            "email": format!("series{n}@example.org"),
            "consent": true,
            "locale": locale
        });
        let (status, _) = site
            .post_json("/api/v1/events/weekly-workshop/registrations", &person)
            .await;
        assert_eq!(status, 201);
    }
    let asked = smtp
        .mail_to("series1@example.org", "Confirm your seat", 20)
        .await;
    let confirm = path_of(&asked.confirm_link().expect("a confirm link"));
    assert_eq!(post(&site, &confirm, &[], None).await.status(), 303);
    smtp.mail_to("series1@example.org", "You are confirmed", 20)
        .await;
    let feed_sequence = |feed: &str, uid: &str| -> u32 {
        let calendar: icalendar::Calendar = feed.parse().expect("valid iCalendar");
        use icalendar::Component;
        calendar
            .iter()
            .filter_map(|c| c.as_event())
            .find(|e| e.get_uid() == Some(uid))
            .and_then(|e| e.property_value("SEQUENCE")?.parse().ok())
            .expect("the date in the feed")
    };
    let (_, before) = site.text("/events/weekly-workshop/event.ics").await;
    let span = |date, from: u32, to: u32, lang| {
        let at = |hour| {
            local(date, hour)
                .and_local_timezone(berlin)
                .single()
                .expect("a local time")
                .with_timezone(&Utc)
        };
        domain::time::format_span(at(from), at(to), berlin, lang)
    };

    // The second date is cancelled: both are told, in their language; the seated one gets that
    // date's entry, cancelled, with the UID the feed gives the date and a higher SEQUENCE.
    let cancelled = first + Duration::days(7);
    let response = organizer
        .post(
            "/admin/events/weekly-workshop/occurrence",
            &[("date", &cancelled.to_string()), ("change", "cancel")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let day = domain::time::format_day(cancelled, Lang::En);
    let seated = smtp
        .mail_to(
            "series1@example.org",
            &format!("Weekly Workshop on {day}: the date changed"),
            20,
        )
        .await;
    let line = format!(
        "Cancelled: {} does not take place.",
        span(cancelled, 15, 16, Lang::En)
    );
    assert!(seated.text().contains(&line), "{line}: {}", seated.text());
    let (uid, sequence) = attached_entry(&seated);
    assert!(
        uid.ends_with(&format!("-{}@convene", cancelled.format("%Y%m%d"))),
        "{uid}"
    );
    assert!(attached_calendar(&seated).contains("STATUS:CANCELLED"));
    let (_, after) = site.text("/events/weekly-workshop/event.ics").await;
    assert_eq!(
        feed_sequence(&after, &uid),
        sequence,
        "as the feed has it now"
    );
    assert!(sequence > feed_sequence(&before, &uid));
    let german_day = domain::time::format_day(cancelled, Lang::De);
    let waiting = smtp
        .mail_to(
            "series2@example.org",
            &format!("Weekly Workshop am {german_day}"),
            20,
        )
        .await;
    assert!(waiting.text().contains("Abgesagt:"), "{}", waiting.text());
    assert!(
        !waiting.has_calendar_attachment(),
        "no seat, no calendar entry"
    );

    // The third date moves a day later: the old and the new time; notes alone mail nobody.
    let moved = first + Duration::days(14);
    let response = organizer
        .post(
            "/admin/events/weekly-workshop/occurrence",
            &[
                ("date", &moved.to_string()),
                ("change", "move"),
                ("moved_starts_at", &form_time(moved + Duration::days(1), 10)),
                ("moved_ends_at", &form_time(moved + Duration::days(1), 11)),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let day = domain::time::format_day(moved, Lang::En);
    let mail = smtp
        .mail_to(
            "series1@example.org",
            &format!("Weekly Workshop on {day}"),
            20,
        )
        .await;
    let line = format!(
        "now {} (was {})",
        span(moved + Duration::days(1), 10, 11, Lang::En),
        span(moved, 15, 16, Lang::En)
    );
    assert!(mail.text().contains(&line), "{line}: {}", mail.text());
    let count = smtp.count();
    let notes = organizer
        .post(
            "/admin/events/weekly-workshop/occurrence",
            &[
                ("date", &moved.to_string()),
                ("change", "notes"),
                ("notes", "Room B"),
            ],
        )
        .await;
    assert_eq!(notes.status(), 303);
    // The mail worker looks every second: had the notes sent anything, it would be here.
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert_eq!(smtp.count(), count, "notes alone mail nobody");
}
