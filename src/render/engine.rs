//! Which program lays a DOT graph out as SVG: graphviz-pure in this
//! process, or Graphviz `dot` from `PATH` under a time limit.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

use wait_timeout::ChildExt;

use crate::error::RenderError;
use crate::Error;

/// Which program lays the graph out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Engine {
    /// graphviz-pure, in this process (cargo feature `svg`): no system package.
    #[default]
    InProcess,
    /// Graphviz `dot` from `PATH`, killed after `timeout`.
    System {
        /// How long `dot` may run.
        timeout: Duration,
    },
}

/// Lays DOT text out as SVG with `engine`, with no post-processing.
pub fn layout(dot: &str, engine: Engine) -> Result<String, Error> {
    match engine {
        Engine::InProcess => in_process(dot),
        Engine::System { timeout } => {
            let bytes = run_dot(dot, "svg", timeout)?;
            String::from_utf8(bytes).map_err(|_| Error::Render(RenderError::NotUtf8))
        }
    }
}

#[cfg(feature = "svg")]
fn in_process(dot: &str) -> Result<String, Error> {
    let result = std::panic::catch_unwind(|| graphviz_pure::render_dot(dot, "dot", "svg"));
    match result {
        Ok(Ok(rendered)) => Ok(rendered.into_output()),
        Ok(Err(e)) => Err(Error::Render(RenderError::InProcessFailed {
            reason: Some(e.to_string()),
        })),
        Err(_) => Err(Error::Render(RenderError::InProcessFailed { reason: None })),
    }
}

#[cfg(not(feature = "svg"))]
fn in_process(_dot: &str) -> Result<String, Error> {
    Err(Error::Render(RenderError::NotBuilt(
        crate::error::Missing::InProcessLayout,
    )))
}

/// The most bytes `dot` may write to standard output: 256 MiB (an SVG of
/// the largest picture drawn is a few MB, a PNG of 40 megapixels at most
/// 160 MB); past it `dot` is stopped and the drawing refused.
pub const MAX_DOT_OUTPUT: u64 = 256 << 20;

/// The most bytes of `dot`'s standard error kept (for the error shown).
const MAX_DOT_STDERR: u64 = 64 << 10;

/// Waits for `child` for at most `timeout`, and stops it as soon as
/// `full` says its output passed [`MAX_DOT_OUTPUT`].
fn wait(
    child: &mut std::process::Child,
    timeout: Duration,
    full: &std::sync::mpsc::Receiver<()>,
) -> Result<std::process::ExitStatus, Error> {
    let started = std::time::Instant::now();
    let stop = |child: &mut std::process::Child, e: RenderError| {
        let _ = child.kill();
        let _ = child.wait();
        Err(Error::Render(e))
    };
    loop {
        if full.try_recv().is_ok() {
            return stop(
                child,
                RenderError::OutputTooLarge {
                    limit: MAX_DOT_OUTPUT,
                },
            );
        }
        let left = timeout.saturating_sub(started.elapsed());
        if left.is_zero() {
            return stop(
                child,
                RenderError::Timeout {
                    seconds: timeout.as_secs(),
                },
            );
        }
        match child.wait_timeout(left.min(Duration::from_millis(50))) {
            Ok(Some(status)) => {
                if full.try_recv().is_ok() {
                    return Err(Error::Render(RenderError::OutputTooLarge {
                        limit: MAX_DOT_OUTPUT,
                    }));
                }
                return Ok(status);
            }
            Ok(None) => {}
            Err(e) => {
                return Err(Error::Render(RenderError::RendererLost {
                    reason: e.to_string(),
                }))
            }
        }
    }
}

/// Runs Graphviz `dot -T<format>` on `dot`, killing it after `timeout` or
/// once it has written more than [`MAX_DOT_OUTPUT`] bytes.
pub fn run_dot(dot: &str, format: &str, timeout: Duration) -> Result<Vec<u8>, Error> {
    let mut child = Command::new("dot")
        .arg(format!("-T{format}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::Render(RenderError::RendererMissing),
            _ => Error::Render(RenderError::RendererNotStarted {
                reason: e.to_string(),
            }),
        })?;
    let input = dot.as_bytes().to_vec();
    let mut stdin = child.stdin.take();
    let writer = std::thread::spawn(move || {
        if let Some(s) = stdin.as_mut() {
            let _ = s.write_all(&input);
        }
        drop(stdin);
    });
    let (full_tx, full_rx) = std::sync::mpsc::channel::<()>();
    let mut stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(s) = stdout.as_mut() {
            let _ = s.take(MAX_DOT_OUTPUT + 1).read_to_end(&mut buf);
        }
        if buf.len() as u64 > MAX_DOT_OUTPUT {
            let _ = full_tx.send(());
        }
        buf
    });
    let mut stderr = child.stderr.take();
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(s) = stderr.as_mut() {
            let _ = s.take(MAX_DOT_STDERR).read_to_end(&mut buf);
            // The rest is read and dropped, so that `dot` never blocks on it.
            let _ = std::io::copy(s, &mut std::io::sink());
        }
        String::from_utf8_lossy(&buf).into_owned()
    });
    let status = wait(&mut child, timeout, &full_rx)?;
    let _ = writer.join();
    let out = reader.join().unwrap_or_default();
    let err = err_reader.join().unwrap_or_default();
    if !status.success() {
        return Err(Error::Render(RenderError::RendererFailed {
            status: status.to_string(),
            stderr: err.trim().to_string(),
        }));
    }
    Ok(out)
}
