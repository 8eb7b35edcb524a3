//! The signal a container runtime sends before it stops a process.

/// Waits for Ctrl-C or (on Unix) SIGTERM: what a container runtime sends before it stops a
/// process. For servers that drain without a [`Health`](super::Health); with one, use
/// [`Health::shutdown_on_signal`](super::Health::shutdown_on_signal).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
