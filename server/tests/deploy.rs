//! The deployment files agree with each other and with the code: the Kubernetes manifests under
//! `deploy/kubernetes` (parsed as YAML), the `Containerfile` (read as text), the tool versions
//! `cargo xtask` installs and the variables the server reads. No container engine or cluster is
//! needed; when `kubectl` is on PATH it also renders the kustomization.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;
use serde_norway::Value;

const MANIFESTS: &str = "deploy/kubernetes";
const EXAMPLE_SECRET: &str = "secret.example.yaml";
/// Settings that must never be written into a manifest as plain values.
const SECRET_VARIABLES: [&str; 3] = ["DATABASE_URL", "CONVENE_SMTP_URL", "CONVENE_METRICS_TOKEN"];

fn root() -> PathBuf {
    // Cargo sets CARGO_MANIFEST_DIR when it runs a test or `cargo run`; reading it at run time
    // (not with env!) keeps a binary reused from another checkout of the same target dir from
    // looking at that other checkout.
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(".."))
}

fn read(relative: &str) -> String {
    let path = root().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// One YAML document of a manifest file.
struct Document {
    file: String,
    value: Value,
}

/// Every document of every `.yaml`/`.yml` file under `deploy/kubernetes`, files in name order.
fn documents() -> Vec<Document> {
    let dir = root().join(MANIFESTS);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    files.retain(|path| {
        path.extension()
            .is_some_and(|ext| ext == "yaml" || ext == "yml")
    });
    files.sort();
    assert!(!files.is_empty(), "no manifests in {}", dir.display());
    let mut documents = Vec::new();
    for path in files {
        let file = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        for document in serde_norway::Deserializer::from_str(&text) {
            let value = Value::deserialize(document)
                .unwrap_or_else(|e| panic!("{file} is not valid YAML: {e}"));
            // An empty document, e.g. after a trailing `---`.
            if !value.is_null() {
                documents.push(Document {
                    file: file.clone(),
                    value,
                });
            }
        }
    }
    documents
}

/// The one applied resource of this kind (the example Secret does not count).
fn resource(documents: &[Document], kind: &str) -> Value {
    let found: Vec<&Document> = documents
        .iter()
        .filter(|d| d.file != EXAMPLE_SECRET && d.value["kind"].as_str() == Some(kind))
        .collect();
    assert_eq!(found.len(), 1, "expected one {kind} in {MANIFESTS}");
    found[0].value.clone()
}

fn text<'a>(value: &'a Value, what: &str) -> &'a str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("{what}: expected a string, got {value:?}"))
}

fn sequence<'a>(value: &'a Value, what: &str) -> &'a [Value] {
    value
        .as_sequence()
        .map(Vec::as_slice)
        .unwrap_or_else(|| panic!("{what}: expected a list, got {value:?}"))
}

/// The convene container of the Deployment's pod template.
fn container(deployment: &Value) -> Value {
    let containers = sequence(
        &deployment["spec"]["template"]["spec"]["containers"],
        "containers",
    );
    assert_eq!(containers.len(), 1, "one container per pod");
    containers[0].clone()
}

/// The container port named `http`.
fn http_port(container: &Value) -> u64 {
    let ports = sequence(&container["ports"], "ports");
    let http = ports
        .iter()
        .find(|port| port["name"].as_str() == Some("http"))
        .unwrap_or_else(|| panic!("no container port named http: {ports:?}"));
    http["containerPort"]
        .as_u64()
        .unwrap_or_else(|| panic!("containerPort: {http:?}"))
}

/// The port of an address such as `0.0.0.0:3000`.
fn port_of(address: &str) -> u64 {
    address
        .rsplit_once(':')
        .and_then(|(_, port)| port.parse().ok())
        .unwrap_or_else(|| panic!("no port in {address:?}"))
}

