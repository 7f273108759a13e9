//! Secrets in links and cookies (manage links, organizer sessions): 256 random bits, shown once
//! (in a mail or a cookie), stored only as a SHA-256 hash.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// The secret part of a manage link or a session cookie.
pub struct SecretToken(String);

impl SecretToken {
    /// A fresh token from the operating system's random source.
    pub fn generate() -> Result<SecretToken, getrandom::Error> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)?;
        Ok(SecretToken(URL_SAFE_NO_PAD.encode(bytes)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the database keeps.
    pub fn hash(&self) -> String {
        hash_token(&self.0)
    }
}

/// A fresh check-in code for a ticket, from the operating system's random source.
pub fn new_ticket_code() -> Result<domain::tickets::TicketCode, getrandom::Error> {
    let mut bytes = [0u8; domain::tickets::CODE_LENGTH];
    getrandom::fill(&mut bytes)?;
    Ok(domain::tickets::TicketCode::from_random(bytes))
}

/// Whether two secrets are the same, compared in constant time (for their length).
pub fn same_secret(given: &str, expected: &str) -> bool {
    given.len() == expected.len()
        && given
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |differs, (a, b)| differs | (a ^ b))
            == 0
}

/// The stored form of a token as it arrives in a URL; never fails, so a forged token simply
/// finds nothing.
pub fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_url_safe() -> Result<(), getrandom::Error> {
        let (a, b) = (SecretToken::generate()?, SecretToken::generate()?);
        assert_ne!(a.as_str(), b.as_str());
        assert_eq!(a.as_str().len(), 43, "256 bits in base64url");
        assert!(
            a.as_str()
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        Ok(())
    }

    #[test]
    fn only_the_hash_matches_the_token() -> Result<(), getrandom::Error> {
        let token = SecretToken::generate()?;
        assert_eq!(token.hash(), hash_token(token.as_str()));
        assert_eq!(token.hash().len(), 64);
        assert_ne!(token.hash(), hash_token("forged"));
        Ok(())
    }
}
