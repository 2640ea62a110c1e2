//! HTTPS for the listener (`--tls-cert`, `--tls-key`): rustls with ring,
//! the files read again on SIGHUP. Built where the listener runs (Linux
//! jump boxes); ring's C cannot be cross-built for a Mac, so there a
//! laptop build refuses the flags and says to put a proxy in front.

#[cfg(not(target_os = "macos"))]
pub use real::Tls;

#[cfg(target_os = "macos")]
pub use unbuilt::Tls;

#[cfg(not(target_os = "macos"))]
mod real {
    use std::path::{Path, PathBuf};
    use std::sync::{Arc, RwLock};
    use tokio::net::TcpStream;
    use tokio_rustls::TlsAcceptor;
    use tokio_rustls::rustls;
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

    /// The certificate and key for HTTPS, read again on SIGHUP.
    pub struct Tls {
        cert: PathBuf,
        key: PathBuf,
        acceptor: RwLock<TlsAcceptor>,
    }

    impl Tls {
        pub fn load(cert: &Path, key: &Path) -> Result<Tls, String> {
            let acceptor = acceptor(cert, key)?;
            Ok(Tls {
                cert: cert.to_path_buf(),
                key: key.to_path_buf(),
                acceptor: RwLock::new(acceptor),
            })
        }

        /// Read the files again; on an error the certificate being served
        /// stays.
        pub fn reload(&self) -> Result<(), String> {
            let fresh = acceptor(&self.cert, &self.key)?;
            *self.acceptor.write().unwrap_or_else(|e| e.into_inner()) = fresh;
            Ok(())
        }

        /// The TLS handshake on `socket` with the certificate being served.
        pub async fn accept(
            &self,
            socket: TcpStream,
        ) -> std::io::Result<tokio_rustls::server::TlsStream<TcpStream>> {
            let acceptor = self
                .acceptor
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .clone();
            acceptor.accept(socket).await
        }
    }

    fn acceptor(cert: &Path, key: &Path) -> Result<TlsAcceptor, String> {
        let shown = |p: &Path| crate::sanitize::line(&p.display().to_string()).into_owned();
        let pem = std::fs::read(cert)
            .map_err(|e| format!("--tls-cert {}: cannot read it: {e}", shown(cert)))?;
        let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&pem)
            .collect::<Result<_, _>>()
            .map_err(|e| {
                format!(
                    "--tls-cert {}: not a PEM certificate chain ({e:?})",
                    shown(cert)
                )
            })?;
        if chain.is_empty() {
            return Err(format!(
                "--tls-cert {}: no certificate in it (expected PEM, '-----BEGIN CERTIFICATE-----')",
                shown(cert)
            ));
        }
        let pem = std::fs::read(key)
            .map_err(|e| format!("--tls-key {}: cannot read it: {e}", shown(key)))?;
        let key_der = PrivateKeyDer::from_pem_slice(&pem).map_err(|_| {
            format!(
                "--tls-key {}: no private key in it (expected PEM, '-----BEGIN PRIVATE KEY-----', RSA or EC)",
                shown(key)
            )
        })?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS: {e}"))?
            .with_no_client_auth()
            .with_single_cert(chain, key_der)
            .map_err(|e| {
                format!(
                    "--tls-key {} does not fit --tls-cert {}: {e}",
                    shown(key),
                    shown(cert)
                )
            })?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(TlsAcceptor::from(Arc::new(config)))
    }
}

#[cfg(target_os = "macos")]
mod unbuilt {
    use std::path::Path;
    use tokio::net::TcpStream;

    /// Never made: HTTPS in the listener is built for Linux only.
    pub enum Tls {}

    impl Tls {
        pub fn load(_cert: &Path, _key: &Path) -> Result<Tls, String> {
            Err("--tls-cert: this build (macOS) has no HTTPS listener; on the jump box (Linux) it has, or put a TLS proxy in front".into())
        }

        pub fn reload(&self) -> Result<(), String> {
            match *self {}
        }

        pub async fn accept(&self, _socket: TcpStream) -> std::io::Result<TcpStream> {
            match *self {}
        }
    }
}