#[test]
fn every_manifest_is_a_kubernetes_object() {
    let documents = documents();
    for document in &documents {
        let value = &document.value;
        let file = &document.file;
        assert!(value["apiVersion"].is_string(), "{file}: no apiVersion");
        let kind = text(&value["kind"], file);
        if kind != "Kustomization" {
            assert!(value["metadata"]["name"].is_string(), "{file}: no name");
        }
    }
    let kinds: BTreeSet<&str> = documents
        .iter()
        .filter_map(|d| d.value["kind"].as_str())
        .collect();
    for kind in [
        "ConfigMap",
        "Deployment",
        "Service",
        "Ingress",
        "Kustomization",
        "Secret",
    ] {
        assert!(kinds.contains(kind), "no {kind} in {MANIFESTS}");
    }
}

#[test]
fn deployment_runs_two_replicas_and_replaces_them_one_by_one() {
    let deployment = resource(&documents(), "Deployment");
    assert_eq!(deployment["metadata"]["name"].as_str(), Some("convene"));
    assert_eq!(deployment["spec"]["replicas"].as_u64(), Some(2));
    let rolling = &deployment["spec"]["strategy"]["rollingUpdate"];
    assert_eq!(
        deployment["spec"]["strategy"]["type"].as_str(),
        Some("RollingUpdate")
    );
    assert_eq!(rolling["maxUnavailable"].as_u64(), Some(0));
    let selector = &deployment["spec"]["selector"]["matchLabels"];
    let labels = &deployment["spec"]["template"]["metadata"]["labels"];
    let selector_map = selector.as_mapping().expect("selector.matchLabels");
    assert!(!selector_map.is_empty());
    for (key, value) in selector_map {
        assert_eq!(&labels[key], value, "pod labels must match the selector");
    }
    assert_eq!(
        deployment["spec"]["template"]["spec"]["terminationGracePeriodSeconds"].as_u64(),
        Some(30)
    );
}

#[test]
fn probes_ask_readyz_and_healthz_on_the_container_port() {
    let container = container(&resource(&documents(), "Deployment"));
    http_port(&container);
    for (probe, path) in [
        ("readinessProbe", "/readyz"),
        ("livenessProbe", "/healthz"),
        ("startupProbe", "/healthz"),
    ] {
        let get = &container[probe]["httpGet"];
        assert_eq!(get["path"].as_str(), Some(path), "{probe}");
        // By name, so the probes follow the port if its number changes.
        assert_eq!(get["port"].as_str(), Some("http"), "{probe}");
    }
}

#[test]
fn probe_paths_are_routes_of_the_server() {
    let container = container(&resource(&documents(), "Deployment"));
    let sources: String = ["routes/mod.rs", "routes/ops.rs"]
        .iter()
        .map(|file| read(&format!("server/src/{file}")))
        .collect();
    for probe in ["readinessProbe", "livenessProbe", "startupProbe"] {
        let path = text(&container[probe]["httpGet"]["path"], probe);
        assert!(
            sources.contains(&format!("\"{path}\"")),
            "{probe} asks {path}, which server/src does not route"
        );
    }
}

#[test]
fn secrets_come_from_the_secret_by_reference_only() {
    let documents = documents();
    let container = container(&resource(&documents, "Deployment"));
    let env = sequence(&container["env"], "env");
    let example = documents
        .iter()
        .find(|d| d.file == EXAMPLE_SECRET)
        .map(|d| d.value.clone())
        .expect("secret.example.yaml");
    for variable in SECRET_VARIABLES {
        let entry = env
            .iter()
            .find(|e| e["name"].as_str() == Some(variable))
            .unwrap_or_else(|| panic!("{variable} is not set in the Deployment"));
        assert!(
            entry["value"].is_null(),
            "{variable} must not be a literal value"
        );
        let reference = &entry["valueFrom"]["secretKeyRef"];
        assert_eq!(reference["name"].as_str(), Some("convene"), "{variable}");
        let key = text(&reference["key"], variable);
        // The documented example has every key the Deployment needs, with placeholder values.
        let placeholder = text(&example["stringData"][key], key);
        assert!(
            placeholder.contains("CHANGE-ME"),
            "{key} in {EXAMPLE_SECRET} must be an obvious placeholder"
        );
    }
    assert_eq!(example["metadata"]["name"].as_str(), Some("convene"));
    // Nor may a secret setting hide in the ConfigMap.
    let config = resource(&documents, "ConfigMap");
    for variable in SECRET_VARIABLES {
        assert!(
            config["data"][variable].is_null(),
            "{variable} belongs in the Secret"
        );
    }
}

