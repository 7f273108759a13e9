//! The built site's files (the bundle, its stylesheet, the in-place script) under a name that
//! changes with their content: `/assets/{version}/pkg/convene.js`. A browser may keep them for
//! a year without asking again; a new build has a new version, so it never runs an old bundle
//! against new pages.

use std::path::{Path, PathBuf};

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use sha2::{Digest, Sha256};
use tower_http::services::ServeDir;

/// Where the files of this build are served: `/assets/{version}`.
#[derive(Clone, Debug)]
pub struct Assets {
    pub root: std::sync::Arc<str>,
}

impl Assets {
    /// The version of the files under `site_root`: the start of a hash of every file's name
    /// and bytes (the precompressed copies follow from the originals and are left out).
    pub fn read(site_root: &Path) -> Assets {
        let mut files = Vec::new();
        collect_files(site_root, &mut files);
        files.sort();
        let mut hash = Sha256::new();
        for file in &files {
            let Ok(bytes) = std::fs::read(file) else {
                tracing::warn!(file = %file.display(), "a site file could not be read");
                continue;
            };
            let name = file.strip_prefix(site_root).unwrap_or(file);
            hash.update(name.to_string_lossy().as_bytes());
            hash.update([0]);
            hash.update(&bytes);
        }
        if files.is_empty() {
            tracing::warn!(site_root = %site_root.display(), "the site root holds no files");
        }
        let version: String = hash
            .finalize()
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect();
        Assets {
            root: format!("/assets/{version}").into(),
        }
    }

    /// Serves the site root under [`Assets::root`], precompressed copies where they exist. Any
    /// other version is not found (an old page after a new deployment works without them).
    pub fn router<S: Clone + Send + Sync + 'static>(&self, site_root: &Path) -> Router<S> {
        let files = ServeDir::new(site_root)
            .precompressed_br()
            .precompressed_gzip();
        Router::new()
            .nest_service(&self.root, files)
            .layer(axum::middleware::map_response(cache_for_a_year))
    }
}

/// Files under a versioned name never change.
async fn cache_for_a_year(mut response: Response) -> Response {
    if response.status().is_success() || response.status().is_redirection() {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
    }
    response
}

fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, files);
        } else if !matches!(path.extension().and_then(|e| e.to_str()), Some("br" | "gz")) {
            files.push(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_changes_with_any_file_and_not_with_precompressed_copies() {
        let root = tempfile::tempdir().expect("a temporary folder");
        std::fs::create_dir(root.path().join("pkg")).expect("pkg");
        std::fs::write(root.path().join("pkg/convene.js"), "one").expect("write");
        let first = Assets::read(root.path()).root;
        assert!(first.starts_with("/assets/") && first.len() == "/assets/".len() + 16);
        assert_eq!(Assets::read(root.path()).root, first, "the same files");

        std::fs::write(root.path().join("pkg/convene.js.br"), "compressed").expect("write");
        assert_eq!(Assets::read(root.path()).root, first, "copies do not count");

        std::fs::write(root.path().join("pkg/convene.js"), "two").expect("write");
        let second = Assets::read(root.path()).root;
        assert_ne!(second, first, "new bytes");

        std::fs::write(root.path().join("in-place.js"), "").expect("write");
        assert_ne!(Assets::read(root.path()).root, second, "a new file");
    }
}
