//! The topic board of an event: `/events/{slug}/topics` for everyone, `/r/{token}/topics` for
//! the holder of a registration link (propose, vote), and `/r/{token}/topics/{id}/edit` for a
//! proposer. Every action is a plain form post (answered in place with JavaScript, see
//! `public/in-place.js`); after a vote the board keeps the order the visitor saw.

use domain::TopicStatus;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::manage::{NoticeBox, invalid_link};
use super::{event_slug, for_event, loaded, not_found};
use crate::api::{load_my_topics, load_public_topics, load_topic_edit};
use crate::components::form::{ErrorSummary, TextArea, TextField};
use crate::i18n::*;
use crate::model::{
    Notice, Submission, TopicBoard, TopicCard, TopicEditView, TopicNotice, event_href,
    my_topics_href, register_href, topics_href,
};
use crate::text::topic_failure;

/// `/events/{slug}/topics`: the board as anyone sees it.
#[component]
pub fn TopicsPage() -> impl IntoView {
    let params = use_params_map();
    let board = Resource::new(
        move || event_slug(&params.read()),
        |slug| for_event(slug, load_public_topics),
    );
    view! {
        {loaded(board, |board| view! { <Board board/> }.into_any(), not_found)}
    }
}

/// `/r/{token}/topics`: the board with the proposal form and vote buttons.
#[component]
pub fn MyTopicsPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let board = Resource::new(
        move || {
            (
                params.read().get("token").unwrap_or_default(),
                query.read().get("notice"),
                query.read().get("order"),
            )
        },
        |(token, notice, order)| load_my_topics(token, notice, order),
    );
    view! {
        <Meta name="referrer" content="no-referrer"/>
        <Meta name="robots" content="noindex"/>
        {loaded(board, |board| view! { <Board board/> }.into_any(), invalid_link)}
    }
}

#[component]
fn Board(board: TopicBoard) -> impl IntoView {
    let i18n = use_i18n();
    let title = board.event_title.clone();
    let token = board.voting_token();
    let intro = match &board.viewer {
        Some(viewer) if viewer.ended.is_some() => view! {
            <p class="notice notice-info" role="status">
                {if viewer.ended == Some(domain::RegistrationStatus::Expired) {
                    t!(i18n, topics.read_only_expired).into_any()
                } else {
                    t!(i18n, topics.read_only_cancelled).into_any()
                }}
                " "
                <a href=register_href(&board.event_slug)>{t!(i18n, topics.register_link)}</a>
            </p>
        }
        .into_any(),
        Some(viewer) => {
            let name = viewer.name.clone();
            view! {
                <p>{t!(i18n, topics.my_lead)}</p>
                <p class="hint">{t!(i18n, topics.voting_as, name = name.clone())}</p>
            }
            .into_any()
        }
        None => view! {
            <p class="hint">
                {t!(i18n, topics.join_hint)} " " {t!(i18n, topics.register_hint)} " "
                <a href=register_href(&board.event_slug)>{t!(i18n, topics.register_link)}</a>
            </p>
        }
        .into_any(),
    };
    view! {
        <Title text=t_string!(i18n, topics.page_title, title = title.clone()).to_string()/>
        <div class="page-head">
            <p><a href=event_href(&board.event_slug)>"← " {board.event_title.clone()}</a></p>
            <h1>{t!(i18n, topics.heading)}</h1>
            <p class="lead">{t!(i18n, topics.lead, title = title.clone())}</p>
            <p>{board.when.clone()}</p>
            {intro}
        </div>
        <NoticeBox notice=board.notice.clone()/>
        <TopicGroups board=board.clone()/>
        {token.map(|token| view! { <ProposeForm board=board.clone() token/> })}
        <p class="hint more-links">
            <a href=format!("{}.json", topics_href(&board.event_slug)) type="application/json">
                {t!(i18n, topics.json)}
            </a>
        </p>
    }
}