#[test]
fn configuration_comes_from_the_configmap_and_listens_on_the_container_port() {
    let documents = documents();
    let config = resource(&documents, "ConfigMap");
    let container = container(&resource(&documents, "Deployment"));
    let from = sequence(&container["envFrom"], "envFrom");
    let config_name = text(&config["metadata"]["name"], "ConfigMap name");
    assert!(
        from.iter()
            .any(|source| source["configMapRef"]["name"].as_str() == Some(config_name)),
        "the Deployment must take its environment from the ConfigMap {config_name}"
    );
    for key in [
        "CONVENE_BASE_URL",
        "LEPTOS_SITE_ADDR",
        "CONVENE_MAIL_FROM",
        "RUST_LOG",
    ] {
        assert!(config["data"][key].is_string(), "ConfigMap lacks {key}");
    }
    let listen = text(&config["data"]["LEPTOS_SITE_ADDR"], "LEPTOS_SITE_ADDR");
    assert!(
        listen.starts_with("0.0.0.0:"),
        "must listen on every interface of the pod"
    );
    assert_eq!(port_of(listen), http_port(&container));
    let base_url = text(&config["data"]["CONVENE_BASE_URL"], "CONVENE_BASE_URL");
    assert!(base_url.starts_with("https://"), "{base_url}");
}

#[test]
fn every_variable_set_for_the_server_is_one_it_reads() {
    let documents = documents();
    let config = resource(&documents, "ConfigMap");
    let container = container(&resource(&documents, "Deployment"));
    let mut names: BTreeSet<String> = config["data"]
        .as_mapping()
        .expect("ConfigMap data")
        .keys()
        .map(|key| text(key, "ConfigMap key").to_owned())
        .collect();
    names.extend(
        sequence(&container["env"], "env")
            .iter()
            .map(|e| text(&e["name"], "env name").to_owned()),
    );
    names.extend(runtime_env(&containerfile()));
    let known = read("server/src/config.rs");
    for name in names {
        // RUST_LOG is read by the tracing filter in main.rs.
        assert!(
            name == "RUST_LOG" || known.contains(&format!("\"{name}\"")),
            "{name} is set for the server but server/src/config.rs does not read it (a typo?)"
        );
    }
}

#[test]
fn resources_and_security_context_are_set() {
    let deployment = resource(&documents(), "Deployment");
    let container = container(&deployment);
    let requests = &container["resources"]["requests"];
    assert_eq!(requests["cpu"].as_str(), Some("100m"));
    assert_eq!(requests["memory"].as_str(), Some("64Mi"));
    assert_eq!(
        container["resources"]["limits"]["memory"].as_str(),
        Some("256Mi")
    );
    let pod = &deployment["spec"]["template"]["spec"]["securityContext"];
    assert_eq!(pod["runAsNonRoot"].as_bool(), Some(true));
    let security = &container["securityContext"];
    assert_eq!(security["readOnlyRootFilesystem"].as_bool(), Some(true));
    assert_eq!(security["allowPrivilegeEscalation"].as_bool(), Some(false));
    // The uid Kubernetes runs the pod as is the image's own user.
    let user = containerfile_user(&containerfile());
    if let Some(uid) = pod["runAsUser"].as_u64() {
        assert_eq!(
            user.split(':').next(),
            Some(uid.to_string().as_str()),
            "runAsUser and the Containerfile's USER differ"
        );
    }
}

