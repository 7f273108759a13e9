//! The topic collection over HTTP against the real binary: the public board and its JSON,
//! proposing, editing, withdrawing and voting through registration links with plain form posts,
//! every refusal with its status and message, rate limits, concurrent votes, and Markdown that
//! must render inert.

mod common;

use common::{TestServer, readable};
use futures::future::join_all;
use serde_json::{Value, json};

const EVENT: &str = "hackathon-3";
const BOARD: &str = "/events/hackathon-3/topics";
const BOARD_JSON: &str = "/events/hackathon-3/topics.json";

/// Registers `count` people over the API, gives each a link the test knows (the real one
/// travels by mail; the browser test follows that one) and confirms their address with it, so
/// that their votes count. Returns the links' tokens.
async fn registered_people(site: &TestServer, first: usize, count: usize) -> Vec<String> {
    let tokens = unconfirmed_people(site, first, count).await;
    for token in &tokens {
        let response = site.post_form(&format!("/r/{token}/confirm"), &[]).await;
        assert_eq!(response.status(), 303, "confirming {token}");
    }
    tokens
}

/// Registers `count` people over the API and gives each a link the test knows, without
/// confirming their addresses.
async fn unconfirmed_people(site: &TestServer, first: usize, count: usize) -> Vec<String> {
    let registrations = (first..first + count).map(|n| async move {
        let person = json!({
            "name": format!("Person {n}"),
            "email": format!("person{n}@example.org"),
            "consent": true,
        });
        let (status, body) = site
            .post_json("/api/v1/events/hackathon-3/registrations", &person)
            .await;
        assert_eq!(status, 201, "{body}");
    });
    join_all(registrations).await;
    let store = store::Store::connect(&site.database_url())
        .await
        .expect("open the test database");
    let event = event_id(&store).await;
    let mut tokens = Vec::new();
    for n in first..first + count {
        let mut write = store.write_event(event).await.expect("lock");
        let registration = write
            .registration_by_email(&format!("person{n}@example.org"))
            .await
            .expect("query")
            .expect("registered");
        let token = format!("topic-test-link-{n}");
        write
            .replace_links(
                registration.id,
                &service::token::hash_token(&token),
                chrono::Utc::now(),
            )
            .await
            .expect("set token");
        write.commit().await.expect("commit");
        tokens.push(token);
    }
    store.close().await;
    tokens
}

async fn event_id(store: &store::Store) -> i64 {
    let slug = domain::EventSlug::parse(EVENT).expect("slug");
    store.event_id(&slug).await.expect("query").expect("event")
}

async fn board(site: &TestServer) -> Value {
    let response = site.get(BOARD_JSON).await;
    assert_eq!(response.status(), 200);
    response.json().await.expect("JSON")
}

fn topic<'a>(board: &'a Value, title: &str) -> &'a Value {
    board["topics"]
        .as_array()
        .expect("topics")
        .iter()
        .find(|t| t["title"] == title)
        .unwrap_or_else(|| panic!("no topic {title:?} in {board}"))
}

fn titles(board: &Value) -> Vec<String> {
    board["topics"]
        .as_array()
        .expect("topics")
        .iter()
        .map(|t| t["title"].as_str().unwrap_or("(hidden)").to_owned())
        .collect()
}

/// Proposes a topic; returns the response (303 on success).
async fn propose(site: &TestServer, token: &str, title: &str, description: &str) -> u16 {
    site.post_form(
        &format!("/r/{token}/topics"),
        &[("title", title), ("description", description)],
    )
    .await
    .status()
    .as_u16()
}

async fn vote(site: &TestServer, token: &str, topic: i64, how: &str) -> (u16, String) {
    let response = site
        .post_form(&format!("/r/{token}/topics/{topic}/vote"), &[("vote", how)])
        .await;
    let status = response.status().as_u16();
    (status, readable(&response.text().await.expect("body")))
}

fn id_of(board: &Value, title: &str) -> i64 {
    topic(board, title)["id"].as_i64().expect("id")
}