/// The topics in their groups: on the agenda, proposed, merged, hidden.
#[component]
fn TopicGroups(board: TopicBoard) -> impl IntoView {
    let i18n = use_i18n();
    let token = board.voting_token();
    // Sent with a vote, so that the board comes back in the order the visitor saw.
    let order = domain::topics::order_text(board.topics.iter().map(|t| t.id));
    let of = |status: TopicStatus| -> Vec<TopicCard> {
        board
            .topics
            .iter()
            .filter(|t| t.status == status)
            .cloned()
            .collect()
    };
    let (accepted, proposed, merged, hidden) = (
        of(TopicStatus::Accepted),
        of(TopicStatus::Proposed),
        of(TopicStatus::Merged),
        of(TopicStatus::Hidden),
    );
    let cards = |cards: Vec<TopicCard>| {
        let token = token.clone();
        view! {
            <ol class="topic-list">
                {cards
                    .into_iter()
                    .map(|card| view! { <TopicItem card token=token.clone() order=order.clone()/> })
                    .collect_view()}
            </ol>
        }
    };
    view! {
        {board.topics.is_empty().then(|| view! { <p class="empty">{t!(i18n, topics.empty)}</p> })}
        {(!accepted.is_empty()).then(|| view! {
            <section aria-labelledby="topics-accepted">
                <h2 id="topics-accepted">{t!(i18n, topics.group_accepted)}</h2>
                {cards(accepted)}
            </section>
        })}
        {(!proposed.is_empty()).then(|| view! {
            <section aria-labelledby="topics-proposed">
                <h2 id="topics-proposed">{t!(i18n, topics.group_proposed)}</h2>
                {cards(proposed)}
            </section>
        })}
        {(!merged.is_empty()).then(|| view! {
            <section aria-labelledby="topics-merged">
                <h2 id="topics-merged">{t!(i18n, topics.group_merged)}</h2>
                <ul class="topic-notes">
                    {merged.into_iter().map(|card| {
                        let (target, target_title) = card.merged_into.clone().unwrap_or_default();
                        view! {
                            <li id=format!("topic-{}", card.id)>
                                {card.title.clone()} " — " {t!(i18n, topics.merged_into)} " "
                                <a href=format!("#topic-{target}")>{target_title}</a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        })}
        {(!hidden.is_empty()).then(|| view! {
            <section aria-labelledby="topics-hidden">
                <h2 id="topics-hidden">{t!(i18n, topics.group_hidden)}</h2>
                <ul class="topic-notes">
                    {hidden.into_iter().map(|card| {
                        let reason = card.hidden_reason.clone().unwrap_or_default();
                        view! {
                            <li id=format!("topic-{}", card.id)>{t!(i18n, topics.hidden_because, reason)}</li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
}

/// One topic that takes votes, with the viewer's vote button and edit link.
#[component]
fn TopicItem(card: TopicCard, token: Option<String>, order: String) -> impl IntoView {
    let i18n = use_i18n();
    let id = card.id;
    let count = card.votes;
    let name = card.shown_as.clone();
    let title = card.title.clone();
    let actions = token.map(|token| {
        let add = !card.voted;
        let label = if add {
            t_string!(i18n, topics.vote)
        } else {
            t_string!(i18n, topics.unvote)
        };
        // The visible words start the accessible name; the title tells the buttons apart.
        let which = format!(": {title}");
        let edit_link = card.editable.then(|| {
            view! {
                <a href=format!("{}/{id}/edit", my_topics_href(&token))>
                    {t!(i18n, topics.edit)}
                    <span class="visually-hidden">{format!(": {title}")}</span>
                </a>
            }
        });
        view! {
            <div class="topic-actions">
                <form method="post" action=format!("{}/{id}/vote", my_topics_href(&token))>
                    <input type="hidden" name="vote" value=if add { "add" } else { "remove" }/>
                    <input type="hidden" name="order" value=order/>
                    <button
                        id=format!("vote-{id}")
                        class=if add { "button" } else { "button button-secondary" }
                        type="submit"
                    >
                        {label}
                        <span class="visually-hidden">{which}</span>
                    </button>
                </form>
                {card.voted.then(|| view! { <span class="voted">"✓ " {t!(i18n, topics.you_voted)}</span> })}
                {edit_link}
            </div>
        }
    });
    view! {
        <li class="topic" id=format!("topic-{id}")>
            <p class="topic-votes">
                <span class="vote-number">{count}</span>
                <span class="vote-word">
                    {if count == 1 { t_string!(i18n, topics.vote_one) } else { t_string!(i18n, topics.vote_many) }}
                </span>
            </p>
            <div class="topic-body">
                <h3>{card.title.clone()}</h3>
                <p class="topic-meta">{t!(i18n, topics.proposed_by, name)}</p>
                <div class="prose" inner_html=card.description_html.clone()></div>
                {actions}
            </div>
        </li>
    }
}

/// The proposal form of the board behind a registration link.
#[component]
fn ProposeForm(board: TopicBoard, token: String) -> impl IntoView {
    let i18n = use_i18n();
    let viewer = board.viewer.clone();
    let mut submission = board.submission.clone().unwrap_or_default();
    if !submission.values.contains_key("shown_as")
        && let Some(viewer) = &viewer
    {
        submission.values.insert(
            "shown_as".to_owned(),
            domain::topics::first_name(&viewer.name).to_owned(),
        );
    }
    let locale = crate::lang_of(i18n.get_locale_untracked()).tag();
    let left = viewer.as_ref().and_then(|v| v.proposals_left);
    let can_propose = board.proposals_open && left != Some(0);
    let status_line = if !board.proposals_open {
        Some(t_string!(i18n, topics.proposals_closed).to_string())
    } else {
        match (left, board.proposals_close.clone()) {
            (Some(0), _) => Some(t_string!(i18n, topics.no_proposals_left).to_string()),
            (Some(left), Some(when)) => Some(format!(
                "{} {}",
                t_string!(i18n, topics.proposals_left, left),
                t_string!(i18n, topics.proposals_close_on, when)
            )),
            (Some(left), None) => Some(t_string!(i18n, topics.proposals_left, left).to_string()),
            (None, Some(when)) => {
                Some(t_string!(i18n, topics.proposals_close_on, when).to_string())
            }
            (None, None) => None,
        }
    };
    let message = board.notice.as_ref().and_then(|n| match n {
        Notice::Topic(TopicNotice::Failed(f)) if !submission.errors.is_empty() => {
            Some(topic_failure(i18n, f))
        }
        _ => None,
    });
    view! {
        <section class="propose" aria-labelledby="propose-heading">
            <h2 id="propose-heading">{t!(i18n, topics.propose_heading)}</h2>
            {status_line.map(|line| view! { <p class="hint">{line}</p> })}
            {can_propose.then(|| view! {
                <ErrorSummary errors=submission.errors.clone() message/>
                <form class="form" method="post" action=my_topics_href(&token) novalidate>
                    <input type="hidden" name="locale" value=locale/>
                    <TopicFields submission=submission.clone()/>
                    <button class="button" type="submit">{t!(i18n, topics.submit)}</button>
                </form>
            })}
        </section>
    }
}

/// `/r/{token}/topics/{id}/edit`: a proposer changes or withdraws their topic.
#[component]
pub fn TopicEditPage() -> impl IntoView {
    let params = use_params_map();
    let page = Resource::new(
        move || {
            let params = params.read();
            (
                params.get("token").unwrap_or_default(),
                params
                    .get("id")
                    .and_then(|id| id.parse::<i64>().ok())
                    .unwrap_or(0),
            )
        },
        |(token, id)| load_topic_edit(token, id),
    );
    view! {
        <Meta name="referrer" content="no-referrer"/>
        <Meta name="robots" content="noindex"/>
        {loaded(page, |page| view! { <EditForm page/> }.into_any(), invalid_link)}
    }
}

#[component]
fn EditForm(page: TopicEditView) -> impl IntoView {
    let i18n = use_i18n();
    let submission = page.submission.clone().unwrap_or_else(|| Submission {
        values: [
            ("title".to_owned(), page.title.clone()),
            ("description".to_owned(), page.description.clone()),
            ("shown_as".to_owned(), page.shown_as.clone()),
        ]
        .into(),
        ..Submission::default()
    });
    let board = my_topics_href(&page.token);
    let action = format!("{board}/{}", page.topic_id);
    let locale = crate::lang_of(i18n.get_locale_untracked()).tag();
    view! {
        <Title text=t_string!(i18n, topics.edit_page_title).to_string()/>
        <div class="page-head">
            <p><a href=board.clone()>"← " {t!(i18n, topics.back)}</a></p>
            <h1>{t!(i18n, topics.edit_heading)}</h1>
            <p class="lead">{page.event_title.clone()}</p>
        </div>
        <NoticeBox notice=page.notice.clone()/>
        {(!page.editable).then(|| view! {
            <p class="notice notice-error" role="alert">{t!(i18n, topics.refused_locked)}</p>
        })}
        {page.editable.then(|| view! {
        <ErrorSummary errors=submission.errors.clone() message=None/>
        <form class="form" method="post" action=format!("{action}/edit") novalidate>
            <input type="hidden" name="locale" value=locale/>
            <TopicFields submission=submission.clone()/>
            <button class="button" type="submit">{t!(i18n, topics.save)}</button>
        </form>
        <section class="withdraw" aria-labelledby="withdraw-heading">
            <h2 id="withdraw-heading">{t!(i18n, topics.withdraw_heading)}</h2>
            <p>{t!(i18n, topics.withdraw_hint)}</p>
            <form method="post" action=format!("{action}/withdraw")>
                <input type="hidden" name="locale" value=locale/>
                <button class="button button-danger" type="submit">{t!(i18n, topics.withdraw)}</button>
            </form>
        </section>
        })}
    }
}

/// A topic's title, description and the name shown with it: the proposal and the edit form.
#[component]
fn TopicFields(submission: Submission) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <TextField
            name="title"
            label=t_string!(i18n, topics.field_title).to_string()
            hint=Some(t_string!(i18n, topics.hint_title).to_string())
            kind="text"
            autocomplete="off"
            required=true
            submission=submission.clone()
        />
        <TextArea
            name="description"
            label=t_string!(i18n, topics.field_description).to_string()
            hint=t_string!(i18n, topics.hint_description).to_string()
            rows=8
            submission=submission.clone()
        />
        <TextField
            name="shown_as"
            label=t_string!(i18n, topics.field_shown_as).to_string()
            hint=Some(t_string!(i18n, topics.hint_shown_as).to_string())
            kind="text"
            autocomplete="nickname"
            required=true
            submission=submission
        />
    }
}