#[test]
fn service_targets_the_named_container_port() {
    let documents = documents();
    let service = resource(&documents, "Service");
    let deployment = resource(&documents, "Deployment");
    let ports = sequence(&service["spec"]["ports"], "Service ports");
    assert_eq!(ports.len(), 1);
    assert_eq!(ports[0]["port"].as_u64(), Some(80));
    assert_eq!(ports[0]["targetPort"].as_str(), Some("http"));
    let spec_type = service["spec"]["type"].as_str().unwrap_or("ClusterIP");
    assert_eq!(spec_type, "ClusterIP");
    let labels = &deployment["spec"]["template"]["metadata"]["labels"];
    let selector = service["spec"]["selector"]
        .as_mapping()
        .expect("Service selector");
    assert!(!selector.is_empty());
    for (key, value) in selector {
        assert_eq!(&labels[key], value, "the Service must select the pods");
    }
}

#[test]
fn ingress_routes_the_host_to_the_service_over_tls() {
    let documents = documents();
    let ingress = resource(&documents, "Ingress");
    let service = resource(&documents, "Service");
    let service_name = text(&service["metadata"]["name"], "Service name");
    let service_port = text(&service["spec"]["ports"][0]["name"], "Service port name");
    let rules = sequence(&ingress["spec"]["rules"], "Ingress rules");
    assert!(!rules.is_empty());
    for rule in rules {
        let host = text(&rule["host"], "Ingress host");
        assert_eq!(host, "events.example.org");
        for path in sequence(&rule["http"]["paths"], "Ingress paths") {
            let backend = &path["backend"]["service"];
            assert_eq!(backend["name"].as_str(), Some(service_name));
            let by_name = backend["port"]["name"].as_str() == Some(service_port);
            let by_number = backend["port"]["number"].as_u64() == Some(80);
            assert!(by_name || by_number, "Ingress port: {backend:?}");
        }
        let tls = sequence(&ingress["spec"]["tls"], "Ingress tls");
        assert!(
            tls.iter().any(|entry| {
                entry["secretName"].is_string()
                    && sequence(&entry["hosts"], "tls hosts")
                        .iter()
                        .any(|h| h.as_str() == Some(host))
            }),
            "no TLS secret for {host}"
        );
    }
}

#[test]
fn kustomization_lists_existing_files_but_not_the_example_secret() {
    let documents = documents();
    let kustomization = resource(&documents, "Kustomization");
    let listed: Vec<&str> = sequence(&kustomization["resources"], "resources")
        .iter()
        .map(|r| text(r, "resource"))
        .collect();
    let dir = root().join(MANIFESTS);
    for file in &listed {
        assert!(dir.join(file).is_file(), "{file} is listed but missing");
    }
    assert!(
        !listed.contains(&EXAMPLE_SECRET),
        "the example Secret must not be applied"
    );
    // Every other manifest is applied.
    let files: BTreeSet<&str> = documents
        .iter()
        .map(|d| d.file.as_str())
        .filter(|f| *f != EXAMPLE_SECRET && *f != "kustomization.yaml")
        .collect();
    for file in files {
        assert!(
            listed.contains(&file),
            "{file} is not in kustomization.yaml"
        );
    }
}

