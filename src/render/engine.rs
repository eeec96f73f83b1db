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

/// Runs Graphviz `dot -T<format>` on `dot`, killing it after `timeout`.
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
    let mut stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(s) = stdout.as_mut() {
            let _ = s.read_to_end(&mut buf);
        }
        buf
    });
    let mut stderr = child.stderr.take();
    let err_reader = std::thread::spawn(move || {
        let mut buf = String::new();
        if let Some(s) = stderr.as_mut() {
            let _ = s.read_to_string(&mut buf);
        }
        buf
    });
    let status = match child.wait_timeout(timeout) {
        Ok(Some(status)) => status,
        Ok(None) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(Error::Render(RenderError::Timeout {
                seconds: timeout.as_secs(),
            }));
        }
        Err(e) => {
            return Err(Error::Render(RenderError::RendererLost {
                reason: e.to_string(),
            }))
        }
    };
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
