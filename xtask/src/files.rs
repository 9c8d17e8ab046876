//! Writing files the way every xtask command does: only when the content changed, atomically, and in check
//! mode not at all (a stale file is reported with the command that fixes it).

use std::fmt;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// How a command treats the files it would write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Rewrite files whose content differs.
    Write,
    /// Change nothing; report files whose content differs.
    Check,
}

/// A file whose committed content is not what the command produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    /// The file exists with other content.
    Stale(PathBuf),
    /// The command produces the file but it does not exist.
    Missing(PathBuf),
    /// The file exists in a directory the command owns but the command no longer produces it.
    Extra(PathBuf),
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Drift::Stale(path) => write!(f, "stale:   {}", path.display()),
            Drift::Missing(path) => write!(f, "missing: {}", path.display()),
            Drift::Extra(path) => write!(f, "extra:   {}", path.display()),
        }
    }
}

/// Makes `path` hold `contents`. In [`Mode::Write`] the file is replaced atomically (written beside it, then
/// renamed) so an interrupted run never leaves a half-written file. Returns the drift found, if any.
pub fn ensure_file_contents(path: &Path, contents: &[u8], mode: Mode) -> Result<Option<Drift>, String> {
    let drift = match fs::read(path) {
        Ok(existing) if existing == contents => return Ok(None),
        Ok(_) => Drift::Stale(path.to_owned()),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Drift::Missing(path.to_owned()),
        Err(err) => return Err(format!("cannot read {}: {err}", path.display())),
    };
    if mode == Mode::Write {
        write_atomically(path, contents)?;
    }
    Ok(Some(drift))
}

/// Removes `path` in [`Mode::Write`]; reports it as extra either way.
pub fn ensure_removed(path: &Path, mode: Mode) -> Result<Drift, String> {
    if mode == Mode::Write {
        fs::remove_file(path).map_err(|err| format!("cannot remove {}: {err}", path.display()))?;
    }
    Ok(Drift::Extra(path.to_owned()))
}

fn write_atomically(path: &Path, contents: &[u8]) -> Result<(), String> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|err| format!("cannot create {}: {err}", dir.display()))?;
    let file_name = path.file_name().map(|name| name.to_string_lossy()).unwrap_or_default();
    let temp = dir.join(format!(".{file_name}.xtask-tmp"));
    let result = (|| {
        let mut file = fs::File::create(&temp)?;
        file.write_all(contents)?;
        file.sync_all()?;
        fs::rename(&temp, path)
    })();
    result.map_err(|err| {
        let _ = fs::remove_file(&temp);
        format!("cannot write {}: {err}", path.display())
    })
}

/// Ends a check: `Ok` when nothing drifted, otherwise an error listing every drifted file and the fix.
pub fn report_drift(what: &str, drift: &[Drift], fix: &str) -> Result<(), String> {
    if drift.is_empty() {
        return Ok(());
    }
    let mut message = format!("{what} is out of date ({} file(s)):\n", drift.len());
    for entry in drift {
        message.push_str(&format!("  {entry}\n"));
    }
    message.push_str(&format!("run `{fix}` and commit the result"));
    Err(message)
}

/// The workspace root (the parent of the xtask crate), independent of the current directory.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives one level below the workspace root").to_owned()
}

/// Reads a file, gunzipping it if its name ends in `.gz`. Returns the name without `.gz` and the bytes.
pub fn read_maybe_gzipped(path: &Path) -> Result<(String, Vec<u8>), String> {
    use std::io::Read;
    let raw = fs::read(path).map_err(|err| format!("cannot read {}: {err}", path.display()))?;
    let file_name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    match file_name.strip_suffix(".gz") {
        Some(stem) => {
            let mut bytes = Vec::new();
            flate2::read::GzDecoder::new(raw.as_slice())
                .read_to_end(&mut bytes)
                .map_err(|err| format!("cannot gunzip {}: {err}", path.display()))?;
            Ok((stem.to_owned(), bytes))
        }
        None => Ok((file_name, raw)),
    }
}

/// Copies a directory tree, writing only files whose content differs.
pub fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    let entries = fs::read_dir(from).map_err(|err| format!("cannot list {}: {err}", from.display()))?;
    for entry in entries {
        let path = entry.map_err(|err| format!("cannot list {}: {err}", from.display()))?.path();
        let target = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy_dir(&path, &target)?;
        } else {
            let contents = fs::read(&path).map_err(|err| format!("cannot read {}: {err}", path.display()))?;
            ensure_file_contents(&target, &contents, Mode::Write)?;
        }
    }
    Ok(())
}

/// Reads a TOML file for editing with its layout and comments kept.
pub fn read_toml(path: &Path) -> Result<toml_edit::DocumentMut, String> {
    let text = fs::read_to_string(path).map_err(|err| format!("cannot read {}: {err}", path.display()))?;
    text.parse().map_err(|err| format!("{} is not valid TOML: {err}", path.display()))
}