/// `kubectl kustomize` works without a cluster; `kubectl apply --dry-run=client` needs one
/// (it asks the API server for the resource types), so it runs only when a cluster answers.
#[test]
fn kubectl_accepts_the_manifests_when_it_is_installed() {
    let dir = root().join(MANIFESTS);
    let kubectl = |args: &[&str]| Command::new("kubectl").args(args).output();
    let Ok(rendered) = kubectl(&["kustomize", &dir.to_string_lossy()]) else {
        return; // kubectl is not installed
    };
    assert!(
        rendered.status.success(),
        "kubectl kustomize failed: {}",
        String::from_utf8_lossy(&rendered.stderr)
    );
    let text = String::from_utf8_lossy(&rendered.stdout);
    let mut kinds = BTreeSet::new();
    for document in serde_norway::Deserializer::from_str(&text) {
        let value = Value::deserialize(document).expect("kubectl kustomize output");
        let kind = value["kind"].as_str().unwrap_or_default().to_owned();
        if kind != "Namespace" {
            assert_eq!(value["metadata"]["namespace"].as_str(), Some("convene"));
        }
        assert_ne!(kind, "Secret", "the example Secret must not be rendered");
        kinds.insert(kind);
    }
    for kind in ["ConfigMap", "Deployment", "Service", "Ingress"] {
        assert!(kinds.contains(kind), "kubectl kustomize rendered no {kind}");
    }
    let cluster_answers =
        kubectl(&["version", "--request-timeout=5s"]).is_ok_and(|output| output.status.success());
    if cluster_answers {
        let dry_run = kubectl(&["apply", "--dry-run=client", "-k", &dir.to_string_lossy()])
            .expect("kubectl apply --dry-run=client");
        assert!(
            dry_run.status.success(),
            "kubectl apply --dry-run=client failed: {}",
            String::from_utf8_lossy(&dry_run.stderr)
        );
    }
}

// ---- Containerfile ---------------------------------------------------------------------------

/// One instruction of a Containerfile, continuation lines joined, comments dropped.
struct Instruction {
    keyword: String,
    arguments: String,
}

fn containerfile() -> Vec<Instruction> {
    let text = read("Containerfile");
    let mut instructions = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('#') || (trimmed.is_empty() && current.is_empty()) {
            continue;
        }
        match trimmed.strip_suffix('\\') {
            Some(part) => {
                current.push_str(part);
                current.push(' ');
            }
            None => {
                current.push_str(trimmed);
                let (keyword, arguments) = current
                    .split_once(char::is_whitespace)
                    .unwrap_or((&current, ""));
                instructions.push(Instruction {
                    keyword: keyword.to_ascii_uppercase(),
                    arguments: arguments.trim().to_owned(),
                });
                current.clear();
            }
        }
    }
    assert!(
        current.is_empty(),
        "Containerfile ends in a continuation line"
    );
    instructions
}

/// The instructions of each stage, in order.
fn stages(instructions: &[Instruction]) -> Vec<&[Instruction]> {
    let starts: Vec<usize> = instructions
        .iter()
        .enumerate()
        .filter(|(_, i)| i.keyword == "FROM")
        .map(|(n, _)| n)
        .collect();
    assert_eq!(starts.first(), Some(&0), "a Containerfile starts with FROM");
    starts
        .iter()
        .enumerate()
        .map(|(n, &start)| {
            let end = starts.get(n + 1).copied().unwrap_or(instructions.len());
            &instructions[start..end]
        })
        .collect()
}

fn runtime_stage(instructions: &[Instruction]) -> &[Instruction] {
    stages(instructions)
        .last()
        .copied()
        .expect("at least one stage")
}

/// The `USER` of the runtime stage.
fn containerfile_user(instructions: &[Instruction]) -> String {
    runtime_stage(instructions)
        .iter()
        .rev()
        .find(|i| i.keyword == "USER")
        .map(|i| i.arguments.clone())
        .expect("the runtime stage must set a USER")
}

/// `KEY=value` pairs of the runtime stage's `ENV` instructions.
fn runtime_env_values(instructions: &[Instruction]) -> Vec<(String, String)> {
    runtime_stage(instructions)
        .iter()
        .filter(|i| i.keyword == "ENV")
        .flat_map(|i| i.arguments.split_whitespace())
        .map(|pair| {
            let (key, value) = pair
                .split_once('=')
                .unwrap_or_else(|| panic!("write ENV as KEY=value: {pair}"));
            (key.to_owned(), value.trim_matches('"').to_owned())
        })
        .collect()
}