/// Applies an organizer's decision through the service (the admin pages come with the admin
/// issue; the rules are the same).
async fn moderate(site: &TestServer, topic: i64, action: service::topics::Moderation) {
    let store = store::Store::connect(&site.database_url())
        .await
        .expect("open the test database");
    let ctx = service::Services::new(
        store.clone(),
        site.url(""),
        std::sync::Arc::new(app::ssr::mail_texts::Catalogue),
    );
    let event = event_id(&store).await;
    service::topics::moderate(
        &ctx,
        store::Actor::Organizer(1),
        event,
        topic,
        action,
        chrono::Utc::now(),
    )
    .await
    .expect("moderated");
    store.close().await;
}

#[tokio::test]
async fn the_board_is_public_readable_as_json_and_never_shows_an_email() {
    let site = TestServer::demo();
    let (status, page) = site.text(BOARD).await;
    assert_eq!(status, 200);
    assert!(page.contains("Topic collection"), "{page}");
    assert!(page.contains("Federated identity with Keycloak"));
    assert!(page.contains("open the link in your registration mail"));
    assert!(
        !page.contains("<form method=\"post\""),
        "no vote forms without a link"
    );

    let tokens = registered_people(&site, 1, 1).await;
    assert_eq!(propose(&site, &tokens[0], "Mine", "").await, 303);
    let board = board(&site).await;
    assert_eq!(board["event"], EVENT);
    assert_eq!(board["proposals_open"], true);
    // "Person 1" registered; without a chosen name the board shows the first name only.
    assert_eq!(topic(&board, "Mine")["proposed_by"], "Person");
    assert_eq!(topic(&board, "Mine")["status"], "proposed");
    assert!(!board.to_string().contains("@example.org"), "{board}");
    let (_, page) = site.text(BOARD).await;
    assert!(!page.contains("person1@example.org"));

    let api = site.get("/api/v1/events/hackathon-3/topics").await;
    assert_eq!(api.status(), 200);
    let api: Value = api.json().await.expect("JSON");
    assert_eq!(api["topics"], board["topics"]);

    for (path, status) in [
        ("/events/scs-community-call/topics", 404),
        ("/events/no-such-event/topics", 404),
        ("/events/scs-community-call/topics.json", 404),
        ("/api/v1/events/no-such-event/topics", 404),
    ] {
        assert_eq!(site.get(path).await.status(), status, "{path}");
    }
    let missing: Value = site
        .get("/api/v1/events/no-such-event/topics")
        .await
        .json()
        .await
        .expect("a JSON 404");
    assert_eq!(missing["error"], "not_found");
}

#[tokio::test]
async fn votes_of_a_seat_held_for_an_unconfirmed_address_do_not_count() {
    let site = TestServer::demo();
    let proposer = registered_people(&site, 1, 1).await;
    assert_eq!(
        propose(&site, &proposer[0], "Sovereign object storage", "").await,
        303
    );
    let id = id_of(&board(&site).await, "Sovereign object storage");
    let unconfirmed = unconfirmed_people(&site, 2, 1).await;
    let (status, _) = vote(&site, &unconfirmed[0], id, "add").await;
    assert_eq!(status, 303, "the vote is taken");
    let votes = |board: &Value| topic(board, "Sovereign object storage")["votes"].clone();
    assert_eq!(
        votes(&board(&site).await),
        0,
        "but does not count while the address is unconfirmed"
    );
    let response = site
        .post_form(&format!("/r/{}/confirm", unconfirmed[0]), &[])
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(votes(&board(&site).await), 1, "confirmed: it counts");
}

