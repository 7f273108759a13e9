//! A small SMTP server the tests start in-process: it speaks enough of RFC 5321 for lettre
//! (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), keeps every message it accepts, and can be
//! stopped and started again on the same port to play an outage.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// One accepted message.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub recipients: Vec<String>,
    pub raw: String,
}

impl ReceivedMail {
    pub fn parsed(&self) -> mail_parser::Message<'_> {
        mail_parser::MessageParser::default()
            .parse(self.raw.as_bytes())
            .expect("a parseable MIME message")
    }

    pub fn subject(&self) -> String {
        self.parsed().subject().unwrap_or_default().to_owned()
    }

    pub fn text(&self) -> String {
        self.parsed()
            .body_text(0)
            .map(|t| t.into_owned())
            .unwrap_or_default()
    }

    pub fn html(&self) -> String {
        self.parsed()
            .body_html(0)
            .map(|t| t.into_owned())
            .unwrap_or_default()
    }

    /// The `/r/...` manage link in the plain-text part.
    pub fn manage_link(&self) -> Option<String> {
        self.text()
            .split_whitespace()
            .find(|word| word.contains("/r/") && !word.ends_with("/confirm"))
            .map(str::to_owned)
    }

    pub fn confirm_link(&self) -> Option<String> {
        self.text()
            .split_whitespace()
            .find(|word| word.ends_with("/confirm"))
            .map(str::to_owned)
    }

    pub fn has_calendar_attachment(&self) -> bool {
        self.raw.contains("text/calendar") && self.raw.contains("invite.ics")
    }
}

pub struct SmtpServer {
    pub port: u16,
    received: Arc<Mutex<Vec<ReceivedMail>>>,
    task: Option<JoinHandle<()>>,
}

impl SmtpServer {
    pub async fn start() -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind smtp");
        let port = listener.local_addr().expect("addr").port();
        let mut server = SmtpServer {
            port,
            received: Arc::new(Mutex::new(Vec::new())),
            task: None,
        };
        server.task = Some(tokio::spawn(accept(listener, server.received.clone())));
        server
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Stops listening: connections are refused until [`SmtpServer::resume`].
    pub fn stop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }

    pub async fn resume(&mut self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port))
            .await
            .expect("listen on the same port again");
        self.task = Some(tokio::spawn(accept(listener, self.received.clone())));
    }

    /// How many messages arrived so far.
    pub fn count(&self) -> usize {
        self.received.lock().map(|m| m.len()).unwrap_or_default()
    }

    pub fn received(&self) -> Vec<ReceivedMail> {
        self.received.lock().map(|m| m.clone()).unwrap_or_default()
    }

    /// Waits for the first mail to `address` whose subject starts with `subject` (or fails after
    /// `seconds`).
    pub async fn mail_to(&self, address: &str, subject: &str, seconds: u64) -> ReceivedMail {
        for _ in 0..seconds * 20 {
            let found = self.received().into_iter().find(|m| {
                m.recipients.iter().any(|r| r == address) && m.subject().starts_with(subject)
            });
            if let Some(mail) = found {
                return mail;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "no mail to {address} starting {subject:?} within {seconds}s: {:?}",
            self.received()
                .iter()
                .map(|m| (m.recipients.clone(), m.subject()))
                .collect::<Vec<_>>()
        );
    }

    /// Waits until at least `count` mails arrived (or fails after `seconds`).
    pub async fn wait_for(&self, count: usize, seconds: u64) -> Vec<ReceivedMail> {
        for _ in 0..seconds * 20 {
            let mails = self.received();
            if mails.len() >= count {
                return mails;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "expected {count} mails within {seconds}s, got {}: {:?}",
            self.received().len(),
            self.received()
                .iter()
                .map(ReceivedMail::subject)
                .collect::<Vec<_>>()
        );
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn accept(listener: TcpListener, received: Arc<Mutex<Vec<ReceivedMail>>>) {
    let mut sessions = Vec::new();
    while let Ok((stream, _)) = listener.accept().await {
        sessions.push(tokio::spawn(session(stream, received.clone())));
    }
}

async fn session(stream: TcpStream, received: Arc<Mutex<Vec<ReceivedMail>>>) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    let reply = async |write: &mut tokio::net::tcp::OwnedWriteHalf, text: &str| {
        write
            .write_all(format!("{text}\r\n").as_bytes())
            .await
            .is_ok()
    };
    if !reply(&mut write, "220 convene-test ESMTP").await {
        return;
    }
    let mut recipients = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let command = line.trim_end().to_ascii_uppercase();
        let answer = if command.starts_with("EHLO") {
            "250-convene-test\r\n250 8BITMIME"
        } else if command.starts_with("HELO") || command.starts_with("NOOP") {
            "250 OK"
        } else if command.starts_with("MAIL FROM") {
            recipients.clear();
            "250 OK"
        } else if command.starts_with("RCPT TO") {
            let address = line
                .trim_end()
                .split_once(':')
                .map(|(_, a)| a.trim().trim_matches(['<', '>']).to_owned())
                .unwrap_or_default();
            recipients.push(address);
            "250 OK"
        } else if command == "DATA" {
            if !reply(&mut write, "354 End data with <CR><LF>.<CR><LF>").await {
                return;
            }
            let mut raw = String::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                    return;
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                // Undo dot-stuffing.
                raw.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            if let Ok(mut mails) = received.lock() {
                mails.push(ReceivedMail {
                    recipients: std::mem::take(&mut recipients),
                    raw,
                });
            }
            "250 OK queued"
        } else if command.starts_with("RSET") {
            recipients.clear();
            "250 OK"
        } else if command.starts_with("QUIT") {
            let _ = reply(&mut write, "221 Bye").await;
            return;
        } else {
            "502 Command not implemented"
        };
        if !reply(&mut write, answer).await {
            return;
        }
    }
}