fn runtime_env(instructions: &[Instruction]) -> Vec<String> {
    runtime_env_values(instructions)
        .into_iter()
        .map(|(key, _)| key)
        .collect()
}

/// The string value of `const NAME: &str = "...";` in a Rust source file.
fn rust_const(source: &str, name: &str) -> String {
    let prefix = format!("const {name}: &str = \"");
    source
        .lines()
        .find_map(|line| line.trim().strip_prefix(&prefix))
        .and_then(|rest| rest.split_once('"'))
        .map(|(value, _)| value.to_owned())
        .unwrap_or_else(|| panic!("no {name} in xtask/src/main.rs"))
}

/// The version after `--version` in the `RUN cargo install <krate>` instruction.
fn installed_version(instructions: &[Instruction], krate: &str) -> String {
    let install = format!("cargo install {krate} ");
    let run = instructions
        .iter()
        .find(|i| i.keyword == "RUN" && i.arguments.contains(&install))
        .unwrap_or_else(|| panic!("the Containerfile does not install {krate}"));
    let words: Vec<&str> = run.arguments.split_whitespace().collect();
    words
        .windows(2)
        .find(|pair| pair[0] == "--version")
        .map(|pair| pair[1].trim_start_matches('=').to_owned())
        .unwrap_or_else(|| panic!("{krate} is installed without --version"))
}

#[test]
fn containerfile_builds_in_one_stage_and_runs_in_another() {
    let instructions = containerfile();
    let stages = stages(&instructions);
    assert_eq!(stages.len(), 2, "a builder and a runtime stage");
    let builder = stages[0];
    assert!(
        builder[0].arguments.contains("rust:"),
        "the builder starts from a Rust image: {}",
        builder[0].arguments
    );
    assert!(
        builder
            .iter()
            .any(|i| i.keyword == "RUN" && i.arguments.contains("cargo leptos build --release")),
        "the builder runs cargo leptos build --release"
    );
    let runtime = stages[1];
    assert!(runtime[0].arguments.contains("debian:bookworm-slim"));
    let copies: Vec<&str> = runtime
        .iter()
        .filter(|i| i.keyword == "COPY" && i.arguments.starts_with("--from="))
        .map(|i| i.arguments.as_str())
        .collect();
    assert!(
        copies.iter().any(|c| c.contains("target/release/convene")),
        "the runtime copies the binary: {copies:?}"
    );
    // The site lands where LEPTOS_SITE_ROOT says it is.
    let env = runtime_env_values(&instructions);
    let site_root = env
        .iter()
        .find(|(key, _)| key == "LEPTOS_SITE_ROOT")
        .map(|(_, value)| value.as_str())
        .expect("LEPTOS_SITE_ROOT in the runtime stage");
    assert!(
        copies
            .iter()
            .any(|c| c.contains("target/site") && c.ends_with(site_root)),
        "the site is not copied to {site_root}: {copies:?}"
    );
    let entrypoint = runtime.iter().find(|i| i.keyword == "ENTRYPOINT");
    assert_eq!(
        entrypoint.map(|i| i.arguments.as_str()),
        Some("[\"/app/convene\"]"),
        "exec form, so convene receives SIGTERM itself"
    );
}

#[test]
fn containerfile_runs_as_a_non_root_user() {
    let user = containerfile_user(&containerfile());
    let name = user.split(':').next().unwrap_or_default();
    assert!(
        !matches!(name, "" | "root" | "0"),
        "the runtime stage must not run as root: USER {user}"
    );
    // Numeric, so that Kubernetes can verify runAsNonRoot.
    assert!(
        name.parse::<u32>().is_ok(),
        "USER should be numeric: {user}"
    );
}