#[tokio::test]
async fn people_propose_and_vote_with_plain_forms_and_the_board_reorders() {
    let site = TestServer::demo();
    let tokens = registered_people(&site, 1, 3).await;
    let response = site
        .post_form(
            &format!("/r/{}/topics", tokens[0]),
            &[
                ("title", "Sovereign object storage"),
                ("description", "S3 on **Ceph**"),
                ("shown_as", "Ada"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().expect("location");
    assert!(
        location.starts_with(&format!("/r/{}/topics?notice=proposed#topic-", tokens[0])),
        "{location}"
    );
    let (status, mine) = site
        .text(&format!("/r/{}/topics?notice=proposed", tokens[0]))
        .await;
    let mine = readable(&mine);
    assert_eq!(status, 200);
    assert!(mine.contains("Your topic is on the board."), "{mine}");
    assert!(mine.contains("<strong>Ceph</strong>"));
    assert!(mine.contains("Proposed by Ada"));

    let before = board(&site).await;
    let id = id_of(&before, "Sovereign object storage");
    assert_eq!(
        titles(&before).last().map(String::as_str),
        Some("Sovereign object storage"),
        "no votes yet: the newest is last"
    );
    for token in &tokens[1..] {
        let (status, _) = vote(&site, token, id, "add").await;
        assert_eq!(status, 303);
    }
    let after = board(&site).await;
    assert_eq!(topic(&after, "Sovereign object storage")["votes"], 2);
    assert_eq!(
        titles(&after)[0],
        "Sovereign object storage",
        "most votes first"
    );

    let (_, page) = site.text(&format!("/r/{}/topics", tokens[1])).await;
    assert!(page.contains("You voted"), "shown as voted");
    assert!(page.contains("Withdraw vote"));

    let (status, page) = vote(&site, &tokens[1], id, "add").await;
    assert_eq!(status, 409);
    assert!(page.contains("You already voted for this topic."), "{page}");
    let (status, _) = vote(&site, &tokens[1], id, "remove").await;
    assert_eq!(status, 303);
    let (status, page) = vote(&site, &tokens[1], id, "remove").await;
    assert_eq!(status, 409);
    assert!(page.contains("You have not voted for this topic."));
    assert_eq!(
        topic(&board(&site).await, "Sovereign object storage")["votes"],
        1
    );
}

/// The titles of the topics that take votes on an HTML board, top to bottom.
fn page_order(page: &str) -> Vec<String> {
    page.split("<h3>")
        .skip(1)
        .filter_map(|rest| rest.split("</h3>").next())
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn after_a_vote_the_board_keeps_the_order_the_voter_saw() {
    let site = TestServer::demo();
    let tokens = registered_people(&site, 1, 3).await;
    for title in ["Sovereign object storage", "Keycloak federation"] {
        assert_eq!(propose(&site, &tokens[0], title, "").await, 303);
    }
    let ids = board(&site).await;
    let first = id_of(&ids, "Sovereign object storage");
    assert_eq!(vote(&site, &tokens[2], first, "add").await.0, 303);
    let id = id_of(&ids, "Keycloak federation");
    let my_board = format!("/r/{}/topics", tokens[1]);
    let (_, page) = site.text(&my_board).await;
    let seen = page_order(&readable(&page));
    assert_eq!(seen[0], "Sovereign object storage", "{seen:?}");
    assert_eq!(
        seen.last().map(String::as_str),
        Some("Keycloak federation"),
        "no votes: last"
    );
    let order = seen
        .iter()
        .map(|title| id_of(&ids, title).to_string())
        .collect::<Vec<_>>()
        .join(",");
    let response = site
        .post_form(
            &format!("{my_board}/{id}/vote"),
            &[("vote", "add"), ("order", order.as_str())],
        )
        .await;
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().expect("location");
    assert_eq!(
        location,
        format!("{my_board}?notice=voted&order={order}#topic-{id}"),
        "back to the board, in the order seen, at the topic"
    );
    let (_, page) = site.text(location).await;
    let page = readable(&page);
    assert!(page.contains("Your vote is counted."), "{page}");
    assert_eq!(
        page_order(&page),
        seen,
        "the voted topic stays where it was"
    );

    let (_, fresh) = site.text(&my_board).await;
    assert_eq!(
        page_order(&readable(&fresh))[..2],
        ["Sovereign object storage", "Keycloak federation"],
        "opened afresh, most votes first (the older first on a tie)"
    );

    // The order is only a hint: what is not an id is left out of the answer.
    let response = site
        .post_form(
            &format!("{my_board}/{id}/vote"),
            &[("vote", "remove"), ("order", "x,<script>,12")],
        )
        .await;
    let location = response.headers()["location"].to_str().expect("location");
    assert_eq!(
        location,
        format!("{my_board}?notice=unvoted&order=12#topic-{id}")
    );
}

#[tokio::test]
async fn bad_proposals_get_a_message_next_to_the_field_and_change_nothing() {
    let site = TestServer::demo();
    let tokens = registered_people(&site, 1, 1).await;
    let before = board(&site).await;
    let long_title = "x".repeat(121);
    let long_description = "y".repeat(5001);
    for (fields, field, message) in [
        (vec![("title", "ab")], "title", "Use at least 3 characters."),
        (vec![("title", "")], "title", "Give your topic a title."),
        (
            vec![("title", long_title.as_str())],
            "title",
            "Use at most 120 characters.",
        ),
        (
            vec![
                ("title", "Fine"),
                ("description", long_description.as_str()),
            ],
            "description",
            "Use at most 5000 characters.",
        ),
        (
            vec![("title", "Fine"), ("shown_as", "a\u{7}b")],
            "shown_as",
            "Remove the special control characters.",
        ),
    ] {
        let response = site
            .post_form(&format!("/r/{}/topics", tokens[0]), &fields)
            .await;
        assert_eq!(response.status(), 422, "{fields:?}");
        let page = response.text().await.expect("body");
        let error_id = format!("id=\"field-{field}-error\"");
        let at = page
            .find(&error_id)
            .unwrap_or_else(|| panic!("{error_id} in {page}"));
        assert!(
            page[at..]
                .split("</p>")
                .next()
                .unwrap_or("")
                .contains(message),
            "{message} next to {field}"
        );
        assert!(page.contains("aria-invalid=\"true\""));
    }
    assert_eq!(board(&site).await, before, "nothing changed");
}

#[tokio::test]
async fn only_the_proposer_edits_or_withdraws_and_only_until_accepted() {
    let site = TestServer::demo();
    let tokens = registered_people(&site, 1, 2).await;
    assert_eq!(propose(&site, &tokens[0], "Original", "").await, 303);
    let id = id_of(&board(&site).await, "Original");

    let edit = |token: &str| format!("/r/{token}/topics/{id}/edit");
    let response = site
        .post_form(&edit(&tokens[1]), &[("title", "Hijacked")])
        .await;
    assert_eq!(response.status(), 403);
    assert!(
        response
            .text()
            .await
            .expect("body")
            .contains("Only the person who proposed this topic can change it.")
    );
    let response = site
        .post_form(&format!("/r/{}/topics/{id}/withdraw", tokens[1]), &[])
        .await;
    assert_eq!(response.status(), 403);
    let (status, _) = site.text(&edit(&tokens[1])).await;
    assert_eq!(status, 404, "no edit form for someone else's topic");

    let (status, form) = site.text(&edit(&tokens[0])).await;
    assert_eq!(status, 200);
    assert!(form.contains("value=\"Original\""));
    let response = site
        .post_form(
            &edit(&tokens[0]),
            &[("title", "Renamed"), ("description", "Now with *details*")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let after = board(&site).await;
    assert_eq!(
        topic(&after, "Renamed")["description_markdown"],
        "Now with *details*"
    );

    moderate(&site, id, service::topics::Moderation::Accept).await;
    let response = site
        .post_form(&edit(&tokens[0]), &[("title", "Later")])
        .await;
    assert_eq!(response.status(), 409);
    assert!(
        response
            .text()
            .await
            .expect("body")
            .contains("This topic can no longer be changed")
    );
    let accepted = board(&site).await;
    assert_eq!(topic(&accepted, "Renamed")["status"], "accepted");
    assert_eq!(
        titles(&accepted)[0],
        "Renamed",
        "accepted topics lead the board"
    );

    assert_eq!(propose(&site, &tokens[0], "Second thoughts", "").await, 303);
    let second = id_of(&board(&site).await, "Second thoughts");
    let response = site
        .post_form(&format!("/r/{}/topics/{second}/withdraw", tokens[0]), &[])
        .await;
    assert_eq!(response.status(), 303);
    assert!(!titles(&board(&site).await).contains(&"Second thoughts".to_owned()));
}

#[tokio::test]
async fn votes_for_hidden_or_merged_topics_and_from_dead_links_are_refused() {
    let site = TestServer::demo();
    let tokens = registered_people(&site, 1, 3).await;
    for title in ["Keycloak", "Keycloak federation", "Buy watches"] {
        assert_eq!(propose(&site, &tokens[0], title, "").await, 303);
    }
    let initial = board(&site).await;
    let (target, duplicate, spam) = (
        id_of(&initial, "Keycloak"),
        id_of(&initial, "Keycloak federation"),
        id_of(&initial, "Buy watches"),
    );
    // Person 2 votes for both duplicates, person 3 for one: after the merge, 2 votes, not 3.
    for (who, topic) in [(1, target), (1, duplicate), (2, duplicate)] {
        assert_eq!(vote(&site, &tokens[who], topic, "add").await.0, 303);
    }
    moderate(
        &site,
        duplicate,
        service::topics::Moderation::MergeInto { target },
    )
    .await;
    moderate(
        &site,
        spam,
        service::topics::Moderation::Hide {
            reason: "Advertising".to_owned(),
        },
    )
    .await;
    let after = board(&site).await;
    assert_eq!(topic(&after, "Keycloak")["votes"], 2, "{after}");
    assert_eq!(topic(&after, "Keycloak federation")["status"], "merged");
    assert_eq!(topic(&after, "Keycloak federation")["merged_into"], target);
    let hidden = after["topics"]
        .as_array()
        .expect("topics")
        .iter()
        .find(|t| t["id"] == spam)
        .expect("the hidden topic is listed");
    assert_eq!(hidden["status"], "hidden");
    assert_eq!(hidden["hidden_reason"], "Advertising");
    assert!(hidden.get("title").is_none(), "{hidden}");
    let page = readable(&site.text(BOARD).await.1);
    assert!(!page.contains("Buy watches"));
    assert!(page.contains("Hidden by the organizers: Advertising"));

    for topic in [duplicate, spam] {
        let (status, page) = vote(&site, &tokens[0], topic, "add").await;
        assert_eq!(status, 409, "topic {topic}");
        assert!(page.contains("This topic no longer takes votes."));
    }

    let (status, page) = vote(&site, "forged-link", target, "add").await;
    assert_eq!(status, 404);
    assert!(
        page.contains("This registration link is not valid."),
        "{page}"
    );
    let cancelled = site
        .post_form(&format!("/r/{}/cancel", tokens[2]), &[])
        .await;
    assert_eq!(cancelled.status(), 303);
    let (status, page) = vote(&site, &tokens[2], target, "remove").await;
    assert_eq!(status, 403);
    assert!(page.contains("Your registration is cancelled or expired"));
    assert_eq!(
        topic(&board(&site).await, "Keycloak")["votes"],
        1,
        "a cancelled registration's vote no longer counts"
    );
    assert_eq!(
        site.post_form(&format!("/r/{}/topics", tokens[2]), &[("title", "Late")])
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn a_burst_of_proposals_gets_429_per_registration_and_per_address() {
    let site = TestServer::demo();
    let tokens = registered_people(&site, 1, 5).await;
    for n in 0..5 {
        assert_eq!(
            propose(&site, &tokens[0], &format!("Idea {n}"), "").await,
            303
        );
    }
    let response = site
        .post_form(&format!("/r/{}/topics", tokens[0]), &[("title", "Idea 5")])
        .await;
    assert_eq!(response.status(), 429);
    assert!(
        response
            .text()
            .await
            .expect("body")
            .contains("Too many proposals in a short time.")
    );
    // Three more people from the same address reach its limit of 20 in ten minutes.
    for token in &tokens[1..4] {
        for n in 0..5 {
            assert_eq!(propose(&site, token, &format!("Topic {n}"), "").await, 303);
        }
    }
    assert_eq!(propose(&site, &tokens[4], "One too many", "").await, 429);
    let proposed = board(&site).await["topics"]
        .as_array()
        .expect("topics")
        .len();
    assert_eq!(
        proposed,
        3 + 20,
        "the demo's three and twenty accepted proposals"
    );
}

#[tokio::test]
async fn concurrent_votes_count_exactly_once_per_person() {
    let site = TestServer::demo_without_registration_limits(&[]);
    let tokens = registered_people(&site, 1, 200).await;
    let target = id_of(&board(&site).await, "Federated identity with Keycloak");

    let votes = tokens.iter().map(|token| vote(&site, token, target, "add"));
    let statuses: Vec<u16> = join_all(votes).await.into_iter().map(|(s, _)| s).collect();
    assert!(statuses.iter().all(|&s| s == 303), "{statuses:?}");
    assert_eq!(
        topic(&board(&site).await, "Federated identity with Keycloak")["votes"],
        200
    );

    let other = id_of(&board(&site).await, "Status page API: first clients");
    let doubles = (0..100).map(|_| vote(&site, &tokens[0], other, "add"));
    let statuses: Vec<u16> = join_all(doubles)
        .await
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    assert_eq!(
        statuses.iter().filter(|&&s| s == 303).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(statuses.iter().filter(|&&s| s == 409).count(), 99);
    assert_eq!(
        topic(&board(&site).await, "Status page API: first clients")["votes"],
        1
    );
}

/// What must never come out of a topic: markup that runs script or loads a resource.
const XSS_CORPUS: [&str; 12] = [
    "<script>alert('xss-1')</script>",
    "</script><script>alert('xss-2')</script>",
    "<img src=x onerror=alert('xss-3')>",
    "<a href=\"javascript:alert('xss-4')\">click</a>",
    "[click](javascript:alert('xss-5'))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgneHNzLTYnKTwvc2NyaXB0Pg==)",
    "<svg onload=alert('xss-7')><circle r=5/></svg>",
    "<svg><script>alert('xss-8')</script></svg>",
    "<div onmouseover=\"alert('xss-9')\">hover</div>",
    "<iframe src=\"javascript:alert('xss-10')\"></iframe>",
    "<a href=\"JaVaScRiPt:alert('xss-11')\">x</a>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('xss-12')>",
];

#[tokio::test]
async fn markdown_and_titles_from_attendees_render_inert() {
    let site = TestServer::demo();
    let tokens = registered_people(&site, 1, 3).await;
    for (n, payload) in XSS_CORPUS.iter().enumerate() {
        let token = &tokens[n / 5];
        let title = format!("Payload {n} {payload}");
        let title: String = title.chars().take(120).collect();
        let shown_as: String = payload.chars().take(60).collect();
        let response = site
            .post_form(
                &format!("/r/{token}/topics"),
                &[
                    ("title", title.as_str()),
                    ("description", payload),
                    ("shown_as", shown_as.as_str()),
                ],
            )
            .await;
        assert_eq!(response.status(), 303, "{payload}");
    }
    let data = board(&site).await;
    for entry in data["topics"].as_array().expect("topics") {
        assert_inert(entry["description_html"].as_str().unwrap_or(""));
    }
    for path in [BOARD.to_owned(), format!("/r/{}/topics", tokens[0])] {
        let (status, page) = site.text(&path).await;
        assert_eq!(status, 200);
        let topics = page
            .split_once("<ol class=\"topic-list\">")
            .and_then(|(_, rest)| rest.split_once("</main>"))
            .map(|(list, _)| list)
            .expect("the topic list");
        assert_inert(topics);
        // Titles also travel in the hydration data inside a <script>: none may close it.
        assert!(!page.contains("<script>alert("), "{path}");
        assert!(!page.contains("</script><script>alert"), "{path}");
    }
}

/// Fails if `html` holds a tag that runs script or loads something: every tag must be one the
/// board uses (its own vote forms included), without event-handler attributes or script/data URLs. Escaped text is fine.
fn assert_inert(html: &str) {
    const ALLOWED: [&str; 33] = [
        "label",
        "textarea",
        "form",
        "input",
        "button",
        "p",
        "a",
        "strong",
        "em",
        "code",
        "pre",
        "ul",
        "ol",
        "li",
        "blockquote",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "del",
        "hr",
        "br",
        "div",
        "span",
        "section",
    ];
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let end = after.find('>').unwrap_or(after.len());
        let tag = after[..end].to_lowercase();
        rest = &after[end..];
        let Some(name) = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
        else {
            continue;
        };
        if name.is_empty() || name.starts_with('!') {
            continue;
        }
        assert!(ALLOWED.contains(&name), "<{tag}> is live markup in {html}");
        for (attribute, value) in attributes(&tag) {
            assert!(!attribute.starts_with("on"), "<{tag}> has a handler");
            let url =
                ["href", "src", "action", "formaction", "xlink:href"].contains(&attribute.as_str());
            assert!(
                !url || !(value.contains("javascript:") || value.contains("data:")),
                "<{tag}> has a script or data URL"
            );
        }
    }
}

/// The attributes of a tag's inside (`name a="x" b=y c`), quoted values kept whole.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut chars = tag.chars().skip_while(|c| !c.is_whitespace()).peekable();
    let mut found = Vec::new();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == '/') {
            chars.next();
        }
        let name: String =
            std::iter::from_fn(|| chars.next_if(|c| !c.is_whitespace() && *c != '=' && *c != '/'))
                .collect();
        if name.is_empty() {
            return found;
        }
        let mut value = String::new();
        if chars.next_if_eq(&'=').is_some() {
            match chars.next_if(|c| *c == '"' || *c == '\'') {
                Some(quote) => {
                    value = std::iter::from_fn(|| chars.next_if(|c| *c != quote)).collect()
                }
                None => {
                    value = std::iter::from_fn(|| chars.next_if(|c| !c.is_whitespace())).collect()
                }
            }
            chars.next();
        }
        found.push((name, value));
    }
}

#[tokio::test]
async fn a_cancelled_registration_sees_the_board_read_only_and_says_why() {
    let site = TestServer::demo();
    let tokens = registered_people(&site, 1, 2).await;
    assert_eq!(propose(&site, &tokens[1], "Keycloak", "").await, 303);
    let keycloak = id_of(&board(&site).await, "Keycloak");
    assert_eq!(vote(&site, &tokens[0], keycloak, "add").await.0, 303);
    let mine = format!("/r/{}/topics", tokens[0]);
    let before = site.text(&mine).await.1;
    assert!(before.contains("/vote\""), "votes while registered");
    assert!(readable(&before).contains("You voted"));

    let cancelled = site
        .post_form(&format!("/r/{}/cancel", tokens[0]), &[])
        .await;
    assert_eq!(cancelled.status(), 303);
    let (status, after) = site.text(&mine).await;
    assert_eq!(status, 200);
    let text = readable(&after);
    assert!(
        text.contains("Your registration is cancelled: you see the board as everyone does"),
        "{text}"
    );
    assert!(text.contains("Keycloak"), "the board is still shown");
    assert!(!after.contains("/vote\""), "no vote buttons");
    assert!(!text.contains("You voted"), "a vote that no longer counts");
    assert!(!text.contains("Propose topic"), "no proposal form");
    assert!(!text.contains("You take part as"));
    assert_eq!(
        topic(&board(&site).await, "Keycloak")["votes"],
        0,
        "the cancelled registration's vote no longer counts"
    );
}
