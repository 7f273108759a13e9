//! A real Matrix homeserver for the tests: Synapse from PyPI (`end2end/requirements.txt`, in
//! the test tools' Python), on SQLite in a temporary folder, listening on 127.0.0.1 only and
//! talking to no other server. The tests read rooms back through the client-server API.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

pub struct Homeserver {
    pub url: String,
    python: PathBuf,
    config: PathBuf,
    child: Option<Child>,
    _dir: tempfile::TempDir,
}

impl Homeserver {
    /// Generates a configuration and starts Synapse; `None` without the test tools' Python
    /// (the check says SKIPPED, and fails in CI).
    pub async fn start() -> Option<Homeserver> {
        let Some(python) = std::env::var_os("CONVENE_PYTHON").map(PathBuf::from) else {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CONVENE_PYTHON is not set: run the tests with `cargo xtask test`"
            );
            eprintln!("SKIPPED: the Matrix check (CONVENE_PYTHON is not set)");
            return None;
        };
        let dir = tempfile::tempdir().expect("temp dir");
        let config = dir.path().join("homeserver.yaml");
        let generated = Command::new(&python)
            .args(["-m", "synapse.app.homeserver", "--server-name", "localhost"])
            .arg("--config-path")
            .arg(&config)
            .arg("--data-directory")
            .arg(dir.path())
            .args(["--generate-config", "--report-stats=no"])
            .output()
            .expect("run Synapse");
        assert!(generated.status.success(), "{generated:?}");
        let port = super::free_port();
        let yaml = std::fs::read_to_string(&config).expect("the generated configuration");
        // Only this machine: no IPv6 listener, no key server on the internet, no limits that a
        // test's burst of messages would hit.
        let yaml = yaml
            .replace("port: 8008", &format!("port: {port}"))
            .replace("    - ::1\n", "")
            .replace(
                "trusted_key_servers:\n  - server_name: \"matrix.org\"",
                "trusted_key_servers: []",
            );
        let yaml = format!(
            "{yaml}\nsuppress_key_server_warning: true\n\
             rc_message:\n  per_second: 1000\n  burst_count: 1000\n\
             rc_login:\n  address:\n    per_second: 1000\n    burst_count: 1000\n  \
             account:\n    per_second: 1000\n    burst_count: 1000\n"
        );
        std::fs::write(&config, yaml).expect("write the configuration");
        let mut homeserver = Homeserver {
            url: format!("http://127.0.0.1:{port}"),
            python,
            config,
            child: None,
            _dir: dir,
        };
        homeserver.resume().await;
        Some(homeserver)
    }

    /// Starts (again) and waits until it answers.
    pub async fn resume(&mut self) {
        let child = Command::new(&self.python)
            .args(["-m", "synapse.app.homeserver", "--config-path"])
            .arg(&self.config)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start Synapse");
        self.child = Some(child);
        let client = reqwest::Client::new();
        for _ in 0..1200 {
            let versions = client
                .get(format!("{}/_matrix/client/versions", self.url))
                .send()
                .await;
            if versions.is_ok_and(|r| r.status().is_success()) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("Synapse did not answer within two minutes");
    }

    /// Stops it (a homeserver that is down).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Registers `user` with Synapse's shared secret and signs in; returns the access token.
    pub async fn user(&self, user: &str) -> String {
        let script = self
            .python
            .parent()
            .expect("the venv's bin")
            .join("register_new_matrix_user");
        let password = "a password for the test";
        let registered = Command::new(&self.python)
            .arg(&script)
            .arg("-c")
            .arg(&self.config)
            .args(["-u", user, "-p", password, "--no-admin"])
            .arg(&self.url)
            .output()
            .expect("register a user");
        assert!(registered.status.success(), "{registered:?}");
        let login = json!({
            "type": "m.login.password",
            "identifier": { "type": "m.id.user", "user": user },
            "password": password,
        });
        let answer = self
            .call("POST", "/_matrix/client/v3/login", None, &login)
            .await;
        answer["access_token"].as_str().expect("a token").to_owned()
    }

    /// A new room of the user with `token`; its id.
    pub async fn room(&self, token: &str) -> String {
        let answer = self
            .call(
                "POST",
                "/_matrix/client/v3/createRoom",
                Some(token),
                &json!({ "name": "Community" }),
            )
            .await;
        answer["room_id"].as_str().expect("a room id").to_owned()
    }

    /// The content of every `m.room.message` in `room`, oldest first.
    pub async fn messages(&self, token: &str, room: &str) -> Vec<Value> {
        let path = format!(
            "/_matrix/client/v3/rooms/{}/messages?dir=b&limit=1000",
            domain::paths::encode_query_value(room)
        );
        let answer = self.call("GET", &path, Some(token), &Value::Null).await;
        let mut messages: Vec<Value> = answer["chunk"]
            .as_array()
            .expect("a chunk")
            .iter()
            .filter(|event| event["type"] == "m.room.message")
            .map(|event| event["content"].clone())
            .collect();
        messages.reverse();
        messages
    }

    /// Waits until `room` holds `count` messages (or fails after a while).
    pub async fn wait_for(&self, token: &str, room: &str, count: usize) -> Vec<Value> {
        for _ in 0..600 {
            let messages = self.messages(token, room).await;
            if messages.len() >= count {
                return messages;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "{count} messages did not reach the room: {:?}",
            self.messages(token, room).await
        );
    }

    async fn call(&self, method: &str, path: &str, token: Option<&str>, body: &Value) -> Value {
        let client = reqwest::Client::new();
        let url = format!("{}{path}", self.url);
        let mut request = match method {
            "GET" => client.get(url),
            _ => client.post(url).json(body),
        };
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("Synapse answers");
        let status = response.status();
        let answer: Value = response.json().await.expect("JSON");
        assert!(status.is_success(), "{method} {path}: {status} {answer}");
        answer
    }
}

impl Drop for Homeserver {
    fn drop(&mut self) {
        self.stop();
    }
}