#[test]
fn containerfile_exposes_the_port_the_deployment_uses() {
    let instructions = containerfile();
    let container = container(&resource(&documents(), "Deployment"));
    let port = http_port(&container);
    let exposed: Vec<u64> = runtime_stage(&instructions)
        .iter()
        .filter(|i| i.keyword == "EXPOSE")
        .flat_map(|i| i.arguments.split_whitespace())
        .map(|p| p.trim_end_matches("/tcp").parse().expect("EXPOSE port"))
        .collect();
    assert_eq!(exposed, vec![port]);
    let listen = runtime_env_values(&instructions)
        .into_iter()
        .find(|(key, _)| key == "LEPTOS_SITE_ADDR")
        .map(|(_, value)| value)
        .expect("LEPTOS_SITE_ADDR in the runtime stage");
    assert_eq!(port_of(&listen), port);
}

#[test]
fn containerfile_installs_the_tool_versions_xtask_pins() {
    let instructions = containerfile();
    let xtask = read("xtask/src/main.rs");
    let cargo_leptos = rust_const(&xtask, "CARGO_LEPTOS_VERSION");
    let wasm_bindgen = rust_const(&xtask, "WASM_BINDGEN_VERSION");
    assert_eq!(
        installed_version(&instructions, "cargo-leptos"),
        cargo_leptos
    );
    assert_eq!(
        installed_version(&instructions, "wasm-bindgen-cli"),
        wasm_bindgen
    );
    // The CLI must equal the library the wasm is built with.
    assert!(
        read("Cargo.toml").contains(&format!("wasm-bindgen = \"={wasm_bindgen}\"")),
        "Cargo.toml does not pin wasm-bindgen = \"={wasm_bindgen}\""
    );
    let runs: Vec<&str> = instructions
        .iter()
        .filter(|i| i.keyword == "RUN")
        .map(|i| i.arguments.as_str())
        .collect();
    assert!(
        runs.iter()
            .any(|r| r.contains("rustup target add wasm32-unknown-unknown"))
    );
    assert!(
        runs.iter().any(|r| r.contains("binaryen@")),
        "wasm-opt from npm"
    );
}

#[test]
fn containerfile_builder_uses_the_workspace_rust_version() {
    let instructions = containerfile();
    let manifest = read("Cargo.toml");
    let rust_version = manifest
        .lines()
        .find_map(|line| line.trim().strip_prefix("rust-version = \""))
        .and_then(|rest| rest.split_once('"'))
        .map(|(version, _)| version)
        .expect("rust-version in Cargo.toml");
    let image = &stages(&instructions)[0][0].arguments;
    assert!(
        image.contains(&format!("rust:{rust_version}-")),
        "the builder image {image} is not Rust {rust_version}"
    );
}

#[test]
fn containerfile_copies_every_workspace_manifest_before_fetching() {
    let instructions = containerfile();
    let manifest = read("Cargo.toml");
    let members_line = manifest
        .lines()
        .find(|line| line.trim_start().starts_with("members = ["))
        .expect("members = [...] in Cargo.toml");
    let members: Vec<&str> = members_line.split('"').skip(1).step_by(2).collect();
    assert!(!members.is_empty());
    let copies: Vec<&str> = instructions
        .iter()
        .filter(|i| i.keyword == "COPY")
        .map(|i| i.arguments.as_str())
        .collect();
    for member in members {
        let copy = format!("{member}/Cargo.toml ");
        assert!(
            copies.iter().any(|c| c.starts_with(&copy)),
            "the Containerfile must COPY {member}/Cargo.toml before `cargo fetch`"
        );
    }
}

#[test]
fn containerignore_and_dockerignore_agree() {
    let podman = read(".containerignore");
    assert_eq!(podman, read(".dockerignore"));
    for excluded in ["target/", "node_modules", "*.db", "mail/"] {
        assert!(
            podman.lines().any(|line| line.contains(excluded)),
            ".containerignore does not exclude {excluded}"
        );
    }
}
