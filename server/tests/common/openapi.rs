//! Checks against the site's OpenAPI document (`/api/v1/openapi.json`) with independent tools:
//! answers and webhook messages against their JSON schemas with PyPI `jsonschema`.

use serde_json::Value;

use super::{TestServer, run_python};

/// The site's OpenAPI document.
pub async fn document(site: &TestServer) -> Value {
    let (status, text) = site.text("/api/v1/openapi.json").await;
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).expect("the document is JSON")
}

/// The schema the document gives for the JSON answer `status` to `method` at `template`;
/// panics when the document does not list that answer.
pub fn answer_schema(document: &Value, (method, template): (&str, &str), status: u16) -> Value {
    let schema = &document["paths"][template][method]["responses"][status.to_string()]["content"]["application/json"]
        ["schema"];
    assert!(
        !schema.is_null(),
        "{method} {template} answers {status} with JSON, but the document does not say so"
    );
    schema.clone()
}

/// A JSON value and the schema it should fit, named for the report.
pub struct Case {
    pub name: String,
    pub schema: Value,
    pub body: Value,
}

/// What does not fit its schema, per case (none for a case that fits), checked with the JSON
/// Schema 2020-12 validator of PyPI `jsonschema` (formats such as `date-time` included). Every
/// object schema of the document is made closed first, so that a field the document does not
/// name counts as a problem too. `None` without the PyPI tools (the check says SKIPPED).
pub fn problems(document: &Value, cases: &[Case]) -> Option<Vec<Vec<String>>> {
    let input = serde_json::json!({
        "components": document["components"],
        "cases": cases.iter().map(|case| serde_json::json!({
            "name": case.name, "schema": case.schema, "body": case.body,
        })).collect::<Vec<_>>(),
    });
    let script = r#"
import json, sys
from jsonschema import Draft202012Validator
given = json.load(sys.stdin)
components = given["components"]
def closed(node):
    if isinstance(node, dict):
        if "properties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            closed(value)
    elif isinstance(node, list):
        for value in node:
            closed(value)
closed(components)
found = []
for case in given["cases"]:
    root = {"components": components, "allOf": [case["schema"]]}
    Draft202012Validator.check_schema(root)
    validator = Draft202012Validator(root, format_checker=Draft202012Validator.FORMAT_CHECKER)
    found.append([f"{e.json_path}: {e.message}" for e in validator.iter_errors(case["body"])])
print(json.dumps(found))
"#;
    let output = run_python(script, input.to_string().as_bytes())?;
    Some(serde_json::from_str(&output).expect("the problems as JSON"))
}
