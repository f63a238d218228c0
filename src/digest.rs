//! The one hashing scheme of pdb (blake3), for manifests, fingerprints and shards.

/// blake3 of some bytes, in hex: what a manifest keeps of each file it wrote.
pub fn hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// A hash built from labelled parts, each length-prefixed so that no two inputs collide.
pub struct Hasher(blake3::Hasher);

impl Hasher {
    /// `domain` names what is hashed, so that two kinds of fingerprint never coincide.
    pub fn new(domain: &str) -> Hasher {
        let mut hasher = Hasher(blake3::Hasher::new());
        hasher.part(domain.as_bytes());
        hasher
    }

    pub fn part(&mut self, bytes: &[u8]) -> &mut Hasher {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    /// A part that is itself the blake3 of a file's bytes (a photo), not its hex.
    pub fn part_hash_of(&mut self, bytes: &[u8]) -> &mut Hasher {
        self.part(blake3::hash(bytes).as_bytes())
    }

    pub fn finish(&self) -> String {
        self.0.finalize().to_hex().to_string()
    }
}

/// The hash of a set of templates, as (name, text): each followed by a NUL byte. Older than
/// [`Hasher`], and kept as it is: it is part of every render fingerprint already written, so a
/// change would re-render every output folder.
pub fn templates<'a>(templates: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut hasher = blake3::Hasher::new();
    for (name, text) in templates {
        for part in [name.as_bytes(), b"\0", text.as_bytes(), b"\0"] {
            hasher.update(part);
        }
    }
    hasher.finalize().to_hex().to_string()
}

/// A number spread evenly over `u64` for a key: what `--shard` divides by.
pub fn bucket(key: &str) -> u64 {
    let hash = blake3::hash(key.as_bytes());
    let bytes: [u8; 8] = hash.as_bytes()[..8].try_into().expect("8 bytes");
    u64::from_le_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_length_prefixed() {
        let a = Hasher::new("t").part(b"ab").part(b"c").finish();
        let b = Hasher::new("t").part(b"a").part(b"bc").finish();
        assert_ne!(a, b);
        assert_ne!(Hasher::new("t").finish(), Hasher::new("u").finish());
    }

    #[test]
    fn the_template_hash_is_the_one_older_folders_hold() {
        // NUL-separated names and texts, as `Engine` hashed them before this module existed.
        let expected = blake3::hash(b"a\0x\0b\0y\0").to_hex().to_string();
        assert_eq!(templates([("a", "x"), ("b", "y")]), expected);
    }
}
